/**
 * A set of 64-bit keys (the first 16 hex digits of an md5) in typed arrays: an export remembers
 * which duplicate keys it has written in ~16 MB per million examples, where a Set of strings would
 * take several times that. Two different examples collide with odds of about n²/2⁶⁵ (1 in 30
 * million for a million examples), which would drop one of them as a duplicate.
 */
export function createSeenKeys(initialCapacity = 1 << 16) {
  let capacity = initialCapacity;
  let hi = new Uint32Array(capacity);
  let lo = new Uint32Array(capacity);
  let used = new Uint8Array(capacity);
  let size = 0;

  const insert = (h: number, l: number): boolean => {
    let slot = (Math.imul(h ^ l, 0x9e3779b1) >>> 0) & (capacity - 1);
    while (used[slot]) {
      if (hi[slot] === h && lo[slot] === l) return false;
      slot = (slot + 1) & (capacity - 1);
    }
    used[slot] = 1;
    hi[slot] = h;
    lo[slot] = l;
    size++;
    return true;
  };

  const grow = () => {
    const [oldHi, oldLo, oldUsed, oldCapacity] = [hi, lo, used, capacity];
    capacity *= 2;
    hi = new Uint32Array(capacity);
    lo = new Uint32Array(capacity);
    used = new Uint8Array(capacity);
    size = 0;
    for (let i = 0; i < oldCapacity; i++) if (oldUsed[i]) insert(oldHi[i]!, oldLo[i]!);
  };

  return {
    /** Adds the key; false when it was already there. `hex`: at least 16 hex digits. */
    addIfNew(hex: string): boolean {
      if (size * 2 >= capacity) grow();
      return insert(parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0);
    },
    get size() {
      return size;
    },
  };
}
