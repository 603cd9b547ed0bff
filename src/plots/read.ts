/**
 * Reading a lightcurve FITS file (§8.2 individual, §9.3 composite) into LightcurveData. Names come from
 * headers and the caller (the database), never from splitting the file name on `_` (§12).
 */
import { basename } from 'node:path';
import type { Header } from '../fits/index.js';
import { asFloat64, readLightcurveProduct } from '../lightcurve/product.js';
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

/** Read a lightcurve product (src/lightcurve/product.ts) into what the plots draw, every column as float64. */
export async function readLightcurve(path: string, options: ReadLightcurveOptions = {}): Promise<LightcurveData> {
  // `dataset` is optional (§12.1: all one colour without it); the rest are required.
  const product = await readLightcurveProduct(path, { columns: ['mjd', ...LIGHTCURVE_COLUMNS], optional: ['dataset'] });
  const col = (name: string): Float64Array => asFloat64(product.columns.get(name)!);
  const dataset = product.columns.has('dataset') ? col('dataset') : new Float64Array(product.rows).fill(1);
  let members = 0;
  for (const d of dataset) if (Number.isFinite(d) && d > members) members = d;
  const datasetNames = Array.from({ length: Math.max(1, members) }, (_, k) => options.datasetNames?.[k] ?? `dataset ${k + 1}`);
  const meta = { ...metaFromHeaders(product.primary, product.table), ...definedOnly(options.meta ?? {}) };
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
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
