/**
 * file_time_limit: a unit that outlives it is stopped (its worker thread terminated and replaced), the
 * item fails with "took longer than N s", and the rest goes on — in the pool, and in ingest, where the
 * slow file stays in ingest_dir and every other file is ingested, with two cores and with one (a single
 * worker thread then, since the main thread cannot be stopped).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase, type HstlcDb } from '../../src/db/index.js';
import { collectingLogger, filesToIngest, ingestPoolOptions, ingestStage, runIngest, runStage, type FileResult, type Stage } from '../../src/pipeline/index.js';
import { ingestOneFile, prepareOnPool } from '../../src/pipeline/ingest.js';
import { pipelineStage } from '../../src/pipeline/pipeline.js';
import { createPool, forEachInOrder, TimeLimitError, type Outcome, type Pool } from '../../src/pipeline/pool.js';
import { cleanupHomes, homeFor, keepGroups, tinyArchive, type Archive } from './helpers.js';

const HOUR = 3_600_000;
/** The configured file_time_limit: every file runs on this clock, far longer than a tiny-archive file takes. */
const LIMIT_S = 20;
/**
 * The slow file's own clock: slowFor checks that the stage handed it the configured limit, then stops
 * it after this much, so a case waits a second for it rather than LIMIT_S.
 */
const SLOW_STOP_MS = 1000;
const REASON = `took longer than ${SLOW_STOP_MS / 1000} s (file_time_limit); its worker thread was stopped`;

/**
 * `real`, except that the work of `slow` is replaced by one that never ends in time; the limit the
 * stage gave the slow file must be the configured one (file_time_limit), and the pool enforces it
 * after SLOW_STOP_MS.
 */
function slowFor(real: Pool, slow: string): Pool {
  return {
    size: real.size,
    inProcess: real.inProcess,
    ready: () => real.ready(),
    close: (o) => real.close(o),
    run: ((name: 'prepare', input: { file: string }, o?: { timeLimitMs?: number }) => {
      if (input.file !== slow) return real.run(name, input as never, o);
      assert.equal(o?.timeLimitMs, LIMIT_S * 1000, 'the slow file runs on the configured file_time_limit');
      return real.run('ping', { delayMs: HOUR }, { ...o, timeLimitMs: SLOW_STOP_MS });
    }) as Pool['run'],
  };
}

/** One tiny archive for every case (each copies it into a home of its own). */
let shared: Promise<Archive> | undefined;
const archiveOnce = (): Promise<Archive> => (shared ??= tinyArchive());

/**
 * The composite groups an ingest case keeps: COS NUV (AZV 148) and STIS (XTEJ1118+480, with its x1d),
 * each with a bad file; the slow one is the first of them and the other good and bad files go on.
 */
const GROUPS = /^(lbal|o6a50)/;

/** The slow file failed by its limit and is still in ingest_dir, unrecorded; every other file was ingested. */
async function assertSlowFileAlone(handle: HstlcDb, results: FileResult[], all: string[], slow: string): Promise<void> {
  assert.deepEqual(results.find((f) => f.file === slow), { file: slow, status: 'failed', reason: REASON });
  assert.ok(existsSync(slow), `${path.basename(slow)} stays in ingest_dir`);
  const others = results.filter((f) => f.file !== slow);
  assert.equal(others.length, all.length - 1);
  assert.deepEqual(others.filter((f) => f.status === 'failed'), []);
  assert.ok(others.some((f) => f.status === 'done'));
  const rows = await handle.db.selectFrom('metadata').select('filename').execute();
  assert.ok(!rows.some((r) => r.filename === path.basename(slow)), 'no metadata row for the slow file');
}

describe('file_time_limit', () => {
  after(cleanupHomes);

  it('the pool stops a unit past its limit and replaces its thread', async () => {
    const pool = createPool({ numCores: 2 });
    try {
      const outcomes: Array<Outcome<{ threadId: number }>> = [];
      await forEachInOrder(pool, 'ping', [{ delayMs: HOUR }, { delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }], (_i, o) => void outcomes.push(o), { timeLimitMs: 1000 });
      assert.equal(outcomes[0]!.ok, false);
      const err = outcomes[0]!.ok ? undefined : outcomes[0]!.error;
      assert.ok(err instanceof TimeLimitError, String(err));
      assert.equal(err.message, 'took longer than 1 s (file_time_limit); its worker thread was stopped');
      assert.deepEqual(outcomes.slice(1).map((o) => o.ok), [true, true, true]);
      // Both threads answer afterwards (the stopped one was replaced).
      const ids = await Promise.all([pool.run('ping', { delayMs: 200 }), pool.run('ping', { delayMs: 200 })]);
      assert.equal(new Set(ids.map((r) => r.threadId)).size, 2);
    } finally {
      await pool.close({ force: true });
    }
  });

  it('ingest reports the slow file by name, leaves it in ingest_dir, and ingests the others', async () => {
    const archive = await archiveOnce();
    const { settings } = homeFor(archive, { numCores: 2, fileTimeLimit: LIMIT_S });
    keepGroups(settings.ingest_dir, GROUPS);
    const { files } = await filesToIngest(settings.ingest_dir);
    const slow = files[0]!;
    const real = createPool({ numCores: 2 });
    const handle = await connectDatabase(settings.db);
    try {
      const summary = await runIngest(handle, { settings, pool: slowFor(real, slow) });
      await assertSlowFileAlone(handle, summary.files, files, slow);
    } finally {
      await handle.close();
      await real.close({ force: true });
    }
  });

  it('with one core, ingest and the pipeline run their units in one worker thread while a limit is set', async () => {
    assert.deepEqual(ingestPoolOptions({ num_cores: 1, file_time_limit: 600 }), { numCores: 1, threads: true });
    assert.deepEqual(ingestPoolOptions({ num_cores: 1, file_time_limit: 0 }), { numCores: 1, threads: false });
    assert.deepEqual(ingestPoolOptions({ num_cores: 3, file_time_limit: 0 }), { numCores: 3, threads: false });
    // What runStage starts for the stage, seen from inside it.
    const archive = await archiveOnce();
    for (const [stage, limit, inProcess] of [
      [ingestStage, 600, false],
      [pipelineStage, 600, false],
      [ingestStage, 0, true],
    ] as const) {
      const { settings } = homeFor(archive, { numCores: 1, fileTimeLimit: limit });
      const handle = await connectDatabase(settings.db);
      try {
        let seen: Pool | undefined;
        // The stage's own lock and pool options; its body only looks at the pool.
        const probe: Stage<object, undefined> = {
          ...stage,
          run: async (ctx) => void (seen = ctx.pool()),
          results: () => [],
          ok: () => true,
        };
        await runStage(probe, { db: handle, settings }, {});
        assert.equal(seen?.inProcess, inProcess, `${stage.name}, file_time_limit ${limit}`);
        assert.equal(seen?.size, 1);
      } finally {
        await handle.close();
      }
    }
  });

  it('with one core, ingest stops the slow file in its worker thread, reports it by name, and ingests the others', async () => {
    const archive = await archiveOnce();
    const { settings } = homeFor(archive, { numCores: 1, fileTimeLimit: LIMIT_S });
    keepGroups(settings.ingest_dir, GROUPS);
    const { files } = await filesToIngest(settings.ingest_dir);
    const slow = files[0]!;
    const logger = collectingLogger();
    const handle = await connectDatabase(settings.db);
    try {
      // The stage as the CLI runs it, on the pool runStage starts for one core.
      let pool: Pool | undefined;
      const stage = { ...ingestStage, run: (ctx: Parameters<typeof ingestStage.run>[0], input: Parameters<typeof ingestStage.run>[1]) => {
        pool = ctx.pool();
        // In this thread the slow unit could not be stopped (the test would wait an hour): fail first.
        assert.equal(pool.inProcess, false, 'one core with a time limit: a worker thread');
        return ingestStage.run({ ...ctx, pool: () => slowFor(pool!, slow) }, input);
      } };
      const result = await runStage(stage, { db: handle, settings, logger }, {});
      assert.equal(pool?.size, 1);
      await assertSlowFileAlone(handle, result.summary.files, files, slow);
      assert.deepEqual(result.results.find((r) => r.key === slow), { key: slow, status: 'failed', reason: REASON });
      assert.ok(
        logger.lines.some((l) => l.level === 'error' && l.message === `Failed to ingest ${slow}: ${REASON}`),
        logger.lines.map((l) => l.message).join('\n'),
      );
      assert.equal(result.ok, false);
    } finally {
      await handle.close();
    }
  });

  it('the job engine’s file unit: the slow file fails by its limit, stays in ingest_dir, and a normal one is ingested', async () => {
    const archive = await archiveOnce();
    const { settings } = homeFor(archive, { numCores: 1, fileTimeLimit: LIMIT_S });
    const { files } = await filesToIngest(settings.ingest_dir);
    const [slow, normal] = [files[0]!, files.find((f) => f !== files[0] && /_corrtag\.fits$/.test(f))!];
    const real = createPool({ numCores: 1, threads: true });
    const handle = await connectDatabase(settings.db);
    try {
      const prepare = prepareOnPool(slowFor(real, slow), settings);
      const results: FileResult[] = [];
      for (const [i, file] of [slow, normal].entries()) {
        results.push(await ingestOneFile(handle, { settings }, { file, stagingDir: path.join(settings.home_dir, `.staging-${i}`), corrtagExtract: false, prepare }));
      }
      assert.deepEqual(results[0], { file: slow, status: 'failed', reason: REASON });
      assert.ok(existsSync(slow), `${path.basename(slow)} stays in ingest_dir`);
      assert.equal(results[1]!.status, 'done', JSON.stringify(results[1]));
      assert.ok(!existsSync(normal), `${path.basename(normal)} was moved out of ingest_dir`);
      const rows = await handle.db.selectFrom('metadata').select('filename').execute();
      assert.deepEqual(rows.map((r) => r.filename), [path.basename(normal)]);
    } finally {
      await handle.close();
      await real.close({ force: true });
    }
  });
});
