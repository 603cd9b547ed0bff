/**
 * The lightcurve product format (§8.2 individual, §9.3 composite): the table's columns and their FITS
 * formats, the NMEMBERS/MEMBERnn keywords of a composite, and reading a product back with its columns
 * as typed arrays. Every writer and reader of lightcurve files (stats, plots, ingest's quicklook)
 * goes through here, ours or the original library's files alike.
 */
import { FitsReader, type CardInput, type ColumnSpec, type Header } from '../fits/index.js';
import { COLUMN_ORDER, COLUMN_UNITS, type LightcurveColumns } from './table.js';

/** §8.2 the table's columns in written order: float32 counts stay `1E` (COS), the rest `1D`. */
export function columnSpecs(c: LightcurveColumns): ColumnSpec[] {
  return COLUMN_ORDER.map((name) => ({
    name,
    data: c[name],
    format: c[name] instanceof Float32Array ? '1E' : '1D',
    unit: COLUMN_UNITS[name] === '' ? undefined : COLUMN_UNITS[name],
  }));
}

const memberKey = (k: number): string => `MEMBER${String(k).padStart(2, '0')}`;

/** NMEMBERS and MEMBERnn (hstlc additions to §9.3): the file name of dataset k, for k = 1, 2, … */
export function memberCards(sources: readonly string[]): CardInput[] {
  return [
    { key: 'NMEMBERS', value: sources.length, comment: 'exposures in this composite' },
    ...sources.map((s, j) => ({ key: memberKey(j + 1), value: s.split('/').pop() ?? s, comment: `dataset ${j + 1}` })),
  ];
}

/** MEMBERnn of a composite's HDU 1 in dataset order; null when absent or incomplete (the original's composites). */
export function readMembers(table: Header): string[] | null {
  const n = table.number('NMEMBERS');
  if (n === undefined || !(n > 0)) return null;
  const members: string[] = [];
  for (let k = 1; k <= n; k++) {
    const v = table.string(memberKey(k));
    if (v === undefined) return null;
    members.push(v.trim());
  }
  return members;
}

/** A column as stored: float32 (COS counts) or float64; any other numeric type is widened to float64. */
export type ProductColumn = Float64Array | Float32Array;

export interface LightcurveProduct {
  path: string;
  primary: Header;
  table: Header;
  rows: number;
  /** The requested columns the file has (lower-case names). */
  columns: ReadonlyMap<string, ProductColumn>;
  /** MEMBERnn (our composites name their datasets), in dataset order. */
  members: string[] | null;
}

export interface ReadProductOptions {
  /** Columns that must be there. */
  columns: readonly string[];
  /** Columns read when present (e.g. `dataset`, §12.1). */
  optional?: readonly string[];
}

/** Read a lightcurve product's headers and the named HDU 1 columns; throws (with the reason) on a file that is not one. */
export async function readLightcurveProduct(path: string, options: ReadProductOptions): Promise<LightcurveProduct> {
  const file = await FitsReader.open(path);
  try {
    const hdu = file.hdus[1];
    if (hdu === undefined || hdu.table === undefined) throw new Error(`${path}: no lightcurve table in HDU 1`);
    const present = new Set(hdu.table.columns.map((c) => c.name.toLowerCase()));
    for (const name of options.columns) if (!present.has(name)) throw new Error(`${path}: lightcurve has no '${name}' column`);
    const wanted = [...options.columns, ...(options.optional ?? []).filter((c) => present.has(c))];
    const table = wanted.length > 0 ? await file.readTable(1, { columns: wanted }) : undefined;
    const columns = new Map<string, ProductColumn>();
    for (const name of wanted) {
      const col = table!.columns.get(name);
      if (col === undefined || col.kind !== 'numeric') throw new Error(`${path}: column '${name}' is not numeric`);
      const data = col.data;
      columns.set(name, data instanceof Float64Array || data instanceof Float32Array ? data : Float64Array.from(data as ArrayLike<number | bigint>, Number));
    }
    const rows = table?.rows ?? Number(hdu.header.number('NAXIS2') ?? 0);
    return { path, primary: file.hdus[0]!.header, table: hdu.header, rows, columns, members: readMembers(hdu.header) };
  } finally {
    await file.close();
  }
}

/** A product column as float64 (float32 widens exactly). */
export function asFloat64(column: ProductColumn): Float64Array {
  return column instanceof Float64Array ? column : Float64Array.from(column);
}

/** The largest `dataset` index (§9.3c), 1 without the column. */
export function datasetCount(product: LightcurveProduct): number {
  const d = product.columns.get('dataset');
  let n = 1;
  if (d !== undefined) for (let i = 0; i < d.length; i++) if (d[i]! > n) n = d[i]!;
  return n;
}
