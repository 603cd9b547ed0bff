/**
 * runStage (src/pipeline/stage.ts), the one runner of every stage: the lock the stage asks for is held
 * while it runs and released after, whatever happens; the pool it starts is stopped; the per-item
 * results are counted as the stage reports them.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { HomeLockedError, LOCK_NAME, lockHome } from '../../src/archive/home-lock.js';
import { resolveSettings } from '../../src/config/index.js';
import { connectDatabase, type HstlcDb } from '../../src/db/index.js';
import { DOWNLOAD_LOCK_NAME, LockedError } from '../../src/mast/lock.js';
import { runStage, type Stage, type StageLock } from '../../src/pipeline/stage.js';
import { cleanupSandboxes, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

async function setup() {
  const dirs = await sandbox();
  const home = path.join(dirs.cwd, 'home');
  const settings = resolveSettings({ home_dir: home, num_cores: 2 }, { baseDir: home, homedir: dirs.homedir, cores: 2 });
  const db: HstlcDb = await connectDatabase(settings.db);
  return { settings, db };
}

/** A stage that looks at its lock and pool, and reports one item of each status. */
function probe(lock: StageLock, seen: { lockFile?: string | undefined; poolSize?: number }, fail?: Error): Stage<{ lock: StageLock }, { ok: boolean }> {
  return {
    name: 'probe',
    lock: (input) => input.lock,
    async run(ctx) {
      seen.lockFile = ctx.lock?.file;
      seen.poolSize = ctx.pool().size;
      assert.equal(ctx.pool(), ctx.pool(), 'one pool per run');
      if (fail) throw fail;
      return { ok: false };
    },
    results: () => [
      { key: 'a', status: 'done' },
      { key: 'b', status: 'bad', reason: 'no events' },
      { key: 'c', status: 'failed', reason: 'unreadable' },
      { key: 'd', status: 'skipped', reason: 'no statistics yet' },
      { key: 'e', status: 'done' },
    ],
    ok: (s) => s.ok,
  };
}

describe('runStage', () => {
  it('holds the home_dir lock while the stage runs, releases it, counts the items', async () => {
    const { settings, db } = await setup();
    try {
      const seen: { lockFile?: string | undefined; poolSize?: number } = {};
      const set = await runStage(probe('home', seen), { db, settings }, { lock: 'home' });
      assert.equal(seen.lockFile, path.join(settings.home_dir, LOCK_NAME));
      assert.equal(seen.poolSize, 2);
      assert.deepEqual(set.counts, { done: 2, bad: 1, failed: 1, skipped: 1 });
      assert.equal(set.ok, false);
      assert.equal(set.stage, 'probe');
      assert.equal(existsSync(path.join(settings.home_dir, LOCK_NAME)), false, 'released');
    } finally {
      await db.close();
    }
  });

  it('refuses to start under a held lock, and releases its own when the stage throws', async () => {
    const { settings, db } = await setup();
    try {
      const held = await lockHome(settings.home_dir, 'ingest');
      const seen: { lockFile?: string | undefined } = {};
      await assert.rejects(runStage(probe('home', seen), { db, settings }, { lock: 'home' }), HomeLockedError);
      assert.equal(seen.lockFile, undefined, 'the stage did not run');
      await held.release();
      await assert.rejects(runStage(probe('home', {}, new Error('disk gone')), { db, settings }, { lock: 'home' }), /disk gone/);
      await (await lockHome(settings.home_dir, 'test')).release();
    } finally {
      await db.close();
    }
  });

  it('takes the download_dir lock for a download and none when asked for none', async () => {
    const { settings, db } = await setup();
    try {
      const seen: { lockFile?: string | undefined } = {};
      await runStage(probe('download', seen), { db, settings }, { lock: 'download' });
      assert.equal(seen.lockFile, path.join(settings.download_dir, DOWNLOAD_LOCK_NAME));
      const other = await runStage(probe('download', {}), { db, settings }, { lock: 'download' }).then(() => 'ran');
      assert.equal(other, 'ran', 'released after the first run');

      // While a home_dir lock is held, a stage that takes none still runs.
      const held = await lockHome(settings.home_dir, 'ingest');
      try {
        const none: { lockFile?: string | undefined } = {};
        await runStage(probe('none', none), { db, settings }, { lock: 'none' });
        assert.equal(none.lockFile, undefined);
        const download = await import('../../src/mast/lock.js');
        const dl = await download.acquireRunLock(settings.download_dir);
        try {
          await assert.rejects(runStage(probe('download', {}), { db, settings }, { lock: 'download' }), LockedError);
        } finally {
          await dl.release();
        }
      } finally {
        await held.release();
      }
    } finally {
      await db.close();
    }
  });
});
