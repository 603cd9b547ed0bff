/** §11.2 statistics by hand calculation, and the NULL/deliver rules (§15.23). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countStatistics, deliverable, productKindOf, statsRow } from '../../src/analysis/stats.js';
import { analyzeLightcurve } from '../../src/analysis/lightcurve-file.js';

const mjd = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 56000 + (i * 2) / 86400);

describe('countStatistics', () => {
  it('follows the §11.2 definitions (hand calculation)', () => {
    // counts 1, 2, 3, 4.5: Σ = 10.5 → total 10; mean 2.625; population variance
    // (1.625² + 0.625² + 0.375² + 1.875²)/4 = 6.6875/4 = 1.671875.
    const s = countStatistics(Float64Array.of(1, 2, 3, 4.5), mjd(4));
    assert.equal(s.total, 10);
    assert.equal(s.mean, 2.625);
    assert.equal(s.mu, Math.sqrt(2.625));
    assert.equal(s.stdev, Math.sqrt(1.671875));
    assert.equal(s.poissonFactor, Math.sqrt(1.671875) / Math.sqrt(2.625));
    assert.ok(s.pearsonR > 0.98 && s.pearsonR < 1);
  });

  it('truncates total toward zero', () => {
    assert.equal(countStatistics(Float32Array.of(0.9, 0.9), mjd(2)).total, 1);
    assert.equal(countStatistics(Float64Array.of(-0.9, -0.9), mjd(2)).total, -1);
  });

  it('total ≤ 0 leaves the other statistics unset (NULL), as the original', () => {
    for (const counts of [Float64Array.of(), Float64Array.of(0, 0, 0), Float64Array.of(-1, 0.5), Float64Array.of(0.2, 0.3)]) {
      const s = countStatistics(counts, mjd(counts.length));
      assert.ok(s.total <= 0);
      const row = statsRow('/x/a_curve.fits', s, undefined);
      assert.deepEqual([row.mean, row.mu, row.stdev, row.poisson_factor, row.pearson_r, row.pearson_p], [null, null, null, null, null, null]);
      assert.equal(row.periodogram, false);
      assert.equal(row.deliver, false);
    }
  });

  it('a constant lightcurve gives stdev 0 and NULL Pearson values without throwing', () => {
    const s = countStatistics(new Float32Array(50).fill(3), mjd(50));
    assert.equal(s.total, 150);
    assert.equal(s.stdev, 0);
    assert.equal(s.poissonFactor, 0);
    assert.ok(Number.isNaN(s.pearsonR) && Number.isNaN(s.pearsonP));
    const row = statsRow('/o/hlsp_hstlc_hst_cos-fuv_x_g130m_1291_psa_v1_sci.fits', s, undefined);
    assert.equal(row.pearson_r, null);
    assert.equal(row.stdev, 0);
    assert.equal(row.deliver, false, 'a NULL statistic keeps a composite from delivery');
  });

  it('NaN counts give a NULL total instead of a crash', () => {
    const row = statsRow('a_curve.fits', countStatistics(Float64Array.of(1, NaN, 2), mjd(3)), undefined);
    assert.equal(row.total, null);
  });
});

describe('stats row', () => {
  it('splits the path and applies the deliver rule', () => {
    const counts = Float64Array.from({ length: 200 }, (_, i) => 10 + (i % 7));
    const t = mjd(200);
    const composite = analyzeLightcurve('/out/composite/hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci.fits', { counts, mjd: t, net: counts });
    assert.equal(composite.row.lightcurve_path, '/out/composite');
    assert.equal(composite.row.lightcurve_filename, 'hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci.fits');
    assert.equal(composite.row.deliver, true);
    assert.equal(productKindOf(composite.row.lightcurve_filename), 'composite');
    const individual = analyzeLightcurve('/out/T/lb4k0105q_curve.fits', { counts, mjd: t, net: counts });
    assert.equal(individual.row.deliver, false);
    assert.equal(deliverable('individual', countStatistics(counts, t)), false);
    // Period-7-bin pattern (14 s): the short space sees it, and the flag is set.
    assert.equal(individual.row.periodogram, true);
    assert.ok(Math.abs((individual.row.best_period as number) * 86400 - 14) < 0.01, `best period ${(individual.row.best_period as number) * 86400} s`);
  });

  it('a constant lightcurve (even spanning years) has NaN powers, no flag and NULL best period', () => {
    const t = Float64Array.from({ length: 3000 }, (_, i) => 55000 + Math.floor(i / 1000) * 300 + (i % 1000) * (2 / 86400));
    const counts = new Float32Array(3000).fill(4);
    const a = analyzeLightcurve('/o/hlsp_hstlc_hst_cos-fuv_x_g130m_1291_psa_v1_sci.fits', { counts, mjd: t, net: Float64Array.from(counts) });
    assert.equal(a.row.periodogram, false);
    assert.equal(a.row.best_period, null);
    assert.equal(a.row.false_alarm_probability, null);
    assert.equal(a.periodogram?.spaces.short.three_sigma, null);
  });

  it('NaN times give NaN powers and no flag, quickly', () => {
    const t = Float64Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? NaN : 55000 + i / 43200));
    const counts = Float64Array.from({ length: 20000 }, (_, i) => 5 + (i % 4));
    const a = analyzeLightcurve('a_curve.fits', { counts, mjd: t, net: counts });
    assert.equal(a.row.periodogram, false);
    assert.equal(a.row.pearson_r, null);
  });
});
