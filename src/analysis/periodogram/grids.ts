/**
 * Trial-frequency grids of the three period spaces (§11.3). Periods are in days (the unit of `mjd`),
 * angular frequencies ω = 2π/period in radians per day; every grid lists periods in increasing order so
 * "local maximum" means the same thing on both grids.
 */
import type { Samples } from '../samples.js';

export type PeriodSpace = 'short' | 'med' | 'long';
export const PERIOD_SPACES: readonly PeriodSpace[] = ['short', 'med', 'long'];

/** §11.3 period ranges, days: 5 s–10 min, 10 min–1 h, 1 h–10 h (fixed 5 s, not STEPSIZE, as built). */
export const PERIOD_RANGES: Readonly<Record<PeriodSpace, readonly [number, number]>> = {
  short: [5 / 86400, 10 / 1440],
  med: [10 / 1440, 1 / 24],
  long: [1 / 24, 10 / 24],
};

export const GRID_KINDS = ['compat', 'corrected'] as const;
export type GridKind = (typeof GRID_KINDS)[number];

export interface FrequencyGrid {
  space: PeriodSpace;
  kind: GridKind;
  /** Trial periods, days, increasing. */
  periods: Float64Array;
  /** ω = 2π/period, rad/day. */
  omega: Float64Array;
}

/** numpy.linspace(start, stop, n): i·step + start with the last point set to stop exactly. */
function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i * step + start;
  out[n - 1] = stop;
  return out;
}

/**
 * The original's grid (§11.3.2): n periods linear in period, n = number of bins. Far too coarse at
 * short periods (spacing ≫ 1/T in frequency), which is why `corrected` exists.
 */
export function compatGrid(space: PeriodSpace, n: number): FrequencyGrid {
  const [lo, hi] = PERIOD_RANGES[space];
  const periods = linspace(lo, hi, n);
  const omega = new Float64Array(n);
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < n; i++) omega[i] = twoPi / periods[i];
  return { space, kind: 'compat', periods, omega };
}

export interface CorrectedGridOptions {
  /** Grid points per natural peak width 1/T (default 5, as astropy's autofrequency). */
  oversampling?: number;
  /** Cap on points per space (default 2^20); beyond it the spacing widens and the grid says so. */
  maxPoints?: number;
  /**
   * Floor on points per space (default: the number of bins, the compat grid's size). A short exposure
   * resolves only a few independent periods in the med/long spaces, and mean + 3σ over three points can
   * never be exceeded; with at least as many points as the original, the §11.3 statistics stay usable.
   */
  minPoints?: number;
}

export interface CorrectedGrid extends FrequencyGrid {
  /** Frequency spacing actually used, cycles/day. */
  df: number;
  /** Oversampling actually achieved relative to 1/T (below the requested one when capped). */
  oversampling: number;
}

/**
 * Uniform in frequency between 1/max-period and 1/min-period with spacing at most 1/(oversampling·T),
 * T the time span: a peak of width ~1/T always has several grid points on it, so none is missed (the
 * compat grid's spacing near 7 s is tens of peak widths for a single exposure). Never fewer points
 * than `minPoints`, never more than `maxPoints`.
 */
export function correctedGrid(space: PeriodSpace, mjd: Samples, options: CorrectedGridOptions = {}): CorrectedGrid {
  const oversampling = options.oversampling ?? 5;
  const maxPoints = options.maxPoints ?? 1 << 20;
  const [lo, hi] = PERIOD_RANGES[space];
  const fmin = 1 / hi;
  const fmax = 1 / lo;
  let tmin = Infinity;
  let tmax = -Infinity;
  for (let i = 0; i < mjd.length; i++) {
    if (mjd[i] < tmin) tmin = mjd[i];
    if (mjd[i] > tmax) tmax = mjd[i];
  }
  const span = tmax - tmin;
  // No span (0 or 1 bin): any spacing resolves nothing; fall back to a minimal 2-point grid.
  let n = span > 0 && Number.isFinite(span) ? Math.ceil((fmax - fmin) * oversampling * span) + 1 : 2;
  n = Math.max(2, Math.min(Math.max(n, options.minPoints ?? mjd.length), maxPoints));
  const df = (fmax - fmin) / (n - 1);
  const periods = new Float64Array(n);
  const omega = new Float64Array(n);
  const twoPi = 2 * Math.PI;
  // Increasing period = decreasing frequency.
  for (let i = 0; i < n; i++) {
    const f = i === 0 ? fmax : i === n - 1 ? fmin : fmax - i * df;
    periods[i] = 1 / f;
    omega[i] = twoPi * f;
  }
  return { space, kind: 'corrected', periods, omega, df, oversampling: span > 0 ? 1 / (df * span) : 0 };
}
