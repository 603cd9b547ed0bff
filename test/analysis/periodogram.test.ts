/**
 * Lomb-Scargle (§11.3): exact against scipy.signal.lombscargle and astropy's LombScargle at test time,
 * fast against exact (bounded error, identical decisions), grids, and injected signals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  analyzePeriodograms,
  compatGrid,
  correctedGrid,
  falseAlarmProbabilityBaluev,
  lombScargleExact,
  lombScargleFast,
  spacePeriodogram,
  thresholdInterval,
  powerLevels,
  PERIOD_SPACES,
} from '../../src/analysis/periodogram/index.js';
import { centered, mean, populationStd } from '../../src/analysis/samples.js';
import { readLightcurveColumns } from '../../src/analysis/lightcurve-file.js';
import { gaussian, poisson, reference, relErr, rng, skipUnlessAstropyTimeseries, skipUnlessScipy } from './helpers.js';

const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));
const DAY = 86400;

/** A binned lightcurve: `exposures` runs of `bins` 2-s bins, Poisson counts around rate·(1 + signal). */
function lightcurve(seed: number, exposures: { start: number; bins: number }[], rate: number, signal: (tSec: number) => number = () => 0) {
  const rand = rng(seed);
  const mjd: number[] = [];
  const net: number[] = [];
  for (const e of exposures) {
    for (let i = 0; i < e.bins; i++) {
      const tSec = (e.start - 55000) * DAY + i * 2;
      mjd.push(e.start + (i * 2) / DAY);
      net.push(poisson(rand, 2 * rate * (1 + signal(tSec))) / 2);
    }
  }
  return { mjd: Float64Array.from(mjd), net: Float64Array.from(net) };
}

describe('exact periodogram = scipy.signal.lombscargle', { skip: skipUnlessScipy() }, () => {
  it('agrees to 1e-9 relative on random and lightcurve-like inputs', () => {
    const rand = rng(7);
    const g = gaussian(rand);
    const cases: { t: Float64Array; y: Float64Array; omega: Float64Array }[] = [];
    for (const n of [5, 60, 700]) {
      // Irregular times around mjd 5.5e4 (the original's regime: huge phases ω·t).
      const t = Float64Array.from({ length: n }, () => 55000 + rand() * 0.3);
      const y = Float64Array.from({ length: n }, () => g());
      cases.push({ t, y: centered(y, mean(y)), omega: compatGrid('short', n).omega });
    }
    const lc = lightcurve(3, [{ start: 55500.1, bins: 400 }], 8, (s) => 0.3 * Math.sin((2 * Math.PI * s) / 47));
    for (const space of PERIOD_SPACES) cases.push({ t: lc.mjd, y: centered(lc.net, mean(lc.net)), omega: compatGrid(space, 400).omega });
    let worst = 0;
    for (const c of cases) {
      const expected = reference<number[]>('lombscargle', { t: Array.from(c.t), y: Array.from(c.y), omega: Array.from(c.omega) });
      const got = lombScargleExact(c.t, c.y, c.omega);
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, relErr(got[i], expected[i]));
    }
    assert.ok(worst < 1e-9, `worst relative difference ${worst}`);
  });
});

describe('normalization and FAP = astropy LombScargle (fit_mean=False, center_data=True, standard)', { skip: skipUnlessAstropyTimeseries() }, () => {
  it('power and Baluev false-alarm probability', () => {
    for (const [seed, n, amp] of [
      [11, 300, 0.15],
      [12, 1500, 0.02],
    ] as const) {
      const lc = lightcurve(seed, [{ start: 56000.2, bins: n }], 10, (s) => amp * Math.sin((2 * Math.PI * s) / 31));
      const grid = compatGrid('short', 200);
      const factor = 2 / (n * populationStd(lc.net) ** 2);
      // Same time origin as the reference (see reference.py), so only the normalization is compared.
      const trel = lc.mjd.map((x) => x - lc.mjd[0]);
      const ours = lombScargleExact(trel, centered(lc.net, mean(lc.net)), grid.omega).map((p) => p * factor);
      const f = Array.from(grid.omega, (w) => w / (2 * Math.PI));
      const z = Math.max(...ours);
      const fmax = DAY / 5;
      const ref = reference<{ power: number[]; fap: number; fmax: number }>('astropy_ls', { t: Array.from(lc.mjd), y: Array.from(lc.net), f, z, fmax });
      ours.forEach((p, i) => assert.ok(relErr(p, ref.power[i]) < 1e-9, `power ${i}: ${p} vs ${ref.power[i]}`));
      const fap = falseAlarmProbabilityBaluev(z, ref.fmax, lc.mjd);
      assert.ok(relErr(fap, ref.fap) < 1e-9 || Math.abs(fap - ref.fap) < 1e-300, `fap ${fap} vs ${ref.fap}`);
    }
  });
});

describe('fast periodogram', () => {
  const series = [
    { name: 'noise, one exposure', ...lightcurve(21, [{ start: 55321.3, bins: 900 }], 6) },
    { name: '47 s sinusoid', ...lightcurve(22, [{ start: 55321.3, bins: 700 }], 6, (s) => 0.3 * Math.sin((2 * Math.PI * s) / 47)) },
    {
      name: 'three visits over 30 days, 25 min signal',
      ...lightcurve(23, [{ start: 55400.1, bins: 600 }, { start: 55410.7, bins: 800 }, { start: 55430.25, bins: 500 }], 9, (s) => 0.2 * Math.sin((2 * Math.PI * s) / 1500)),
    },
  ];

  it('stays within its stated error bound of exact, on both grids', () => {
    for (const s of series) {
      const t = s.mjd;
      const y = centered(s.net, mean(s.net));
      for (const space of PERIOD_SPACES) {
        for (const grid of [compatGrid(space, t.length), correctedGrid(space, t, { maxPoints: 4000 })]) {
          const fast = lombScargleFast(t, y, grid.omega);
          const exact = lombScargleExact(t, y, grid.omega);
          let worstRatio = 0;
          for (let i = 0; i < exact.length; i++) worstRatio = Math.max(worstRatio, Math.abs(fast.power[i] - exact[i]) / fast.bound[i]);
          assert.ok(worstRatio <= 1, `${s.name} ${space} ${grid.kind}: |fast − exact| / bound = ${worstRatio}`);
        }
      }
    }
  });

  it('makes the same decisions as exact (significant peaks, flag), mean and threshold within the bound', () => {
    for (const s of series) {
      for (const space of PERIOD_SPACES) {
        for (const grid of ['compat', 'corrected'] as const) {
          const opts = { grid, maxGridPoints: 4000 };
          const exact = spacePeriodogram(s.mjd, s.net, space, { ...opts, method: 'exact' });
          const fast = spacePeriodogram(s.mjd, s.net, space, { ...opts, method: 'fast' });
          assert.equal(fast.undecided, 0);
          assert.deepEqual(fast.significantIndices, exact.significantIndices, `${s.name} ${space} ${grid}`);
          fast.significantPowers.forEach((p, k) => assert.ok(Math.abs(p - exact.significantPowers[k]) <= fast.maxErrorBound));
          assert.ok(Math.abs(fast.mean - exact.mean) <= fast.maxErrorBound);
          assert.ok(Math.abs(fast.threeSigma - exact.threeSigma) <= 4 * fast.maxErrorBound);
        }
      }
    }
  });

  it('makes the same decisions as exact on golden lightcurves with the corrected grid', async () => {
    for (const file of ['individual/lbxv0101q_curve.fits', 'individual/o6a501030_curve.fits', 'individual/lc7a0202q_curve.fits', 'individual/lcah0107q_curve.fits']) {
      const lc = await readLightcurveColumns(`${EXPECTED}${file}`);
      for (const space of PERIOD_SPACES) {
        const exact = spacePeriodogram(lc.mjd, lc.net, space, { method: 'exact' });
        const fast = spacePeriodogram(lc.mjd, lc.net, space, { method: 'fast' });
        assert.equal(fast.undecided, 0);
        assert.deepEqual(fast.significantIndices, exact.significantIndices, `${file} ${space}`);
      }
    }
  });

  it("bounds exact's mean + 3σ for any powers within the per-frequency bounds (thresholdInterval)", () => {
    const rand = rng(41);
    for (let trial = 0; trial < 40; trial++) {
      const m = 50 + Math.floor(rand() * 2000);
      // chi²(2)-like powers, bounds of varying size (as the fast method's, growing with frequency).
      const power = Float64Array.from({ length: m }, () => -Math.log(1 - rand()) * 1e-3);
      const bound = Float64Array.from({ length: m }, (_, i) => (1e-6 * (1 + i)) / m + rand() * 1e-7);
      const { mean: mu, std } = powerLevels(power);
      const { lo, hi } = thresholdInterval(power, bound, mu, std);
      // Perturbations at the extremes: aligned with, against, and independent of the deviations.
      const kinds = [(i: number) => Math.sign(power[i] - mu), (i: number) => -Math.sign(power[i] - mu), () => 1, () => -1, () => (rand() < 0.5 ? -1 : 1)];
      for (const kind of kinds) {
        const exact = Float64Array.from(power, (p, i) => p + kind(i) * bound[i] * (0.5 + rand() / 2));
        const ts = powerLevels(exact).threeSigma;
        assert.ok(ts >= lo && ts <= hi, `trial ${trial}: ${ts} outside [${lo}, ${hi}]`);
      }
      // And tighter than the triangle-inequality band mean(b) + 3·rms(b).
      let sb = 0;
      let sb2 = 0;
      for (const b of bound) {
        sb += b;
        sb2 += b * b;
      }
      assert.ok(hi - lo < 2 * (sb / m + 3 * Math.sqrt(sb2 / m)));
    }
  });

  it('handles a composite spanning years (time blocks) and matches exact on sampled frequencies', () => {
    const lc = lightcurve(31, [{ start: 55001.2, bins: 300 }, { start: 55600.9, bins: 300 }, { start: 56500.4, bins: 300 }], 5, (x) => 0.3 * Math.sin((2 * Math.PI * x) / 13));
    const y = centered(lc.net, mean(lc.net));
    const grid = correctedGrid('short', lc.mjd, { maxPoints: 1 << 16 });
    const fast = lombScargleFast(lc.mjd, y, grid.omega);
    const picks = Float64Array.from({ length: 300 }, (_, k) => grid.omega[Math.floor((k * grid.omega.length) / 300)]);
    const exact = lombScargleExact(lc.mjd, y, picks);
    for (let k = 0; k < 300; k++) {
      const i = Math.floor((k * grid.omega.length) / 300);
      assert.ok(Math.abs(fast.power[i] - exact[k]) <= fast.bound[i], `frequency ${i}`);
    }
  });
});

describe('corrected grid', () => {
  it('is uniform in frequency, oversampled 5× relative to 1/T, over the same period ranges', () => {
    const mjd = Float64Array.from({ length: 500 }, (_, i) => 55000 + (i * 2) / DAY);
    const span = mjd[499] - mjd[0];
    for (const space of PERIOD_SPACES) {
      const g = correctedGrid(space, mjd);
      const c = compatGrid(space, 500);
      assert.equal(g.periods[0], c.periods[0]);
      assert.ok(relErr(g.periods[g.periods.length - 1], c.periods[499]) < 1e-12);
      assert.ok(g.df <= 1 / (5 * span) + 1e-12);
      assert.ok(g.periods.length >= 500, 'never fewer points than the compat grid');
      for (let i = 1; i < g.periods.length; i++) assert.ok(g.periods[i] > g.periods[i - 1]);
    }
  });

  it('finds the injected 7.3 s sinusoid that the compat grid misses (issue #6 example)', async () => {
    // XTE J1118+480 in the golden archive: 7.3 s sinusoid, amplitude 0.35, 1000 s exposure.
    const lc = await readLightcurveColumns(`${EXPECTED}individual/o6a501030_curve.fits`);
    const compat = analyzePeriodograms(lc.mjd, lc.net, { grid: 'compat', method: 'exact' });
    const corrected = analyzePeriodograms(lc.mjd, lc.net, { grid: 'corrected' });
    const compatMax = Math.max(...compat.spaces.short.power);
    assert.ok(compatMax < 0.03, `compat short-space max ${compatMax}`);
    assert.equal(compat.interesting, false);
    assert.ok(corrected.bestPower > 0.4, `corrected best power ${corrected.bestPower}`);
    assert.ok(Math.abs(corrected.bestPeriod * DAY - 7.3) / 7.3 < 0.01, `best period ${corrected.bestPeriod * DAY} s`);
    assert.equal(corrected.interesting, true);
    assert.ok(corrected.falseAlarmProbability < 1e-20);
  });

  it('recovers injected sinusoids of the golden archive within 1% and leaves constant sources unflagged', async () => {
    const injected: [string, number][] = [
      ['individual/o6a501030_curve.fits', 7.3],
      ['individual/lbxv0101q_curve.fits', 47],
      ['individual/lc9h0103q_curve.fits', 300],
      ['composite/hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci.fits', 300],
      ['composite/hlsp_hstlc_hst_cos-nuv_hd209458_g225m_2250_psa_v1_sci.fits', 47],
    ];
    for (const [file, period] of injected) {
      const lc = await readLightcurveColumns(`${EXPECTED}${file}`);
      const a = analyzePeriodograms(lc.mjd, lc.net);
      assert.equal(a.interesting, true, file);
      assert.ok(Math.abs(a.bestPeriod * DAY - period) / period < 0.01, `${file}: ${a.bestPeriod * DAY} s vs ${period} s`);
    }
    for (const file of ['individual/lc7a0101q_curve.fits', 'individual/lc7a0202q_curve.fits', 'individual/lb9y0102q_curve.fits', 'individual/lclf0107q_curve.fits']) {
      const lc = await readLightcurveColumns(`${EXPECTED}${file}`);
      assert.equal(analyzePeriodograms(lc.mjd, lc.net).interesting, false, file);
    }
  });

  it('false-positive rate on 100 noise-only series', (t) => {
    let flagged = 0;
    for (let k = 0; k < 100; k++) {
      const bins = 150 + ((k * 37) % 1000);
      const lc = lightcurve(1000 + k, [{ start: 55000.5 + k, bins }], 3 + (k % 20));
      if (analyzePeriodograms(lc.mjd, lc.net, { method: 'fast' }).interesting) flagged++;
    }
    t.diagnostic(`noise-only series flagged: ${flagged}/100`);
    assert.ok(flagged <= 2, `${flagged}/100 noise-only series flagged`);
  });
});
