/**
 * §6.5 time grid and histograms against numpy, run at test time (the same numpy 1.24 the golden
 * outputs came from): argsort order with ties, arange edges, and the float32 cumulative histogram.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { npArgsort } from '../../src/lightcurve/npsort.js';
import { binIndex, makeHistogram, npArange, timeGrid } from '../../src/lightcurve/binning.js';
import { PYTHON, skipUnlessAstropy } from '../helpers/tools.js';

function numpy<T>(code: string, input = ''): T {
  return JSON.parse(execFileSync(PYTHON, ['-c', `import json, numpy as np\n${code}`], { encoding: 'utf8', maxBuffer: 1 << 26, input })) as T;
}

/** Float32 times with many ties (COS TIME is float32 on a 32 ms grid), and float32 weights. */
function sample(n: number, seed: number): { t: Float32Array; w: Float32Array } {
  let a = seed;
  const r = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
  const t = new Float32Array(n);
  const w = new Float32Array(n);
  let now = 0;
  for (let i = 0; i < n; i++) {
    now += r() < 0.3 ? 0 : 0.032 * Math.floor(1 + r() * 3);
    t[i] = now;
    w[i] = 0.9 + r() * 0.2;
  }
  return { t, w };
}

describe('numpy-compatible sort and histogram', { skip: skipUnlessAstropy() }, () => {
  it('npArgsort equals np.argsort (introsort, ties not stable) on sorted, reversed and random data', () => {
    const { t } = sample(5000, 7);
    const rev = Float32Array.from(t).reverse();
    const mixed = Float32Array.from(t, (v, i) => (i % 7 === 0 ? t[(i * 31) % t.length] : v));
    // A median-of-3 killer (Musser's sequence): quicksort goes past introsort's depth limit and the
    // partitions left are heapsorted, numpy's fallback path.
    const killer = Float32Array.from({ length: 4000 }, (_, i) => (i < 2000 ? (i % 2 === 0 ? i + 1 : 2000 + i) : 2 * (i - 2000 + 1)));
    const withNan = Float32Array.from(mixed, (v, i) => (i % 97 === 0 ? NaN : v));
    for (const data of [t, rev, mixed, killer, withNan]) {
      // JSON has no NaN: null, which numpy reads as NaN in a float array
      const want = numpy<number[]>(`null = None\nprint(json.dumps(np.argsort(np.array(${JSON.stringify(Array.from(data))}, dtype=np.float32)).tolist()))`);
      assert.deepEqual(Array.from(npArgsort(data)), want);
    }
  });

  it('np.arange(start, end + step, step) edges are reproduced exactly', () => {
    for (const [s, e, st] of [[0.032, 2284.4, 2], [Math.fround(0.0015), 1002.2, 2], [3.5, 10, 0.7]]) {
      const want = numpy<number[]>(`print(json.dumps(np.arange(${s}, ${e} + ${st}, ${st}).tolist()))`);
      assert.deepEqual(Array.from(npArange(s, e + st, st)), want);
    }
  });

  it('the float32 weighted histogram equals np.histogram bit for bit (65536-event blocks)', () => {
    const { t, w } = sample(140000, 3);
    const grid = timeGrid(t[0], t[t.length - 1], 2);
    const h = makeHistogram(grid.edges, t.length, true, 'numpy');
    for (let i = 0; i < t.length; i++) h.addAt(i, t[i], w[i]);
    const ours = Array.from(h.finish());
    const want = numpy<number[]>(
      `import sys\nd=json.load(sys.stdin)\nt=np.array(d['t'],dtype=np.float32); w=np.array(d['w'],dtype=np.float32)\n` +
        `print(json.dumps(np.histogram(t, np.arange(t.min(), t.max()+2, 2), weights=w)[0].astype(float).tolist()))`,
      JSON.stringify({ t: Array.from(t), w: Array.from(w) }),
    );
    assert.equal(ours.length, want.length);
    assert.deepEqual(ours, want);
  });

  it('sorted times whose ties carry equal weights (summed in input order) equal np.histogram bit for bit', () => {
    const { t } = sample(140000, 5);
    // A weight per distinct time (as a per-pixel flat gives tied events of one pixel): ties share it.
    const w = Float32Array.from(t, (v) => 0.9 + ((v * 7919) % 1) * 0.2);
    const grid = timeGrid(t[0], t[t.length - 1], 2);
    const h = makeHistogram(grid.edges, t.length, true, 'numpy');
    for (let i = 0; i < t.length; i++) h.addAt(i, t[i], w[i]);
    const want = numpy<number[]>(
      `import sys\nd=json.load(sys.stdin)\nt=np.array(d['t'],dtype=np.float32); w=np.array(d['w'],dtype=np.float32)\n` +
        `print(json.dumps(np.histogram(t, np.arange(t.min(), t.max()+2, 2), weights=w)[0].astype(float).tolist()))`,
      JSON.stringify({ t: Array.from(t), w: Array.from(w) }),
    );
    assert.deepEqual(Array.from(h.finish()), want);
  });
});

describe('bins', () => {
  it('numpy bin rule: [e_k, e_k+1), the last bin closed, outside → −1', () => {
    const e = npArange(0, 7, 2); // 0 2 4 6
    assert.deepEqual([-0.1, 0, 1.99, 2, 5.9, 6, 6.01].map((t) => binIndex(e, t)), [-1, 0, 0, 1, 2, 2, -1]);
  });
  it('timeGrid truncates when the last edge passes the end (§6.5)', () => {
    assert.equal(timeGrid(0, 10, 2).truncate, false);
    assert.equal(timeGrid(0, 9, 2).truncate, true);
  });
  it('float64 and numpy summation agree to the float32 running sum’s precision', () => {
    const { t, w } = sample(20000, 11);
    const g = timeGrid(t[0], t[t.length - 1], 2);
    const a = makeHistogram(g.edges, t.length, true, 'numpy');
    const b = makeHistogram(g.edges, t.length, true, 'float64');
    for (let i = 0; i < t.length; i++) {
      a.addAt(i, t[i], w[i]);
      b.addAt(i, t[i], w[i]);
    }
    const x = a.finish();
    const y = b.finish();
    // numpy differences a float32 running sum of ~20000: its rounding error random-walks to about
    // √n half-ulps of the total, which is what each bin may be off by
    const total = Array.from(w).reduce((s, v) => s + v, 0);
    const ulp = 2 ** (Math.floor(Math.log2(total)) - 23);
    for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= Math.sqrt(t.length) * ulp, `bin ${i}: ${x[i]} vs ${y[i]}`);
  });
});
