/**
 * The job engine's bookkeeping (DESIGN §9), PostgreSQL only: graphile-worker keeps its queue in a schema
 * of its own (`<schema>_jobs`, `hstlc_jobs` without one); beside its tables we keep three of ours —
 * the result of each job (graphile-worker deletes a job when it completes, and the submitter must still
 * print what each item did), the `hstlc worker` processes seen (for `hstlc status` and for releasing
 * the jobs of a worker that died), and the archive's marker id (the shared home_dir check). Queries on
 * graphile-worker's own tables read only (counts, the barrier); every change to a job goes through
 * graphile-worker's API.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ConnectionInfo } from '../config/connection.js';
import { DatabaseConfigError, IDENTIFIER } from './dialects/adapter.js';

/** The engine's schema for a connection: `<schema>_jobs` beside a configured schema, else `hstlc_jobs`. */
export function engineSchema(info: ConnectionInfo): string {
  const name = `${info.params['schema'] ?? 'hstlc'}_jobs`;
  if (!IDENTIFIER.test(name)) throw new DatabaseConfigError(`job schema '${name}' must be letters, digits and underscores (at most 63)`);
  return name;
}

// Kysely<any>: these tables are not hstlc's Database type (another schema, PostgreSQL only).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

const t = (schema: string, table: string): RawBuilder<unknown> => sql.id(schema, table) as unknown as RawBuilder<unknown>;

/**
 * Our tables in the engine's schema, created if missing. Called under the engine's advisory lock
 * (graphile.ts), so two workers starting at once do not race on `create table`.
 */
export async function createEngineTables(db: Db, schema: string): Promise<void> {
  await sql`create table if not exists ${t(schema, 'hstlc_results')} (
    run integer not null,
    kind text not null,
    key text not null,
    status text not null,
    detail jsonb not null,
    worker text,
    attempts integer not null default 1,
    finished_at timestamptz not null default now(),
    primary key (run, kind, key)
  )`.execute(db);
  await sql`create table if not exists ${t(schema, 'hstlc_workers')} (
    id text primary key,
    host text not null,
    pid integer not null,
    concurrency integer not null,
    started_at timestamptz not null default now(),
    last_seen timestamptz not null default now(),
    stopped_at timestamptz,
    state text not null default 'running',
    engine_ids text[] not null default '{}',
    jobs_done integer not null default 0
  )`.execute(db);
  await sql`create table if not exists ${t(schema, 'hstlc_archive')} (
    id text primary key,
    home_dir text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
}

/** Hold a session-level advisory lock (keyed by `name`) on one connection while `fn` runs. */
export async function withAdvisoryLock<T>(db: Db, name: string, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(conn).catch(() => undefined);
    }
  });
}

// ---- the archive marker ---------------------------------------------------------------------------

/** The marker id recorded for this queue, if any. */
export async function archiveMarkerId(db: Db, schema: string): Promise<{ id: string; home_dir: string } | undefined> {
  const r = await sql<{ id: string; home_dir: string }>`select id, home_dir from ${t(schema, 'hstlc_archive')} order by created_at limit 1`.execute(db);
  return r.rows[0];
}

/** Record the marker id (the first one recorded stays: returns it). */
export async function recordArchiveMarker(db: Db, schema: string, id: string, homeDir: string): Promise<string> {
  await sql`insert into ${t(schema, 'hstlc_archive')} (id, home_dir)
    select ${id}, ${homeDir} where not exists (select 1 from ${t(schema, 'hstlc_archive')})`.execute(db);
  return (await archiveMarkerId(db, schema))!.id;
}

// ---- results --------------------------------------------------------------------------------------

export interface JobResultRow {
  run: number;
  kind: string;
  key: string;
  status: string;
  detail: unknown;
  worker: string | null;
  attempts: number;
  finished_at: Date;
}

/** The result of one job (an attempt that ran again replaces it: jobs are idempotent). */
export async function recordJobResult(
  db: Db,
  schema: string,
  r: { run: number; kind: string; key: string; status: string; detail: unknown; worker: string; attempts: number },
): Promise<void> {
  await sql`insert into ${t(schema, 'hstlc_results')} (run, kind, key, status, detail, worker, attempts)
    values (${r.run}, ${r.kind}, ${r.key}, ${r.status}, ${JSON.stringify(r.detail)}::jsonb, ${r.worker}, ${r.attempts})
    on conflict (run, kind, key) do update set status = excluded.status, detail = excluded.detail,
      worker = excluded.worker, attempts = excluded.attempts, finished_at = now()`.execute(db);
}

export async function jobResults(db: Db, schema: string, run: number, kind?: string): Promise<JobResultRow[]> {
  const r = await sql<JobResultRow>`select run, kind, key, status, detail, worker, attempts, finished_at from ${t(schema, 'hstlc_results')}
    where run = ${run} ${kind !== undefined ? sql`and kind = ${kind}` : sql``} order by kind, key`.execute(db);
  return r.rows;
}

/** Results per kind and status, for the progress display. */
export async function resultCounts(db: Db, schema: string, run: number): Promise<Array<{ kind: string; status: string; n: number }>> {
  const r = await sql<{ kind: string; status: string; n: number }>`select kind, status, count(*)::int as n from ${t(schema, 'hstlc_results')}
    where run = ${run} group by kind, status order by kind, status`.execute(db);
  return r.rows;
}

// ---- graphile-worker's job table (read only) ------------------------------------------------------

/**
 * Jobs of these task identifiers that will still run: waiting (attempts left) or running now (locked,
 * even on its last attempt). A job that used up its attempts is not waited for. `excludeId`: the asking
 * job itself.
 */
export async function liveJobCount(db: Db, schema: string, identifiers: readonly string[], excludeId?: string): Promise<number> {
  if (identifiers.length === 0) return 0;
  const r = await sql<{ n: number }>`select count(*)::int as n from ${t(schema, '_private_jobs')} j
    join ${t(schema, '_private_tasks')} k on k.id = j.task_id
    where k.identifier in (${sql.join(identifiers)})
    and (j.attempts < j.max_attempts or j.locked_at is not null)
    ${excludeId !== undefined ? sql`and j.id <> ${excludeId}::bigint` : sql``}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export interface JobCounts {
  kind: string;
  queued: number;
  running: number;
  /** Waiting again after a failed attempt. */
  retrying: number;
  /** Out of attempts (graphile-worker keeps them, with the last error). */
  failed: number;
}

/** The queue per task identifier (optionally only jobs of one run, by the payload's `run`). */
export async function jobCounts(db: Db, schema: string, prefix: string, run?: number): Promise<JobCounts[]> {
  const r = await sql<JobCounts>`select k.identifier as kind,
      count(*) filter (where j.locked_at is null and j.attempts = 0)::int as queued,
      count(*) filter (where j.locked_at is not null)::int as running,
      count(*) filter (where j.locked_at is null and j.attempts > 0 and j.attempts < j.max_attempts)::int as retrying,
      count(*) filter (where j.locked_at is null and j.attempts >= j.max_attempts)::int as failed
    from ${t(schema, '_private_jobs')} j join ${t(schema, '_private_tasks')} k on k.id = j.task_id
    where k.identifier like ${`${prefix}%`}
    ${run !== undefined ? sql`and (j.payload->>'run')::int = ${run}` : sql``}
    group by k.identifier order by k.identifier`.execute(db);
  return r.rows;
}

/** Jobs of a run that used up their attempts: what they were and their last error. */
export async function deadJobs(db: Db, schema: string, run: number): Promise<Array<{ kind: string; key: string | null; payload: unknown; attempts: number; last_error: string | null }>> {
  const r = await sql<{ kind: string; key: string | null; payload: unknown; attempts: number; last_error: string | null }>`select k.identifier as kind, j.key, j.payload, j.attempts, j.last_error
    from ${t(schema, '_private_jobs')} j join ${t(schema, '_private_tasks')} k on k.id = j.task_id
    where (j.payload->>'run')::int = ${run} and j.locked_at is null and j.attempts >= j.max_attempts order by j.id`.execute(db);
  return r.rows;
}

/** Jobs of a run that will still run (any kind). */
export async function liveJobsOfRun(db: Db, schema: string, run: number): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${t(schema, '_private_jobs')} j
    where (j.payload->>'run')::int = ${run} and (j.attempts < j.max_attempts or j.locked_at is not null)`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Jobs that will still run, of any run (`hstlc worker --once` stops at zero). */
export async function liveJobsTotal(db: Db, schema: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${t(schema, '_private_jobs')} j
    where (j.attempts < j.max_attempts or j.locked_at is not null)`.execute(db);
  return r.rows[0]?.n ?? 0;
}

// ---- workers --------------------------------------------------------------------------------------

export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  started_at: Date;
  last_seen: Date;
  stopped_at: Date | null;
  state: string;
  engine_ids: string[];
  jobs_done: number;
}

export async function registerWorker(db: Db, schema: string, w: { id: string; host: string; pid: number; concurrency: number }): Promise<void> {
  await sql`insert into ${t(schema, 'hstlc_workers')} (id, host, pid, concurrency) values (${w.id}, ${w.host}, ${w.pid}, ${w.concurrency})`.execute(db);
}

/** A graphile-worker id that locks jobs on this process's behalf (so they can be released if it dies). */
export async function addWorkerEngineId(db: Db, schema: string, id: string, engineId: string): Promise<void> {
  await sql`update ${t(schema, 'hstlc_workers')} set engine_ids = array_append(engine_ids, ${engineId}) where id = ${id}`.execute(db);
}

export async function heartbeat(db: Db, schema: string, id: string, jobsDone: number): Promise<void> {
  await sql`update ${t(schema, 'hstlc_workers')} set last_seen = now(), jobs_done = ${jobsDone} where id = ${id} and stopped_at is null`.execute(db);
}

export async function markWorkerStopped(db: Db, schema: string, id: string, state: 'stopped' | 'lost'): Promise<void> {
  await sql`update ${t(schema, 'hstlc_workers')} set stopped_at = now(), state = ${state} where id = ${id} and stopped_at is null`.execute(db);
}

/**
 * The graphile-worker ids holding job locks on behalf of no live worker: those of workers not seen for
 * `expiryMs` (marked lost here), and any lock older than that whose holder no live worker owns (a worker
 * killed before it recorded its ids).
 */
export async function lockHoldersToRelease(db: Db, schema: string, expiryMs: number): Promise<{ lost: string[]; engineIds: string[] }> {
  const interval = sql`(${expiryMs}::int * interval '1 millisecond')`;
  const lost = await sql<{ id: string; engine_ids: string[] }>`update ${t(schema, 'hstlc_workers')} set state = 'lost', stopped_at = now()
    where stopped_at is null and last_seen < now() - ${interval} returning id, engine_ids`.execute(db);
  const orphans = await sql<{ locked_by: string }>`select distinct j.locked_by from ${t(schema, '_private_jobs')} j
    where j.locked_at is not null and j.locked_at < now() - ${interval}
    and not exists (select 1 from ${t(schema, 'hstlc_workers')} w where w.stopped_at is null and j.locked_by = any(w.engine_ids))`.execute(db);
  const ids = new Set<string>(lost.rows.flatMap((r) => r.engine_ids));
  for (const r of orphans.rows) if (r.locked_by !== null) ids.add(r.locked_by);
  return { lost: lost.rows.map((r) => r.id), engineIds: [...ids] };
}

/** Workers seen in the last `withinMs` or still marked running, newest first. */
export async function recentWorkers(db: Db, schema: string, withinMs: number): Promise<WorkerRow[]> {
  const r = await sql<WorkerRow>`select * from ${t(schema, 'hstlc_workers')}
    where last_seen > now() - (${withinMs}::int * interval '1 millisecond') or stopped_at is null order by last_seen desc limit 50`.execute(db);
  return r.rows;
}

/** Whether the engine's schema exists yet (`hstlc status` does not create it). */
export async function engineSchemaExists(db: Db, schema: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${schema} and table_name = 'hstlc_workers'`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}
