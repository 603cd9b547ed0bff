/**
 * The job engine's part of `hstlc status` (DESIGN §9): jobs per kind — queued, running, waiting for a
 * retry, failed (out of attempts) — over all runs, and the `hstlc worker` processes seen recently. Read
 * only: an engine schema that does not exist yet is reported as such, not created.
 */
import type { ConnectionInfo } from '../../config/connection.js';
import { engineDb, type HstlcDb } from '../../db/index.js';
import { HomeBusyError } from '../../archive/home-lock.js';
import { kindOfTask, TASK_PREFIX } from './graphile.js';

export interface EngineStatus {
  schema: string;
  installed: boolean;
  jobs: Array<{ kind: string; queued: number; running: number; retrying: number; failed: number }>;
  workers: Array<{ id: string; host: string; pid: number; concurrency: number; state: string; lastSeen: string; jobsDone: number }>;
}

/** Workers seen in the last ten minutes (and any still marked running). */
const RECENT_MS = 10 * 60_000;

export async function engineStatus(handle: HstlcDb, db: ConnectionInfo): Promise<EngineStatus> {
  const schema = engineDb.engineSchema(db);
  if (!(await engineDb.engineSchemaExists(handle.db, schema))) return { schema, installed: false, jobs: [], workers: [] };
  const jobs = (await engineDb.jobCounts(handle.db, schema, TASK_PREFIX)).map((j) => ({ ...j, kind: kindOfTask(j.kind) ?? j.kind }));
  const workers = (await engineDb.recentWorkers(handle.db, schema, RECENT_MS)).map((w) => ({
    id: w.id,
    host: w.host,
    pid: w.pid,
    concurrency: w.concurrency,
    state: w.state,
    lastSeen: new Date(w.last_seen).toISOString(),
    jobsDone: w.jobs_done,
  }));
  return { schema, installed: true, jobs, workers };
}

export function describeEngineStatus(s: EngineStatus): string[] {
  const lines = ['', `Job engine (graphile-worker, schema ${s.schema})`];
  if (!s.installed) return [...lines, '  not installed yet (the first hstlc pipeline or hstlc worker installs it)'];
  if (s.jobs.length === 0) lines.push('  no jobs queued');
  else {
    lines.push('  kind        queued  running  retrying  failed');
    for (const j of s.jobs) lines.push(`  ${j.kind.padEnd(10)}  ${String(j.queued).padStart(6)}  ${String(j.running).padStart(7)}  ${String(j.retrying).padStart(8)}  ${String(j.failed).padStart(6)}`);
  }
  if (s.workers.length === 0) lines.push('  no worker seen in the last 10 minutes (start hstlc worker)');
  else for (const w of s.workers) lines.push(`  worker ${w.id} (${w.concurrency} at a time): ${w.state}, last seen ${w.lastSeen}, ${w.jobsDone} job(s) done`);
  return lines;
}

/**
 * A worker is live when it has not stopped and was seen within this long: 2 minutes, twice the default
 * lock expiry (a worker says it is alive every 10 s by default; one killed stops saying so).
 */
export const LIVE_WORKER_MS = 120_000;

/**
 * The resets' guard under `engine: graphile`: refuse (HomeBusyError) while `hstlc worker` processes are
 * running on this archive, from any host — they would write into tables and folders being emptied.
 */
export async function assertNoLiveWorkers(handle: HstlcDb, db: ConnectionInfo, command: string): Promise<void> {
  const schema = engineDb.engineSchema(db);
  if (!(await engineDb.engineSchemaExists(handle.db, schema))) return;
  const live = (await engineDb.recentWorkers(handle.db, schema, LIVE_WORKER_MS)).filter((w) => w.stopped_at === null && Date.now() - new Date(w.last_seen).getTime() < LIVE_WORKER_MS);
  if (live.length === 0) return;
  const queued = await engineDb.liveJobsTotal(handle.db, schema);
  const who = live.slice(0, 5).map((w) => `pid ${w.pid} on ${w.host}`).join(', ') + (live.length > 5 ? ` and ${live.length - 5} more` : '');
  throw new HomeBusyError(
    `${command} refused: ${live.length} hstlc worker process(es) are running on this archive (${who}; ${queued} job(s) not finished). ` +
      'Stop them (SIGTERM finishes or releases their jobs) and run it again; hstlc status lists the workers.',
  );
}
