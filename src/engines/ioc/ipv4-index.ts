/**
 * IPv4 address → small integer, as an open-addressing hash table in typed arrays. A JavaScript Map
 * with 100k string keys costs a string hash and several cache misses per lookup; here a lookup is one
 * multiply and, usually, one probe in a few hundred KB of contiguous memory.
 */
const EMPTY = -1;

export class Ipv4Index {
  #keys = new Uint32Array(1024);
  #values = new Int32Array(1024).fill(EMPTY);
  #mask = 1023;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  #slot(key: number): number {
    // Fibonacci hashing: consecutive addresses (a /24 of C2s) spread over the table.
    return (Math.imul(key, 0x9e3779b1) >>> 0) & this.#mask;
  }

  get(key: number): number {
    const keys = this.#keys;
    const values = this.#values;
    for (let i = this.#slot(key); ; i = (i + 1) & this.#mask) {
      const v = values[i]!;
      if (v === EMPTY) return EMPTY;
      if (keys[i] === key) return v;
    }
  }

  /** Stores `value` (≥ 0) for `key`, replacing an earlier value. */
  set(key: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#keys.length) this.#grow();
    for (let i = this.#slot(key); ; i = (i + 1) & this.#mask) {
      const v = this.#values[i]!;
      if (v === EMPTY) {
        this.#keys[i] = key;
        this.#values[i] = value;
        this.#size++;
        return;
      }
      if (this.#keys[i] === key) {
        this.#values[i] = value;
        return;
      }
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    this.#keys = new Uint32Array(keys.length * 2);
    this.#values = new Int32Array(keys.length * 2).fill(EMPTY);
    this.#mask = keys.length * 2 - 1;
    this.#size = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] !== EMPTY) this.set(keys[i]!, values[i]!);
  }
}

/**
 * IPv4 CIDR lookup, longest prefix first, as one hash table per prefix length. Feeds use few lengths
 * (/24, /16, /32 …), so a lookup is a few hash probes instead of the up to 32 dependent loads of a
 * binary trie walk (measured 3–4× faster on conn.log); IPv6 keeps the radix tree.
 */
export class Ipv4PrefixTable {
  readonly #byLength = new Map<number, Ipv4Index>();
  /** Prefix lengths present, longest first. */
  #lengths: number[] = [];

  get size(): number {
    let n = 0;
    for (const t of this.#byLength.values()) n += t.size;
    return n;
  }

  insert(address: number, bits: number, value: number): void {
    let table = this.#byLength.get(bits);
    if (!table) {
      table = new Ipv4Index();
      this.#byLength.set(bits, table);
      this.#lengths = [...this.#byLength.keys()].sort((a, b) => b - a);
    }
    table.set(bits === 0 ? 0 : address >>> (32 - bits), value);
  }

  /** The value of the longest stored prefix of `address`, or -1. */
  lookup(address: number): number {
    for (const bits of this.#lengths) {
      const v = this.#byLength.get(bits)!.get(bits === 0 ? 0 : address >>> (32 - bits));
      if (v >= 0) return v;
    }
    return -1;
  }
}
