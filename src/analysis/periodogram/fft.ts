/**
 * In-place forward complex FFT of a power-of-2 length, X[k] = Σ_n x[n]·e^{−2πi·kn/N}, on an interleaved
 * (re, im) Float64Array whose input is already in bit-reversed order (the NUFFT spreads straight into
 * bit-reversed cells, so no permutation pass over the grid is needed).
 *
 * Radix-4 decimation in time (two radix-2 stages fused, one leading radix-2 stage when log2 N is odd),
 * with each stage's twiddles ω^j, ω^{2j}, ω^{3j} stored contiguously so that every stage reads its table
 * sequentially. Tables are computed once per size with cos/sin of exact multiples of 2π/L (no recurrence),
 * so the transform's rounding is that of the butterflies alone: ~log2(N)·2^-53 relative to Σ|x|.
 * As fast as fft.js 4.0.4 (the previous dependency) while the array fits in cache (~1.25 ns per point and
 * stage up to 2^17 here), 2-3× faster beyond; the NUFFT keeps its FFTs at 2^17 points (nufft.ts, bands).
 */

interface Plan {
  log2: number;
  /** bitrev[i]: i with its log2 bits reversed. */
  bitrev: Uint32Array;
  /** Per radix-4 stage (quarter length h): 6·h doubles (ω^j, ω^{2j}, ω^{3j}, ω = e^{−2πi/(4h)}). */
  twiddles: Float64Array[];
}

const plans = new Map<number, Plan>();

export function fftPlan(size: number): Plan {
  let plan = plans.get(size);
  if (plan !== undefined) return plan;
  const log2 = Math.round(Math.log2(size));
  if (size < 4 || 1 << log2 !== size) throw new Error(`fft: size ${size} is not a power of 2 ≥ 4`);
  const bitrev = new Uint32Array(size);
  for (let i = 1; i < size; i++) bitrev[i] = (bitrev[i >>> 1] >>> 1) | ((i & 1) << (log2 - 1));
  const twiddles: Float64Array[] = [];
  // Radix-4 stages: quarter lengths 2, 8, 32… after a radix-2 stage, or 1, 4, 16…
  for (let h = log2 % 2 === 1 ? 2 : 1; 4 * h <= size; h *= 4) {
    const tw = new Float64Array(6 * h);
    const a = (-2 * Math.PI) / (4 * h);
    for (let j = 0; j < h; j++) {
      tw[6 * j] = Math.cos(a * j);
      tw[6 * j + 1] = Math.sin(a * j);
      tw[6 * j + 2] = Math.cos(a * 2 * j);
      tw[6 * j + 3] = Math.sin(a * 2 * j);
      tw[6 * j + 4] = Math.cos(a * 3 * j);
      tw[6 * j + 5] = Math.sin(a * 3 * j);
    }
    twiddles.push(tw);
  }
  plan = { log2, bitrev, twiddles };
  plans.set(size, plan);
  return plan;
}

/** Forward FFT in place; `data` (length 2·size) holds the input in bit-reversed order (see fftPlan). */
export function fftBitReversedInPlace(data: Float64Array, size: number): void {
  const plan = fftPlan(size);
  if (data.length < 2 * size) throw new Error(`fft: ${data.length / 2} complex values for size ${size}`);
  const n2 = 2 * size;
  let h = 1;
  if (plan.log2 % 2 === 1) {
    // Leading radix-2 stage: butterflies on neighbours, no twiddles.
    for (let i = 0; i < n2; i += 4) {
      const ar = data[i];
      const ai = data[i + 1];
      const br = data[i + 2];
      const bi = data[i + 3];
      data[i] = ar + br;
      data[i + 1] = ai + bi;
      data[i + 2] = ar - br;
      data[i + 3] = ai - bi;
    }
    h = 2;
  }
  for (const tw of plan.twiddles) {
    const q2 = 2 * h; // one quarter, in doubles
    const block = 4 * q2;
    for (let base = 0; base < n2; base += block) {
      for (let j = 0, t = 0; j < h; j++, t += 6) {
        const p0 = base + 2 * j;
        const p1 = p0 + q2;
        const p2 = p1 + q2;
        const p3 = p2 + q2;
        const w1r = tw[t];
        const w1i = tw[t + 1];
        const w2r = tw[t + 2];
        const w2i = tw[t + 3];
        const w3r = tw[t + 4];
        const w3i = tw[t + 5];
        const x0r = data[p0];
        const x0i = data[p0 + 1];
        // Quarter 1 holds the odd-of-even sub-transform (bit-reversed order): it takes ω^{2j}.
        const y1r = data[p1];
        const y1i = data[p1 + 1];
        const br = y1r * w2r - y1i * w2i;
        const bi = y1r * w2i + y1i * w2r;
        const y2r = data[p2];
        const y2i = data[p2 + 1];
        const cr = y2r * w1r - y2i * w1i;
        const ci = y2r * w1i + y2i * w1r;
        const y3r = data[p3];
        const y3i = data[p3 + 1];
        const dr = y3r * w3r - y3i * w3i;
        const di = y3r * w3i + y3i * w3r;
        const t0r = x0r + br;
        const t0i = x0i + bi;
        const t1r = x0r - br;
        const t1i = x0i - bi;
        const t2r = cr + dr;
        const t2i = ci + di;
        const t3r = cr - dr;
        const t3i = ci - di;
        data[p0] = t0r + t2r;
        data[p0 + 1] = t0i + t2i;
        data[p2] = t0r - t2r;
        data[p2 + 1] = t0i - t2i;
        data[p1] = t1r + t3i;
        data[p1 + 1] = t1i - t3r;
        data[p3] = t1r - t3i;
        data[p3 + 1] = t1i + t3r;
      }
    }
    h *= 4;
  }
}
