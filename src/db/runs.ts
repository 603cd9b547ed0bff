/** The runs table: one row per stage run, for `hstlc status` and for noticing a run that never finished. */
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { HstlcDb } from './connect.js';
import type { Database, RunRow, RunStatus } from './schema.js';
import { nowIso } from './values.js';

/**
 * A run begins. `engine: 'graphile'` marks a run submitted to the job engine: the workers on any host
 * carry it and its finish job closes it, so the submitter's pid says nothing about whether it still runs.
 */
export async function startRun(handle: HstlcDb, command: string, options: { now?: Date; engine?: 'graphile' } = {}): Promise<number> {
  const summary = options.engine !== undefined ? JSON.stringify({ engine: options.engine }) : null;
  const values = { command: command.slice(0, 32), started_at: nowIso(options.now ?? new Date()), status: 'running' as const, host: hostname().slice(0, 255), pid: process.pid, finished_at: null, summary };
  return handle.adapter.insertReturningId(handle.db, 'runs', values);
}

export async function finishRun(handle: HstlcDb, id: number, status: Exclude<RunStatus, 'running'>, summary: unknown, now: Date = new Date()): Promise<void> {
  await handle.db
    .updateTable('runs')
    .set({ status, finished_at: nowIso(now), summary: summary === undefined ? null : JSON.stringify(summary) })
    .where('id', '=', id)
    .execute();
}

/** The latest runs, newest first. A 'running' row whose process is gone was interrupted. */
export async function recentRuns(db: Kysely<Database>, limit = 20): Promise<RunRow[]> {
  return db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** The runs still marked 'running' (some may belong to a process that is gone: interrupted). */
export async function runningRuns(db: Kysely<Database>): Promise<Pick<RunRow, 'id' | 'host' | 'pid' | 'summary'>[]> {
  return db.selectFrom('runs').select(['id', 'host', 'pid', 'summary']).where('status', '=', 'running').execute();
}
