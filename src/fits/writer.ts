/**
 * Writing FITS: primary, IMAGE and BINTABLE HDUs in the standard's fixed format, with
 * CHECKSUM/DATASUM, written to a temporary name and renamed into place.
 */
import { writeFileAtomic } from '../files/index.js';
import { FitsError } from './errors.js';
import { BLOCK, Header, formatCard, formatHeader, makeCard, type CardInput, type CardValue } from './header.js';
import { formatTDim, parseTForm, type TForm, type TypeCode } from './tform.js';
import { CACHE_BLOCK, encodeWords, wordSize, type NumericArray, type VarCell } from './column.js';
import { addSums, encodeChecksum, onesComplementSum } from './checksum.js';
import { bitpixOf, encodeImageData } from './image.js';

export interface ImageSpec {
  data: NumericArray;
  /** C order: [NAXISn, ..., NAXIS1]. */
  shape: readonly number[];
}

export interface ColumnSpec {
  name: string;
  /**
   * Values row after row. Numbers: a typed array (unsigned arrays use the TZERO convention);
   * strings: one per cell; logicals: booleans (or Int8Array 1/0/-1); X: Uint8Array of 0/1 bits;
   * complex (C/M): interleaved re,im; P/Q: one typed array (or string) per row.
   */
  data: NumericArray | readonly string[] | readonly boolean[] | readonly VarCell[];
  /** TFORM, e.g. '1E', '20A', '16X', '1PE()'; inferred from the data when absent. */
  format?: string;
  /** C-order cell shape, written as TDIMn. */
  dim?: readonly number[];
  unit?: string;
  disp?: string;
  /** TNULLn of an integer column. */
  tnull?: number;
}

export type HduSpec =
  | { type: 'PRIMARY'; cards?: readonly CardInput[]; image?: ImageSpec }
  | { type: 'IMAGE'; name?: string; extver?: number; cards?: readonly CardInput[]; image: ImageSpec }
  | { type: 'BINTABLE'; name?: string; extver?: number; cards?: readonly CardInput[]; columns: readonly ColumnSpec[]; rows?: number };

export interface WriteOptions {
  /** Add DATASUM and CHECKSUM to every HDU (default true). */
  checksum?: boolean;
}

/** Keywords the writer owns; given cards with these names are dropped (copied headers carry them). */
const STRUCTURAL =
  /^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|TFIELDS|THEAP|GROUPS|BSCALE|BZERO|EXTNAME|EXTVER|CHECKSUM|DATASUM|END|T(TYPE|FORM|UNIT|DIM|DISP|NULL|SCAL|ZERO|BCOL)\d+)$/;

function userCards(header: Header, cards: readonly CardInput[] | undefined, primary: boolean): void {
  for (const c of cards ?? []) {
    const key = c.key.trim().toUpperCase();
    // A primary HDU has no `name` option, so its EXTNAME/EXTVER (e.g. EXTNAME = 'PRIMARY') come as cards.
    if (STRUCTURAL.test(key) && !(primary && (key === 'EXTNAME' || key === 'EXTVER'))) continue;
    header.add(c);
  }
}

// ---------------------------------------------------------------------------------------------
// BINTABLE columns

interface PreparedColumn {
  spec: ColumnSpec;
  tform: TForm;
  /** Stored values for fixed fields (after conversion to the TFORM's element type). */
  values?: NumericArray;
  zero?: number | bigint;
}

function inferFormat(spec: ColumnSpec): string {
  const d = spec.data;
  const per = spec.dim ? spec.dim.reduce((a, b) => a * b, 1) : undefined;
  if (Array.isArray(d)) {
    if (d.length === 0 || typeof d[0] === 'string') {
      const width = Math.max(1, ...(d as string[]).map((s) => s.length));
      return `${width}A`;
    }
    if (typeof d[0] === 'boolean') return `${per ?? 1}L`;
    throw new FitsError('WRITE', `column ${spec.name}: give a format for variable-length data`);
  }
  const a = d as NumericArray;
  const code: TypeCode =
    a instanceof Float32Array ? 'E'
    : a instanceof Float64Array ? 'D'
    : a instanceof Int16Array || a instanceof Uint16Array ? 'I'
    : a instanceof Int32Array || a instanceof Uint32Array ? 'J'
    : a instanceof BigInt64Array || a instanceof BigUint64Array ? 'K'
    : 'B';
  // Without a format or dim a typed array is a scalar column: one element per row.
  return `${per ?? 1}${code}`;
}

function unsignedZero(a: NumericArray): number | bigint | undefined {
  if (a instanceof Int8Array) return -128;
  if (a instanceof Uint16Array) return 32768;
  if (a instanceof Uint32Array) return 2147483648;
  if (a instanceof BigUint64Array) return 9223372036854775808n;
  return undefined;
}

/** Convert a typed array to the element type of a TFORM code (no-op when it already is). */
function asElementType(a: NumericArray, code: TypeCode, name: string): NumericArray {
  const want = (() => {
    switch (code) {
      case 'B': return a instanceof Int8Array ? Int8Array : Uint8Array;
      case 'I': return a instanceof Uint16Array ? Uint16Array : Int16Array;
      case 'J': return a instanceof Uint32Array ? Uint32Array : Int32Array;
      case 'K': return a instanceof BigUint64Array ? BigUint64Array : BigInt64Array;
      case 'E': case 'C': return Float32Array;
      case 'D': case 'M': return Float64Array;
      default: throw new FitsError('WRITE', `column ${name}: TFORM code ${code} does not take numbers`);
    }
  })();
  if (a instanceof want) return a;
  if (want === BigInt64Array || want === BigUint64Array) {
    const out = new (want as typeof BigInt64Array)(a.length);
    for (let i = 0; i < a.length; i++) out[i] = BigInt(Math.trunc(Number(a[i])));
    return out;
  }
  const out = new (want as typeof Float64Array)(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
  return out;
}

function prepareColumns(specs: readonly ColumnSpec[], rowsGiven: number | undefined): { cols: PreparedColumn[]; rows: number } {
  let rows = rowsGiven;
  const cols: PreparedColumn[] = [];
  for (const spec of specs) {
    if (!/^[\x20-\x7e]+$/.test(spec.name)) throw new FitsError('WRITE', `column name '${spec.name}' must be printable ASCII`);
    const tform = parseTForm(spec.format ?? inferFormat(spec));
    const col: PreparedColumn = { spec, tform };
    const code = tform.code;
    let count: number;
    if (code === 'P' || code === 'Q') {
      count = (spec.data as readonly unknown[]).length;
    } else if (code === 'A') {
      const per = spec.dim && spec.dim.length > 1 ? spec.dim.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
      count = (spec.data as readonly string[]).length / per;
    } else if (code === 'L') {
      count = tform.repeat === 0 ? 0 : (spec.data as ArrayLike<unknown>).length / tform.repeat;
    } else if (code === 'X') {
      count = tform.repeat === 0 ? 0 : (spec.data as Uint8Array).length / tform.repeat;
    } else {
      const a = spec.data as NumericArray;
      if (!ArrayBuffer.isView(a)) throw new FitsError('WRITE', `column ${spec.name}: numeric TFORM ${tform.text} needs a typed array`);
      const values = asElementType(a, code, spec.name);
      col.values = values;
      col.zero = unsignedZero(values);
      const mult = code === 'C' || code === 'M' ? 2 : 1;
      count = tform.repeat === 0 ? 0 : values.length / (tform.repeat * mult);
    }
    if (tform.repeat === 0 && code !== 'P' && code !== 'Q') count = rows ?? 0;
    if (!Number.isInteger(count)) {
      throw new FitsError('WRITE', `column ${spec.name}: ${(spec.data as ArrayLike<unknown>).length} values do not fill whole rows of ${tform.text}`);
    }
    if (rows === undefined) rows = count;
    else if (count !== rows) throw new FitsError('WRITE', `column ${spec.name} has ${count} rows, the table has ${rows}`);
    if (spec.dim) {
      const n = spec.dim.reduce((a, b) => a * b, 1);
      if (code !== 'P' && code !== 'Q' && n !== tform.repeat) {
        throw new FitsError('WRITE', `column ${spec.name}: dim [${spec.dim.join(',')}] has ${n} elements, TFORM ${tform.text} has ${tform.repeat}`);
      }
    }
    cols.push(col);
  }
  return { cols, rows: rows ?? 0 };
}

const ascii = (s: string, name: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new FitsError('WRITE', `column ${name}: string '${s}' is not 8-bit text`);
    out[i] = c;
  }
  return out;
};

function encodeTable(cols: PreparedColumn[], rows: number): { data: Uint8Array; rowBytes: number; pcount: number } {
  const rowBytes = cols.reduce((a, c) => a + c.tform.width, 0);
  // Heap: variable-length cells appended after the table, in column then row order.
  const heapParts: Uint8Array[] = [];
  let heapSize = 0;
  const descriptors = new Map<PreparedColumn, Array<[number, number]>>();
  for (const c of cols) {
    if (c.tform.code !== 'P' && c.tform.code !== 'Q') continue;
    const el = c.tform.heapCode!;
    const desc: Array<[number, number]> = [];
    for (const cell of c.spec.data as readonly VarCell[]) {
      let bytes: Uint8Array;
      let n: number;
      if (typeof cell === 'string') {
        bytes = ascii(cell, c.spec.name);
        n = bytes.length;
      } else if (el === 'L' || el === 'X' || el === 'A') {
        bytes = new Uint8Array(cell.buffer, cell.byteOffset, cell.byteLength).slice();
        if (el === 'L') for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i] === 1 ? 0x54 : bytes[i] === 0 ? 0x46 : 0;
        n = bytes.length;
      } else {
        const v = asElementType(cell, el, c.spec.name);
        n = el === 'C' || el === 'M' ? v.length / 2 : v.length;
        bytes = new Uint8Array(v.byteLength);
        encodeWords(v, wordSize(el), bytes, 0, 0, 1, v.length);
        const z = unsignedZero(v);
        if (z !== undefined) for (let i = 0; i < bytes.length; i += wordSize(el)) bytes[i] ^= 0x80;
      }
      desc.push([n, heapSize]);
      heapParts.push(bytes);
      heapSize += bytes.length;
    }
    descriptors.set(c, desc);
  }
  const tableBytes = rowBytes * rows;
  // Allocated padded to whole blocks so the file writer needs no second copy.
  const data = new Uint8Array(Math.ceil((tableBytes + heapSize) / BLOCK) * BLOCK);
  let offset = 0;
  const numeric: Array<{ c: PreparedColumn; base: number }> = [];
  for (const c of cols) {
    const { code, repeat } = c.tform;
    const base = offset;
    switch (code) {
      case 'A': {
        const per = c.spec.dim && c.spec.dim.length > 1 ? c.spec.dim.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
        const width = repeat / per;
        const strs = c.spec.data as readonly string[];
        for (let r = 0; r < rows; r++) {
          for (let s = 0; s < per; s++) {
            const text = strs[r * per + s] ?? '';
            if (text.length > width) throw new FitsError('WRITE', `column ${c.spec.name}: '${text}' is longer than ${width} characters`);
            const b = ascii(text, c.spec.name);
            const at = r * rowBytes + base + s * width;
            data.set(b, at);
            data.fill(0x20, at + b.length, at + width);
          }
        }
        break;
      }
      case 'L': {
        const v = c.spec.data as ArrayLike<boolean | number>;
        for (let r = 0, k = 0; r < rows; r++) {
          for (let w = 0; w < repeat; w++, k++) {
            const x = v[k];
            data[r * rowBytes + base + w] = x === true || x === 1 ? 0x54 : x === false || x === 0 ? 0x46 : 0;
          }
        }
        break;
      }
      case 'X': {
        const bits = c.spec.data as Uint8Array;
        for (let r = 0, k = 0; r < rows; r++) {
          for (let bit = 0; bit < repeat; bit++, k++) if (bits[k]) data[r * rowBytes + base + (bit >> 3)] |= 0x80 >> (bit & 7);
        }
        break;
      }
      case 'P':
      case 'Q': {
        const desc = descriptors.get(c)!;
        const dv = new DataView(data.buffer);
        for (let r = 0; r < rows; r++) {
          if (repeat === 0) break;
          const [n, off] = desc[r];
          const p = r * rowBytes + base;
          if (code === 'P') {
            dv.setUint32(p, n, false);
            dv.setUint32(p + 4, off, false);
          } else {
            dv.setBigUint64(p, BigInt(n), false);
            dv.setBigUint64(p + 8, BigInt(off), false);
          }
        }
        break;
      }
      default:
        numeric.push({ c, base });
    }
    offset += c.tform.width;
  }
  // Numeric fields are written in blocks of rows that stay in the CPU cache, all fields per block,
  // rather than one strided pass over the whole table per field.
  const block = Math.max(1, Math.floor(CACHE_BLOCK / Math.max(1, rowBytes)));
  for (let b = 0; b < rows; b += block) {
    const n = Math.min(block, rows - b);
    for (const { c, base } of numeric) {
      const { code, repeat } = c.tform;
      const size = wordSize(code);
      const words = code === 'C' || code === 'M' ? 2 * repeat : repeat;
      const start = b * rowBytes + base;
      encodeWords(c.values!, size, data, start, rowBytes, n, words, b * words);
      if (c.zero !== undefined) {
        // Unsigned conventions store value - TZERO: the most significant bit flips.
        for (let r = 0; r < n; r++) for (let w = 0; w < words; w++) data[start + r * rowBytes + w * size] ^= 0x80;
      }
    }
  }
  let at = tableBytes;
  for (const part of heapParts) {
    data.set(part, at);
    at += part.length;
  }
  return { data, rowBytes, pcount: heapSize };
}

// ---------------------------------------------------------------------------------------------
// HDUs

interface EncodedHdu {
  header: Header;
  data: Uint8Array;
}

function card(key: string, value: CardValue, comment: string): CardInput {
  return { key, value, comment };
}

function imageHeader(h: Header, image: ImageSpec | undefined, primary: boolean): Uint8Array {
  const data = image?.data;
  const { bitpix, bzero } = data ? bitpixOf(data) : { bitpix: 8 as const, bzero: undefined };
  const shape = image?.shape ?? [];
  const n = shape.reduce((a, b) => a * b, 1);
  if (data && n !== data.length) throw new FitsError('WRITE', `image shape [${shape.join(',')}] needs ${n} values, got ${data.length}`);
  if (primary) h.add(card('SIMPLE', true, 'conforms to FITS standard'));
  else h.add(card('XTENSION', 'IMAGE', 'Image extension'));
  h.add(card('BITPIX', bitpix, 'array data type'));
  h.add(card('NAXIS', shape.length, 'number of array dimensions'));
  [...shape].reverse().forEach((d, i) => h.add(card(`NAXIS${i + 1}`, d, '')));
  if (primary) h.add(card('EXTEND', true, ''));
  else {
    h.add(card('PCOUNT', 0, 'number of parameters'));
    h.add(card('GCOUNT', 1, 'number of groups'));
  }
  if (bzero !== undefined) {
    h.add(card('BSCALE', 1, ''));
    h.add(card('BZERO', bzero, ''));
  }
  return data ? encodeImageData(data) : new Uint8Array(0);
}

function encodeHdu(spec: HduSpec): EncodedHdu {
  const h = new Header();
  let data: Uint8Array;
  if (spec.type === 'BINTABLE') {
    const { cols, rows } = prepareColumns(spec.columns, spec.rows);
    const enc = encodeTable(cols, rows);
    data = enc.data;
    h.add(card('XTENSION', 'BINTABLE', 'binary table extension'));
    h.add(card('BITPIX', 8, 'array data type'));
    h.add(card('NAXIS', 2, 'number of array dimensions'));
    h.add(card('NAXIS1', enc.rowBytes, 'length of dimension 1'));
    h.add(card('NAXIS2', rows, 'length of dimension 2'));
    h.add(card('PCOUNT', enc.pcount, 'number of group parameters'));
    h.add(card('GCOUNT', 1, 'number of groups'));
    h.add(card('TFIELDS', cols.length, 'number of table fields'));
    cols.forEach((c, i) => {
      const n = i + 1;
      h.add(card(`TTYPE${n}`, c.spec.name, ''));
      let tformText = c.tform.text;
      if ((c.tform.code === 'P' || c.tform.code === 'Q') && c.tform.heapMax === undefined) {
        // The declared maximum helps readers size buffers; fill it in.
        const max = Math.max(0, ...(c.spec.data as readonly VarCell[]).map((x) => x.length / (c.tform.heapCode === 'C' || c.tform.heapCode === 'M' ? 2 : 1)));
        tformText = `${c.tform.repeat}${c.tform.code}${c.tform.heapCode}(${max})`;
      }
      h.add(card(`TFORM${n}`, tformText, ''));
      if (c.spec.unit) h.add(card(`TUNIT${n}`, c.spec.unit, ''));
      if (c.spec.tnull !== undefined) h.add(card(`TNULL${n}`, c.spec.tnull, ''));
      if (c.zero !== undefined) {
        h.add(card(`TSCAL${n}`, 1, ''));
        h.add(card(`TZERO${n}`, c.zero, ''));
      }
      if (c.spec.disp) h.add(card(`TDISP${n}`, c.spec.disp, ''));
      if (c.spec.dim && (c.spec.dim.length > 1 || c.tform.code === 'A')) h.add(card(`TDIM${n}`, formatTDim(c.spec.dim), ''));
    });
  } else {
    data = imageHeader(h, spec.image, spec.type === 'PRIMARY');
  }
  if (spec.type !== 'PRIMARY') {
    if (spec.name !== undefined) h.add(card('EXTNAME', spec.name, 'extension name'));
    if (spec.extver !== undefined) h.add(card('EXTVER', spec.extver, 'extension version number'));
  }
  userCards(h, spec.cards, spec.type === 'PRIMARY');
  return { header: h, data };
}

function pad(bytes: Uint8Array): Uint8Array {
  const len = Math.ceil(bytes.length / BLOCK) * BLOCK;
  if (len === bytes.length) return bytes;
  const out = new Uint8Array(len);
  out.set(bytes);
  return out;
}

/** Finish an HDU: pad its data and, if asked, add DATASUM and CHECKSUM. */
function finish(hdu: EncodedHdu, checksum: boolean): Uint8Array[] {
  const data = pad(hdu.data);
  const usesContinue = hdu.header.cards.some((c) => c.type === 'string' && formatCard(c).length > 1);
  if (usesContinue && !hdu.header.has('LONGSTRN')) {
    // Readers and fitsverify look for this declaration of the CONTINUE convention.
    hdu.header.add({ key: 'LONGSTRN', value: 'OGIP 1.0', comment: 'The OGIP long string convention may be used' });
  }
  if (!checksum) return [formatHeader(hdu.header), data];
  const datasum = onesComplementSum(data);
  hdu.header.add(makeCard({ key: 'CHECKSUM', value: '0000000000000000', comment: 'HDU checksum' }));
  hdu.header.add(makeCard({ key: 'DATASUM', value: String(datasum), comment: 'data unit checksum' }));
  const zeroed = formatHeader(hdu.header);
  const sum = addSums(onesComplementSum(zeroed), datasum);
  hdu.header.set('CHECKSUM', encodeChecksum(sum));
  return [formatHeader(hdu.header), data];
}

function validate(hdus: readonly HduSpec[]): void {
  if (hdus.length === 0 || hdus[0].type !== 'PRIMARY') throw new FitsError('WRITE', 'the first HDU must be PRIMARY');
  if (hdus.slice(1).some((h) => h.type === 'PRIMARY')) throw new FitsError('WRITE', 'only the first HDU may be PRIMARY');
}

/** Encode HDUs into the bytes of a FITS file. */
export function encodeFits(hdus: readonly HduSpec[], options: WriteOptions = {}): Uint8Array {
  validate(hdus);
  const parts = hdus.flatMap((spec) => finish(encodeHdu(spec), options.checksum ?? true));
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Write a FITS file atomically: a crash never leaves a partial file under `path`. */
export async function writeFits(path: string, hdus: readonly HduSpec[], options: WriteOptions = {}): Promise<void> {
  validate(hdus);
  const checksum = options.checksum ?? true;
  // Encode one HDU at a time so memory holds one HDU's data, not the whole file.
  function* chunks(): Generator<Uint8Array> {
    for (const spec of hdus) yield* finish(encodeHdu(spec), checksum);
  }
  try {
    await writeFileAtomic(path, chunks());
  } catch (e) {
    throw e instanceof FitsError ? e.locate({ file: path }) : e;
  }
}

