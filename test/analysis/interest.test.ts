/**
 * The one definition of 'interesting' (src/analysis/interest.ts). The poisson factor's standard error
 * is checked against a numpy Monte Carlo of Poisson lightcurves, the normal tail against scipy, and the
 * verdicts against hand calculations.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { byInterest, interestOf, log10NormalTail, poissonFactorError, type InterestFacts } from '../../src/analysis/index.js';
import { execFileSync, PYTHON, skipUnlessAstropy } from '../helpers/tools.js';

const row = (o: Partial<InterestFacts>): InterestFacts => ({ total: 10000, mean: 10, poisson_factor: 1, periodogram: false, false_alarm_probability: null, ...o });

describe("'interesting', one definition", () => {
  it('the poisson factor’s standard error matches a numpy Monte Carlo of Poisson lightcurves (within 10 %)', { skip: skipUnlessAstropy() }, () => {
    const script = `
import json, numpy as np
rng = np.random.default_rng(7)
out = []
for n, m in [(20, 100.0), (200, 5.0), (2000, 1.5), (50, 30.0)]:
    x = rng.poisson(m, size=(4000, n)).astype(float)
    f = x.std(axis=1) / np.sqrt(x.mean(axis=1))
    out.append([n, m, float(f.mean()), float(f.std())])
print(json.dumps(out))`;
    const cases = JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' })) as Array<[number, number, number, number]>;
    for (const [n, m, fMean, fStd] of cases) {
      const ours = poissonFactorError(fMean, n * m, m);
      assert.ok(Math.abs(ours / fStd - 1) < 0.1, `N=${n} mean=${m}: ours ${ours}, Monte Carlo ${fStd}`);
    }
  });

  it('log10 of the normal tail matches scipy, far into the tail', { skip: skipUnlessAstropy() }, () => {
    const zs = [-2, 0, 1, 3, 5, 10, 40];
    const want = JSON.parse(execFileSync(PYTHON, ['-c', `import json, numpy as np; from scipy.stats import norm; print(json.dumps([float(norm.logsf(z) / np.log(10)) for z in ${JSON.stringify(zs)}]))`], { encoding: 'utf8' })) as number[];
    zs.forEach((z, i) => assert.ok(Math.abs(log10NormalTail(z) - want[i]!) <= 1e-6 * Math.max(1, Math.abs(want[i]!)), `z=${z}: ${log10NormalTail(z)} vs ${want[i]}`));
  });

  it('too few counts is low counts, never interesting, whatever the poisson factor or periodogram', () => {
    // the demo's near-empty STIS composites: 3 counts, a huge poisson factor, a flagged peak
    assert.equal(interestOf(row({ total: 3, mean: 0.001, poisson_factor: 18, periodogram: true, false_alarm_probability: 1e-9 })).kind, 'low_counts');
    assert.equal(interestOf(row({ total: 99, mean: 5, poisson_factor: 3 })).kind, 'low_counts');
    assert.equal(interestOf(row({ total: 5000, mean: 0.9, poisson_factor: 3 })).kind, 'low_counts');
    assert.equal(interestOf(row({ total: -2412, mean: null, poisson_factor: null })).kind, 'low_counts');
    assert.equal(interestOf(row({ total: null, mean: null, poisson_factor: null })).kind, 'null');
  });

  it('variability needs F ≥ 1.2 and 3σ above 1 (hand calculation)', () => {
    // N = 10000 bins of mean 10: σ_F = 1.25/√(2·9999) = 0.0088393 → z = 28
    const many = interestOf(row({ total: 100000, mean: 10, poisson_factor: 1.25 }));
    assert.equal(many.kind, 'interesting');
    assert.ok(Math.abs(many.poissonError! - 0.0088393) < 1e-7, String(many.poissonError));
    // N = 20 bins of mean 100: σ_F = 1.25/√38 = 0.20278 → z = 1.2: boring
    const few = interestOf(row({ total: 2000, mean: 100, poisson_factor: 1.25 }));
    assert.equal(few.kind, 'boring');
    assert.ok(Math.abs(few.poissonError! - 0.20278) < 1e-5, String(few.poissonError));
    // significant but small: F = 1.1 over 10⁴ bins is 11σ, yet below the 1.2 the pages always used
    assert.equal(interestOf(row({ total: 100000, mean: 10, poisson_factor: 1.1 })).kind, 'boring');
  });

  it('a flagged periodogram peak counts when its false-alarm probability is ≤ 1 %', () => {
    assert.equal(interestOf(row({ periodogram: true, false_alarm_probability: 0.001 })).kind, 'interesting');
    assert.equal(interestOf(row({ periodogram: true, false_alarm_probability: 0.2 })).kind, 'boring');
    assert.equal(interestOf(row({ periodogram: false, false_alarm_probability: 1e-6 })).kind, 'boring');
  });

  it('ranks by the stronger evidence, low counts and no statistics last', () => {
    const rows = [
      { ...row({ total: 3, mean: 0.01, poisson_factor: 20 }), targname: 'EMPTY' },
      { ...row({ total: 100000, mean: 10, poisson_factor: 1.25 }), targname: 'STRONG' }, // z = 28, p ~ 1e-176
      { ...row({ periodogram: true, false_alarm_probability: 1e-4 }), targname: 'PERIODIC' },
      { ...row({ total: 100000, mean: 10, poisson_factor: 1.0 }), targname: 'FLAT' },
      { ...row({ total: null, mean: null, poisson_factor: null }), targname: 'NONE' },
    ];
    assert.deepEqual([...rows].sort(byInterest).map((r) => r.targname), ['STRONG', 'PERIODIC', 'FLAT', 'EMPTY', 'NONE']);
  });
});
