/**
 * RC4, written out because OpenSSL 3 (Node 20) keeps it in the legacy provider and `createCipheriv('rc4')`
 * fails there. [MS-OFFCRYPTO] 2.3.5 (RC4 CryptoAPI) and 2.3.6 (Office binary RC4) both use it.
 */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + s[k]! + key[k % key.length]!) & 0xff;
      const t = s[k]!;
      s[k] = s[j]!;
      s[j] = t;
    }
  }

  /** XORs `data` with the next keystream bytes, in place, and returns it. */
  process(data: Uint8Array): Uint8Array {
    const s = this.s;
    let { i, j } = this;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
      data[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return data;
  }

  /** Advances the keystream by `count` bytes without output (record headers in BIFF8 streams). */
  skip(count: number): void {
    this.process(new Uint8Array(count));
  }
}
