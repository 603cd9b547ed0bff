/**
 * file_time_limit: a unit that outlives it is stopped (its worker thread terminated and replaced), the
 * item fails with "took longer than N s", and the rest goes on — in the pool, and in ingest, where the
 * slow file stays in ingest_dir and every other file is ingested.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectDatabase } from '../../src/db/index.js';
import { filesToIngest, runIngest } from '../../src/pipeline/index.js';
import { createPool, forEachInOrder, TimeLimitError, type Outcome, type Pool } from '../../src/pipeline/pool.js';
import { cleanupHomes, homeFor, tinyArchive } from './helpers.js';

const HOUR = 3_600_000;

describe('file_time_limit', () => {
  after(cleanupHomes);

  it('the pool stops a unit past its limit and replaces its thread', async () => {
    const pool = createPool({ numCores: 2 });
    try {
      const outcomes: Array<Outcome<{ threadId: number }>> = [];
      await forEachInOrder(pool, 'ping', [{ delayMs: HOUR }, { delayMs: 0 }, { delayMs: 0 }, { delayMs: 0 }], (_i, o) => void outcomes.push(o), { timeLimitMs: 4000 });
      assert.equal(outcomes[0]!.ok, false);
      const err = outcomes[0]!.ok ? undefined : outcomes[0]!.error;
      assert.ok(err instanceof TimeLimitError, String(err));
      assert.equal(err.message, 'took longer than 4 s (file_time_limit); its worker thread was stopped');
      assert.deepEqual(outcomes.slice(1).map((o) => o.ok), [true, true, true]);
      // Both threads answer afterwards (the stopped one was replaced).
      const ids = await Promise.all([pool.run('ping', { delayMs: 200 }), pool.run('ping', { delayMs: 200 })]);
      assert.equal(new Set(ids.map((r) => r.threadId)).size, 2);
    } finally {
      await pool.close({ force: true });
    }
  });

  it('ingest reports the slow file by name, leaves it in ingest_dir, and ingests the others', async () => {
    const archive = await tinyArchive();
    const { settings } = homeFor(archive, { numCores: 2 });
    settings.file_time_limit = 20;
    const { files } = await filesToIngest(settings.ingest_dir);
    const slow = files[0]!;
    // The real pool, with the first file's work replaced by one that never ends in time.
    const real = createPool({ numCores: 2 });
    const pool: Pool = {
      size: real.size,
      inProcess: false,
      ready: () => real.ready(),
      close: (o) => real.close(o),
      run: ((name: 'prepare', input: { file: string }, o?: { timeLimitMs?: number }) =>
        input.file === slow ? real.run('ping', { delayMs: HOUR }, o) : real.run(name, input as never, o)) as Pool['run'],
    };
    const handle = await connectDatabase(settings.db);
    try {
      const summary = await runIngest(handle, { settings, pool });
      const mine = summary.files.find((f) => f.file === slow);
      assert.deepEqual(mine, { file: slow, status: 'failed', reason: 'took longer than 20 s (file_time_limit); its worker thread was stopped' });
      assert.ok(existsSync(slow), `${path.basename(slow)} stays in ingest_dir`);
      const others = summary.files.filter((f) => f.file !== slow);
      assert.equal(others.length, files.length - 1);
      assert.deepEqual(others.filter((f) => f.status === 'failed'), []);
      assert.ok(others.some((f) => f.status === 'done'));
      const rows = await handle.db.selectFrom('metadata').select('filename').execute();
      assert.ok(!rows.some((r) => r.filename === path.basename(slow)), 'no metadata row for the slow file');
    } finally {
      await handle.close();
      await real.close({ force: true });
    }
  });
});
