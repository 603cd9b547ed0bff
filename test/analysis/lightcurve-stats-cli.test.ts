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

  it('says what it is doing before the first file and for each file; a failure names the file once', async () => {
    const { cwd, homedir } = await sandbox();
    const missing = join(cwd, 'missing_curve.fits');
    const good = `${EXPECTED}individual/o6a501030_curve.fits`;
    const r = await run(['lightcurve-stats', missing, good], { cwd, homedir });
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'info  Statistics of 2 lightcurve file(s), corrected grid, periodogram method auto');
    assert.equal(lines[1], `info  1/2 ${missing}: computing the statistics and periodogram`);
    const error = lines.find((l) => l.startsWith('error: '));
    assert.ok(error !== undefined && error.split(missing).length === 2, `the file is named once: ${error}`);
    assert.ok(lines.includes(`info  2/2 ${good}: computing the statistics and periodogram`), r.stderr);
    assert.ok(lines.some((l) => new RegExp(`^info  2/2 ${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: done in [\\d.]+ s$`).test(l)), r.stderr);
    assert.ok(!r.stdout.includes(missing), 'the failure is said once, on stderr');
    assert.match(r.stdout, /^.*o6a501030_curve\.fits$/m);
  });

  it('--quiet says nothing on stderr for a good file', async () => {
    const { cwd, homedir } = await sandbox();
    const r = await run(['--quiet', 'lightcurve-stats', `${EXPECTED}individual/o6a501030_curve.fits`], { cwd, homedir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('rejects an unknown algorithm with exit 2', async () => {
    const { cwd, homedir } = await sandbox();
    const r = await run(['lightcurve-stats', '--algorithm', 'nope', 'x.fits'], { cwd, homedir });
    assert.equal(r.code, 2);
  });
});
