/**
 * The corrected algorithm on corrtags with injected, known signals: each correction of issue 4
 * recovers the truth within 3σ, and the same test fails under the compat formula.
 */
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractEvents } from '../../src/hst/extraction.js';
import { extractFile } from '../../src/hst/extract.js';
import { COMPAT, CORRECTED, type AlgorithmParams } from '../../src/lightcurve/algorithm.js';
import { makeComposite } from '../../src/lightcurve/composite.js';
import { validWavelengthRange } from '../../src/hst/wavelength-range.js';
import { tempDir } from '../helpers/tools.js';
import { buildCorrtag, buildFluxtab, rng } from './corrtag-builder.js';

const tmp = tempDir('hstlc-corrected-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: tmp.dir };
mkdirSync(join(tmp.dir, 'lref'));

const T = 1000;
const REGIONS = { A: { spectrum: { loc: 500, hgt: 20 }, bkg1: { loc: 300, hgt: 60 }, bkg2: { loc: 700, hgt: 60 } } };
/** x → λ: 1400–1700 Å over x = 1000…15000, clear of the airglow windows. */
const lambda = (x: number): number => 1400 + ((x - 1000) * 300) / 14000;

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function within(value: number, expected: number, sigma: number, what: string): void {
  assert.ok(Math.abs(value - expected) <= 3 * sigma, `${what}: ${value.toFixed(3)} vs ${expected.toFixed(3)} ± 3×${sigma.toFixed(3)}`);
}

function outside(value: number, expected: number, sigma: number, what: string): void {
  assert.ok(Math.abs(value - expected) > 3 * sigma, `${what} under compat should miss the truth: ${value} vs ${expected} ± 3×${sigma}`);
}

describe('corrected background scale (§6.6, §15.14)', () => {
  const NS = 20000;
  const NB = 60000; // flat over y = 200…800
  let path = '';
  before(async () => {
    const r = rng(1);
    const events = [];
    for (let i = 0; i < NS; i++) {
      const x = 1000 + r() * 14000;
      events.push({ t: r() * T, x, y: 490 + r() * 20, w: lambda(x) });
    }
    for (let i = 0; i < NB; i++) {
      const x = 1000 + r() * 14000;
      events.push({ t: r() * T, x, y: 200 + r() * 600, w: lambda(x) });
    }
    path = await buildCorrtag({ dir: tmp.dir, name: 'ltst01bgq_corrtag_a.fits', regions: REGIONS, events });
  });

  const run = (algorithm: AlgorithmParams) => extractEvents(path, { step: 2, algorithm, refs });

  it('background within 3σ of the injected 2000 counts in the 20-pixel box; compat misses', async () => {
    const expected = (NB * 20) / 600;
    const inBkgRegions = (NB * 120) / 600;
    const sigma = Math.sqrt(inBkgRegions) * (20 / 120);
    within(sum((await run(CORRECTED)).columns.background), expected, sigma, 'corrected background');
    outside(sum((await run(COMPAT)).columns.background), expected, sigma, 'background');
  });

  it('net source counts within 3σ of the injected 20000', async () => {
    const lc = await run(CORRECTED);
    const g = sum(lc.columns.gross);
    const sigma = Math.sqrt(g + (20 / 120) ** 2 * ((NB * 120) / 600));
    within(sum(lc.columns.counts), NS, sigma, 'net counts');
    outside(sum((await run(COMPAT)).columns.counts), NS, sigma, 'net counts');
  });

  it('MJD = EXPSTART + t/86400 (the original used 1.15741e-5 d/s)', async () => {
    const c = (await run(CORRECTED)).columns;
    const k = c.times.length - 1;
    assert.ok(Math.abs(c.mjd[k] - (56000.5 + c.times[k] / 86400)) < 1e-11);
    const o = (await run(COMPAT)).columns;
    assert.ok(Math.abs(o.mjd[k] - (56000.5 + o.times[k] / 86400)) > 1e-8, 'compat keeps the original constant');
  });
});

describe('corrected per-event sensitivity for the source flux (§6.6)', () => {
  const N = 40000;
  const F = 1; // flux units: counts/s/pixel = F · R(λ)
  let path = '';
  before(async () => {
    await buildFluxtab(join(tmp.dir, 'lref', 'tstsens_phot.fits'), [{ segment: 'FUVA', optElem: 'G160M', cenwave: 1600, s0: 1, s1: 3, w0: 1390, w1: 1710 }]);
    const r = rng(2);
    const R = (w: number): number => 1 + (2 * (w - 1390)) / 320;
    const events = [];
    // x with density ∝ R(λ(x)): rejection sampling against the maximum sensitivity
    while (events.length < N) {
      const x = 1000 + r() * 14000;
      if (r() * 3 > R(lambda(x))) continue;
      events.push({ t: r() * T, x, y: 490 + r() * 20, w: lambda(x) });
    }
    // the expected count rate per pixel is F·R, so the total for N events fixes the flux scale
    path = await buildCorrtag({ dir: tmp.dir, name: 'ltst02fxq_corrtag_a.fits', regions: REGIONS, events, fluxtab: 'lref$tstsens_phot.fits' });
  });

  it('mean flux within 3σ of the injected flux; the mean-sensitivity formula is biased', async () => {
    // ∫R dx over the 14000 pixels: R runs linearly from R(1400) to R(1700)
    const meanR = (1 + (2 * 10) / 320 + 1 + (2 * 310) / 320) / 2;
    const truth = (F * N) / (T * 14000 * meanR) / F; // flux implied by N events (normalised F)
    const flux = (await extractEvents(path, { step: 2, algorithm: CORRECTED, refs })).columns.flux;
    const mean = sum(flux) / flux.length;
    const sigma = truth / Math.sqrt(N);
    within(mean, truth, sigma, 'corrected mean flux');
    const compat = (await extractEvents(path, { step: 2, algorithm: COMPAT, refs })).columns.flux;
    outside(sum(compat) / compat.length, truth, sigma, 'mean flux');
  });
});

describe('COS NUV: imaging counted once, FLUXTAB rows per stripe', () => {
  const NUV = {
    A: { spectrum: { loc: 200, hgt: 20 }, bkg1: { loc: 900, hgt: 10 }, bkg2: { loc: 950, hgt: 10 } },
    B: { spectrum: { loc: 300, hgt: 20 }, bkg1: { loc: 900, hgt: 10 }, bkg2: { loc: 950, hgt: 10 } },
    C: { spectrum: { loc: 400, hgt: 20 }, bkg1: { loc: 900, hgt: 10 }, bkg2: { loc: 950, hgt: 10 } },
  };

  it('IMAGING: gross = events inside 1024×512 once (compat: once per stripe, ×3)', async () => {
    const r = rng(3);
    const events = [];
    let inside = 0;
    for (let i = 0; i < 5000; i++) {
      const x = r() * 1200;
      const y = r() * 700;
      if (x < 1024 && y < 512) inside++;
      events.push({ t: r() * T, x, y, w: 0 });
    }
    const path = await buildCorrtag({ dir: tmp.dir, name: 'ltst03imq_corrtag.fits', detector: 'NUV', obstype: 'IMAGING', optElem: 'MIRRORA', cenwave: 0, regions: NUV, events });
    const lc = await extractEvents(path, { step: 2, algorithm: CORRECTED, refs });
    // the last partial bin is dropped; count the events before the last kept bin's end
    const end = lc.columns.times[lc.columns.times.length - 1] + 2;
    const insideKept = events.filter((e) => e.x < 1024 && e.y < 512 && Math.fround(e.t) < end).length;
    assert.ok(inside >= insideKept);
    assert.equal(sum(lc.columns.gross), insideKept);
    assert.equal(sum((await extractEvents(path, { step: 2, algorithm: COMPAT, refs })).columns.gross), 3 * insideKept);
  });

  it("IMAGING with FLUXTAB/TDSTAB 'N/A' (imaging has no flux calibration) gives no warning; spectroscopic 'N/A' still does", async () => {
    const r = rng(4);
    const events = Array.from({ length: 500 }, () => ({ t: r() * T, x: r() * 1000, y: r() * 500, w: 0 }));
    const imaging = await buildCorrtag({ dir: tmp.dir, name: 'ltst04imq_corrtag.fits', detector: 'NUV', obstype: 'IMAGING', optElem: 'MIRRORA', cenwave: 0, regions: NUV, events, fluxtab: 'N/A', tdstab: 'N/A' });
    for (const algorithm of [CORRECTED, COMPAT]) {
      const lc = await extractEvents(imaging, { step: 2, algorithm, refs });
      assert.deepEqual(lc.meta.warnings, [], algorithm.name);
    }
    const spectrum = await buildCorrtag({ dir: tmp.dir, name: 'ltst05spq_corrtag.fits', detector: 'NUV', optElem: 'G185M', cenwave: 1786, regions: NUV, events: events.map((e) => ({ ...e, w: 1800 })), fluxtab: 'N/A' });
    const lc = await extractEvents(spectrum, { step: 2, algorithm: CORRECTED, refs });
    assert.ok(lc.meta.warnings.some((w) => w.startsWith('FLUXTAB')), lc.meta.warnings.join('; '));
  });

  it('spectroscopic NUV uses the stripe’s own FLUXTAB row (compat: unity)', async () => {
    await buildFluxtab(join(tmp.dir, 'lref', 'tstnuv_phot.fits'), [
      { segment: 'NUVA', optElem: 'G185M', cenwave: 1786, s0: 1, s1: 1, w0: 1700, w1: 1900 },
      { segment: 'NUVB', optElem: 'G185M', cenwave: 1786, s0: 2, s1: 2, w0: 1700, w1: 1900 },
      { segment: 'NUVC', optElem: 'G185M', cenwave: 1786, s0: 4, s1: 4, w0: 1700, w1: 1900 },
    ]);
    const r = rng(4);
    const events = [];
    for (let i = 0; i < 3000; i++) {
      const x = i === 0 ? 100 : i === 1 ? 900 : 100 + r() * 800;
      events.push({ t: i === 0 ? 0.25 : r() * T, x, y: 295 + r() * 10, w: 1800 + r() * 50 });
    }
    const path = await buildCorrtag({
      dir: tmp.dir,
      name: 'ltst04nuq_corrtag.fits',
      detector: 'NUV',
      optElem: 'G185M',
      cenwave: 1786,
      regions: NUV,
      events,
      fluxtab: 'lref$tstnuv_phot.fits',
    });
    const nPix = 900 - 100 + 1;
    const lc = await extractEvents(path, { step: 2, algorithm: CORRECTED, refs });
    const n = sum(lc.columns.gross);
    // every event is in stripe B: flux summed over bins = N / (step · R_B · N_pix)
    assert.ok(Math.abs(sum(lc.columns.flux) - n / (2 * 2 * nPix)) < 1e-9 * n);
    const compat = await extractEvents(path, { step: 2, algorithm: COMPAT, refs });
    assert.ok(Math.abs(sum(compat.columns.flux) - sum(compat.columns.gross) / (2 * nPix)) < 1e-9 * n);
    assert.ok(compat.meta.warnings.some((w) => /no row .* for N\/A/.test(w)));
  });
});

describe('an injected period is recoverable from the corrected lightcurve', () => {
  it('sinusoid P = 100 s, amplitude 0.3: best period and amplitude within 3σ', async () => {
    const P = 100;
    const A = 0.3;
    const r = rng(5);
    const events = [];
    while (events.length < 40000) {
      const t = r() * T;
      if (r() * (1 + A) > 1 + A * Math.sin((2 * Math.PI * t) / P)) continue;
      const x = 1000 + r() * 14000;
      events.push({ t, x, y: 490 + r() * 20, w: lambda(x) });
    }
    const path = await buildCorrtag({ dir: tmp.dir, name: 'ltst05pdq_corrtag_a.fits', regions: REGIONS, events });
    const c = (await extractFile(path, { step: 2, algorithm: CORRECTED, refs })).lightcurve.columns;
    // least-squares fit of counts = a + b sin + c cos at each trial period
    const fit = (period: number): { amp: number; sigma: number } => {
      let s = 0, ss = 0, cc = 0, sc = 0, ys = 0, yc = 0, y0 = 0, s1 = 0, c1 = 0;
      const n = c.times.length;
      for (let i = 0; i < n; i++) {
        const ph = (2 * Math.PI * (c.times[i] + 1)) / period;
        const si = Math.sin(ph);
        const co = Math.cos(ph);
        const y = c.counts[i];
        s1 += si; c1 += co; ss += si * si; cc += co * co; sc += si * co; ys += y * si; yc += y * co; y0 += y; s += 1;
      }
      // solve the 3×3 normal equations by Cramer's rule
      const M = [[s, s1, c1], [s1, ss, sc], [c1, sc, cc]];
      const v = [y0, ys, yc];
      const det = (m: number[][]): number => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
      const D = det(M);
      const sol = [0, 1, 2].map((k) => det(M.map((row, i) => row.map((x, j) => (j === k ? v[i] : x)))) / D);
      const mean = sol[0];
      // Poisson: var(b) ≈ mean / Σ sin² ; relative amplitude error
      return { amp: Math.hypot(sol[1], sol[2]) / mean, sigma: Math.sqrt(mean / ss) / mean };
    };
    let best = 0;
    let bestAmp = 0;
    for (let p = 40; p <= 400; p += 0.5) {
      const f = fit(p);
      if (f.amp > bestAmp) {
        bestAmp = f.amp;
        best = p;
      }
    }
    assert.ok(Math.abs(best - P) <= 2, `best period ${best}`);
    const f = fit(P);
    // the 2 s bins smear the sinusoid by sinc(π·2/P)
    const smeared = A * (Math.sin((Math.PI * 2) / P) / ((Math.PI * 2) / P));
    within(f.amp, smeared, f.sigma, 'amplitude');
  });
});

describe('corrected composites: zero-count bins and good time intervals (§9.3(b))', () => {
  it('keeps an exposure with a gap and drops the bins outside its GTIs; compat drops the exposure', async () => {
    const r = rng(6);
    const events = [{ t: 0.5, x: 5000, y: 500, w: lambda(5000) }];
    while (events.length < 16000) {
      const t = r() * T;
      if (t > 400 && t < 600) continue;
      const x = 1000 + r() * 14000;
      events.push({ t, x, y: 490 + r() * 20, w: lambda(x) });
    }
    const extract = (algorithm: AlgorithmParams) => (f: string, wlim: readonly [number, number]) => extractEvents(f, { step: 2, algorithm, refs, wlim, wlimFloat: true });
    // The same events with one GTI: the silent stretch is 100 zero-count bins inside the GTI, which
    // corrected keeps (the member stays) and compat rejects.
    const quiet = await buildCorrtag({ dir: tmp.dir, name: 'ltst07gtq_corrtag_a.fits', regions: REGIONS, events, gti: [[0, 1000]] });
    const kept = await makeComposite([quiet], join(tmp.dir, 'quiet.fits'), { algorithm: CORRECTED, extract: extract(CORRECTED), range: validWavelengthRange });
    assert.equal(kept.members[0].kept, true);
    assert.ok(kept.members[0].zeroGrossBins >= 99, `${kept.members[0].zeroGrossBins} zero bins`);
    await assert.rejects(makeComposite([quiet], join(tmp.dir, 'quiet-compat.fits'), { algorithm: COMPAT, extract: extract(COMPAT), range: validWavelengthRange }), /zero gross counts/);
    // With the gap declared in the GTIs, the bins outside them are dropped.
    const path = await buildCorrtag({ dir: tmp.dir, name: 'ltst06gtq_corrtag_a.fits', regions: REGIONS, events, gti: [[0, 400], [600, 1000]] });
    const res = await makeComposite([path], join(tmp.dir, 'gti.fits'), { algorithm: CORRECTED, extract: extract(CORRECTED), range: validWavelengthRange });
    // bins [0.5 + 2k, 2.5 + 2k] inside [0, 400]: k = 0…198; inside [600, 1000]: k = 300…498
    assert.equal(res.rows, 199 + 199);
    assert.equal(res.members[0].kept, true);
    await assert.rejects(makeComposite([path], join(tmp.dir, 'gti-compat.fits'), { algorithm: COMPAT, extract: extract(COMPAT), range: validWavelengthRange }), /zero gross counts/);
  });
});
