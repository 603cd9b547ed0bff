/**
 * The arrays the analysis works on, and the few reductions every statistic shares. Sums are pairwise
 * (as numpy's), so a 10^5-bin composite keeps ~1e-16·log2(N) relative error instead of ~1e-16·N.
 */

/** A lightcurve column as read from FITS: float32 (COS counts) or float64 (mjd, net). */
export type Samples = Float64Array | Float32Array;

const LEAF = 128;

/** Σ x[from..to) by pairwise summation. */
export function pairwiseSum(x: Samples, from = 0, to = x.length): number {
  const n = to - from;
  if (n <= LEAF) {
    let s = 0;
    for (let i = from; i < to; i++) s += x[i];
    return s;
  }
  const mid = from + ((n >> 1) & ~7);
  return pairwiseSum(x, from, mid) + pairwiseSum(x, mid, to);
}

/** Arithmetic mean; NaN for an empty array. */
export function mean(x: Samples): number {
  return x.length === 0 ? NaN : pairwiseSum(x) / x.length;
}

/** Σ (x − c)² by pairwise summation. */
export function sumSquaredDeviations(x: Samples, c: number, from = 0, to = x.length): number {
  const n = to - from;
  if (n <= LEAF) {
    let s = 0;
    for (let i = from; i < to; i++) {
      const d = x[i] - c;
      s += d * d;
    }
    return s;
  }
  const mid = from + ((n >> 1) & ~7);
  return sumSquaredDeviations(x, c, from, mid) + sumSquaredDeviations(x, c, mid, to);
}

/** Population standard deviation (divide by N, numpy's default ddof = 0); NaN for an empty array. */
export function populationStd(x: Samples, m = mean(x)): number {
  return x.length === 0 ? NaN : Math.sqrt(sumSquaredDeviations(x, m) / x.length);
}

/** x − c as a new Float64Array (the periodogram works on the mean-subtracted series, §11.3). */
export function centered(x: Samples, c: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - c;
  return out;
}
