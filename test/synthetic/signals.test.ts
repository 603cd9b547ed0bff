import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileSignal, integrateOverGtis, type Signal } from '../../src/synthetic/signals.js';
import { drawEventTimes, expectedCount, gtiLength, type Gti } from '../../src/synthetic/timing.js';
import { Rng } from '../../src/synthetic/random.js';

const SIGNALS: Signal[] = [
  { type: 'constant' },
  { type: 'sinusoid', period: 7.3, amplitude: 0.35, phase: 1.2, epoch_mjd: 55000 },
  { type: 'sinusoid', period: 10800, amplitude: 0.15, phase: 4, epoch_mjd: 55000 },
  { type: 'flare', t0: 300, amplitude: 5, rise: 12, decay: 90 },
  { type: 'dip', tc: 500, depth: 0.3, duration: 400, ingress: 60 },
];

function numeric(f: (t: number) => number, a: number, b: number, n = 200_000): number {
  const h = (b - a) / n;
  let s = 0.5 * (f(a) + f(b));
  for (let i = 1; i < n; i++) s += f(a + i * h);
  return s * h;
}

describe('signals', () => {
  for (const s of SIGNALS) {
    it(`${s.type}: the exact integral matches quadrature and m(t) <= max`, () => {
      const m = compileSignal(s, { expstart: 56789.123 });
      for (const [a, b] of [
        [0, 1000],
        [123.4, 567.8],
        [290, 310],
        [480, 520],
      ] as const) {
        const q = numeric(m.factor, a, b);
        assert.ok(Math.abs(m.integral(a, b) - q) < 1e-6 * (b - a), `${a}..${b}: ${m.integral(a, b)} vs ${q}`);
      }
      for (let t = 0; t < 1000; t += 0.37) {
        const f = m.factor(t);
        assert.ok(f >= 0 && f <= m.max + 1e-12);
      }
    });
  }

  it('keeps sinusoid phases coherent across exposures (absolute time)', () => {
    const s: Signal = { type: 'sinusoid', period: 300, amplitude: 0.3, phase: 0.5, epoch_mjd: 55000 };
    const e1 = 56000.25;
    const e2 = e1 + 1000 / 86400; // 1000 s later
    const a = compileSignal(s, { expstart: e1 });
    const b = compileSignal(s, { expstart: e2 });
    for (const t of [0, 17, 250]) assert.ok(Math.abs(a.factor(t + 1000) - b.factor(t)) < 1e-6);
  });

  it('shapes the dip: flat bottom at 1 − depth, linear ingress, 1 outside contacts', () => {
    const m = compileSignal({ type: 'dip', tc: 500, depth: 0.3, duration: 400, ingress: 60 }, { expstart: 0 });
    assert.equal(m.factor(500), 0.7);
    assert.equal(m.factor(250), 1);
    assert.ok(Math.abs(m.factor(330) - 0.85) < 1e-12); // halfway through ingress (300..360)
  });
});

describe('drawEventTimes', () => {
  const gtis: Gti[] = [
    [0, 600],
    [800, 1400],
  ];

  it('draws sorted times inside the GTIs with Poisson-consistent counts per component', () => {
    const rng = new Rng(11, 'times');
    const flare = compileSignal({ type: 'flare', t0: 300, amplitude: 5, rise: 10, decay: 60 }, { expstart: 0 });
    const comps = [{ rate: 40, model: flare }, { rate: 15 }, { rate: 5 }];
    const ev = drawEventTimes(rng, gtis, comps);
    assert.equal(ev.time.length, ev.count);
    for (let i = 1; i < ev.count; i++) assert.ok(ev.time[i] >= ev.time[i - 1]);
    for (let i = 0; i < ev.count; i++) {
      const t = ev.time[i];
      assert.ok(gtis.some(([a, b]) => t >= a && t < b), `t = ${t} outside GTIs`);
    }
    const counts = [0, 0, 0];
    for (let i = 0; i < ev.count; i++) counts[ev.component[i]]++;
    comps.forEach((c, k) => {
      const mu = expectedCount(c, gtis);
      assert.ok(Math.abs(counts[k] - mu) < 5 * Math.sqrt(mu), `component ${k}: ${counts[k]} vs ${mu}`);
    });
    assert.equal(expectedCount(comps[1], gtis), 15 * gtiLength(gtis));
    assert.equal(integrateOverGtis(flare, gtis), flare.integral(0, 600) + flare.integral(800, 1400));
  });

  it('follows the injected light curve (flare bins vs quiescence)', () => {
    const flare = compileSignal({ type: 'flare', t0: 300, amplitude: 5, rise: 10, decay: 60 }, { expstart: 0 });
    const ev = drawEventTimes(new Rng(12), [[0, 600]], [{ rate: 200, model: flare }]);
    const inBin = (a: number, b: number): number => {
      let c = 0;
      for (let i = 0; i < ev.count; i++) if (ev.time[i] >= a && ev.time[i] < b) c++;
      return c;
    };
    for (const [a, b] of [
      [0, 100],
      [290, 330],
      [330, 420],
      [500, 600],
    ] as const) {
      const mu = 200 * flare.integral(a, b);
      const got = inBin(a, b);
      assert.ok(Math.abs(got - mu) < 5 * Math.sqrt(mu), `[${a}, ${b}): ${got} vs ${mu}`);
    }
  });

  it('is deterministic and handles empty inputs', () => {
    const a = drawEventTimes(new Rng(3), gtis, [{ rate: 10 }]);
    const b = drawEventTimes(new Rng(3), gtis, [{ rate: 10 }]);
    assert.deepEqual(a.time, b.time);
    assert.equal(drawEventTimes(new Rng(3), gtis, [{ rate: 0 }]).count, 0);
    assert.equal(drawEventTimes(new Rng(3), [], [{ rate: 10 }]).count, 0);
  });
});
