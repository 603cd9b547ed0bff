/**
 * The original pipeline's stats rows and periodograms (test/fixtures/golden/expected: results.json
 * `stats{}.stats_dict` and `periodograms/<product>.json`) reproduced with the compat algorithm.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeLightcurve, readLightcurveColumns, type LightcurveColumns } from '../../src/analysis/lightcurve-file.js';
import { spacePeriodogram, PERIOD_SPACES, type PeriodSpace } from '../../src/analysis/periodogram/index.js';
import { relErr } from './helpers.js';

const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));

interface GoldenSpace {
  n: number;
  mean: number;
  three_sigma: number;
  max_power: number;
  significant_periods_days: number[];
  significant_powers: number[];
}
interface GoldenProduct {
  stats_dict: Record<string, number | boolean | string>;
  periodogram: Record<PeriodSpace, GoldenSpace>;
}
type GoldenPeriodograms = Record<PeriodSpace, { periods_days: number[]; power: number[] }>;

const results = JSON.parse(readFileSync(`${EXPECTED}results.json`, 'utf8')) as { stats: Record<string, GoldenProduct> };
const products = Object.entries(results.stats);

const columns = new Map<string, LightcurveColumns>();
async function columnsOf(product: string): Promise<LightcurveColumns> {
  let c = columns.get(product);
  if (c === undefined) {
    c = await readLightcurveColumns(`${EXPECTED}${product}`);
    columns.set(product, c);
  }
  return c;
}

describe('golden stats rows (results.json)', () => {
  it('has every product', () => assert.equal(products.length, 27));

  for (const [product, golden] of products) {
    it(product, async () => {
      const { row } = analyzeLightcurve(product, await columnsOf(product), { grid: 'compat', method: 'fast' });
      const sd = golden.stats_dict;
      assert.equal(row.lightcurve_path, sd.lightcurve_path);
      assert.equal(row.lightcurve_filename, sd.lightcurve_filename);
      assert.equal(row.total, sd.total);
      // mean/stdev of float32 counts were accumulated in float32 by numpy: ~1e-7 apart from ours.
      for (const key of ['mean', 'mu', 'stdev', 'poisson_factor'] as const) {
        assert.ok(relErr(row[key] as number, sd[key] as number) < 1e-6, `${key}: ${row[key]} vs ${sd[key]}`);
      }
      assert.ok(relErr(row.pearson_r as number, sd.pearson_r as number) < 1e-12, `pearson_r ${row.pearson_r} vs ${sd.pearson_r}`);
      const p = sd.pearson_p as number;
      assert.ok(p === 0 ? (row.pearson_p as number) < 1e-300 : relErr(row.pearson_p as number, p) < 1e-9, `pearson_p ${row.pearson_p} vs ${p}`);
      assert.equal(row.periodogram, sd.periodogram);
    });
  }
});

describe('golden periodograms (compat grid)', () => {
  for (const [product, golden] of products) {
    it(product, async () => {
      const name = product.split('/')[1].replace(/\.fits$/, '.json');
      const pg = JSON.parse(readFileSync(`${EXPECTED}periodograms/${name}`, 'utf8')) as GoldenPeriodograms;
      const c = await columnsOf(product);
      for (const space of PERIOD_SPACES) {
        const exact = spacePeriodogram(c.mjd, c.net, space, { grid: 'compat', method: 'exact' });
        const g = pg[space];
        assert.equal(exact.periods.length, g.periods_days.length);
        let worst = 0;
        for (let i = 0; i < g.power.length; i++) {
          assert.equal(exact.periods[i], g.periods_days[i], `${space} period ${i}`);
          worst = Math.max(worst, relErr(exact.power[i], g.power[i]));
        }
        assert.ok(worst < 1e-9, `${space}: worst relative power difference ${worst}`);
        const s = golden.periodogram[space];
        assert.ok(relErr(exact.mean, s.mean) < 1e-9 && relErr(exact.threeSigma, s.three_sigma) < 1e-9);
        assert.deepEqual(exact.significantPeriods, s.significant_periods_days);
        exact.significantPowers.forEach((p, k) => assert.ok(relErr(p, s.significant_powers[k]) < 1e-9));
        // fast: the same decisions; mean and threshold within its bound.
        const fast = spacePeriodogram(c.mjd, c.net, space, { grid: 'compat', method: 'fast' });
        assert.deepEqual(fast.significantPeriods, s.significant_periods_days, `${space}: fast significant periods`);
        assert.equal(fast.undecided, 0);
        assert.ok(Math.abs(fast.threeSigma - s.three_sigma) <= 4 * fast.maxErrorBound + 1e-15);
      }
    });
  }
});
