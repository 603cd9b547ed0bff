/**
 * The job engine (DESIGN §9 scale-out): graphile-worker on the PostgreSQL of db_connection_string, in a
 * schema of its own (db/engine.ts engineSchema). This module opens it — graphile-worker's migrations and
 * our bookkeeping tables on first use, under an advisory lock so that several workers starting at once
 * install it once — and names the jobs. What the jobs do is tasks.ts; submitting and waiting, submit.ts;
 * the `hstlc worker` process, worker.ts.
 */
import { createHash } from 'node:crypto';
import { Logger, makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { redactUrl } from '../../config/connection.js';
import type { HstlcSettings } from '../../config/types.js';
import { engineDb, postgresPoolConfig, type HstlcDb } from '../../db/index.js';
import { SILENT, type StageLogger } from '../log.js';

/** The kinds of job; the task identifier is `hstlc_<kind>`. */
export const JOB_KINDS = ['ingest', 'composite', 'plan', 'stats', 'plot', 'site', 'finish'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export const TASK_PREFIX = 'hstlc_';
export const taskName = (kind: JobKind): string => `${TASK_PREFIX}${kind}`;
export const kindOfTask = (identifier: string): JobKind | undefined => {
  const k = identifier.startsWith(TASK_PREFIX) ? identifier.slice(TASK_PREFIX.length) : '';
  return (JOB_KINDS as readonly string[]).includes(k) ? (k as JobKind) : undefined;
};

/**
 * Attempts of one job: a transient failure (database connection dropped, disk momentarily full) is
 * retried with graphile-worker's backoff, e^attempt seconds (2.7 s, 7 s, 20 s, 55 s, 2.5 min): about four
 * minutes in all before the job is reported failed, by the error's name.
 */
export const MAX_ATTEMPTS = 6;

export interface Engine {
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly utils: WorkerUtils;
  readonly handle: HstlcDb;
  close(): Promise<void>;
}

/** graphile-worker's log lines, into ours: its warnings and errors only (its info is per-job chatter). */
export function engineLogger(logger: StageLogger): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error') logger.error(`job engine: ${redactUrl(message)}`);
    else if (level === 'warning') logger.warn(`job engine: ${redactUrl(message)}`);
  });
}

/**
 * Open the engine on `handle`'s database (which must be PostgreSQL: config load refuses engine graphile
 * otherwise) and install or upgrade its schema. The advisory lock makes concurrent first starts wait for
 * each other instead of racing graphile-worker's `create schema` and migration inserts.
 */
export async function openEngine(settings: Pick<HstlcSettings, 'db'>, handle: HstlcDb, options: { logger?: StageLogger; poolSize?: number } = {}): Promise<Engine> {
  if (handle.dialect !== 'postgresql') throw new Error(`the graphile engine needs PostgreSQL, not ${handle.dialect}`);
  const schema = engineDb.engineSchema(settings.db);
  const pool = new pg.Pool(postgresPoolConfig(settings.db, options.poolSize ?? 8));
  // A connection the server dropped while idle emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => undefined);
  // A client's own 'error' (its connection terminated mid-query) is reported by that query's promise.
  pool.on('connect', (client) => client.on('error', () => undefined));
  let utils: WorkerUtils | undefined;
  try {
    utils = await makeWorkerUtils({ pgPool: pool, schema, logger: engineLogger(options.logger ?? SILENT) });
    const u = utils;
    await engineDb.withAdvisoryLock(handle.db, `hstlc-engine:${schema}`, async () => {
      await u.migrate();
      await engineDb.createEngineTables(handle.db, schema);
    });
  } catch (err) {
    await Promise.resolve(utils?.release()).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
  const opened = utils;
  return {
    schema,
    pool,
    utils: opened,
    handle,
    async close() {
      await Promise.resolve(opened.release()).catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * The settings a job's result depends on, hashed (the algorithm apart: a job carries it itself): a job carries it, and a worker whose own configuration
 * differs refuses the job (recorded, not retried) rather than make different products under the same
 * names. Paths must be the same on every host (home_dir is one shared filesystem, mounted alike).
 */
export function configDigest(settings: Pick<HstlcSettings, 'home_dir' | 'ingest_dir' | 'filesystem_dir' | 'outputs_dir' | 'composite_dir' | 'bad_data_dir' | 'plot_dir' | 'ref_dir' | 'step' | 'bad_proposals' | 'target_aliases' | 'target_match_radius' | 'db'>): string {
  // The database by name and schema: its host and port are how each host reaches it (one host may go
  // through a proxy or another address), not what it is.
  const db = { dialect: settings.db.dialect, database: settings.db.database, schema: settings.db.params['schema'] };
  const shaping = {
    db,
    dirs: [settings.home_dir, settings.ingest_dir, settings.filesystem_dir, settings.outputs_dir, settings.composite_dir, settings.bad_data_dir, settings.plot_dir, settings.ref_dir],
    step: settings.step,
    bad_proposals: settings.bad_proposals,
    target_aliases: settings.target_aliases,
    target_match_radius: settings.target_match_radius,
  };
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex').slice(0, 16);
}
