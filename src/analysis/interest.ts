/**
 * What 'interesting' means — the one definition the stats summary, `hstlc status`, index.html and the
 * exploratory tables all use (the original had three: the periodogram flag in the summary, poisson
 * factor ≥ 1.2 on the pages, §12.3/§15.24).
 *
 * A lightcurve is
 * - 'null' (no statistics): its counts are not finite, so no statistic could be computed;
 * - 'low_counts': fewer than LOW_COUNTS_TOTAL (100) counts in all, or under LOW_COUNTS_MEAN (1) count per
 *   bin on average. Its Poisson factor says nothing (a 3-count curve has a large one by chance) and it
 *   is never interesting;
 * - 'interesting': with enough counts, it varies beyond Poisson noise — poisson factor F ≥ 1.2 and at
 *   least 3 of its own standard errors above 1 — or the periodogram flags a significant peak (§11.2,
 *   power ≥ 0.30) whose false-alarm probability is at most 1 %;
 * - 'boring': the rest.
 * Interesting lightcurves rank by the stronger of the two pieces of evidence, as a probability: the
 * one-sided normal tail of (F − 1)/σ_F, and the periodogram's false-alarm probability.
 */
import type { StatsRow } from './stats.js';

export const INTEREST_KINDS = ['interesting', 'boring', 'low_counts', 'null'] as const;
export type Interest = (typeof INTEREST_KINDS)[number];

/** Below this many counts in all a lightcurve is 'low counts'. */
export const LOW_COUNTS_TOTAL = 100;
/** Below this mean count per bin a lightcurve is 'low counts'. */
export const LOW_COUNTS_MEAN = 1;
/** The original pages' threshold (§12.3): the variability must be at least this large … */
export const POISSON_FACTOR_MIN = 1.2;
/** … and this many standard errors of F above 1 (pure Poisson noise has F = 1). */
export const POISSON_SIGMA_MIN = 3;
/** A flagged periodogram peak counts when its false-alarm probability is at most this. */
export const FAP_MAX = 0.01;

/** The rule in one line, for the pages and the summaries. */
export const INTEREST_RULE =
  `at least ${LOW_COUNTS_TOTAL} counts and ${LOW_COUNTS_MEAN} count per bin, and poisson factor ≥ ${POISSON_FACTOR_MIN} ` +
  `and ${POISSON_SIGMA_MIN}σ above 1, or a significant periodogram peak with false-alarm probability ≤ ${FAP_MAX}`;

/** The statistics the rule reads. */
export type InterestFacts = Pick<StatsRow, 'total' | 'mean' | 'poisson_factor' | 'periodogram' | 'false_alarm_probability'>;

export interface InterestVerdict {
  kind: Interest;
  /** Standard error of the poisson factor (null without one). */
  poissonError: number | null;
  /** log10 of the evidence probability (smaller = stronger); +0 (p = 1) when there is none. */
  log10Evidence: number;
}

/**
 * Standard error of F = s/√m over N bins. For Poisson counts (N−1)·F²·N/(N−1) = N·s²/m is close to χ²
 * with N−1 degrees of freedom (the index of dispersion), so F² has standard error √(2/(N−1)) and F
 * the relative error 1/√(2(N−1)) — the standard deviation's own, the mean's error being absorbed by the
 * correlation of mean and variance of Poisson counts (a numpy Monte Carlo checks it, test/analysis).
 * N is total/mean (the stats row keeps no bin count; total is truncated, which moves N by under 1 %
 * when total ≥ 100).
 */
export function poissonFactorError(f: number, total: number, mean: number): number {
  const n = Math.round(total / mean);
  if (!(n > 1) || !(mean > 0)) return Infinity;
  return f / Math.sqrt(2 * (n - 1));
}

/**
 * log10 of the one-sided normal tail P(Z > z), without underflow for large z (Numerical Recipes' erfc
 * Chebyshev fit, fractional error < 1.2e-7, taken in logarithms).
 */
export function log10NormalTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const poly =
    -ax * ax - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const lnErfc = Math.log(t) + poly;
  const ln = x >= 0 ? lnErfc - Math.LN2 : Math.log(1 - Math.exp(lnErfc) / 2);
  return ln / Math.LN10;
}

/** The one verdict: 'interesting', 'boring', 'low_counts' or 'null' (see the module comment). */
export function interestOf(s: InterestFacts): InterestVerdict {
  const none = { poissonError: null, log10Evidence: 0 };
  if (s.total === null) return { kind: 'null', ...none };
  if (s.total < LOW_COUNTS_TOTAL || s.mean === null || s.mean < LOW_COUNTS_MEAN) return { kind: 'low_counts', ...none };
  if (s.poisson_factor === null || !Number.isFinite(s.poisson_factor)) return { kind: 'null', ...none };
  const f = s.poisson_factor;
  const err = poissonFactorError(f, s.total, s.mean);
  const z = Number.isFinite(err) && err > 0 ? (f - 1) / err : -Infinity;
  const variable = f >= POISSON_FACTOR_MIN && z >= POISSON_SIGMA_MIN;
  const fap = s.false_alarm_probability ?? null;
  const periodic = s.periodogram && fap !== null && fap <= FAP_MAX;
  const evidence = Math.min(variable ? log10NormalTail(z) : 0, periodic ? (fap > 0 ? Math.log10(fap) : -Infinity) : 0);
  return { kind: variable || periodic ? 'interesting' : 'boring', poissonError: Number.isFinite(err) ? err : null, log10Evidence: evidence };
}

/**
 * A periodogram worth a look (§12.7's periodogram_subset/, index.html's periodic candidates): the §11.2
 * flag on a lightcurve with enough counts. A low-count curve's peak is noise like its poisson factor,
 * and a curve without statistics has no periodogram to trust.
 */
export function periodogramCandidate(s: InterestFacts): boolean {
  if (!s.periodogram) return false;
  const kind = interestOf(s).kind;
  return kind === 'interesting' || kind === 'boring';
}

const ORDER: Record<Interest, number> = { interesting: 0, boring: 1, low_counts: 2, null: 3 };

/**
 * Most interesting first: interesting before boring, low counts and no statistics; within a kind the
 * stronger evidence first, then the larger poisson factor, then the name.
 */
export function byInterest<T extends InterestFacts & { targname?: string }>(a: T, b: T): number {
  const va = interestOf(a);
  const vb = interestOf(b);
  if (va.kind !== vb.kind) return ORDER[va.kind] - ORDER[vb.kind];
  if (va.log10Evidence !== vb.log10Evidence) return va.log10Evidence - vb.log10Evidence;
  const fa = a.poisson_factor ?? -Infinity;
  const fb = b.poisson_factor ?? -Infinity;
  if (fa !== fb) return fb - fa;
  const na = a.targname ?? '';
  const nb = b.targname ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
