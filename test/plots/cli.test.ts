/** `hstlc plots --from-dir`: the site from a folder of lightcurves, stats from a JSON file. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';
import { skipUnlessFonts } from './helpers.js';
import { EXPECTED, goldenRecords } from './golden.js';

after(cleanupSandboxes);

test('hstlc plots --from-dir builds the site and a second run redraws nothing', { skip: skipUnlessFonts(), timeout: 180_000 }, async () => {
  const { cwd, homedir } = await sandbox();
  const lightcurves = join(cwd, 'composite');
  cpSync(join(EXPECTED, 'composite'), lightcurves, { recursive: true });
  const records = (await goldenRecords()).filter((r) => r.kind === 'composite');
  writeFileSync(join(cwd, 'stats.json'), JSON.stringify(records.map((r) => r.stats)));
  const args = ['--json', 'plots', '--from-dir', lightcurves, '--stats', join(cwd, 'stats.json'), '--periodograms', join(EXPECTED, 'periodograms'), '--plot-dir', join(cwd, 'site')];
  const first = await run(args, { cwd, homedir, env: { CI: 'true' } });
  assert.equal(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout) as { items: Array<{ kind: string; status: string }>; failed: number; written: number; unchanged: number };
  assert.equal(result.items.length, 10);
  assert.ok(result.items.every((i) => i.kind === 'composite' && i.status === 'done'));
  for (const page of ['index.html', 'interesting_hstlc.html', 'periodogram_subset']) assert.ok(existsSync(join(cwd, 'site', page)), page);
  const second = await run(args, { cwd, homedir, env: { CI: 'true' } });
  assert.equal(second.code, 0);
  assert.equal((JSON.parse(second.stdout) as { written: number }).written, 0);
});

// `hstlc plots` without --from-dir reads the database: test/pipeline/plots-cli.test.ts.
