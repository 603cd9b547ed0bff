/**
 * The `stats` row of one lightcurve (§10.2, §11.2), with the original's bugs fixed (§15.23): values
 * that are NaN or ±inf (constant or empty lightcurves) become null — SQL NULL — instead of aborting the
 * run, and `deliver` is set by a rule.
 */
import { basename, dirname } from 'node:path';
import { pearson } from './pearson.js';
import { mean as meanOf, pairwiseSum, populationStd, type Samples } from './samples.js';
import type { PeriodogramAnalysis } from './periodogram/index.js';

/** §11.2 statistics of `counts` (and its correlation with `mjd`), as plain numbers (NaN allowed). */
export interface CountStatistics {
  /** Σ counts truncated toward zero; NaN if the sum is not finite. */
  total: number;
  mean: number;
  /** √mean. */
  mu: number;
  /** Population standard deviation (divide by N). */
  stdev: number;
  /** stdev / mu. */
  poissonFactor: number;
  pearsonR: number;
  pearsonP: number;
}

/**
 * §11.2. `total` is always computed; the rest only when total > 0 (otherwise NaN, as the original
 * leaves them unset). A constant lightcurve gives stdev = poisson_factor = 0 and NaN Pearson values.
 */
export function countStatistics(counts: Samples, mjd: Samples): CountStatistics {
  if (counts.length !== mjd.length) throw new Error(`counts has ${counts.length} values but mjd has ${mjd.length}`);
  const sum = pairwiseSum(counts);
  const total = Number.isFinite(sum) ? Math.trunc(sum) : NaN;
  const none = { total, mean: NaN, mu: NaN, stdev: NaN, poissonFactor: NaN, pearsonR: NaN, pearsonP: NaN };
  if (!(total > 0)) return none;
  const mean = meanOf(counts);
  const mu = Math.sqrt(mean);
  const stdev = populationStd(counts, mean);
  // The original's 9999999.0 fallback for mu = 0 cannot trigger: total > 0 ⇒ mean > 0.
  const poissonFactor = stdev / mu;
  const { r, p } = pearson(mjd, counts);
  return { total, mean, mu, stdev, poissonFactor, pearsonR: r, pearsonP: p };
}

export type ProductKind = 'individual' | 'composite';

/** Composites are the HLSP products (`hlsp_hstlc_hst_…_sci.fits`, §9); everything else is individual. */
export function productKindOf(path: string): ProductKind {
  return /^hlsp_hstlc_/i.test(basename(path)) ? 'composite' : 'individual';
}

/**
 * One row of the `stats` table (§10.2 columns, plus ours after `deliver`); null is SQL NULL. The one
 * definition: the database table (db/schema.ts) and the plots' record (plots/types.ts) are derived from it.
 */
export interface StatsRow {
  lightcurve_path: string;
  lightcurve_filename: string;
  /** NOT NULL in the original schema; null here only for NaN/inf counts, where the original crashed. */
  total: number | null;
  mean: number | null;
  mu: number | null;
  stdev: number | null;
  poisson_factor: number | null;
  pearson_r: number | null;
  pearson_p: number | null;
  /** §11.2: some period space has a significant peak ≥ 0.30. */
  periodogram: boolean;
  /** See `deliverable`. */
  deliver: boolean;
  /** Beyond the original: period (days) of the highest periodogram point over the three spaces. */
  best_period: number | null;
  best_power: number | null;
  /** Baluev false-alarm probability of best_power. */
  false_alarm_probability: number | null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * `deliver` rule (the original never set it, §11.1): a product is deliverable as an HLSP when it is a
 * composite, has positive total counts, and every statistic is a finite number — i.e. nothing in its
 * row would be NULL. Individual lightcurves are inputs to composites and never delivered on their own.
 */
export function deliverable(kind: ProductKind, stats: CountStatistics): boolean {
  return (
    kind === 'composite' &&
    stats.total > 0 &&
    [stats.mean, stats.mu, stats.stdev, stats.poissonFactor, stats.pearsonR, stats.pearsonP].every(Number.isFinite)
  );
}

/**
 * The row for `path`. `periodograms` is omitted when total ≤ 0 (the original computes no periodogram
 * then, so the flag stays false).
 */
export function statsRow(path: string, stats: CountStatistics, periodograms: PeriodogramAnalysis | undefined, kind = productKindOf(path)): StatsRow {
  return {
    lightcurve_path: dirname(path),
    lightcurve_filename: basename(path),
    total: finiteOrNull(stats.total),
    mean: finiteOrNull(stats.mean),
    mu: finiteOrNull(stats.mu),
    stdev: finiteOrNull(stats.stdev),
    poisson_factor: finiteOrNull(stats.poissonFactor),
    pearson_r: finiteOrNull(stats.pearsonR),
    pearson_p: finiteOrNull(stats.pearsonP),
    periodogram: periodograms?.interesting ?? false,
    deliver: deliverable(kind, stats),
    best_period: periodograms ? finiteOrNull(periodograms.bestPeriod) : null,
    best_power: periodograms ? finiteOrNull(periodograms.bestPower) : null,
    false_alarm_probability: periodograms ? finiteOrNull(periodograms.falseAlarmProbability) : null,
  };
}
