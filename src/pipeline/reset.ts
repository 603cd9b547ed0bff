/**
 * The two resets (§13) on the stage contract: each runs under the home_dir lock (taken by runStage), so
 * neither empties tables nor moves files while an ingest, a stage or the other reset works in home_dir.
 * The work itself stays where it belongs: db/reset.ts (SQL) and archive/reset-filesystem.ts (files).
 */
import { layoutFromSettings } from '../archive/layout.js';
import { resetFilesystem, type ResetFilesystemReport } from '../archive/reset-filesystem.js';
import { resetDatabase, type ResetReport, type ResetTarget } from '../db/reset.js';
import type { Stage } from './stage.js';

/** `reset-database [table]` (§13.2): one item per table emptied. */
export const resetDatabaseStage: Stage<{ target: ResetTarget }, ResetReport> = {
  name: 'reset-database',
  lock: () => 'home',
  run: (ctx, input) => resetDatabase(ctx.db, input.target, { homeDir: ctx.settings.home_dir }),
  results: (r) => r.tables.map((t) => ({ key: t.table, status: 'done' as const, reason: `${t.rowsDeleted} row(s) deleted` })),
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
  run: (ctx, input) => {
    input.onLine?.('Resetting filesystem');
    return resetFilesystem(layoutFromSettings(ctx.settings), { db: ctx.db, ...(input.onLine !== undefined ? { onLine: input.onLine } : {}) });
  },
  results: (r) => [
    ...r.moved.map(([from]) => ({ key: from, status: 'done' as const })),
    ...r.deleted.map((file) => ({ key: file, status: 'done' as const, reason: 'ingest_dir already had it' })),
    ...r.keptDirs.map((dir) => ({ key: dir, status: 'skipped' as const, reason: 'something other than *.fits remains' })),
    ...r.keptOutputs.map((o) => ({ key: o.path, status: 'skipped' as const, reason: o.why })),
    ...r.failures.map((f) => ({ key: f.path, status: 'failed' as const, reason: f.error })),
  ],
  ok: (r) => r.failures.length === 0,
};
