/** The non-uniform FFT sums behind the fast periodogram, against direct summation. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NUFFT_RELATIVE_ERROR, nufftType1, trigSums, uniformSpacing } from '../../src/analysis/periodogram/nufft.js';
import { fftBitReversedInPlace, fftPlan } from '../../src/analysis/periodogram/fft.js';
import { rng } from './helpers.js';

function directSums(t: Float64Array, w: Float64Array, omega: Float64Array, t0: number): { re: number[]; im: number[] } {
  const re: number[] = [];
  const im: number[] = [];
  for (const wq of omega) {
    let r = 0;
    let i = 0;
    for (let j = 0; j < t.length; j++) {
      const p = wq * (t[j] - t0);
      r += w[j] * Math.cos(p);
      i += w[j] * Math.sin(p);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describe('nufft', () => {
  it('type 1 matches the direct sum on uniform modes', () => {
    const rand = rng(5);
    const n = 500;
    const m = 256;
    const x = Float64Array.from({ length: n }, () => (rand() - 0.5) * Math.PI);
    const cRe = Float64Array.from({ length: n }, () => rand() - 0.5);
    const cIm = Float64Array.from({ length: n }, () => rand() - 0.5);
    const f = nufftType1(x, cRe, cIm, m);
    let sumAbs = 0;
    for (let j = 0; j < n; j++) sumAbs += Math.hypot(cRe[j], cIm[j]);
    let worst = 0;
    for (let k = -m / 2; k < m / 2; k++) {
      let r = 0;
      let i = 0;
      for (let j = 0; j < n; j++) {
        const c = Math.cos(k * x[j]);
        const s = Math.sin(k * x[j]);
        r += cRe[j] * c - cIm[j] * s;
        i += cRe[j] * s + cIm[j] * c;
      }
      worst = Math.max(worst, Math.hypot(r - f[2 * (k + m / 2)], i - f[2 * (k + m / 2) + 1]) / sumAbs);
    }
    assert.ok(worst < 1e-11, `worst ${worst}`);
  });

  it('type 3 (trigSums) stays within NUFFT_RELATIVE_ERROR·Σ|w| for gapped times and any frequencies', () => {
    const rand = rng(9);
    const cases = [
      // one exposure of 2-s bins, short-space frequencies (rad/day)
      { t: Float64Array.from({ length: 800 }, (_, i) => 55200.3 + (i * 2) / 86400), omega: Float64Array.from({ length: 300 }, () => 900 + rand() * 1.08e5) },
      // visits days apart, irregular times
      {
        t: Float64Array.from({ length: 1200 }, (_, i) => 55000 + Math.floor(i / 400) * 7.3 + rand() * 0.05),
        omega: Float64Array.from({ length: 300 }, () => 150 + rand() * 2e4),
      },
      // a span of years: several time blocks
      {
        t: Float64Array.from({ length: 900 }, (_, i) => 55000 + Math.floor(i / 300) * 400 + (i % 300) * (2 / 86400)),
        omega: Float64Array.from({ length: 200 }, () => 900 + rand() * 1.08e5),
      },
    ];
    for (const [k, c] of cases.entries()) {
      const w = Float64Array.from(c.t, () => rand() * 2 - 1);
      const t0 = c.t[0] + 0.37;
      const got = trigSums(c.t, w, c.omega, t0);
      const want = directSums(c.t, w, c.omega, t0);
      let sumAbs = 0;
      for (const v of w) sumAbs += Math.abs(v);
      let worst = 0;
      for (let q = 0; q < c.omega.length; q++) worst = Math.max(worst, Math.hypot(got.re[q] - want.re[q], got.im[q] - want.im[q]) / sumAbs);
      // The direct sum itself carries ~|ω·(t − t0)|·2^-53 phase rounding per term: allow it.
      let maxPhase = 0;
      for (const wq of c.omega) for (const tj of c.t) maxPhase = Math.max(maxPhase, Math.abs(wq * (tj - t0)));
      const phaseNoise = 4 * maxPhase * 2 ** -53;
      assert.ok(worst < NUFFT_RELATIVE_ERROR + phaseNoise, `case ${k}: ${worst}`);
    }
  });

  it('a uniform frequency grid (one type-1 transform, times wrapped) stays within the bound over a span of years', () => {
    const rand = rng(11);
    // Three visits 400 days apart, 2-s bins; the corrected grid's shape: f from fmax down to fmin, ends exact.
    const t = Float64Array.from({ length: 900 }, (_, i) => 55000 + Math.floor(i / 300) * 400 + (i % 300) * (2 / 86400));
    const w = Float64Array.from(t, () => rand() * 2 - 1);
    const k = 5000;
    const fmax = 17280;
    const fmin = 144;
    const df = (fmax - fmin) / (k - 1);
    const omega = Float64Array.from({ length: k }, (_, i) => 2 * Math.PI * (i === 0 ? fmax : i === k - 1 ? fmin : fmax - i * df));
    assert.ok(uniformSpacing(omega) !== undefined);
    const t0 = (t[0] + t[t.length - 1]) / 2;
    const got = trigSums(t, w, omega, t0);
    assert.ok(got.phaseShift !== undefined, 'the uniform path was taken');
    const want = directSums(t, w, omega, t0);
    let sumAbs = 0;
    for (const v of w) sumAbs += Math.abs(v);
    let maxPhase = 0;
    for (const wq of [omega[0], omega[k - 1]]) for (const tj of t) maxPhase = Math.max(maxPhase, Math.abs(wq * (tj - t0)));
    for (let q = 0; q < k; q++) {
      const err = Math.hypot(got.re[q] - want.re[q], got.im[q] - want.im[q]) / sumAbs;
      assert.ok(err < NUFFT_RELATIVE_ERROR + got.phaseShift[q] + 4 * maxPhase * 2 ** -53, `ω[${q}]: ${err}`);
    }
    // Linear in period (the compat grid) is not uniform in frequency.
    assert.equal(uniformSpacing(Float64Array.from({ length: 100 }, (_, i) => 1 / (1 + i))), undefined);
  });

  it('the FFT equals the direct DFT (e^{−2πi·kn/N}) at even and odd powers of 2', () => {
    const rand = rng(3);
    for (const size of [4, 8, 32, 128, 512, 2048]) {
      const x = Float64Array.from({ length: 2 * size }, () => rand() - 0.5);
      const { bitrev } = fftPlan(size);
      const data = new Float64Array(2 * size);
      for (let i = 0; i < size; i++) {
        data[2 * bitrev[i]] = x[2 * i];
        data[2 * bitrev[i] + 1] = x[2 * i + 1];
      }
      fftBitReversedInPlace(data, size);
      let sumAbs = 0;
      for (let i = 0; i < size; i++) sumAbs += Math.hypot(x[2 * i], x[2 * i + 1]);
      let worst = 0;
      for (let k = 0; k < size; k++) {
        let r = 0;
        let im = 0;
        for (let n = 0; n < size; n++) {
          // Reduce k·n mod N first: the angle is then exact to rounding of 2π·j/N.
          const a = (-2 * Math.PI * ((k * n) % size)) / size;
          r += x[2 * n] * Math.cos(a) - x[2 * n + 1] * Math.sin(a);
          im += x[2 * n] * Math.sin(a) + x[2 * n + 1] * Math.cos(a);
        }
        worst = Math.max(worst, Math.hypot(data[2 * k] - r, data[2 * k + 1] - im) / sumAbs);
      }
      assert.ok(worst < 1e-14, `size ${size}: ${worst}`);
    }
  });

  it('a uniform grid longer than one band (2^16 frequencies a band) stays within the bound at every band edge', () => {
    const rand = rng(17);
    // Two visits 300 days apart; the short space of a composite whose grid is capped.
    const t = Float64Array.from({ length: 700 }, (_, i) => 55000 + Math.floor(i / 350) * 300 + (i % 350) * (2 / 86400) + rand() * 1e-6);
    const w = Float64Array.from(t, () => rand() * 2 - 1);
    const k = 200003; // three full bands and a partial fourth
    const fmax = 17280;
    const fmin = 144;
    const df = (fmax - fmin) / (k - 1);
    const omega = Float64Array.from({ length: k }, (_, i) => 2 * Math.PI * (i === 0 ? fmax : i === k - 1 ? fmin : fmax - i * df));
    const t0 = (t[0] + t[t.length - 1]) / 2;
    const got = trigSums(t, w, omega, t0);
    assert.ok(got.phaseShift !== undefined, 'the uniform path was taken');
    const picks: number[] = [0, 1, k - 2, k - 1];
    for (const edge of [65536, 131072, 196608]) for (let d = -3; d <= 3; d++) picks.push(edge + d);
    for (let j = 0; j < 200; j++) picks.push(Math.floor(rand() * k));
    const want = directSums(t, w, Float64Array.from(picks, (q) => omega[q]), t0);
    let sumAbs = 0;
    for (const v of w) sumAbs += Math.abs(v);
    let maxPhase = 0;
    for (const wq of [omega[0], omega[k - 1]]) for (const tj of t) maxPhase = Math.max(maxPhase, Math.abs(wq * (tj - t0)));
    picks.forEach((q, j) => {
      const err = Math.hypot(got.re[q] - want.re[j], got.im[q] - want.im[j]) / sumAbs;
      assert.ok(err < NUFFT_RELATIVE_ERROR + got.phaseShift![q] + 4 * maxPhase * 2 ** -53, `ω[${q}]: ${err}`);
    });
  });
});
