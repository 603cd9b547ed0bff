/**
 * BINTABLE column descriptors (FITS Standard 4.0 §7.3): TFORMn, TDIMn, scaling and nulls.
 * The table of type codes and byte sizes lives here and nowhere else.
 */
import { FitsError } from './errors.js';
import type { Header } from './header.js';

export type TypeCode = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

/** Bytes one element of each code occupies in a row (X is in bits, handled by `rowWidth`). */
export const ELEMENT_BYTES: Readonly<Record<TypeCode, number>> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export interface TForm {
  /** Element count r of `rT`; for X, the number of bits. */
  repeat: number;
  code: TypeCode;
  /** For P/Q (variable-length arrays): the element type in the heap, and the declared maximum. */
  heapCode?: Exclude<TypeCode, 'P' | 'Q'>;
  heapMax?: number;
  /** Bytes this field takes in each row. */
  width: number;
  /** The TFORM text as written, trimmed. */
  text: string;
}

const TFORM_RE = /^(\d*)([LXBIJKAEDCMPQ])(.*)$/;

/** Parse a TFORMn value such as `1E`, `20A`, `3X`, `1PE(100)`, `QD`. */
export function parseTForm(text: string): TForm {
  const t = text.trim().toUpperCase();
  const m = TFORM_RE.exec(t);
  if (!m) throw new FitsError('BAD_TFORM', `cannot parse TFORM '${text}'`);
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  const code = m[2] as TypeCode;
  if (!Number.isSafeInteger(repeat) || repeat < 0) throw new FitsError('BAD_TFORM', `bad repeat count in TFORM '${text}'`);
  if (code === 'P' || code === 'Q') {
    const pm = /^([LXBIJKAEDCM])(?:\((\d*)\))?\s*$/.exec(m[3]);
    if (!pm) throw new FitsError('BAD_TFORM', `TFORM '${text}': variable-length array needs an element type, e.g. 1PE(100)`);
    if (repeat > 1) throw new FitsError('BAD_TFORM', `TFORM '${text}': repeat count of a P/Q field must be 0 or 1`);
    const tf: TForm = { repeat, code, heapCode: pm[1] as TForm['heapCode'], width: repeat * ELEMENT_BYTES[code], text: t };
    if (pm[2]) tf.heapMax = Number(pm[2]);
    return tf;
  }
  // Anything after the type letter is only allowed for A (rAw substring width); ignore it there.
  if (m[3].trim() !== '' && code !== 'A') throw new FitsError('BAD_TFORM', `unexpected '${m[3]}' in TFORM '${text}'`);
  const width = code === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[code];
  return { repeat, code, width, text: t };
}

/** Format a TFORM for writing. */
export function formatTForm(repeat: number, code: TypeCode, heapCode?: TForm['heapCode'], heapMax?: number): string {
  if (code === 'P' || code === 'Q') return `${repeat === 0 ? 0 : 1}${code}${heapCode}(${heapMax ?? 0})`;
  return `${repeat}${code}`;
}

/** Parse TDIMn `(d1,d2,...)` (FITS order, fastest first) into a C-order shape (slowest first). */
export function parseTDim(text: string, tform: TForm): number[] {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!m) throw new FitsError('BAD_TDIM', `cannot parse TDIM '${text}'`);
  const dims = m[1].split(',').map((d) => Number(d.trim()));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new FitsError('BAD_TDIM', `bad TDIM '${text}'`);
  const n = dims.reduce((a, b) => a * b, 1);
  if (tform.code !== 'P' && tform.code !== 'Q' && n !== tform.repeat) {
    throw new FitsError('BAD_TDIM', `TDIM '${text}' has ${n} elements but TFORM '${tform.text}' has ${tform.repeat}`);
  }
  return dims.reverse();
}

/** Format a C-order shape as TDIM text. */
export function formatTDim(shape: readonly number[]): string {
  return `(${[...shape].reverse().join(',')})`;
}

/** How a stored integer column maps to values: plain, an unsigned convention, or a linear scale. */
export type Scaling =
  | { kind: 'none' }
  | { kind: 'unsigned' } // B with TZERO=-128 (signed byte), I/J/K with TZERO=2^15/2^31/2^63
  | { kind: 'linear'; scale: number; zero: number };

export interface ColumnInfo {
  /** Zero-based column index (TTYPE{index+1}). */
  index: number;
  name: string;
  tform: TForm;
  /** Byte offset of this field within a row. */
  offset: number;
  /** Per-row cell shape in C order; [] for a scalar (repeat 1), [repeat] for a plain vector. */
  shape: number[];
  unit?: string;
  disp?: string;
  /** TNULLn for integer columns. */
  tnull?: number | bigint;
  scaling: Scaling;
}

export interface TableLayout {
  rowBytes: number;
  rows: number;
  columns: ColumnInfo[];
  /** Bytes from the start of the data to the heap (THEAP, default rowBytes * rows). */
  heapOffset: number;
  /** PCOUNT: bytes of the gap plus heap. */
  pcount: number;
}

const UNSIGNED_ZERO: Partial<Record<TypeCode, bigint>> = {
  B: -128n,
  I: 32768n,
  J: 2147483648n,
  K: 9223372036854775808n,
};

function scalingOf(header: Header, n: number, tform: TForm): Scaling {
  const scale = header.get(`TSCAL${n}`);
  const zeroCard = header.card(`TZERO${n}`);
  const s = scale === undefined || scale === null ? 1 : Number(scale);
  if (zeroCard === undefined || zeroCard.value === null) {
    return s === 1 ? { kind: 'none' } : { kind: 'linear', scale: s, zero: 0 };
  }
  const code = tform.code === 'P' || tform.code === 'Q' ? tform.heapCode! : tform.code;
  const uz = UNSIGNED_ZERO[code];
  const z = zeroCard.value;
  // The unsigned convention must be recognized exactly: 2^63 does not survive a trip through a double.
  if (s === 1 && uz !== undefined) {
    const zb = typeof z === 'bigint' ? z : typeof z === 'number' && Number.isInteger(z) ? BigInt(z) : undefined;
    if (zb === uz) return { kind: 'unsigned' };
  }
  const zn = Number(z);
  if (!Number.isFinite(zn) || !Number.isFinite(s)) throw new FitsError('BAD_KEYWORD', `TSCAL${n}/TZERO${n} are not numbers`);
  return zn === 0 && s === 1 ? { kind: 'none' } : { kind: 'linear', scale: s, zero: zn };
}

function requireInt(header: Header, key: string): number {
  const c = header.card(key);
  if (c === undefined) throw new FitsError('BAD_KEYWORD', `missing mandatory keyword ${key}`);
  if (c.type !== 'integer') throw new FitsError('BAD_KEYWORD', `keyword ${key} must be an integer`);
  if (typeof c.value === 'bigint') throw new FitsError('BAD_SIZE', `keyword ${key} = ${c.value} is too large`);
  const v = c.value as number;
  if (v < 0) throw new FitsError('BAD_SIZE', `keyword ${key} = ${v} is negative`);
  return v;
}

/** The most rows a table may have: typed arrays are indexed by row (2^31 - 1 keeps every index an int32). */
export const MAX_TABLE_ROWS = 2 ** 31 - 1;

/** Read the layout of a BINTABLE from its header, checking that the TFORMs add up to NAXIS1. */
export function tableLayout(header: Header): TableLayout {
  const rowBytes = requireInt(header, 'NAXIS1');
  const rows = requireInt(header, 'NAXIS2');
  const pcount = requireInt(header, 'PCOUNT');
  const tfields = requireInt(header, 'TFIELDS');
  if (tfields > 999) throw new FitsError('BAD_KEYWORD', `TFIELDS = ${tfields} exceeds 999`);
  const columns: ColumnInfo[] = [];
  let offset = 0;
  for (let n = 1; n <= tfields; n++) {
    const tformText = header.string(`TFORM${n}`);
    if (tformText === undefined) throw new FitsError('BAD_KEYWORD', `missing TFORM${n}`);
    let tform: TForm;
    try {
      tform = parseTForm(tformText);
    } catch (e) {
      if (e instanceof FitsError) throw new FitsError(e.code, `column ${n}: ${e.problem}`);
      throw e;
    }
    const name = header.string(`TTYPE${n}`)?.trim() ?? `col${n}`;
    const tdim = header.string(`TDIM${n}`);
    let shape: number[];
    if (tdim !== undefined && tdim.trim() !== '') shape = parseTDim(tdim, tform);
    else shape = tform.repeat === 1 && tform.code !== 'A' && tform.code !== 'X' ? [] : [tform.repeat];
    const info: ColumnInfo = { index: n - 1, name, tform, offset, shape, scaling: scalingOf(header, n, tform) };
    const unit = header.string(`TUNIT${n}`)?.trim();
    if (unit) info.unit = unit;
    const disp = header.string(`TDISP${n}`)?.trim();
    if (disp) info.disp = disp;
    const tnull = header.get(`TNULL${n}`);
    if (typeof tnull === 'number' || typeof tnull === 'bigint') info.tnull = tnull;
    columns.push(info);
    offset += tform.width;
  }
  if (offset !== rowBytes) {
    throw new FitsError('BAD_SIZE', `NAXIS1 = ${rowBytes} but the TFORMs add up to ${offset} bytes per row`);
  }
  // Rows are decoded into typed arrays indexed by row, so a table has at most MAX_TABLE_ROWS; and rows of
  // zero bytes hold no values at all, so a count of them is bounded by nothing in the file (a hostile
  // NAXIS2 = 10^12 would otherwise loop for hours over nothing).
  if (rows > MAX_TABLE_ROWS) {
    throw new FitsError('BAD_SIZE', `NAXIS2 = ${rows} exceeds the ${MAX_TABLE_ROWS} rows a table may have`);
  }
  if (rowBytes === 0 && rows > 0 && tfields > 0) {
    throw new FitsError('BAD_SIZE', `NAXIS2 = ${rows} rows of NAXIS1 = 0 bytes: every column has repeat 0, the table holds no values`);
  }
  const theap = header.get('THEAP');
  const heapOffset = typeof theap === 'number' ? theap : rowBytes * rows;
  if (heapOffset < rowBytes * rows || heapOffset > rowBytes * rows + pcount) {
    throw new FitsError('BAD_SIZE', `THEAP = ${heapOffset} lies outside the data (${rowBytes * rows}..${rowBytes * rows + pcount})`);
  }
  return { rowBytes, rows, columns, heapOffset, pcount };
}

/** Find a column by name, case-insensitively (as astropy and the original pipeline do). */
export function findColumn(layout: TableLayout, name: string): ColumnInfo | undefined {
  const exact = layout.columns.find((c) => c.name === name);
  if (exact) return exact;
  const u = name.toUpperCase();
  return layout.columns.find((c) => c.name.toUpperCase() === u);
}
