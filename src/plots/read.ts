/**
 * Reading a lightcurve FITS file (§8.2 individual, §9.3 composite) into LightcurveData. Names come from
 * headers and the caller (the database), never from splitting the file name on `_` (§12).
 */
import { basename } from 'node:path';
import { FitsReader, type Column, type Header } from '../fits/index.js';
import { LIGHTCURVE_COLUMNS, type LightcurveData, type LightcurveMeta } from './types.js';

/** §8.1: what each derived column measures; the files carry no TUNITn. */
export const DEFAULT_UNITS: LightcurveData['units'] = {
  mjd: 'MJD',
  gross: 'counts',
  net: 'counts/s',
  flux: 'erg s⁻¹ cm⁻² Å⁻¹',
  error: 'counts',
  background: 'counts',
};

export interface ReadLightcurveOptions {
  /** Metadata the database knows (cenwave, aperture, resolved target name); wins over headers. */
  meta?: Partial<LightcurveMeta>;
  /** Labels of the members, in dataset order (e.g. the individual files of a composite). */
  datasetNames?: readonly string[];
}

const READ_COLUMNS = ['mjd', 'dataset', ...LIGHTCURVE_COLUMNS] as const;

function toFloat64(column: Column | undefined, rows: number, name: string, path: string): Float64Array {
  if (!column) throw new Error(`${path}: lightcurve has no '${name}' column`);
  if (column.kind !== 'numeric') throw new Error(`${path}: column '${name}' is not numeric`);
  if (column.data instanceof Float64Array) return column.data;
  const out = new Float64Array(rows);
  const data = column.data;
  for (let i = 0; i < rows; i++) out[i] = Number(data[i]);
  return out;
}

/** The first header that has the key, as a trimmed string. */
function firstString(headers: Header[], key: string): string | undefined {
  for (const header of headers) {
    const value = header.get(key);
    if (value !== undefined && value !== null && typeof value !== 'object') return String(value).trim();
  }
  return undefined;
}

function firstNumber(headers: Header[], key: string): number | undefined {
  for (const header of headers) {
    const value = header.number(key);
    if (value !== undefined && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * Metadata from headers: a composite's primary (§9.3d: TARGNAME, INSTRUME, DETECTOR, FILTER, EXPTIME),
 * an individual's HDU 1 (§8.2: `instrument`, EXPTIME). Cenwave and aperture are in neither.
 */
export function metaFromHeaders(primary: Header, table: Header): LightcurveMeta {
  const both = [primary, table];
  return {
    targname: firstString(both, 'TARGNAME') ?? '',
    instrument: firstString(both, 'INSTRUME') ?? firstString(both, 'INSTRUMENT') ?? '',
    detector: firstString(both, 'DETECTOR') ?? '',
    opt_elem: firstString(both, 'FILTER') ?? firstString(both, 'OPT_ELEM') ?? '',
    cenwave: firstNumber(both, 'CENWAVE') ?? null,
    aperture: firstString(both, 'APERTURE') ?? '',
    exptime: firstNumber(both, 'EXPTIME') ?? null,
  };
}

export async function readLightcurve(path: string, options: ReadLightcurveOptions = {}): Promise<LightcurveData> {
  const file = await FitsReader.open(path);
  try {
    if (file.hdus.length < 2) throw new Error(`${path}: no lightcurve table in HDU 1`);
    // `dataset` is optional (§12.1: all one colour without it); the rest are required.
    const present = new Set((file.hdus[1].table?.columns ?? []).map((c) => c.name.toLowerCase()));
    const table = await file.readTable(1, { columns: READ_COLUMNS.filter((c) => c !== 'dataset' || present.has(c)) });
    const rows = table.rows;
    const col = (name: string) => toFloat64(table.columns.get(name), rows, name, path);
    const dataset = table.columns.has('dataset') ? col('dataset') : new Float64Array(rows).fill(1);
    let members = 0;
    for (const d of dataset) if (Number.isFinite(d) && d > members) members = d;
    const datasetNames = Array.from({ length: Math.max(1, members) }, (_, k) => options.datasetNames?.[k] ?? `dataset ${k + 1}`);
    const meta = { ...metaFromHeaders(file.hdus[0].header, file.hdus[1].header), ...definedOnly(options.meta ?? {}) };
    return {
      name: basename(path),
      mjd: col('mjd'),
      gross: col('gross'),
      net: col('net'),
      flux: col('flux'),
      error: col('error'),
      background: col('background'),
      dataset,
      datasetNames,
      meta,
      units: { ...DEFAULT_UNITS },
    };
  } finally {
    await file.close();
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
