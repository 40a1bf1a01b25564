const WORDS = new Int32Array(16);

/** The longest message that fits MD5's single 64-byte block with its padding. */
export const MD5_ONE_BLOCK_MAX = 55;

/**
 * The first 32 bits of the MD5 digest of a short message (one block: at most 55 bytes), read as
 * the first 8 hex digits of md5() are: big-endian. md5-first-word.test.ts checks it against
 * node:crypto.
 */
export function md5FirstWord(bytes: Uint8Array, offset: number, length: number): number {
  if (length > MD5_ONE_BLOCK_MAX) throw new RangeError(`md5FirstWord takes at most ${MD5_ONE_BLOCK_MAX} bytes`);
  const w = WORDS;
  w.fill(0);
  for (let i = 0; i < length; i++) w[i >> 2]! |= bytes[offset + i]! << ((i & 3) << 3);
  w[length >> 2]! |= 0x80 << ((length & 3) << 3);
  w[14] = length * 8;
  return firstWord(w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!, w[6]!, w[7]!, w[8]!, w[9]!, w[10]!, w[11]!, w[12]!, w[13]!, w[14]!, w[15]!);
}

// Two lowercase hex digits of a byte as they sit in a little-endian word: the first in the low byte.
const HEX_PAIR = Uint16Array.from({ length: 256 }, (_, b) => "0123456789abcdef".charCodeAt(b >> 4) | ("0123456789abcdef".charCodeAt(b & 15) << 8));
const DASH = 0x2d;

/**
 * md5FirstWord of a uuid's canonical text (36 characters, lowercase, as PostgreSQL's uuid::text)
 * given as its 16 bytes, without writing the text out: the export decides the split of every
 * example this way, a million times (~0.1 µs each; node:crypto takes ~0.8 µs).
 */
export function md5FirstWordOfUuid(bytes: Uint8Array, offset: number): number {
  // (no inner arrow function here: tsx wraps every one in a naming helper, on every call)
  const h0 = HEX_PAIR[bytes[offset]!]!, h1 = HEX_PAIR[bytes[offset + 1]!]!, h2 = HEX_PAIR[bytes[offset + 2]!]!, h3 = HEX_PAIR[bytes[offset + 3]!]!;
  const h4 = HEX_PAIR[bytes[offset + 4]!]!, h5 = HEX_PAIR[bytes[offset + 5]!]!, h6 = HEX_PAIR[bytes[offset + 6]!]!, h7 = HEX_PAIR[bytes[offset + 7]!]!;
  const h8 = HEX_PAIR[bytes[offset + 8]!]!, h9 = HEX_PAIR[bytes[offset + 9]!]!, h10 = HEX_PAIR[bytes[offset + 10]!]!, h11 = HEX_PAIR[bytes[offset + 11]!]!;
  const h12 = HEX_PAIR[bytes[offset + 12]!]!, h13 = HEX_PAIR[bytes[offset + 13]!]!, h14 = HEX_PAIR[bytes[offset + 14]!]!, h15 = HEX_PAIR[bytes[offset + 15]!]!;
  // xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, four characters to a word, then the padding and length
  return firstWord(
    h0 | (h1 << 16),
    h2 | (h3 << 16),
    DASH | (h4 << 8) | ((h5 & 0xff) << 24),
    (h5 >> 8) | (DASH << 8) | (h6 << 16),
    h7 | (DASH << 16) | ((h8 & 0xff) << 24),
    (h8 >> 8) | (h9 << 8) | (DASH << 24),
    h10 | (h11 << 16),
    h12 | (h13 << 16),
    h14 | (h15 << 16),
    0x80,
    0,
    0,
    0,
    0,
    36 * 8,
    0,
  );
}

// The 64 steps of RFC 1321 written out (a loop with its branches and table reads costs twice as much).
// prettier-ignore
function firstWord(m0: number, m1: number, m2: number, m3: number, m4: number, m5: number, m6: number, m7: number, m8: number, m9: number, m10: number, m11: number, m12: number, m13: number, m14: number, m15: number): number {
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let x: number;
  x = (((a + ((b & c) | (~b & d))) | 0) + ((-680876936 + m0) | 0)) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (((d + ((a & b) | (~a & c))) | 0) + ((-389564586 + m1) | 0)) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (((c + ((d & a) | (~d & b))) | 0) + ((606105819 + m2) | 0)) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (((b + ((c & d) | (~c & a))) | 0) + ((-1044525330 + m3) | 0)) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (((a + ((b & c) | (~b & d))) | 0) + ((-176418897 + m4) | 0)) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (((d + ((a & b) | (~a & c))) | 0) + ((1200080426 + m5) | 0)) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (((c + ((d & a) | (~d & b))) | 0) + ((-1473231341 + m6) | 0)) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (((b + ((c & d) | (~c & a))) | 0) + ((-45705983 + m7) | 0)) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (((a + ((b & c) | (~b & d))) | 0) + ((1770035416 + m8) | 0)) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (((d + ((a & b) | (~a & c))) | 0) + ((-1958414417 + m9) | 0)) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (((c + ((d & a) | (~d & b))) | 0) + ((-42063 + m10) | 0)) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (((b + ((c & d) | (~c & a))) | 0) + ((-1990404162 + m11) | 0)) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (((a + ((b & c) | (~b & d))) | 0) + ((1804603682 + m12) | 0)) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (((d + ((a & b) | (~a & c))) | 0) + ((-40341101 + m13) | 0)) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (((c + ((d & a) | (~d & b))) | 0) + ((-1502002290 + m14) | 0)) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (((b + ((c & d) | (~c & a))) | 0) + ((1236535329 + m15) | 0)) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (((a + ((d & b) | (~d & c))) | 0) + ((-165796510 + m1) | 0)) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (((d + ((c & a) | (~c & b))) | 0) + ((-1069501632 + m6) | 0)) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (((c + ((b & d) | (~b & a))) | 0) + ((643717713 + m11) | 0)) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (((b + ((a & c) | (~a & d))) | 0) + ((-373897302 + m0) | 0)) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (((a + ((d & b) | (~d & c))) | 0) + ((-701558691 + m5) | 0)) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (((d + ((c & a) | (~c & b))) | 0) + ((38016083 + m10) | 0)) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (((c + ((b & d) | (~b & a))) | 0) + ((-660478335 + m15) | 0)) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (((b + ((a & c) | (~a & d))) | 0) + ((-405537848 + m4) | 0)) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (((a + ((d & b) | (~d & c))) | 0) + ((568446438 + m9) | 0)) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (((d + ((c & a) | (~c & b))) | 0) + ((-1019803690 + m14) | 0)) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (((c + ((b & d) | (~b & a))) | 0) + ((-187363961 + m3) | 0)) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (((b + ((a & c) | (~a & d))) | 0) + ((1163531501 + m8) | 0)) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (((a + ((d & b) | (~d & c))) | 0) + ((-1444681467 + m13) | 0)) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (((d + ((c & a) | (~c & b))) | 0) + ((-51403784 + m2) | 0)) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (((c + ((b & d) | (~b & a))) | 0) + ((1735328473 + m7) | 0)) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (((b + ((a & c) | (~a & d))) | 0) + ((-1926607734 + m12) | 0)) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (((a + (b ^ c ^ d)) | 0) + ((-378558 + m5) | 0)) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (((d + (a ^ b ^ c)) | 0) + ((-2022574463 + m8) | 0)) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (((c + (d ^ a ^ b)) | 0) + ((1839030562 + m11) | 0)) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (((b + (c ^ d ^ a)) | 0) + ((-35309556 + m14) | 0)) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (((a + (b ^ c ^ d)) | 0) + ((-1530992060 + m1) | 0)) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (((d + (a ^ b ^ c)) | 0) + ((1272893353 + m4) | 0)) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (((c + (d ^ a ^ b)) | 0) + ((-155497632 + m7) | 0)) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (((b + (c ^ d ^ a)) | 0) + ((-1094730640 + m10) | 0)) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (((a + (b ^ c ^ d)) | 0) + ((681279174 + m13) | 0)) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (((d + (a ^ b ^ c)) | 0) + ((-358537222 + m0) | 0)) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (((c + (d ^ a ^ b)) | 0) + ((-722521979 + m3) | 0)) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (((b + (c ^ d ^ a)) | 0) + ((76029189 + m6) | 0)) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (((a + (b ^ c ^ d)) | 0) + ((-640364487 + m9) | 0)) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (((d + (a ^ b ^ c)) | 0) + ((-421815835 + m12) | 0)) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (((c + (d ^ a ^ b)) | 0) + ((530742520 + m15) | 0)) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (((b + (c ^ d ^ a)) | 0) + ((-995338651 + m2) | 0)) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (((a + (c ^ (b | ~d))) | 0) + ((-198630844 + m0) | 0)) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (((d + (b ^ (a | ~c))) | 0) + ((1126891415 + m7) | 0)) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (((c + (a ^ (d | ~b))) | 0) + ((-1416354905 + m14) | 0)) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (((b + (d ^ (c | ~a))) | 0) + ((-57434055 + m5) | 0)) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (((a + (c ^ (b | ~d))) | 0) + ((1700485571 + m12) | 0)) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (((d + (b ^ (a | ~c))) | 0) + ((-1894986606 + m3) | 0)) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (((c + (a ^ (d | ~b))) | 0) + ((-1051523 + m10) | 0)) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (((b + (d ^ (c | ~a))) | 0) + ((-2054922799 + m1) | 0)) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (((a + (c ^ (b | ~d))) | 0) + ((1873313359 + m8) | 0)) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (((d + (b ^ (a | ~c))) | 0) + ((-30611744 + m15) | 0)) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (((c + (a ^ (d | ~b))) | 0) + ((-1560198380 + m6) | 0)) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (((b + (d ^ (c | ~a))) | 0) + ((1309151649 + m13) | 0)) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (((a + (c ^ (b | ~d))) | 0) + ((-145523070 + m4) | 0)) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (((d + (b ^ (a | ~c))) | 0) + ((-1120210379 + m11) | 0)) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (((c + (a ^ (d | ~b))) | 0) + ((718787259 + m2) | 0)) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (((b + (d ^ (c | ~a))) | 0) + ((-343485551 + m9) | 0)) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  const word = (a + 0x67452301) | 0; // little-endian in the digest: swap to read it as hex does
  return (((word & 0xff) << 24) | (((word >>> 8) & 0xff) << 16) | (((word >>> 16) & 0xff) << 8) | (word >>> 24)) >>> 0;
}
