/**
 * `hstlc pipeline`, `hstlc status` and `hstlc demo --no-run` on small cases (the full run on the synthetic
 * archive is e2e.test.ts): the stages in order under one lock, a stage that cannot run stops the pipeline,
 * per-file failures go on and exit 1, no config or no database exits 2, status on what is waiting.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lockHome } from '../../src/archive/home-lock.js';
import { resolveSettings } from '../../src/config/index.js';
import { connectDatabase } from '../../src/db/index.js';
import { PipelineStopped, pipelineStage, runPipeline, type PipelineSummary, type PlotsStage } from '../../src/pipeline/pipeline.js';
import { runStage } from '../../src/pipeline/stage.js';
import type { StatusReport } from '../../src/pipeline/status.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

async function configured(dbLine?: string) {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'hstlc-home');
  const config = path.join(dirs.cwd, 'hstlc.yaml');
  await writeFile(config, `home_dir: ${home}\nnum_cores: 1\nfile_time_limit: 0\n${dbLine !== undefined ? `db_connection_string: ${dbLine}\n` : ''}`);
  return { ...dirs, home, config, ingest: path.join(home, 'ingest') };
}

const NO_PLOTS: PlotsStage = async () => ({ status: 'done', written: 0, unchanged: 0, failed: 0, site: null, elapsedMs: 0 });

describe('runPipeline', () => {
  it('runs ingest, stats and plots in order under the home_dir lock', async () => {
    const s = await configured();
    const settings = resolveSettings({ home_dir: s.home, num_cores: 1, file_time_limit: 0 }, { baseDir: s.home, homedir: s.homedir, cores: 1 });
    const handle = await connectDatabase(settings.db);
    try {
      const order: string[] = [];
      const plots: PlotsStage = async (input) => {
        order.push('plots');
        // The pipeline holds the lock: nothing else may start in this home_dir meanwhile.
        await assert.rejects(lockHome(settings.home_dir, 'reset-database'), /pipeline \(pid \d+/);
        assert.equal(input.settings.plot_dir, settings.plot_dir);
        const results = [{ key: 'a.fits', status: 'done' as const }, { key: 'b.fits', status: 'skipped' as const, reason: 'no statistics yet' }];
        return { status: 'done', written: 2, unchanged: 1, failed: 0, site: path.join(settings.plot_dir, 'index.html'), elapsedMs: 1, results };
      };
      const set = await runStage(pipelineStage, { db: handle, settings, progress: { update: () => undefined, stop: () => order.push('stop') } }, { plots });
      const { summary } = set;
      // Nothing to ingest or analyse in an empty home: the run's items are the plots stage's two.
      assert.deepEqual(set.results.map((x) => [x.key, x.status]), [['a.fits', 'done'], ['b.fits', 'skipped']]);
      assert.deepEqual(set.counts, { done: 1, bad: 0, failed: 0, skipped: 1 });
      // The progress view is finished at the end of each stage.
      assert.deepEqual(order, ['stop', 'stop', 'plots', 'stop']);
      assert.equal(summary.ok, true);
      assert.deepEqual(summary.stages.map((x) => [x.stage, x.status]), [['ingest', 'ok'], ['stats', 'ok'], ['plots', 'ok']]);
      assert.deepEqual(summary.totals.files, { done: 0, bad: 0, failed: 0, skipped: 0 });
      assert.deepEqual(summary.totals.plots, { status: 'done', written: 2, unchanged: 1, failed: 0 });
      assert.equal(summary.totals.site, path.join(settings.plot_dir, 'index.html'));
      // Released at the end.
      await (await lockHome(settings.home_dir, 'test')).release();
      const runs = await handle.db.selectFrom('runs').select(['command', 'status']).orderBy('id').execute();
      assert.deepEqual(runs, [{ command: 'ingest', status: 'ok' }, { command: 'stats', status: 'ok' }]);

      const stages: string[] = [];
      await runPipeline(handle, { settings, plots: NO_PLOTS, onStage: (stage, event) => stages.push(`${stage}:${event}`) });
      assert.deepEqual(stages, ['ingest:start', 'ingest:end', 'stats:start', 'stats:end', 'plots:start', 'plots:end']);
    } finally {
      await handle.close();
    }
  });

  it('stops at a stage that cannot run, naming it, and releases the lock', async () => {
    const s = await configured();
    const settings = resolveSettings({ home_dir: s.home, num_cores: 1, file_time_limit: 0 }, { baseDir: s.home, homedir: s.homedir, cores: 1 });
    const handle = await connectDatabase(settings.db);
    try {
      const broken: PlotsStage = async () => {
        throw new Error('plot_dir is not writable');
      };
      const err = await runStage(pipelineStage, { db: handle, settings }, { plots: broken }).then(
        () => assert.fail('expected the pipeline to stop'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof PipelineStopped);
      assert.equal(err.stage, 'plots');
      assert.match(err.message, /^the pipeline stopped at plots: plot_dir is not writable$/);
      assert.deepEqual(err.stages.map((x) => [x.stage, x.status]), [['ingest', 'ok'], ['stats', 'ok'], ['plots', 'failed']]);
      await (await lockHome(settings.home_dir, 'test')).release();

      // A held lock stops it before anything runs.
      const lock = await lockHome(settings.home_dir, 'ingest');
      try {
        await assert.rejects(runStage(pipelineStage, { db: handle, settings }, { plots: NO_PLOTS }), /ingest \(pid \d+ .* is already working on this home_dir/);
      } finally {
        await lock.release();
      }
    } finally {
      await handle.close();
    }
  });
});

describe('hstlc pipeline', () => {
  it('goes on past a file that fails, prints the summary, exits 1; --json gives the summary', async () => {
    const s = await configured();
    await mkdir(s.ingest, { recursive: true });
    await writeFile(path.join(s.ingest, 'lzzz01a1q_corrtag_a.fits'), 'not a FITS file at all');
    const r = await run(['--quiet', 'pipeline'], s);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^files +0 ingested, 0 bad, 1 failed$/m);
    assert.match(r.stdout, /^composites +0 made, 0 failed$/m);
    assert.match(r.stdout, /^statistics +0 lightcurves, 0 failed \(corrected grid\)$/m);
    assert.match(r.stdout, /^interesting +0 composite\(s\) interesting, 0 with low counts, 0 deliverable$/m);
    assert.match(r.stdout, /^time +ingest [\d.]+ s, stats [\d.]+ s, plots [\d.]+ s; 1 core\(s\)$/m);
    assert.match(r.stdout, /^failed {2}ingest lzzz01a1q_corrtag_a\.fits: /m);
    assert.match(r.stdout, new RegExp(`^lightcurves +${path.join(s.home, 'outputs')}$`, 'm'));
    // The failed file stays where it was, for the next run.
    assert.deepEqual(await readdir(s.ingest), ['lzzz01a1q_corrtag_a.fits']);

    const json = await run(['--quiet', '--json', 'hstlc_pipeline'], s);
    assert.equal(json.code, 1);
    const summary = JSON.parse(json.stdout) as PipelineSummary;
    assert.equal(summary.ok, false);
    assert.deepEqual(summary.totals.files, { done: 0, bad: 0, failed: 1, skipped: 0 });
    assert.deepEqual(summary.stages.map((x) => x.stage), ['ingest', 'stats', 'plots']);
    assert.equal(summary.ingest.files[0]?.status, 'failed');
  });

  it('refuses to run without a configuration file, exit 2', async () => {
    const dirs = await sandbox();
    const r = await run(['pipeline'], dirs);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: no configuration file found .*hstlc demo/);
    assert.ok(!existsSync(path.join(dirs.homedir, '.hstlc')), 'nothing was created');
  });

  it('stops with a clear message when the database is unreachable, exit 2, password masked', async () => {
    const s = await configured('postgresql://hstlc:s3cret@127.0.0.1:1/hstlc');
    const r = await run(['pipeline'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: cannot use the database postgresql:\/\/hstlc:\*\*\*@127\.0\.0\.1:1\/hstlc: /);
    assert.match(r.stderr, /Nothing was done/);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('s3cret'));
  });

  it('does not start while another command holds the home_dir, exit 1', async () => {
    const s = await configured();
    const lock = await lockHome(s.home, 'reset-filesystem');
    try {
      const r = await run(['pipeline'], s);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: the pipeline did not start: reset-filesystem \(pid \d+/);
    } finally {
      await lock.release();
    }
  });
});

describe('hstlc status', () => {
  it('shows counts, files waiting, the last runs; --json', async () => {
    const s = await configured();
    await mkdir(s.ingest, { recursive: true });
    await writeFile(path.join(s.ingest, 'lzzz01a1q_corrtag_a.fits'), 'x');
    const empty = await run(['status'], s);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^metadata +0$/m);
    assert.match(empty.stdout, /^ingest_dir +1 file\(s\) waiting in /m);
    assert.match(empty.stdout, /^ {2}\(none\)$/m);

    assert.equal((await run(['--quiet', 'pipeline'], s)).code, 1);
    const r = await run(['--json', 'status', '--runs', '2'], s);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as StatusReport;
    assert.equal(report.counts.runs, 3);
    assert.deepEqual(report.lastRuns.map((x) => [x.command, x.status]), [['plots', 'ok'], ['stats', 'ok']]);
    assert.deepEqual(report.runsByStatus, { failed: 1, ok: 2 });
    assert.deepEqual(report.ingest.files, ['lzzz01a1q_corrtag_a.fits']);
    assert.deepEqual(report.pendingComposites, []);
    const human = await run(['status'], s);
    assert.match(human.stdout, /^runs +3 \(1 failed, 2 ok\)$/m);
    assert.match(human.stdout, /^ {2}#1 +ingest +failed +\S+ {2}0 done, 0 bad, 1 failed, 0 skipped$/m);
  });

  it('exits 2 when the database is unreachable', async () => {
    const s = await configured('postgresql://u:pw@127.0.0.1:1/x');
    const r = await run(['status'], s);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot use the database postgresql:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/);
  });
});

describe('hstlc demo --no-run', () => {
  it('only writes the archive and the config', async () => {
    const dirs = await sandbox();
    const r = await run(['demo', 'd', '--size', 'tiny', '--no-run'], dirs);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Next:\n {2}hstlc --config .*\/d\/hstlc\.yaml pipeline\n$/);
    assert.ok(!existsSync(path.join(dirs.cwd, 'd', 'hstlc.db')));
    assert.ok((await readdir(path.join(dirs.cwd, 'd', 'ingest'))).length > 0);
  });
});
