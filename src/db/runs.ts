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

/**
 * Run a stage body as one row of the runs table: the row is started first, then closed 'ok' or 'failed'
 * with what `record` picks from the body's result. A body that throws closes it 'failed' with the error
 * (best effort: the error the caller sees is the body's) and the error goes on; a row never closed
 * means the process died mid-run (`hstlc status` says interrupted).
 */
export async function recordRun<T>(handle: HstlcDb, command: string, body: () => Promise<T>, record: (result: T) => { ok: boolean; summary: unknown }): Promise<T> {
  let id: number | undefined;
  try {
    id = await startRun(handle, command);
    const result = await body();
    const { ok, summary } = record(result);
    await finishRun(handle, id, ok ? 'ok' : 'failed', summary);
    return result;
  } catch (err) {
    if (id !== undefined) await finishRun(handle, id, 'failed', { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    throw err;
  }
}

/** The latest runs, newest first. A 'running' row whose process is gone was interrupted. */
export async function recentRuns(db: Kysely<Database>, limit = 20): Promise<RunRow[]> {
  return db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** The runs still marked 'running' (some may belong to a process that is gone: interrupted). */
export async function runningRuns(db: Kysely<Database>): Promise<Pick<RunRow, 'id' | 'host' | 'pid' | 'summary'>[]> {
  return db.selectFrom('runs').select(['id', 'host', 'pid', 'summary']).where('status', '=', 'running').execute();
}
