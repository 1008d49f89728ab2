/**
 * A binary radix (prefix) tree over address bits for CIDR indicators, longest prefix wins. Nodes live in
 * growable typed arrays, so 100k prefixes cost a few MB and no per-node objects; a lookup walks at most
 * 32 (IPv4) or 128 (IPv6) bits.
 */
const NONE = -1;

export class CidrTree {
  #zero = new Int32Array(1024).fill(NONE);
  #one = new Int32Array(1024).fill(NONE);
  #value = new Int32Array(1024).fill(NONE);
  #nodes = 1; // node 0 is the root
  #prefixes = 0;

  get size(): number {
    return this.#prefixes;
  }

  #grow(): void {
    const n = this.#zero.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n).fill(NONE);
      b.set(a);
      return b;
    };
    this.#zero = grow(this.#zero);
    this.#one = grow(this.#one);
    this.#value = grow(this.#value);
  }

  /** Stores `value` (≥ 0) under the first `bits` bits of `address`; an existing prefix is replaced. */
  insert(address: Uint8Array, bits: number, value: number): void {
    let node = 0;
    for (let i = 0; i < bits; i++) {
      const bit = (address[i >> 3]! >> (7 - (i & 7))) & 1;
      const children = bit === 0 ? this.#zero : this.#one;
      let next = children[node]!;
      if (next === NONE) {
        if (this.#nodes >= this.#zero.length) this.#grow();
        next = this.#nodes++;
        (bit === 0 ? this.#zero : this.#one)[node] = next;
      }
      node = next;
    }
    if (this.#value[node] === NONE) this.#prefixes++;
    this.#value[node] = value;
  }

  /** The value of the longest stored prefix of `address`, or -1. */
  lookup(address: Uint8Array): number {
    let node = 0;
    let found = this.#value[0]!;
    const bits = address.length * 8;
    for (let i = 0; i < bits; i++) {
      const bit = (address[i >> 3]! >> (7 - (i & 7))) & 1;
      node = (bit === 0 ? this.#zero : this.#one)[node]!;
      if (node === NONE) break;
      const v = this.#value[node]!;
      if (v !== NONE) found = v;
    }
    return found;
  }

  /** IPv4 fast path: the address as an unsigned 32-bit number. */
  lookup32(address: number): number {
    let node = 0;
    let found = this.#value[0]!;
    for (let i = 31; i >= 0; i--) {
      node = ((address >>> i) & 1) === 0 ? this.#zero[node]! : this.#one[node]!;
      if (node === NONE) break;
      const v = this.#value[node]!;
      if (v !== NONE) found = v;
    }
    return found;
  }
}
