/** Pearson r and p against scipy.stats.pearsonr, computed at test time (§11.2). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pearson, pearsonPValue } from '../../src/analysis/pearson.js';
import { gaussian, reference, relErr, rng, skipUnlessScipy } from './helpers.js';

interface Case {
  x: number[];
  y: number[];
  y32?: boolean;
}

function randomCases(): Case[] {
  const rand = rng(20261125);
  const g = gaussian(rand);
  const cases: Case[] = [];
  for (const n of [3, 4, 5, 10, 57, 300, 2000, 20000]) {
    for (const rho of [0, 0.05, -0.3, 0.8, -0.97]) {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = g();
        x.push(a);
        y.push(rho * a + Math.sqrt(1 - rho * rho) * g());
      }
      cases.push({ x, y });
    }
  }
  // Lightcurve-like: x = mjd (5.5e4 + bins of 2 s), y = float32 Poisson-ish counts with a trend.
  for (const n of [50, 700, 5000]) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      x.push(55123.456 + (i * 2) / 86400);
      y.push(Math.fround(Math.max(0, Math.round(20 + 0.002 * i + 4 * g()))));
    }
    cases.push({ x, y, y32: true });
  }
  // Strong correlation with many points: p far below 1e-100.
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    x.push(i);
    y.push(i + 30 * g());
  }
  cases.push({ x, y });
  // Edge inputs: two points, constant, near-constant, NaN.
  cases.push({ x: [1, 2], y: [3, 1] }, { x: [1, 2, 3], y: [5, 5, 5] }, { x: [4, 4, 4, 4], y: [1, 2, 3, 4] });
  cases.push({ x: [1, 2, 3, 4, 5], y: [1e-300, 2e-300, 1.5e-300, 4e-300, 3e-300] });
  cases.push({ x: [1, 2, 3, 4, 5], y: [1e200, -3e200, 5e200, 2e200, -1e200] });
  return cases;
}

describe('pearson (scipy.stats.pearsonr)', { skip: skipUnlessScipy() }, () => {
  it('matches scipy on random, lightcurve-like and edge inputs', () => {
    const cases = randomCases();
    const expected = reference<{ r: number | null; p: number | null }[]>('pearsonr', { cases });
    let worstR = 0;
    let worstP = 0;
    cases.forEach((c, k) => {
      const y = c.y32 ? Float32Array.from(c.y) : Float64Array.from(c.y);
      const got = pearson(Float64Array.from(c.x), y);
      const e = expected[k];
      if (e.r === null) {
        assert.ok(Number.isNaN(got.r) && Number.isNaN(got.p), `case ${k}: expected NaN, got ${got.r}`);
        return;
      }
      assert.ok(Math.abs(got.r - e.r) <= 1e-14 + 1e-13 * Math.abs(e.r), `case ${k}: r ${got.r} vs ${e.r}`);
      worstR = Math.max(worstR, Math.abs(got.r - e.r));
      assert.notEqual(e.p, null);
      const ep = e.p as number;
      // p is sensitive to r (d ln p/dr ≈ n·r/(1−r²)); allow that times r's rounding on top of 1e-9.
      const slack = 1e-9 + (c.x.length * Math.abs(got.r - e.r)) / Math.max(1e-300, 1 - e.r * e.r);
      assert.ok(relErr(got.p, ep) <= slack || Math.abs(got.p - ep) < 1e-300, `case ${k} (n=${c.x.length}): p ${got.p} vs ${ep}`);
      if (ep > 0) worstP = Math.max(worstP, relErr(got.p, ep));
    });
    assert.ok(worstR < 1e-13, `worst |Δr| ${worstR}`);
    assert.ok(worstP < 1e-9, `worst relative Δp ${worstP}`);
  });

  it('p(r, n) matches scipy to 1e-9 down to 1e-300 and for r near ±1', () => {
    const cases: [number, number][] = [];
    for (const n of [3, 4, 5, 7, 10, 30, 100, 1000, 10000, 100000, 1000000]) {
      for (const r of [0, 1e-8, 0.01, 0.1, -0.3, 0.5, 0.9, -0.99, 0.999, 1 - 1e-6, -(1 - 1e-9), 1 - 1e-12, 1 - 2 ** -52, 1]) cases.push([r, n]);
    }
    // Values chosen to put p near 1e-300 and beyond.
    cases.push([0.5, 5200], [0.3, 15000], [0.9, 470], [0.99, 250], [0.2, 34000]);
    const expected = reference<(number | null)[]>('pvalue', { cases });
    let worst = 0;
    let smallest = 1;
    cases.forEach(([r, n], k) => {
      const got = pearsonPValue(r, n);
      const e = expected[k] as number;
      assert.ok(got >= 0 && got <= 1, `p(${r}, ${n}) = ${got}`);
      if (e >= 1e-300) {
        const rel = relErr(got, e);
        worst = Math.max(worst, rel);
        smallest = Math.min(smallest, e);
        assert.ok(rel <= 1e-9, `p(${r}, ${n}) = ${got}, scipy ${e}, rel ${rel}`);
      } else {
        // Subnormal or zero in scipy: ours must be as tiny.
        assert.ok(got < 1e-290, `p(${r}, ${n}) = ${got}, scipy ${e}`);
      }
    });
    assert.ok(smallest < 1e-250, `the cases reach p = ${smallest}`);
    assert.ok(worst <= 1e-9, `worst ${worst}`);
  });
});

describe('pearson edge cases (hand calculation)', () => {
  it('perfect line: r = ±1, p = 0; two points: p = 1', () => {
    assert.deepEqual(pearson(Float64Array.of(1, 2, 3, 4), Float64Array.of(2, 4, 6, 8)), { r: 1, p: 0 });
    assert.deepEqual(pearson(Float64Array.of(1, 2, 3, 4), Float64Array.of(8, 6, 4, 2)), { r: -1, p: 0 });
    assert.deepEqual(pearson(Float64Array.of(1, 2), Float64Array.of(5, 3)), { r: -1, p: 1 });
  });
  it('n = 3 has a closed form: p = 1 − (2/π)·asin|r|', () => {
    const r = pearson(Float64Array.of(0, 1, 2), Float64Array.of(0, 2, 1));
    assert.ok(Math.abs(r.r - 0.5) < 1e-15);
    assert.ok(relErr(r.p, 1 - (2 / Math.PI) * Math.asin(0.5)) < 1e-13);
  });
  it('constant, too short or NaN input gives NaN without throwing', () => {
    for (const [x, y] of [
      [[1, 2, 3], [7, 7, 7]],
      [[1], [1]],
      [[], []],
      [[1, 2, 3], [1, NaN, 3]],
    ] as const) {
      const r = pearson(Float64Array.from(x), Float64Array.from(y));
      assert.ok(Number.isNaN(r.r) && Number.isNaN(r.p));
    }
  });
});
