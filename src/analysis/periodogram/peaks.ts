/**
 * What the original reads off a periodogram (§11.3.5–7): local maxima, mean + 3σ of the powers, the
 * maxima strictly above it, and the 'interesting' rule (§11.2) on top.
 */
import { pairwiseSum, sumSquaredDeviations } from '../samples.js';

/** §11.2: a space is interesting when a significant peak reaches this normalized power. */
export const INTERESTING_POWER = 0.3;

/** Indices i with P[i] > P[i−1] and P[i] > P[i+1] (end points and plateaus never count; NaN never). */
export function localMaxima(power: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 1; i < power.length - 1; i++) if (power[i] > power[i - 1] && power[i] > power[i + 1]) out.push(i);
  return out;
}

export interface PowerLevels {
  mean: number;
  /** Population standard deviation of the powers. */
  std: number;
  /** mean + 3·std; NaN when the powers are (NaN from a constant lightcurve) or empty. */
  threeSigma: number;
}

export function powerLevels(power: Float64Array): PowerLevels {
  if (power.length === 0) return { mean: NaN, std: NaN, threeSigma: NaN };
  const mean = pairwiseSum(power) / power.length;
  const std = Math.sqrt(sumSquaredDeviations(power, mean) / power.length);
  return { mean, std, threeSigma: mean + 3 * std };
}

/** §11.3.7: local maxima with power strictly above mean + 3σ. */
export function significantPeaks(power: Float64Array, threeSigma: number): number[] {
  return localMaxima(power).filter((i) => power[i] > threeSigma);
}

/** §11.2: interesting iff the largest significant power (if any) is ≥ 0.30. */
export function isInteresting(significantPowers: readonly number[]): boolean {
  let max = -Infinity;
  for (const p of significantPowers) if (p > max) max = p;
  return significantPowers.length > 0 && max >= INTERESTING_POWER;
}
