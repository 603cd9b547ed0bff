/**
 * The periodogram of a lightcurve: one entry point, two methods, two grids (STYLE: astropy's
 * LombScargle dispatcher). §11.3: classic Lomb-Scargle of the mean-subtracted `net` against `mjd`,
 * normalized by 2/(N·σ²), in three period spaces; significant peaks are local maxima above mean + 3σ.
 *
 * Methods
 *  - `exact`: direct sum, as scipy.signal.lombscargle (exact.ts); O(N·M).
 *  - `fast`: NUFFT sums (fast.ts) with a per-frequency error bound; every decision that the bound
 *    cannot settle (a peak against its neighbours, a peak against mean + 3σ, a significant power against
 *    0.30) is settled by `exact` at those frequencies, so the significant peaks and the flag are the
 *    exact method's. If mean + 3σ itself is too uncertain for one peak, the whole space is recomputed
 *    exactly (`fallback`). Reported mean and threshold are within the stated bound of exact's.
 *  - `auto` (default): exact while N·M is small (≤ 2·10^4), fast beyond.
 * Grids (grids.ts): `compat` is the original's; `corrected` (default) is oversampled in frequency.
 */
import { centered, mean as meanOf, populationStd, type Samples } from '../samples.js';
import { lombScargleExact, lombScargleExactAt } from './exact.js';
import { lombScargleFast } from './fast.js';
import { falseAlarmProbabilityBaluev } from './fap.js';
import { compatGrid, correctedGrid, PERIOD_SPACES, type FrequencyGrid, type GridKind, type PeriodSpace } from './grids.js';
import { INTERESTING_POWER, isInteresting, powerLevels, significantPeaks } from './peaks.js';

export { GRID_KINDS, PERIOD_SPACES, PERIOD_RANGES, compatGrid, correctedGrid, type PeriodSpace, type GridKind, type FrequencyGrid } from './grids.js';
export { INTERESTING_POWER, isInteresting, localMaxima, powerLevels, significantPeaks } from './peaks.js';
export { lombScargleExact, lombScargleExactAt } from './exact.js';
export { lombScargleFast } from './fast.js';
export { falseAlarmProbabilityBaluev } from './fap.js';

import type { PeriodogramMethod } from './methods.js';

export { PERIODOGRAM_METHODS, type PeriodogramMethod } from './methods.js';

export interface PeriodogramOptions {
  /** Trial grid: the original's (`compat`) or the oversampled one (`corrected`, default). */
  grid?: GridKind;
  method?: PeriodogramMethod;
  /** Corrected grid: points per 1/T (default 5). */
  oversampling?: number;
  /** Corrected grid: cap on points per space (default 2^20). */
  maxGridPoints?: number;
  /**
   * `auto` uses exact while N·M ≤ this (default 2·10^4, a few ms at mjd-sized phases: ~350 ns a term;
   * beyond it the fast method, whose decisions are exact's, costs less).
   */
  exactWorkLimit?: number;
  /** Fast: recompute a space exactly when its threshold is too close to call, while N·M ≤ this (default 2·10^7). */
  fallbackWorkLimit?: number;
}

export interface SpacePeriodogram {
  space: PeriodSpace;
  grid: GridKind;
  method: 'exact' | 'fast';
  /** Trial periods, days. */
  periods: Float64Array;
  /** Normalized power, 2/(N·σ²)·P (in [0, 1]); NaN for a constant lightcurve. */
  power: Float64Array;
  mean: number;
  threeSigma: number;
  significantIndices: number[];
  significantPeriods: number[];
  significantPowers: number[];
  /** Fast method: largest per-frequency bound on |power − exact power|; 0 for exact. */
  maxErrorBound: number;
  /** Fast method: frequencies evaluated exactly to settle decisions. */
  refined: number;
  /** Fast method: the threshold was too close to call and the space was recomputed exactly. */
  fallback: boolean;
  /**
   * Fast method: peaks within the threshold's error band when an exact recomputation was too costly
   * (N·M above `fallbackWorkLimit`); decided against the fast threshold. 0 means decisions are exact's.
   */
  undecided: number;
}

/** Mean-subtracted series and the 2/(N·σ²) factor of §11.3.4. */
function prepare(mjd: Samples, net: Samples): { t: Float64Array; y: Float64Array; factor: number } {
  const n = net.length;
  const m = meanOf(net);
  const sigma = populationStd(net, m);
  return { t: Float64Array.from(mjd), y: centered(net, m), factor: 2 / (n * sigma * sigma) };
}

export function gridFor(space: PeriodSpace, mjd: Samples, options: PeriodogramOptions = {}): FrequencyGrid {
  return (options.grid ?? 'corrected') === 'compat'
    ? compatGrid(space, mjd.length)
    : correctedGrid(space, mjd, { oversampling: options.oversampling, maxPoints: options.maxGridPoints });
}

/** The periodogram of one period space, with its significant peaks. */
export function spacePeriodogram(mjd: Samples, net: Samples, space: PeriodSpace, options: PeriodogramOptions = {}): SpacePeriodogram {
  if (mjd.length !== net.length) throw new Error(`periodogram: mjd has ${mjd.length} values but net has ${net.length}`);
  const grid = gridFor(space, mjd, options);
  const { t, y, factor } = prepare(mjd, net);
  const requested = options.method ?? 'auto';
  const method = requested === 'auto' ? (t.length * grid.omega.length <= (options.exactWorkLimit ?? 2e4) ? 'exact' : 'fast') : requested;
  const base = { space, grid: grid.kind, periods: grid.periods };
  if (!Number.isFinite(factor) || !t.every(Number.isFinite)) {
    // σ = 0 (constant net) or NaN data: the original's powers are all NaN (0·∞, NaN), so no peaks.
    const power = new Float64Array(grid.omega.length).fill(NaN);
    return { ...base, method: 'exact', power, ...decide(power, grid.periods), maxErrorBound: 0, refined: 0, fallback: false, undecided: 0 };
  }
  if (method === 'exact' || t.length === 0) {
    const power = lombScargleExact(t, y, grid.omega);
    for (let i = 0; i < power.length; i++) power[i] *= factor;
    return { ...base, method: 'exact', power, ...decide(power, grid.periods), maxErrorBound: 0, refined: 0, fallback: false, undecided: 0 };
  }
  return fastSpace(t, y, factor, grid, base, options.fallbackWorkLimit ?? 2e7);
}

function decide(power: Float64Array, periods: Float64Array): Pick<SpacePeriodogram, 'mean' | 'threeSigma' | 'significantIndices' | 'significantPeriods' | 'significantPowers'> {
  const levels = powerLevels(power);
  const idx = significantPeaks(power, levels.threeSigma);
  return {
    mean: levels.mean,
    threeSigma: levels.threeSigma,
    significantIndices: idx,
    significantPeriods: idx.map((i) => periods[i]),
    significantPowers: idx.map((i) => power[i]),
  };
}

/**
 * Where exact's mean + 3σ can lie, given fast powers P_i with |exact_i − P_i| ≤ b_i. With u = P − mean(P)
 * and δ = exact − P: mean moves by mean(δ) ∈ ±mean(b); the variance becomes var(P) + 2·mean(u·δ) +
 * var(δ), with |mean(u·δ)| ≤ mean(|u|·b) and 0 ≤ var(δ) ≤ mean(b²). Tighter than ±(mean(b) + 3·rms(b))
 * (by ~¼ for chi²-like powers), so fewer peaks are left to the threshold's uncertainty. A relative
 * 1e-12 covers the two summations' own rounding.
 */
export function thresholdInterval(power: Float64Array, bound: Float64Array, mean: number, std: number): { lo: number; hi: number } {
  const m = power.length;
  if (m === 0) return { lo: NaN, hi: NaN };
  let sb = 0;
  let sub = 0;
  let sb2 = 0;
  for (let i = 0; i < m; i++) {
    const b = bound[i];
    sb += b;
    sub += Math.abs(power[i] - mean) * b;
    sb2 += b * b;
  }
  const variance = std * std;
  const varLo = Math.max(0, variance - (2 * sub) / m);
  const varHi = variance + (2 * sub) / m + sb2 / m;
  const slack = 1e-12 * Math.abs(mean + 3 * std);
  return { lo: mean - sb / m + 3 * Math.sqrt(varLo) - slack, hi: mean + sb / m + 3 * Math.sqrt(varHi) + slack };
}

function fastSpace(
  t: Float64Array,
  y: Float64Array,
  factor: number,
  grid: FrequencyGrid,
  base: Pick<SpacePeriodogram, 'space' | 'grid' | 'periods'>,
  fallbackWorkLimit: number,
): SpacePeriodogram {
  const { power, bound } = lombScargleFast(t, y, grid.omega);
  const m = power.length;
  let maxBound = 0;
  for (let i = 0; i < m; i++) {
    power[i] *= factor;
    bound[i] *= factor;
    maxBound = Math.max(maxBound, bound[i]);
  }
  const levels = powerLevels(power);
  const { lo: tsLo, hi: tsHi } = thresholdInterval(power, bound, levels.mean, levels.std);
  const ts = levels.threeSigma;
  let refined = 0;
  let undecided = 0;
  const exactDone = new Set<number>();
  const exactAt = (i: number): void => {
    if (exactDone.has(i)) return;
    power[i] = factor * lombScargleExactAt(t, y, grid.omega[i]);
    bound[i] = 0;
    exactDone.add(i);
    refined++;
  };
  // The highest point (best period and power of the stats row) as exact would give it: every point
  // that could be the exact maximum is evaluated exactly.
  let top = -Infinity;
  for (let i = 0; i < m; i++) if (power[i] - bound[i] > top) top = power[i] - bound[i];
  const contenders: number[] = [];
  for (let i = 0; i < m; i++) if (power[i] + bound[i] >= top) contenders.push(i);
  for (const i of contenders) exactAt(i);
  const significant: number[] = [];
  for (let i = 1; i < m - 1; i++) {
    const p = power[i];
    // Could i be a local maximum above the threshold in the exact powers?
    if (!(p + bound[i] > tsLo)) continue;
    if (!(p + bound[i] > power[i - 1] - bound[i - 1] && p + bound[i] > power[i + 1] - bound[i + 1])) continue;
    const surelyMax = p - bound[i] > power[i - 1] + bound[i - 1] && p - bound[i] > power[i + 1] + bound[i + 1];
    const surelyAbove = p - bound[i] > tsHi;
    const flagClear = Math.abs(p - INTERESTING_POWER) > bound[i];
    if (!(surelyMax && surelyAbove && flagClear)) {
      exactAt(i);
      // A surely local maximum stays one in the exact powers (exact_i ≥ p_i − b_i > p_j + b_j ≥ exact_j),
      // so its neighbours need no exact evaluation; otherwise the comparison is made on exact values.
      if (!surelyMax) {
        exactAt(i - 1);
        exactAt(i + 1);
        if (!(power[i] > power[i - 1] && power[i] > power[i + 1])) continue;
      }
      if (power[i] >= tsLo && power[i] <= tsHi) {
        // Only the exact threshold can settle this peak: recompute the space exactly when affordable;
        // otherwise decide against the fast threshold and count the peak as undecided.
        if (t.length * m <= fallbackWorkLimit) {
          const exact = lombScargleExact(t, y, grid.omega);
          for (let k = 0; k < m; k++) exact[k] *= factor;
          return { ...base, method: 'fast', power: exact, ...decide(exact, grid.periods), maxErrorBound: 0, refined: m, fallback: true, undecided: 0 };
        }
        undecided++;
      }
      if (!(power[i] > ts)) continue;
    }
    significant.push(i);
  }
  return {
    ...base,
    method: 'fast',
    power,
    mean: levels.mean,
    threeSigma: ts,
    significantIndices: significant,
    significantPeriods: significant.map((i) => grid.periods[i]),
    significantPowers: significant.map((i) => power[i]),
    maxErrorBound: maxBound,
    refined,
    fallback: false,
    undecided,
  };
}

export interface PeriodogramAnalysis {
  grid: GridKind;
  spaces: Record<PeriodSpace, SpacePeriodogram>;
  /** §11.2 `periodogram` flag. */
  interesting: boolean;
  /** Period (days) and normalized power of the highest point over the three spaces; NaN if none. */
  bestPeriod: number;
  bestPower: number;
  /** Baluev's false-alarm probability of bestPower over the searched band (as astropy 'baluev'). */
  falseAlarmProbability: number;
}

/** All three period spaces, the flag, and the best period with its false-alarm probability. */
export function analyzePeriodograms(mjd: Samples, net: Samples, options: PeriodogramOptions = {}): PeriodogramAnalysis {
  const spaces = {} as Record<PeriodSpace, SpacePeriodogram>;
  let interesting = false;
  let bestPeriod = NaN;
  let bestPower = -Infinity;
  for (const space of PERIOD_SPACES) {
    const s = spacePeriodogram(mjd, net, space, options);
    spaces[space] = s;
    if (isInteresting(s.significantPowers)) interesting = true;
    for (let i = 0; i < s.power.length; i++) {
      if (s.power[i] > bestPower) {
        bestPower = s.power[i];
        bestPeriod = s.periods[i];
      }
    }
  }
  if (bestPower === -Infinity) bestPower = NaN;
  const fmax = 1 / Math.min(...PERIOD_SPACES.map((s) => spaces[s].periods[0] ?? Infinity));
  return {
    grid: options.grid ?? 'corrected',
    spaces,
    interesting,
    bestPeriod,
    bestPower,
    falseAlarmProbability: falseAlarmProbabilityBaluev(bestPower, fmax, mjd),
  };
}
