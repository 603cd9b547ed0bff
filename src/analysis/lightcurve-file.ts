/**
 * Statistics of a lightcurve file on disk — ours or the original library's (HDU 1 table with `counts`,
 * `mjd`, `net`; §8.2, §11.2) — without any database: what `hstlc lightcurve-stats` prints and what the
 * stats stage stores.
 */
import { readLightcurveProduct } from '../lightcurve/product.js';
import { analyzePeriodograms, PERIOD_SPACES, type GridKind, type PeriodogramAnalysis, type PeriodogramMethod, type PeriodSpace } from './periodogram/index.js';
import { countStatistics, statsRow, type StatsRow } from './stats.js';
import type { Samples } from './samples.js';

export interface LightcurveColumns {
  counts: Samples;
  mjd: Samples;
  net: Samples;
}

/** Read `counts`, `mjd` and `net` from HDU 1 (the product format, src/lightcurve/product.ts). */
export async function readLightcurveColumns(path: string): Promise<LightcurveColumns> {
  const { columns } = await readLightcurveProduct(path, { columns: ['counts', 'mjd', 'net'] });
  return { counts: columns.get('counts')!, mjd: columns.get('mjd')!, net: columns.get('net')! };
}

export interface SpaceSummary {
  n: number;
  method: 'exact' | 'fast';
  period_min_days: number;
  period_max_days: number;
  mean: number | null;
  three_sigma: number | null;
  max_power: number | null;
  significant_periods_days: number[];
  significant_powers: number[];
}

export interface PeriodogramSummary {
  grid: GridKind;
  spaces: Record<PeriodSpace, SpaceSummary>;
}

export interface LightcurveAnalysis {
  row: StatsRow;
  /** Absent when total ≤ 0 (no periodogram, as the original). */
  periodogram?: PeriodogramSummary;
  /** The full periodograms behind the summary (same condition). */
  periodograms?: PeriodogramAnalysis;
}

export interface AnalysisOptions {
  grid?: GridKind;
  method?: PeriodogramMethod;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function summarizePeriodograms(a: PeriodogramAnalysis): PeriodogramSummary {
  const spaces = {} as Record<PeriodSpace, SpaceSummary>;
  for (const space of PERIOD_SPACES) {
    const s = a.spaces[space];
    let max = -Infinity;
    for (let i = 0; i < s.power.length; i++) if (s.power[i] > max) max = s.power[i];
    spaces[space] = {
      n: s.periods.length,
      method: s.method,
      period_min_days: s.periods[0],
      period_max_days: s.periods[s.periods.length - 1],
      mean: finite(s.mean),
      three_sigma: finite(s.threeSigma),
      max_power: finite(max),
      significant_periods_days: s.significantPeriods,
      significant_powers: s.significantPowers,
    };
  }
  return { grid: a.grid, spaces };
}

/** The stats row (and periodogram summary) of lightcurve columns. */
export function analyzeLightcurve(path: string, columns: LightcurveColumns, options: AnalysisOptions = {}): LightcurveAnalysis {
  const stats = countStatistics(columns.counts, columns.mjd);
  if (!(stats.total > 0)) return { row: statsRow(path, stats, undefined) };
  const periodograms = analyzePeriodograms(columns.mjd, columns.net, { grid: options.grid, method: options.method });
  return { row: statsRow(path, stats, periodograms), periodogram: summarizePeriodograms(periodograms), periodograms };
}

/** Read and analyze one lightcurve file; throws (with the reason) on an unreadable file. */
export async function analyzeLightcurveFile(path: string, options: AnalysisOptions = {}): Promise<LightcurveAnalysis> {
  return analyzeLightcurve(path, await readLightcurveColumns(path), options);
}
