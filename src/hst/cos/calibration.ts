/**
 * COS flux calibration (§6.7 FLUXTAB sensitivity) and time-dependent sensitivity (§6.8 TDSTAB),
 * evaluated per event. A missing table or row is recorded in the RefLog and gives unity.
 */
import { FitsReader, type Header, type Table } from '../../fits/index.js';
import { RefLog, resolveRefFile, type RefContext } from '../reffiles.js';

/** Rows of a reference table, read once per path (FLUXTAB and TDSTAB are small). */
const tableCache = new Map<string, Promise<{ table: Table; header: Header }>>();

export async function readRefTable(path: string): Promise<{ table: Table; header: Header }> {
  let p = tableCache.get(path);
  if (p === undefined) {
    p = (async () => {
      const f = await FitsReader.open(path);
      try {
        return { table: await f.readTable(1), header: f.hdus[1].header };
      } finally {
        await f.close();
      }
    })();
    tableCache.set(path, p);
    p.catch(() => tableCache.delete(path));
  }
  return p;
}

function strings(table: Table, name: string): string[] {
  const c = table.columns.get(name);
  if (c === undefined) throw new Error(`reference table has no column ${name}`);
  if (c.kind === 'string') return c.data.map((s) => s.trim().toUpperCase());
  if (c.kind === 'numeric') return Array.from(c.data as ArrayLike<number>, (v) => String(v));
  throw new Error(`reference table column ${name} is not scalar`);
}

export function numericCell(table: Table, name: string, row: number): Float64Array {
  const c = table.columns.get(name);
  if (c === undefined || c.kind !== 'numeric') throw new Error(`reference table has no numeric column ${name}`);
  const data = c.data as ArrayLike<number>;
  const out = new Float64Array(c.cellSize);
  for (let i = 0; i < c.cellSize; i++) out[i] = Number(data[row * c.cellSize + i]);
  return out;
}

/** Rows whose columns equal the given values (strings compared trimmed, upper case; numbers as text). */
export function matchRows(table: Table, criteria: Record<string, string | number>): number[] {
  const cols = Object.entries(criteria).map(([k, v]) => [strings(table, k), String(v).trim().toUpperCase()] as const);
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) if (cols.every(([vals, want]) => vals[r] === want)) rows.push(r);
  return rows;
}

/**
 * A sensitivity curve with the original's range stretch (§6.7 step 5) and scipy interp1d's linear
 * evaluation: the float32 SENSITIVITY difference is taken in float32, the rest in float64.
 */
/**
 * numpy `searchsorted(x, v, 'left')` on an ascending grid, starting from a guess that assumes even
 * spacing (reference grids nearly are) and walking to the exact answer.
 */
export function searchLeft(x: Float64Array, v: number, x0: number, inv: number): number {
  const n = x.length;
  let i = 1 + Math.floor((v - x0) * inv);
  if (!(i >= 0)) i = 0;
  else if (i > n) i = n;
  while (i > 0 && x[i - 1] >= v) i--;
  while (i < n && x[i] < v) i++;
  return i;
}

/** Where searchLeft starts on a reference table's wavelength grid: its first point and inverse spacing. */
interface GridGuess {
  readonly x0: number;
  readonly inv: number;
}

/** The spacing guess comes from the interior points: the end points may have been stretched. */
function gridGuess(w: Float64Array): GridGuess {
  const n = w.length;
  return { x0: n > 3 ? w[1] : w[0], inv: n > 3 ? (n - 3) / (w[n - 2] - w[1]) : 0 };
}

/**
 * The interval [x[j−1], x[j]] holding lambda, as its upper index j: searchsorted left, clipped to
 * [1, n−1] (scipy interp1d). A wavelength outside the grid is an error (no extrapolation), `what` says of which table.
 */
function intervalOf(x: Float64Array, lambda: number, guess: GridGuess, what: string): number {
  const n = x.length;
  if (!(lambda >= x[0] && lambda <= x[n - 1])) throw new RangeError(`event wavelength ${lambda} outside ${what} ${x[0]}–${x[n - 1]}`);
  return Math.min(Math.max(searchLeft(x, lambda, guess.x0, guess.inv), 1), n - 1);
}

export class Sensitivity {
  private readonly guess: GridGuess;
  /** slope[j] of interval [j−1, j], as scipy computes it: float32 Δy over float64 Δx. */
  private readonly slope: Float64Array;
  constructor(
    readonly wavelength: Float64Array,
    /** float32 values, kept as numbers. */
    readonly sensitivity: Float64Array,
  ) {
    const n = wavelength.length;
    this.guess = gridGuess(wavelength);
    this.slope = new Float64Array(n);
    for (let j = 1; j < n; j++) this.slope[j] = Math.fround(sensitivity[j] - sensitivity[j - 1]) / (wavelength[j] - wavelength[j - 1]);
  }

  /** A copy whose end points are moved out to cover [dmin, dmax], as the original does. */
  stretched(dmin: number, dmax: number): Sensitivity {
    const w = Float64Array.from(this.wavelength);
    let imax = 0;
    let imin = 0;
    for (let i = 1; i < w.length; i++) {
      if (w[i] > w[imax]) imax = i;
      if (w[i] < w[imin]) imin = i;
    }
    if (dmax > w[imax]) w[imax] = dmax;
    if (dmin < w[imin]) w[imin] = dmin;
    return new Sensitivity(w, this.sensitivity);
  }

  at(lambda: number): number {
    const j = intervalOf(this.wavelength, lambda, this.guess, 'the sensitivity curve');
    return this.slope[j] * (lambda - this.wavelength[j - 1]) + this.sensitivity[j - 1];
  }
}

export interface RowKey {
  segment: string;
  opt_elem: string;
  cenwave: string | number;
  aperture: string;
}

/**
 * 'N/A' in an IMAGING exposure's FLUXTAB or TDSTAB is what CALCOS writes: imaging has no flux
 * calibration, so unity is expected there and nothing is worth a warning.
 */
function notApplicable(primary: Header, name: string): boolean {
  return name.trim().toUpperCase() === 'N/A' && (primary.string('OBSTYPE') ?? '').trim().toUpperCase() === 'IMAGING';
}

/**
 * A reference table named by a primary-header keyword (FLUXTAB, TDSTAB), resolved (§6.9) and read; or
 * undefined, with the unity fallback recorded, when the keyword is empty or the file is not there.
 */
export async function keywordRefTable(
  primary: Header,
  keyword: string,
  refs: RefContext,
  log: RefLog,
): Promise<{ name: string; path: string; table: Table; header: Header } | undefined> {
  const name = primary.string(keyword) ?? '';
  const ref = resolveRefFile(name, refs);
  if (!ref.exists) {
    log.fallback(keyword, name === '' ? `no ${keyword} keyword` : `reference file ${name} not found (tried ${ref.path})`);
    return undefined;
  }
  log.use(keyword, ref.path);
  return { name, path: ref.path, ...(await readRefTable(ref.path)) };
}

/** §6.7: the FLUXTAB row for a setting, or undefined (unity) with the reason logged. */
export async function loadSensitivity(primary: Header, key: RowKey, refs: RefContext, log: RefLog): Promise<Sensitivity | undefined> {
  if (notApplicable(primary, primary.string('FLUXTAB') ?? '')) return undefined;
  const ref = await keywordRefTable(primary, 'FLUXTAB', refs, log);
  if (ref === undefined) return undefined;
  const { name, table } = ref;
  const rows = matchRows(table, { SEGMENT: key.segment, OPT_ELEM: key.opt_elem, CENWAVE: key.cenwave, APERTURE: key.aperture });
  if (rows.length === 0) {
    log.fallback('FLUXTAB', `no row in ${name} for ${key.segment}/${key.opt_elem}/${key.cenwave}/${key.aperture}`);
    return undefined;
  }
  if (rows.length > 1) throw new Error(`FLUXTAB ${ref.path}: too many rows found: ${rows.length}`);
  return new Sensitivity(numericCell(table, 'WAVELENGTH', rows[0]), numericCell(table, 'SENSITIVITY', rows[0]));
}

/** §6.8 TDS factors on the table's wavelength grid, interpolated linearly per event. */
export class TdsCorrection {
  private readonly guess: GridGuess;
  constructor(
    readonly wavelength: Float64Array,
    readonly factor: Float64Array,
  ) {
    this.guess = gridGuess(wavelength);
  }
  at(lambda: number): number {
    const x = this.wavelength;
    // the interval [x[lo], x[hi]] holding lambda (hi = lo + 1)
    const hi = intervalOf(x, lambda, this.guess, 'the TDSTAB wavelength grid (§6.8: no extrapolation)');
    const lo = hi - 1;
    const t = (lambda - x[lo]) / (x[hi] - x[lo]);
    return this.factor[lo] + t * (this.factor[hi] - this.factor[lo]);
  }
}

/** §6.8: TDS row by OPT_ELEM, APERTURE, SEGMENT; factors at the exposure start `t0` (MJD). */
export async function loadTds(
  primary: Header,
  key: Omit<RowKey, 'cenwave'>,
  t0: number,
  refs: RefContext,
  log: RefLog,
): Promise<TdsCorrection | undefined> {
  if (notApplicable(primary, primary.string('TDSTAB') ?? '')) return undefined;
  const ref = await keywordRefTable(primary, 'TDSTAB', refs, log);
  if (ref === undefined) return undefined;
  const { name, table, header } = ref;
  const rows = matchRows(table, { OPT_ELEM: key.opt_elem, APERTURE: key.aperture, SEGMENT: key.segment });
  if (rows.length === 0) {
    log.fallback('TDSTAB', `no row in ${name} for ${key.segment}/${key.opt_elem}/${key.aperture}`);
    return undefined;
  }
  if (rows.length > 1) throw new Error(`TDSTAB ${ref.path}: too many rows found: ${rows.length}`);
  const r = rows[0];
  const refTime = header.number('REF_TIME');
  if (refTime === undefined) throw new Error(`TDSTAB ${ref.path}: no REF_TIME keyword in HDU 1`);
  const ntCol = table.columns.get('NT');
  if (ntCol === undefined || ntCol.kind !== 'numeric') throw new Error(`TDSTAB ${ref.path}: no NT column`);
  const nt = Number((ntCol.data as ArrayLike<number>)[r]);
  const wave = numericCell(table, 'WAVELENGTH', r);
  const times = numericCell(table, 'TIME', r);
  const slope = numericCell(table, 'SLOPE', r);
  const intercept = numericCell(table, 'INTERCEPT', r);
  let ti = -1;
  for (let i = 0; i < Math.min(nt, times.length); i++) if (times[i] < t0) ti = i;
  if (ti < 0) throw new Error(`TDSTAB ${ref.path}: no TDS time precedes EXPSTART ${t0} (§6.8)`);
  const nw = wave.length;
  const factor = new Float64Array(nw);
  for (let j = 0; j < nw; j++) {
    factor[j] = ((t0 - refTime) * slope[ti * nw + j]) / (365.25 * 100) + intercept[ti * nw + j];
  }
  return new TdsCorrection(wave, factor);
}
