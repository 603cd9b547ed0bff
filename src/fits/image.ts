/**
 * IMAGE and primary arrays (FITS Standard 4.0 §5): BITPIX element types, BSCALE/BZERO, BLANK.
 */
import { FitsError } from './errors.js';
import type { Header } from './header.js';
import type { NumericArray } from './column.js';

type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;

/** The BITPIX of a typed array, and the BZERO of its unsigned convention (if any). */
export function bitpixOf(data: NumericArray): { bitpix: Bitpix; bzero?: number | bigint } {
  if (data instanceof Uint8Array) return { bitpix: 8 };
  if (data instanceof Int8Array) return { bitpix: 8, bzero: -128 };
  if (data instanceof Int16Array) return { bitpix: 16 };
  if (data instanceof Uint16Array) return { bitpix: 16, bzero: 32768 };
  if (data instanceof Int32Array) return { bitpix: 32 };
  if (data instanceof Uint32Array) return { bitpix: 32, bzero: 2147483648 };
  if (data instanceof BigInt64Array) return { bitpix: 64 };
  if (data instanceof BigUint64Array) return { bitpix: 64, bzero: 9223372036854775808n };
  if (data instanceof Float32Array) return { bitpix: -32 };
  return { bitpix: -64 };
}

function bytesSwapped(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  return out;
}

/** Native typed array of raw values from big-endian bytes. */
function rawArray(bitpix: Bitpix, bytes: Uint8Array, n: number): NumericArray {
  const size = Math.abs(bitpix) / 8;
  const b = size === 1 ? bytes.slice(0, n) : bytesSwapped(bytes.subarray(0, n * size), size);
  switch (bitpix) {
    case 8:
      return b;
    case 16:
      return new Int16Array(b.buffer, 0, n);
    case 32:
      return new Int32Array(b.buffer, 0, n);
    case 64:
      return new BigInt64Array(b.buffer, 0, n);
    case -32:
      return new Float32Array(b.buffer, 0, n);
    case -64:
      return new Float64Array(b.buffer, 0, n);
  }
}

export function readImageData(header: Header, axes: number[], bytes: Uint8Array): { shape: number[]; data: NumericArray } {
  const bitpix = header.integer('BITPIX') as Bitpix;
  const n = axes.length === 0 ? 0 : axes.reduce((a, b) => a * b, 1);
  const shape = [...axes].reverse();
  const raw = rawArray(bitpix, bytes, n);
  const bscale = header.number('BSCALE') ?? 1;
  const zc = header.card('BZERO');
  const bzero = zc?.value ?? 0;
  const blank = header.get('BLANK');
  if (bscale === 1 && (bzero === 0 || bzero === null)) return { shape, data: raw };
  if (bscale === 1 && blank === undefined) {
    // Unsigned conventions: flip the sign bit, exactly.
    if (bitpix === 8 && bzero === -128) {
      const u = raw as Uint8Array;
      for (let i = 0; i < n; i++) u[i] ^= 0x80;
      return { shape, data: new Int8Array(u.buffer, u.byteOffset, n) };
    }
    if (bitpix === 16 && bzero === 32768) {
      const u = new Uint16Array(raw.buffer, raw.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] ^= 0x8000;
      return { shape, data: u };
    }
    if (bitpix === 32 && bzero === 2147483648) {
      const u = new Uint32Array(raw.buffer, raw.byteOffset, n);
      for (let i = 0; i < n; i++) u[i] = (u[i] ^ 0x80000000) >>> 0;
      return { shape, data: u };
    }
    if (bitpix === 64 && (bzero === 9223372036854775808n || bzero === 9223372036854775808)) {
      const w = new Uint32Array(raw.buffer, raw.byteOffset, 2 * n);
      for (let i = 1; i < w.length; i += 2) w[i] = (w[i] ^ 0x80000000) >>> 0;
      return { shape, data: new BigUint64Array(raw.buffer, raw.byteOffset, n) };
    }
  }
  const zero = Number(bzero);
  if (!Number.isFinite(zero) || !Number.isFinite(bscale)) throw new FitsError('BAD_KEYWORD', 'BSCALE/BZERO are not numbers');
  const out = new Float64Array(n);
  const isInt = bitpix > 0;
  const blankN = typeof blank === 'number' || typeof blank === 'bigint' ? Number(blank) : undefined;
  for (let i = 0; i < n; i++) {
    const v = Number(raw[i]);
    out[i] = isInt && v === blankN ? NaN : v * bscale + zero;
  }
  return { shape, data: out };
}

/** Big-endian bytes of an image's typed array, with the unsigned convention applied. */
export function encodeImageData(data: NumericArray): Uint8Array {
  const { bitpix } = bitpixOf(data);
  const size = Math.abs(bitpix) / 8;
  const src = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = size === 1 ? src.slice() : bytesSwapped(src, size);
  // Unsigned (and signed-byte) conventions store value - BZERO: flip the most significant bit.
  if (data instanceof Int8Array || data instanceof Uint16Array || data instanceof Uint32Array || data instanceof BigUint64Array) {
    for (let i = 0; i < out.length; i += size) out[i] ^= 0x80;
  }
  return out;
}
