// "__substg1.0_" in UTF-16LE: the property stream names every .msg directory holds ([MS-OXMSG] 2.1.3).
const SUBSTG = Uint8Array.from([...'__substg1.0_'].flatMap((c) => [c.charCodeAt(0), 0]));
const SCAN_BYTES = 1024 * 1024;

/** A compound file whose directory names MAPI property streams: an Outlook message, not an Office document. */
export function isOutlookMsg(bytes: Uint8Array): boolean {
  return (
    find(bytes.subarray(0, SCAN_BYTES)) ||
    (bytes.length > SCAN_BYTES && find(bytes.subarray(-SCAN_BYTES)))
  );
}

function find(hay: Uint8Array): boolean {
  const first = SUBSTG[0]!;
  for (
    let i = hay.indexOf(first);
    i >= 0 && i + SUBSTG.length <= hay.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < SUBSTG.length && hay[i + j] === SUBSTG[j]) j++;
    if (j === SUBSTG.length) return true;
  }
  return false;
}
