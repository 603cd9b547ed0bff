/**
 * PeriodogramData from a periodogram's raw grid and powers, by §11.3 steps 5–7. The statistics stage
 * computes the powers (src/analysis); this turns a stored grid (e.g. the golden JSON dumps
 * `{short: {periods_days, power}, …}`) into what the charts draw, without recomputing any power.
 */
import { PERIOD_SPACES, type PeriodSpace, type PeriodogramData } from './types.js';

/** Peaks strictly above both neighbours and strictly above mean + 3σ (population σ); ends never count. */
export function summarizePeriodSpace(periods: ArrayLike<number>, powers: ArrayLike<number>): PeriodSpace {
  const n = powers.length;
  if (periods.length !== n) throw new Error(`period grid has ${periods.length} points but ${n} powers`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += powers[i];
  const mean = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (powers[i] - mean) ** 2;
  const threeSigma = mean + 3 * Math.sqrt(n > 0 ? ss / n : NaN);
  const significantPeriods: number[] = [];
  const significantPowers: number[] = [];
  for (let i = 1; i < n - 1; i++) {
    const p = powers[i];
    if (p > powers[i - 1] && p > powers[i + 1] && p > threeSigma) {
      significantPeriods.push(periods[i]);
      significantPowers.push(p);
    }
  }
  return { periods: Float64Array.from(periods), powers: Float64Array.from(powers), mean, threeSigma, significantPeriods, significantPowers };
}

/** The shape of `expected/periodograms/*.json` and of `hstlc lightcurve-stats --json` periodograms. */
export type RawPeriodogram = Record<(typeof PERIOD_SPACES)[number], { periods_days: number[]; power: Array<number | null> }>;

export function periodogramFromRaw(raw: RawPeriodogram): PeriodogramData {
  const out = {} as PeriodogramData;
  for (const space of PERIOD_SPACES) {
    const s = raw[space];
    if (!s || !Array.isArray(s.periods_days) || !Array.isArray(s.power)) throw new Error(`periodogram has no '${space}' space`);
    // JSON has no NaN: a constant series' powers (§11.3 step 4) arrive as null.
    out[space] = summarizePeriodSpace(s.periods_days, s.power.map((p) => (p === null ? NaN : p)));
  }
  return out;
}

/** §11.2: the highest significant power over the three spaces (−∞ when there is none). */
export function maxSignificantPower(pg: PeriodogramData): number {
  let max = -Infinity;
  for (const space of PERIOD_SPACES) for (const p of pg[space].significantPowers) if (p > max) max = p;
  return max;
}
