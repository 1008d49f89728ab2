/**
 * The BCJ x86 filter decoder (7-Zip Bra86.c): E8/E9 call and jump targets were made absolute to compress
 * better; this turns them back into relative ones. In place, no allocation.
 */
const MASK_TO_ALLOWED = [true, true, true, false, true, false, false, false];
const MASK_TO_BIT_NUMBER = [0, 1, 2, 2, 3, 3, 3, 3];
const isMsByte = (b: number) => b === 0 || b === 0xff;

export function bcjX86Decode(data: Uint8Array, startIp = 0): Uint8Array {
  const size = data.length;
  if (size < 5) return data;
  const ip = startIp + 5;
  let pos = 0;
  let prevPos = -1;
  let prevMask = 0;
  for (;;) {
    let p = pos;
    const limit = size - 5;
    while (p < limit && (data[p]! & 0xfe) !== 0xe8) p++;
    pos = p;
    if (p >= limit) break;
    const gap = pos - prevPos;
    if (gap > 3) prevMask = 0;
    else {
      prevMask = (prevMask << (gap - 1)) & 7;
      if (prevMask !== 0) {
        const b = data[p + 4 - MASK_TO_BIT_NUMBER[prevMask]!]!;
        if (!MASK_TO_ALLOWED[prevMask] || isMsByte(b)) {
          prevPos = pos;
          prevMask = ((prevMask << 1) & 7) | 1;
          pos++;
          continue;
        }
      }
    }
    prevPos = pos;
    if (isMsByte(data[p + 4]!)) {
      let src =
        (data[p + 1]! | (data[p + 2]! << 8) | (data[p + 3]! << 16) | (data[p + 4]! << 24)) >>> 0;
      let dest: number;
      for (;;) {
        dest = (src - (ip + pos)) >>> 0;
        if (prevMask === 0) break;
        const index = MASK_TO_BIT_NUMBER[prevMask]! * 8;
        const b = (dest >>> (24 - index)) & 0xff;
        if (!isMsByte(b)) break;
        src = (dest ^ (2 ** (32 - index) - 1)) >>> 0;
      }
      data[p + 4] = ((dest >>> 24) & 1) === 0 ? 0 : 0xff;
      data[p + 3] = (dest >>> 16) & 0xff;
      data[p + 2] = (dest >>> 8) & 0xff;
      data[p + 1] = dest & 0xff;
      pos += 5;
    } else {
      prevMask = ((prevMask << 1) & 7) | 1;
      pos++;
    }
  }
  return data;
}
