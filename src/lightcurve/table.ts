/**
 * The lightcurve table (§8.1): the seven extracted columns, the five derived ones, and the metadata
 * that becomes header keywords (§8.2). Derived columns are computed in the precision numpy uses:
 * float32 when gross/background are float32 (COS), float64 otherwise (STIS).
 */
import type { AlgorithmParams } from './algorithm.js';

export type CountArray = Float32Array | Float64Array;

export interface ExtractedColumns {
  dataset: Float64Array;
  times: Float64Array;
  mjd: Float64Array;
  bins: Float64Array;
  gross: CountArray;
  background: CountArray;
  flux: Float64Array;
}

export interface LightcurveColumns extends ExtractedColumns {
  counts: CountArray;
  error: CountArray;
  flux_error: Float64Array;
  net: Float64Array;
  signal_to_noise: CountArray;
}

/** Column order of the written table (the original under Python 3, §8.2). */
export const COLUMN_ORDER = [
  'dataset',
  'times',
  'mjd',
  'bins',
  'gross',
  'background',
  'flux',
  'counts',
  'error',
  'flux_error',
  'net',
  'signal_to_noise',
] as const satisfies ReadonlyArray<keyof LightcurveColumns>;

export type ColumnName = (typeof COLUMN_ORDER)[number];

export const COLUMN_UNITS: Record<ColumnName, string> = {
  dataset: '',
  times: 's',
  mjd: 'd',
  bins: 's',
  gross: 'ct',
  background: 'ct',
  flux: 'erg / (s cm2 Angstrom)',
  counts: 'ct',
  error: 'ct',
  flux_error: 'erg / (s cm2 Angstrom)',
  net: 'ct / s',
  signal_to_noise: '',
};

/** Primary-header keywords describing the observation, copied from the (first) input file. */
export interface Descriptive {
  TELESCOP: string;
  INSTRUME: string;
  DETECTOR: string;
  OPT_ELEM: string;
  CENWAVE: number | string;
  APERTURE: string;
  TARGNAME: string;
  RA_TARG?: number;
  DEC_TARG?: number;
  EQUINOX?: number;
  TARDESCR: string;
  TARDESC2: string;
  OBSTYPE: string;
  ROOTNAME: string;
}

/** A number that remembers whether Python held it as int or float (it shows in comments: '1800' vs '1800.0'). */
export interface PyNumber {
  value: number;
  float: boolean;
}

export interface LightcurveMeta {
  /** The path the user gave. */
  source: string;
  instrument: 'COS' | 'STIS';
  /** COS: base names of the files used, `_a` first. */
  sourceFiles?: string[];
  step: number;
  wlim: [PyNumber, PyNumber];
  xlim: [PyNumber, PyNumber];
  /** The caller's/IMAGING y range, or null (COS) — STIS always has one. */
  ylim: [PyNumber, PyNumber] | null;
  /** COS: spectrum region per segment/stripe letter (§6.6 `ylim<s>`). */
  segmentYlim: Array<{ letter: string; start: number; end: number }>;
  /** §8.1 FILETYPE (the original's check_filetype name). */
  filetype: string | null;
  /** §8.1 OUTNAME: `<rootname>_curve.fits` (the original took the first 9 characters of the path). */
  outname: string;
  describe: Descriptive;
  algorithm: AlgorithmParams;
  /** Reference files used, by header keyword. */
  refFiles: Record<string, string>;
  /** Unity fallbacks and other remarks, also written as HISTORY cards. */
  warnings: string[];
  /** Total events selected in the source region(s). */
  sourceEvents: number;
}

export interface Lightcurve {
  columns: LightcurveColumns;
  meta: LightcurveMeta;
}

/** §8.1 derived columns, element-wise in the dtype numpy would use. */
export function deriveColumns(c: ExtractedColumns): LightcurveColumns {
  const n = c.gross.length;
  const f32 = c.gross instanceof Float32Array;
  const r = f32 ? Math.fround : (x: number) => x;
  const make = (): CountArray => (f32 ? new Float32Array(n) : new Float64Array(n));
  const counts = make();
  const error = make();
  const snr = make();
  const fluxError = new Float64Array(n);
  const net = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = c.gross[i];
    const b = c.background[i];
    const diff = r(g - b);
    const root = r(Math.sqrt(r(g + b)));
    counts[i] = diff;
    error[i] = root;
    fluxError[i] = r(root / diff) * c.flux[i];
    net[i] = diff / c.bins[i];
    snr[i] = r(g / root);
  }
  return { ...c, counts, error, flux_error: fluxError, net, signal_to_noise: snr };
}

/** Keep rows where `keep[i]` is true, in every column. */
export function selectRows(c: LightcurveColumns, keep: (i: number) => boolean): LightcurveColumns {
  const idx: number[] = [];
  for (let i = 0; i < c.times.length; i++) if (keep(i)) idx.push(i);
  const out = {} as Record<ColumnName, Float32Array | Float64Array>;
  for (const name of COLUMN_ORDER) {
    const src = c[name];
    const dst = src instanceof Float32Array ? new Float32Array(idx.length) : new Float64Array(idx.length);
    for (let j = 0; j < idx.length; j++) dst[j] = src[idx[j]];
    out[name] = dst;
  }
  return out as unknown as LightcurveColumns;
}

/** Concatenate tables (same column types). */
export function concatColumns(parts: readonly LightcurveColumns[]): LightcurveColumns {
  const out = {} as Record<ColumnName, Float32Array | Float64Array>;
  const total = parts.reduce((s, p) => s + p.times.length, 0);
  for (const name of COLUMN_ORDER) {
    const f32 = parts.length > 0 && parts[0][name] instanceof Float32Array;
    const dst = f32 ? new Float32Array(total) : new Float64Array(total);
    let at = 0;
    for (const p of parts) {
      dst.set(p[name], at);
      at += p[name].length;
    }
    out[name] = dst;
  }
  return out as unknown as LightcurveColumns;
}

/** Python's str() of a number: floats always show a decimal point ('1800.0'), ints never. */
export function pyStr(n: PyNumber): string {
  if (!n.float) return String(n.value);
  if (!Number.isFinite(n.value)) return n.value > 0 ? 'inf' : n.value < 0 ? '-inf' : 'nan';
  const s = String(n.value);
  if (/e/.test(s)) {
    // Python: 1e+16 → '1e+16', 1e-05 → '1e-05'
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return Number.isInteger(n.value) ? `${s}.0` : s;
}

export const pyInt = (value: number): PyNumber => ({ value, float: false });
export const pyFloat = (value: number): PyNumber => ({ value, float: true });
