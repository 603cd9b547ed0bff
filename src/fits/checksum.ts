/**
 * FITS CHECKSUM/DATASUM (the FITS checksum convention, Standard 4.0 Appendix J): a 32-bit
 * ones'-complement sum of big-endian words, and its 16-character ASCII encoding.
 */

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Add the 32-bit words of `bytes` (length a multiple of 4) to a running ones'-complement sum. */
export function onesComplementSum(bytes: Uint8Array, sum = 0): number {
  if (bytes.length % 4 !== 0) throw new Error('checksum input must be a whole number of 32-bit words');
  let hi = sum >>> 16;
  let lo = sum & 0xffff;
  const n = bytes.length;
  // A 4-byte-aligned buffer is read one 32-bit word per load (a little-endian host: b0 is the low
  // byte of the word); the sums are the same integers as byte by byte, so the result is identical.
  const words = LITTLE_ENDIAN && bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n >>> 2) : undefined;
  // Fold the carries every 2^15 words so hi and lo stay small integers.
  for (let start = 0; start < n; start += 131072) {
    const end = Math.min(n, start + 131072);
    if (words !== undefined) {
      for (let i = start >>> 2, e = end >>> 2; i < e; i++) {
        const w = words[i];
        hi += ((w & 0xff) << 8) | ((w >>> 8) & 0xff);
        lo += ((w >>> 8) & 0xff00) | (w >>> 24);
      }
    } else {
      for (let i = start; i < end; i += 4) {
        hi += (bytes[i] << 8) | bytes[i + 1];
        lo += (bytes[i + 2] << 8) | bytes[i + 3];
      }
    }
    let hc = hi >>> 16;
    let lc = lo >>> 16;
    while (hc || lc) {
      hi = (hi & 0xffff) + lc;
      lo = (lo & 0xffff) + hc;
      hc = hi >>> 16;
      lc = lo >>> 16;
    }
  }
  return ((hi << 16) | lo) >>> 0;
}

/** Ones'-complement addition of two 32-bit sums. */
export function addSums(a: number, b: number): number {
  let s = a + b;
  while (s > 0xffffffff) s = (s % 0x100000000) + Math.floor(s / 0x100000000);
  return s >>> 0;
}

const EXCLUDE = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];

/** Encode the complement of a 32-bit sum as the 16-character CHECKSUM value. */
export function encodeChecksum(sum: number, complement = true): string {
  const value = (complement ? ~sum : sum) >>> 0;
  const asc = new Array<number>(16);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const quotient = (byte >> 2) + 0x30;
    const remainder = byte & 3;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    // Nudge pairs away from punctuation while keeping their sum.
    let again = true;
    while (again) {
      again = false;
      for (const ex of EXCLUDE) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === ex || ch[j + 1] === ex) {
            ch[j]++;
            ch[j + 1]--;
            again = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) asc[4 * j + i] = ch[j];
  }
  // The encoded string is rotated right by one byte to line up with the 4-byte words of a header.
  let out = '';
  for (let i = 0; i < 16; i++) out += String.fromCharCode(asc[(i + 15) % 16]);
  return out;
}

export interface ChecksumResult {
  /** 'absent' when the header has no such keyword. */
  datasum: 'ok' | 'bad' | 'absent';
  checksum: 'ok' | 'bad' | 'absent';
  /** The DATASUM computed from the data. */
  computedDatasum: number;
}
