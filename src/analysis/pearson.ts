/**
 * Pearson's correlation coefficient and its two-sided p-value, computed the way scipy.stats.pearsonr
 * (scipy 1.10) does (§11.2): r from the normalized deviations, and p from the exact null distribution
 * of r, a beta distribution on (−1, 1) with a = b = n/2 − 1. The tail is taken from the regularized
 * incomplete beta function directly (not 1 − CDF, not through Student's t with 1 − r²), so p stays
 * accurate down to the smallest doubles and for r near ±1.
 */
import betainc from '@stdlib/math-base-special-betainc';
import { mean, type Samples } from './samples.js';

export interface PearsonResult {
  /** Correlation coefficient in [−1, 1]; NaN when undefined (n < 2, a constant input, NaN data). */
  r: number;
  /** Two-sided p-value; NaN when r is undefined. */
  p: number;
}

/**
 * Two-sided p-value of a sample correlation r from n pairs under the null hypothesis of no correlation:
 * p = 2·P(R ≥ |r|) with (R + 1)/2 ~ Beta(n/2 − 1, n/2 − 1), i.e. 2·I_{1−x}(a, a) at x = (|r| + 1)/2
 * through the upper regularized incomplete beta. x is formed as scipy forms it (loc −1, scale 2), so
 * the result equals scipy's to the accuracy of the special function.
 */
export function pearsonPValue(r: number, n: number): number {
  if (!Number.isFinite(r) || !(n >= 2)) return NaN;
  if (n === 2) return 1; // a line through two points: scipy returns p = 1
  const a = n / 2 - 1;
  const x = (Math.abs(r) + 1) / 2;
  if (x >= 1) return 0;
  // 2·(½ + rounding) can exceed 1 by an ulp at r = 0; a probability cannot.
  return Math.min(1, 2 * betainc(x, a, a, true, true));
}

/** ‖v‖₂ without overflow or underflow for extreme magnitudes (as scipy.linalg.norm / BLAS nrm2). */
function norm(v: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const q = v[i] / scale;
    s += q * q;
  }
  return scale * Math.sqrt(s);
}

function isConstant(v: Samples): boolean {
  const first = v[0];
  for (let i = 1; i < v.length; i++) if (v[i] !== first) return false;
  return true;
}

/** Pearson r of (x, y) and its two-sided p-value; NaN/NaN where scipy returns NaN or raises. */
export function pearson(x: Samples, y: Samples): PearsonResult {
  const n = x.length;
  if (n !== y.length) throw new Error(`pearson: x has ${n} values but y has ${y.length}`);
  if (n < 2 || isConstant(x) || isConstant(y)) return { r: NaN, p: NaN };
  if (n === 2) {
    const r = Math.sign(x[1] - x[0]) * Math.sign(y[1] - y[0]);
    return { r, p: Number.isNaN(r) ? NaN : 1 };
  }
  const mx = mean(x);
  const my = mean(y);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dx[i] = x[i] - mx;
    dy[i] = y[i] - my;
  }
  const nx = norm(dx);
  const ny = norm(dy);
  let dot = 0;
  for (let i = 0; i < n; i++) dot += (dx[i] / nx) * (dy[i] / ny);
  if (Number.isNaN(dot)) return { r: NaN, p: NaN };
  // Rounding can push |r| a hair past 1 for perfectly correlated data.
  const r = Math.max(Math.min(dot, 1), -1);
  return { r, p: pearsonPValue(r, n) };
}
