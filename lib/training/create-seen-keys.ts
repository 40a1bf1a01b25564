const HEX_VALUE = new Uint8Array(256).fill(255);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/**
 * A set of 64-bit keys (the first 16 hex digits of an md5) in one typed array: an export
 * remembers which duplicate keys it has written in ~16 MB per million examples, where a Set of
 * strings would take several times that. Both halves of a key sit side by side, so a lookup
 * touches one cache line (the table is far larger than the cache: a miss per lookup is the cost).
 * Two different examples collide with odds of about n²/2⁶⁵ (1 in 30 million for a million
 * examples), which would drop one of them as a duplicate.
 */
export function createSeenKeys(initialCapacity = 1 << 16) {
  let capacity = initialCapacity;
  let table = new Int32Array(capacity * 2); // [high, low] per slot; (0, 0) is an empty slot
  let hasZero = false; // the key 0 itself, which an empty slot cannot tell apart
  let size = 0;

  const insert = (h: number, l: number): boolean => {
    if (h === 0 && l === 0) {
      if (hasZero) return false;
      hasZero = true;
      size++;
      return true;
    }
    let slot = Math.imul(h ^ l, 0x9e3779b1) & (capacity - 1);
    for (;;) {
      const at = slot * 2;
      const th = table[at]!;
      const tl = table[at + 1]!;
      if (th === h && tl === l) return false;
      if (th === 0 && tl === 0) {
        table[at] = h;
        table[at + 1] = l;
        size++;
        return true;
      }
      slot = (slot + 1) & (capacity - 1);
    }
  };

  const grow = () => {
    const old = table;
    capacity *= 2;
    table = new Int32Array(capacity * 2);
    size = hasZero ? 1 : 0;
    for (let at = 0; at < old.length; at += 2) if (old[at] !== 0 || old[at + 1] !== 0) insert(old[at]!, old[at + 1]!);
  };

  const addIfNew = (hex: string): boolean => {
    if (size * 2 >= capacity) grow();
    return insert(parseInt(hex.slice(0, 8), 16) | 0, parseInt(hex.slice(8, 16), 16) | 0);
  };

  return {
    /** Adds the key; false when it was already there. `hex`: at least 16 hex digits. */
    addIfNew,
    /** addIfNew for a key given as ASCII bytes (binary COPY), without making a string when it is hex. */
    addIfNewAscii(bytes: Uint8Array, start: number, length: number): boolean {
      let hi = 0;
      let lo = 0;
      for (let i = 0; i < 16; i++) {
        const digit = i < length ? HEX_VALUE[bytes[start + i]!]! : 255;
        if (digit === 255) return addIfNew(Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString("latin1"));
        if (i < 8) hi = hi * 16 + digit;
        else lo = lo * 16 + digit;
      }
      if (size * 2 >= capacity) grow();
      return insert(hi | 0, lo | 0);
    },
    get size() {
      return size;
    },
  };
}
