/** `hstlc lightcurve-stats`: one result per file, bad files reported, exit 1 when any failed. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));
const results = JSON.parse(readFileSync(`${EXPECTED}results.json`, 'utf8')) as { stats: Record<string, { stats_dict: Record<string, unknown> }> };

after(cleanupSandboxes);

describe('hstlc lightcurve-stats', () => {
  it('prints the original stats row with --algorithm compat, and reports a bad file without stopping', async () => {
    const { cwd, homedir } = await sandbox();
    const bad = join(cwd, 'broken_curve.fits');
    writeFileSync(bad, 'SIMPLE  =                    T not really FITS');
    const good = `${EXPECTED}individual/lbxv0101q_curve.fits`;
    const r = await run(['--json', 'lightcurve-stats', '--algorithm', 'compat', good, bad, `${EXPECTED}composite/hlsp_hstlc_hst_cos-nuv_gd71_g185m_1786_psa_v1_sci.fits`], { cwd, homedir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /broken_curve\.fits/);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(out.length, 3);
    assert.equal(out[0].file, good);
    const golden = results.stats['individual/lbxv0101q_curve.fits'].stats_dict;
    for (const key of ['total', 'periodogram', 'lightcurve_filename']) assert.equal(out[0][key], golden[key], key);
    for (const key of ['mean', 'stdev', 'pearson_r', 'pearson_p']) {
      assert.ok(Math.abs((out[0][key] as number) - (golden[key] as number)) <= 1e-6 * Math.abs(golden[key] as number), key);
    }
    assert.equal(out[0].deliver, false);
    assert.equal(typeof out[1].error, 'string');
    assert.equal(out[1].file, bad);
    assert.equal(out[2].periodogram, false);
    assert.equal(out[2].deliver, true);
    assert.ok('best_period' in out[2] && 'false_alarm_probability' in out[2]);
  });

  it('prints a readable summary without --json', async () => {
    const { cwd, homedir } = await sandbox();
    const r = await run(['lightcurve-stats', `${EXPECTED}individual/o6a501030_curve.fits`], { cwd, homedir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /o6a501030_curve\.fits/);
    assert.match(r.stdout, /periodogram true/);
    assert.match(r.stdout, /short +corrected grid/);
  });

  it('rejects an unknown algorithm with exit 2', async () => {
    const { cwd, homedir } = await sandbox();
    const r = await run(['lightcurve-stats', '--algorithm', 'nope', 'x.fits'], { cwd, homedir });
    assert.equal(r.code, 2);
  });
});
