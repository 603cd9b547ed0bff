/** `hstlc stats` / `build_stats_table` end to end through the CLI (§11.1, issue 6). */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lockHome } from '../../src/archive/home-lock.js';
import { connectDatabase, listStats } from '../../src/db/index.js';
import type { StatsSummary } from '../../src/pipeline/stats.js';
import { cleanupSandboxes, run, runArgv, sandbox } from '../cli/helpers.js';
import { cleanupTempDirs, copyGolden, goldenStats, recordLightcurve } from './stats-fixtures.js';

after(async () => {
  await cleanupSandboxes();
  cleanupTempDirs();
});

/** A config whose SQLite database records three of the golden individual lightcurves (and, optionally, a missing one). */
async function configured(options: { missing?: boolean; numCores?: number } = {}) {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'hstlc-home');
  await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: ${home}\nnum_cores: ${options.numCores ?? 1}\n`);
  const copy = copyGolden();
  const files = copy.individuals.slice(0, 3);
  const dbInfo = { dialect: 'sqlite' as const, path: path.join(home, 'hstlc.db'), params: {} };
  const handle = await connectDatabase(dbInfo);
  for (const f of files) await recordLightcurve(handle, path.join(copy.dir, 'individual'), f);
  if (options.missing === true) await recordLightcurve(handle, path.join(copy.dir, 'individual'), 'lzzz0101q_curve.fits');
  await handle.close();
  return { ...dirs, home, files, dbInfo };
}

describe('hstlc stats', () => {
  it('does not start while another command holds the home_dir (the lock of every stage), exit 1', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'ingest');
    try {
      const r = await run(['stats'], s);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: ingest \(pid \d+ on .*\) is already working on this home_dir/);
      const handle = await connectDatabase(s.dbInfo);
      try {
        assert.deepEqual(await listStats(handle.db), [], 'nothing was computed');
      } finally {
        await handle.close();
      }
    } finally {
      await lock.release();
    }
  });

  it('stores the rows (in the worker pool) and prints a --json summary; re-running changes nothing but the values', async () => {
    const s = await configured({ numCores: 2 });
    const r = await run(['--json', 'stats', 'individual', '--algorithm', 'compat', '--method', 'fast'], s);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as StatsSummary;
    assert.equal(summary.type, 'individual');
    assert.equal(summary.grid, 'compat');
    assert.deepEqual(summary.counts, { done: 3, failed: 0, unchanged: 0 });
    assert.deepEqual(summary.files.map((f) => path.basename(f.path)), s.files);
    assert.ok(summary.filesPerSecond > 0);
    assert.equal(summary.parallel, true, 'num_cores 2: the units ran in the worker pool');

    const again = await run(['build_stats_table', '--algorithm', 'compat'], s);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^lightcurves +3 done, 0 failed \(both\)$/m);
    assert.match(again.stdout, /files\/s/);

    const handle = await connectDatabase(s.dbInfo);
    try {
      const rows = await listStats(handle.db);
      assert.equal(rows.length, 3);
      const golden = goldenStats();
      for (const row of rows) assert.equal(row.total, golden.get(`individual/${row.lightcurve_filename}`)?.total);
      const runs = await handle.db.selectFrom('runs').select(['command', 'status']).execute();
      assert.deepEqual(runs, [{ command: 'stats', status: 'ok' }, { command: 'stats', status: 'ok' }]);
    } finally {
      await handle.close();
    }
  });

  it('exits 1 naming the file that failed, after doing the others', async () => {
    const s = await configured({ missing: true });
    const r = await run(['stats'], s);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^lightcurves +3 done, 1 failed \(both\)$/m);
    assert.match(r.stdout, /^failed {2}lzzz0101q_curve\.fits: /m);
    assert.match(r.stderr, /lzzz0101q_curve\.fits/);
  });

  it("refuses an unknown product type with the original's message, exit 2", async () => {
    const s = await configured();
    const r = await runArgv(['node', '/usr/bin/build_stats_table', 'everything'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /everything is not a valid option\. {2}Please choose "individual", "composite", or "both"\./);
  });
});
