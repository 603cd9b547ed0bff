/**
 * BINTABLE column data: typed arrays in, typed arrays out. The kernels here turn the big-endian
 * bytes of one field of many rows into a typed array (decode) and back (encode), in place and
 * without per-element allocation: these loops are the hot path of every event-file read.
 */
import { endianness } from 'node:os';
import { FitsError } from './errors.js';
import { ELEMENT_BYTES, type ColumnInfo, type TypeCode } from './tform.js';

if (endianness() !== 'LE') {
  // The kernels assemble big-endian words into native little-endian typed arrays.
  throw new Error('hstlc FITS I/O supports little-endian hosts only');
}

export type NumericArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** One decoded variable-length cell. */
export type VarCell = NumericArray | string;

/**
 * Decoded values of one column for a range of rows. Vector cells are stored row after row:
 * row i's cell is `data.subarray(i * cellSize, (i + 1) * cellSize)` (complex: twice that, re/im).
 */
export type ColumnValues =
  | { kind: 'numeric'; data: NumericArray }
  | { kind: 'complex'; data: Float32Array | Float64Array }
  /** 1 = T, 0 = F, -1 = undefined (a zero byte). */
  | { kind: 'logical'; data: Int8Array }
  /** X columns unpacked, one 0/1 byte per bit. */
  | { kind: 'bits'; data: Uint8Array }
  /** One string per cell (per row, or per sub-array when TDIM splits an A field), right-trimmed. */
  | { kind: 'string'; data: string[] }
  | { kind: 'varlen'; data: VarCell[] };

export type Column = ColumnValues & {
  info: ColumnInfo;
  rows: number;
  /** Elements per row (the repeat count; for A columns with TDIM, strings per row). */
  cellSize: number;
};

export interface DecodeOptions {
  /** K columns as Float64Array (error if a value exceeds 2^53) instead of BigInt64Array. */
  int64AsNumber?: boolean;
}

/** Element count per row that `decodeField` yields for a column. */
export function cellSizeOf(info: ColumnInfo): number {
  const { code, repeat } = info.tform;
  if (code === 'A') return info.shape.length > 1 ? info.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
  if (code === 'P' || code === 'Q') return 1;
  return repeat;
}

function allocRaw(code: TypeCode, n: number): NumericArray {
  switch (code) {
    case 'B':
      return new Uint8Array(n);
    case 'I':
      return new Int16Array(n);
    case 'J':
      return new Int32Array(n);
    case 'K':
      return new BigInt64Array(n);
    case 'E':
      return new Float32Array(n);
    case 'D':
      return new Float64Array(n);
    case 'C':
      return new Float32Array(2 * n);
    case 'M':
      return new Float64Array(2 * n);
    default:
      throw new Error(`allocRaw: ${code} is not numeric`);
  }
}

/**
 * Copy `words` big-endian words of `size` bytes per row into `out` (native order), starting at
 * element `outAt`. `src[base + r*stride + k*size]` is word k of row r. DataView reads are the
 * fastest portable big-endian loads in V8 (a load and a byte swap), and one small monomorphic
 * loop per word size optimizes far better than one function with every case.
 */
function swapInto(
  src: Uint8Array,
  base: number,
  stride: number,
  rows: number,
  words: number,
  size: 1 | 2 | 4 | 8,
  out: NumericArray,
  outAt: number,
): void {
  const buf = out.buffer;
  const at = out.byteOffset;
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (size === 1) get8(src, base, stride, rows, words, new Uint8Array(buf, at, out.byteLength), outAt);
  else if (size === 2) get16(dv, base, stride, rows, words, new Uint16Array(buf, at, out.byteLength >> 1), outAt);
  else if (size === 4) get32(dv, base, stride, rows, words, new Int32Array(buf, at, out.byteLength >> 2), outAt);
  else if (out instanceof Float64Array) get64f(dv, base, stride, rows, words, out, outAt);
  // K values go through two int32 loads: a double load/store could canonicalize NaN bit patterns.
  else get64i(dv, base, stride, rows, words, new Int32Array(buf, at, out.byteLength >> 2), 2 * outAt);
}

function get8(src: Uint8Array, base: number, stride: number, rows: number, words: number, o: Uint8Array, k: number): void {
  if (words === 1) {
    for (let r = 0, p = base; r < rows; r++, p += stride) o[k++] = src[p];
    return;
  }
  for (let r = 0, p = base; r < rows; r++, p += stride, k += words) o.set(src.subarray(p, p + words), k);
}

function get16(dv: DataView, base: number, stride: number, rows: number, words: number, o: Uint16Array, k: number): void {
  if (words === 1) {
    for (let r = 0, p = base; r < rows; r++, p += stride) o[k++] = dv.getUint16(p, false);
    return;
  }
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 2) o[k++] = dv.getUint16(q, false);
  }
}

function get32(dv: DataView, base: number, stride: number, rows: number, words: number, o: Int32Array, k: number): void {
  if (words === 1) {
    for (let r = 0, p = base; r < rows; r++, p += stride) o[k++] = dv.getInt32(p, false);
    return;
  }
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 4) o[k++] = dv.getInt32(q, false);
  }
}

function get64f(dv: DataView, base: number, stride: number, rows: number, words: number, o: Float64Array, k: number): void {
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 8) o[k++] = dv.getFloat64(q, false);
  }
}

function get64i(dv: DataView, base: number, stride: number, rows: number, words: number, o: Int32Array, k: number): void {
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 8) {
      o[k++] = dv.getInt32(q + 4, false);
      o[k++] = dv.getInt32(q, false);
    }
  }
}

const WORD: Partial<Record<TypeCode, 1 | 2 | 4 | 8>> = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, C: 4, M: 8 };

/** Flip the sign bit: the unsigned/signed-byte conventions in place, without arithmetic. */
function flipSign(raw: NumericArray, code: TypeCode): NumericArray {
  switch (code) {
    case 'B': {
      const u = raw as Uint8Array;
      for (let i = 0; i < u.length; i++) u[i] ^= 0x80;
      return new Int8Array(u.buffer, u.byteOffset, u.length);
    }
    case 'I': {
      const u = new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
      for (let i = 0; i < u.length; i++) u[i] ^= 0x8000;
      return u;
    }
    case 'J': {
      const u = new Uint32Array(raw.buffer, raw.byteOffset, raw.length);
      for (let i = 0; i < u.length; i++) u[i] = (u[i] ^ 0x80000000) >>> 0;
      return u;
    }
    case 'K': {
      const hi = new Uint32Array(raw.buffer, raw.byteOffset, raw.length * 2);
      for (let i = 1; i < hi.length; i += 2) hi[i] = (hi[i] ^ 0x80000000) >>> 0;
      return new BigUint64Array(raw.buffer, raw.byteOffset, raw.length);
    }
    default:
      return raw;
  }
}

function applyLinear(raw: NumericArray, scale: number, zero: number, tnull: number | bigint | undefined): Float64Array {
  const out = new Float64Array(raw.length);
  const isBig = raw instanceof BigInt64Array || raw instanceof BigUint64Array;
  if (isBig) {
    const nb = tnull === undefined ? undefined : BigInt(tnull);
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i] as bigint;
      out[i] = nb !== undefined && v === nb ? NaN : Number(v) * scale + zero;
    }
  } else {
    const a = raw as Exclude<NumericArray, BigInt64Array | BigUint64Array>;
    const nn = tnull === undefined ? undefined : Number(tnull);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      out[i] = v === nn ? NaN : v * scale + zero;
    }
  }
  return out;
}

function int64ToNumber(raw: BigInt64Array | BigUint64Array, name: string): Float64Array {
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const n = Number(raw[i]);
    if (!Number.isSafeInteger(n)) throw new FitsError('BAD_SIZE', `column ${name}: value ${raw[i]} exceeds 2^53`);
    out[i] = n;
  }
  return out;
}

const latin1 = new TextDecoder('latin1');

/** A FITS character field: up to the first NUL, trailing blanks removed. */
function decodeText(src: Uint8Array, start: number, end: number): string {
  let e = start;
  while (e < end && src[e] !== 0) e++;
  while (e > start && src[e - 1] === 0x20) e--;
  return e === start ? '' : latin1.decode(src.subarray(start, e));
}

/** Storage for `rows` rows of a column, in the stored (unscaled) element type. */
export function allocColumn(info: ColumnInfo, rows: number): ColumnValues {
  const { code, repeat } = info.tform;
  switch (code) {
    case 'L':
      return { kind: 'logical', data: new Int8Array(rows * repeat) };
    case 'X':
      return { kind: 'bits', data: new Uint8Array(rows * repeat) };
    case 'A':
      return { kind: 'string', data: new Array<string>(rows * cellSizeOf(info)) };
    case 'P':
    case 'Q':
      return { kind: 'varlen', data: new Array<VarCell>(rows) };
    case 'C':
    case 'M':
      return { kind: 'complex', data: allocRaw(code, rows * repeat) as Float32Array | Float64Array };
    default:
      return { kind: 'numeric', data: allocRaw(code, rows * repeat) };
  }
}

/**
 * Decode one field of `rows` consecutive rows that start at `src[base]` into `values` (from
 * `allocColumn`) at row `outRow`. Numbers stay in their stored form until `finishColumn`.
 * `heap` (the heap's bytes and the heap's offset in them) is needed only for P/Q columns.
 */
export function decodeFieldInto(
  info: ColumnInfo,
  values: ColumnValues,
  outRow: number,
  src: Uint8Array,
  base: number,
  rowBytes: number,
  rows: number,
  heap?: { bytes: Uint8Array; at: number },
): void {
  const { code, repeat } = info.tform;
  const p0 = base + info.offset;
  switch (values.kind) {
    case 'logical': {
      const out = values.data;
      let k = outRow * repeat;
      for (let r = 0, p = p0; r < rows; r++, p += rowBytes) {
        for (let w = 0; w < repeat; w++) {
          const b = src[p + w];
          out[k++] = b === 0x54 ? 1 : b === 0x46 ? 0 : -1;
        }
      }
      return;
    }
    case 'bits': {
      const out = values.data;
      let k = outRow * repeat;
      for (let r = 0, p = p0; r < rows; r++, p += rowBytes) {
        for (let bit = 0; bit < repeat; bit++) out[k++] = (src[p + (bit >> 3)] >> (7 - (bit & 7))) & 1;
      }
      return;
    }
    case 'string': {
      const per = cellSizeOf(info);
      const width = per > 0 ? Math.floor(repeat / per) : 0;
      const out = values.data;
      let k = outRow * per;
      for (let r = 0, p = p0; r < rows; r++, p += rowBytes) {
        for (let s = 0; s < per; s++) out[k++] = decodeText(src, p + s * width, p + (s + 1) * width);
      }
      return;
    }
    case 'varlen': {
      const cells = decodeVarlen(info, src, p0, rowBytes, rows, heap);
      for (let r = 0; r < rows; r++) values.data[outRow + r] = cells[r];
      return;
    }
    default: {
      const words = code === 'C' || code === 'M' ? 2 * repeat : repeat;
      swapInto(src, p0, rowBytes, rows, words, WORD[code]!, values.data, outRow * repeat);
    }
  }
}

/** Bytes of rows decoded (or encoded) field by field while they sit in the CPU cache. */
export const CACHE_BLOCK = 256 << 10;

/**
 * Decode several fields of `rows` rows (starting at `src[0]`) into their outputs at row `outRow`,
 * in blocks of rows small enough to stay in the CPU cache: each field is a strided pass over the
 * rows, and after the first pass the others hit cache instead of memory.
 */
export function decodeRowsInto(
  infos: readonly ColumnInfo[],
  outputs: readonly ColumnValues[],
  outRow: number,
  src: Uint8Array,
  rowBytes: number,
  rows: number,
  heap?: { bytes: Uint8Array; at: number },
): void {
  const block = Math.max(1, Math.floor(CACHE_BLOCK / Math.max(1, rowBytes)));
  for (let b = 0; b < rows; b += block) {
    const n = Math.min(block, rows - b);
    for (let c = 0; c < infos.length; c++) decodeFieldInto(infos[c], outputs[c], outRow + b, src, b * rowBytes, rowBytes, n, heap);
  }
}

/** Apply the column's scaling (unsigned conventions, TSCAL/TZERO/TNULL) to decoded values. */
export function finishColumn(info: ColumnInfo, values: ColumnValues, options: DecodeOptions = {}): ColumnValues {
  if (values.kind === 'numeric') return { kind: 'numeric', data: scaleValues(info, info.tform.code, values.data, options) };
  if (values.kind === 'varlen') {
    const el = info.tform.heapCode!;
    if (el === 'A' || el === 'L' || el === 'X' || el === 'C' || el === 'M') return values;
    return { kind: 'varlen', data: values.data.map((c) => scaleValues(info, el, c as NumericArray, options)) };
  }
  return values;
}

/** Decode one field of `rows` rows into new arrays, scaled: allocColumn + decodeFieldInto + finishColumn. */
export function decodeField(
  info: ColumnInfo,
  src: Uint8Array,
  base: number,
  rowBytes: number,
  rows: number,
  heap?: { bytes: Uint8Array; at: number },
  options: DecodeOptions = {},
): ColumnValues {
  const values = allocColumn(info, rows);
  decodeFieldInto(info, values, 0, src, base, rowBytes, rows, heap);
  return finishColumn(info, values, options);
}

function scaleValues(info: ColumnInfo, code: TypeCode, raw: NumericArray, options: DecodeOptions): NumericArray {
  const s = info.scaling;
  if (s.kind === 'unsigned') {
    const u = flipSign(raw, code);
    if (options.int64AsNumber && u instanceof BigUint64Array) return int64ToNumber(u, info.name);
    return u;
  }
  if (s.kind === 'linear') return applyLinear(raw, s.scale, s.zero, info.tnull);
  if (options.int64AsNumber && raw instanceof BigInt64Array) return int64ToNumber(raw, info.name);
  return raw;
}

function decodeVarlen(
  info: ColumnInfo,
  src: Uint8Array,
  p0: number,
  rowBytes: number,
  rows: number,
  heap: { bytes: Uint8Array; at: number } | undefined,
): VarCell[] {
  const { code, repeat } = info.tform;
  const el = info.tform.heapCode!;
  const out: VarCell[] = new Array(rows);
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let r = 0, p = p0; r < rows; r++, p += rowBytes) {
    if (repeat === 0) {
      out[r] = el === 'A' ? '' : allocRaw(el === 'L' || el === 'X' ? 'B' : el, 0);
      continue;
    }
    const n = code === 'P' ? dv.getUint32(p, false) : Number(dv.getBigUint64(p, false));
    const off = code === 'P' ? dv.getUint32(p + 4, false) : Number(dv.getBigUint64(p + 8, false));
    if (n === 0) {
      out[r] = el === 'A' ? '' : allocRaw(el === 'L' || el === 'X' ? 'B' : el, 0);
      continue;
    }
    if (heap === undefined) throw new FitsError('BAD_SIZE', `column ${info.name}: variable-length data without a heap`);
    const bytes = el === 'X' ? Math.ceil(n / 8) : n * ELEMENT_BYTES[el];
    const start = heap.at + off;
    if (start + bytes > heap.bytes.length) {
      throw new FitsError('BAD_SIZE', `column ${info.name} row ${r + 1}: heap descriptor (${n} elements at ${off}) points past the heap`);
    }
    if (el === 'A') {
      out[r] = decodeText(heap.bytes, start, start + bytes);
    } else if (el === 'L') {
      const a = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const b = heap.bytes[start + i];
        a[i] = b === 0x54 ? 1 : b === 0x46 ? 0 : -1;
      }
      out[r] = a;
    } else if (el === 'X') {
      const a = new Uint8Array(n);
      for (let i = 0; i < n; i++) a[i] = (heap.bytes[start + (i >> 3)] >> (7 - (i & 7))) & 1;
      out[r] = a;
    } else {
      const raw = allocRaw(el, n);
      const words = el === 'C' || el === 'M' ? 2 * n : n;
      swapInto(heap.bytes, start, 0, 1, words, WORD[el]!, raw, 0);
      out[r] = raw;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding (the writer's kernels)

/** Write native words of `values` (from element `valueAt`) big-endian into rows: the inverse of swapInto. */
export function encodeWords(
  values: NumericArray,
  size: 1 | 2 | 4 | 8,
  dst: Uint8Array,
  base: number,
  stride: number,
  rows: number,
  words: number,
  valueAt = 0,
): void {
  const buf = values.buffer;
  const at = values.byteOffset;
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  // One small monomorphic loop per word size: V8 optimizes these far better than one big function.
  if (size === 1) put8(new Uint8Array(buf, at, values.byteLength), dst, base, stride, rows, words, valueAt);
  else if (size === 2) put16(new Uint16Array(buf, at, values.byteLength >> 1), dv, base, stride, rows, words, valueAt);
  else if (size === 4) put32(new Int32Array(buf, at, values.byteLength >> 2), dv, base, stride, rows, words, valueAt);
  else put64(new Int32Array(buf, at, values.byteLength >> 2), dv, base, stride, rows, words, 2 * valueAt);
}

function put8(v: Uint8Array, dst: Uint8Array, base: number, stride: number, rows: number, words: number, k: number): void {
  for (let r = 0, p = base; r < rows; r++, p += stride) for (let w = 0; w < words; w++) dst[p + w] = v[k++];
}

function put16(v: Uint16Array, dv: DataView, base: number, stride: number, rows: number, words: number, k: number): void {
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 2) dv.setUint16(q, v[k++], false);
  }
}

function put32(v: Int32Array, dv: DataView, base: number, stride: number, rows: number, words: number, k: number): void {
  if (words === 1) {
    for (let r = 0, p = base; r < rows; r++, p += stride) dv.setInt32(p, v[k++], false);
    return;
  }
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 4) dv.setInt32(q, v[k++], false);
  }
}

function put64(v: Int32Array, dv: DataView, base: number, stride: number, rows: number, words: number, k: number): void {
  for (let r = 0, p = base; r < rows; r++, p += stride) {
    for (let w = 0, q = p; w < words; w++, q += 8) {
      dv.setInt32(q + 4, v[k++], false);
      dv.setInt32(q, v[k++], false);
    }
  }
}

/** Byte size of one heap element of a P/Q column, or of one word of a fixed field. */
export function wordSize(code: TypeCode): 1 | 2 | 4 | 8 {
  const w = WORD[code];
  if (w === undefined) throw new Error(`wordSize: ${code} is not numeric`);
  return w;
}
