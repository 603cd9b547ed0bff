import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, logFactorial } from '../../src/synthetic/random.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('Rng', () => {
  it('repeats a stream for the same seed and label', () => {
    const a = new Rng(42, 'file');
    const b = new Rng(42, 'file');
    for (let i = 0; i < 1000; i++) assert.equal(a.nextU32(), b.nextU32());
  });

  it('gives different streams for different labels and seeds', () => {
    const draw = (r: Rng): number[] => Array.from({ length: 8 }, () => r.nextU32());
    assert.notDeepEqual(draw(new Rng(42, 'a')), draw(new Rng(42, 'b')));
    assert.notDeepEqual(draw(new Rng(42, 'a')), draw(new Rng(43, 'a')));
    // Seeds above 2^32 use both halves.
    assert.notDeepEqual(draw(new Rng(2 ** 40 + 1, 'a')), draw(new Rng(1, 'a')));
    assert.deepEqual(draw(Rng.stream(5, 'x', 1)), draw(new Rng(5, 'x/1')));
  });

  it('rejects a seed that is not a safe integer', () => {
    assert.throws(() => new Rng(1.5), RangeError);
    assert.throws(() => new Rng(2 ** 60), RangeError);
  });

  it('draws uniforms in [0, 1) with the right moments', () => {
    const r = new Rng(1);
    const n = 200_000;
    const u = moments(() => r.uniform(), n);
    assert.ok(Math.abs(u.mean - 0.5) < 5 * Math.sqrt(1 / 12 / n));
    assert.ok(Math.abs(u.variance - 1 / 12) < 0.002);
    for (let i = 0; i < 10_000; i++) {
      const x = r.uniform53();
      assert.ok(x >= 0 && x < 1);
    }
  });

  it('draws unbiased integers over an inclusive range', () => {
    const r = new Rng(2);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(1, 6) - 1]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 5 * Math.sqrt(10_000 * (5 / 6)), `count ${c}`);
  });

  it('draws exponentials and normals with unit moments', () => {
    const r = new Rng(3);
    const n = 200_000;
    const e = moments(() => r.exponential(), n);
    assert.ok(Math.abs(e.mean - 1) < 5 / Math.sqrt(n));
    assert.ok(Math.abs(e.variance - 1) < 0.03);
    const g = moments(() => r.normal(), n);
    assert.ok(Math.abs(g.mean) < 5 / Math.sqrt(n));
    assert.ok(Math.abs(g.variance - 1) < 0.02);
  });

  for (const lambda of [0.3, 4, 11.9, 12, 37.5, 1000, 2.5e6]) {
    it(`draws Poisson(${lambda}) with mean and variance λ`, () => {
      const r = new Rng(4, String(lambda));
      const n = 40_000;
      const p = moments(() => r.poisson(lambda), n);
      assert.ok(Math.abs(p.mean - lambda) < 5 * Math.sqrt(lambda / n), `mean ${p.mean}`);
      assert.ok(Math.abs(p.variance / lambda - 1) < 0.05, `variance ${p.variance}`);
    });
  }

  it('gives Poisson(0) = 0 and rejects bad means', () => {
    assert.equal(new Rng(1).poisson(0), 0);
    assert.throws(() => new Rng(1).poisson(-1), RangeError);
    assert.throws(() => new Rng(1).poisson(Number.NaN), RangeError);
  });

  it('computes ln k! on both sides of the table', () => {
    let direct = 0;
    for (let k = 1; k <= 200; k++) {
      direct += Math.log(k);
      assert.ok(Math.abs(logFactorial(k) - direct) < 1e-9 * Math.max(1, direct), `k = ${k}`);
    }
  });
});
