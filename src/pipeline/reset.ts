/**
 * The two resets (§13) on the stage contract: each runs under the home_dir lock (taken by runStage), so
 * neither empties tables nor moves files while an ingest, a stage or the other reset works in home_dir.
 * With the job engine they also refuse while `hstlc worker` processes run on the archive from any host.
 * The work itself stays where it belongs: db/reset.ts (SQL) and archive/reset-filesystem.ts (files).
 */
import { layoutFromSettings } from '../archive/layout.js';
import { resetFilesystem, type ResetFilesystemReport } from '../archive/reset-filesystem.js';
import { resetDatabase, type ResetReport, type ResetTarget } from '../db/reset.js';
import { itemResult, type Stage, type StageContext } from './stage.js';

/** The home_dir lock guards this host; with the job engine, workers on other hosts are asked too. */
async function refuseWhileWorkersRun(ctx: StageContext, command: string): Promise<void> {
  if (ctx.settings.engine !== 'graphile') return;
  const { assertNoLiveWorkers } = await import('./engine/status.js');
  await assertNoLiveWorkers(ctx.db, ctx.settings.db, command);
}

/** `reset-database [table]` (§13.2): one item per table emptied. */
export const resetDatabaseStage: Stage<{ target: ResetTarget }, ResetReport> = {
  name: 'reset-database',
  lock: () => 'home',
  run: async (ctx, input) => {
    await refuseWhileWorkersRun(ctx, 'reset-database');
    return resetDatabase(ctx.db, input.target, { homeDir: ctx.settings.home_dir });
  },
  results: (r) => r.tables.map((t) => itemResult(t.table, 'done', `${t.rowsDeleted} row(s) deleted`)),
  ok: () => true,
};

export interface ResetFilesystemRequest {
  /** One line per action, as the original printed them ("Resetting filesystem" first). */
  onLine?: (line: string) => void;
}

/** `reset-filesystem` (§13.1): files moved back (done), folders and outputs left (skipped, why), failures. */
export const resetFilesystemStage: Stage<ResetFilesystemRequest, ResetFilesystemReport> = {
  name: 'reset-filesystem',
  lock: () => 'home',
  run: async (ctx, input) => {
    await refuseWhileWorkersRun(ctx, 'reset-filesystem');
    input.onLine?.('Resetting filesystem');
    return resetFilesystem(layoutFromSettings(ctx.settings), { db: ctx.db, ...(input.onLine !== undefined ? { onLine: input.onLine } : {}) });
  },
  results: (r) => [
    ...r.moved.map(([from]) => itemResult(from, 'done')),
    ...r.deleted.map((file) => itemResult(file, 'done', 'ingest_dir already had it')),
    ...r.keptDirs.map((dir) => itemResult(dir, 'skipped', 'something other than *.fits remains')),
    ...r.keptOutputs.map((o) => itemResult(o.path, 'skipped', o.why)),
    ...r.failures.map((f) => itemResult(f.path, 'failed', f.error)),
  ],
  ok: (r) => r.failures.length === 0,
};
