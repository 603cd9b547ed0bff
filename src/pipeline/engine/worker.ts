/**
 * `hstlc worker` (DESIGN §9): one process on one host running the engine's jobs, `concurrency` at a
 * time, until stopped (SIGTERM/SIGINT: the running jobs finish, or are released for another worker, and
 * the process exits 0) or, with `once`, until no job is left to run.
 *
 * A worker that dies (kill -9, a host lost) cannot release its jobs itself. Each worker records itself
 * in hstlc_workers with the graphile-worker ids it locks jobs under, and refreshes `last_seen`; every
 * worker looks for others not seen for `lockExpiryMs` and releases their locks (graphile-worker's
 * forceUnlockWorkers), so their jobs are picked up again — the lock expiry of the issue, well short of
 * graphile-worker's own four hours.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { run, type Runner, type WorkerEvents } from 'graphile-worker';
import { connectDatabase, engineDb } from '../../db/index.js';
import { loadAliasFile } from '../../targets/aliases.js';
import { createPool, type Pool } from '../pool.js';
import { SILENT } from '../log.js';
import type { RunEnvironment } from '../stage.js';
import { errorName, isTransient } from './errors.js';
import { engineLogger, openEngine, type JobKind } from './graphile.js';
import { checkMarker, MarkerError } from './marker.js';
import { taskList, type TaskContext, type WorkerSettings } from './tasks.js';

export interface WorkerOptions extends RunEnvironment {
  settings: WorkerSettings;
  /** Jobs at once (default 1). */
  concurrency?: number;
  /** Stop when no job is left to run (queued, waiting for a retry, or running elsewhere). */
  once?: boolean;
  /** A worker not seen for this long has its jobs released (default 60 s). */
  lockExpiryMs?: number;
  /** How often this worker says it is alive and looks for lost ones (default lockExpiryMs / 6, ≥ 250 ms). */
  heartbeatMs?: number;
  /** How often graphile-worker polls besides LISTEN/NOTIFY (default 1000 ms). */
  pollMs?: number;
  /** Stops the worker like SIGTERM. */
  signal?: AbortSignal;
  /** Called with this worker's id once it is registered. */
  onReady?: (id: string) => void;
  onJobStart?: TaskContext['onStart'];
}

export interface WorkerReport {
  id: string;
  jobs: number;
  /** Workers found lost (and their jobs released) by this one. */
  released: string[];
}

export async function runWorker(options: WorkerOptions): Promise<WorkerReport> {
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
  const lockExpiryMs = Math.max(1000, options.lockExpiryMs ?? 60_000);
  const heartbeatMs = Math.max(250, options.heartbeatMs ?? Math.floor(lockExpiryMs / 6));
  const handle = await connectDatabase(settings.db, { poolSize: concurrency + 2 });
  const timers: NodeJS.Timeout[] = [];
  const cleanups: Array<() => void> = [];
  const released: string[] = [];
  let jobs = 0;
  let id: string | undefined;
  let engine;
  let pool: Pool | undefined;
  try {
    engine = await openEngine(settings, handle, { logger, poolSize: concurrency + 3 });
    const schema = engine.schema;
    if ((await checkMarker(settings.home_dir, handle, schema)) === 'none yet') {
      // Workers may be started before the first submission: wait for it, then check its marker.
      if (options.once === true) return { id: 'none', jobs: 0, released };
      logger.info(`Waiting for the first submission to ${schema}`);
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        if (options.signal?.aborted === true) return { id: 'none', jobs: 0, released };
        if ((await checkMarker(settings.home_dir, handle, schema).catch((err: unknown) => (err instanceof MarkerError ? Promise.reject(err) : 'none yet'))) === 'ok') break;
      }
    }
    id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const self = id;
    await engineDb.registerWorker(handle.db, schema, { id, host: hostname(), pid: process.pid, concurrency });
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    const recorded: Array<Promise<void>> = [];
    // graphile-worker's ids of the current runner: released if that runner is given up (below).
    let runnerIds: string[] = [];
    events.on('worker:create', ({ worker }) => {
      runnerIds.push(worker.workerId);
      recorded.push(engineDb.addWorkerEngineId(handle.db, schema, self, worker.workerId).catch((err: unknown) => logger.warn(`worker id not recorded: ${String(err)}`)));
    });
    pool = createPool({ numCores: concurrency, threads: true });
    const ctx: TaskContext = {
      pool,
      settings,
      handle,
      engine,
      workerId: id,
      aliases: await loadAliasFile(settings.target_aliases),
      env: options.env ?? process.env,
      logger,
      onDone: (_kind: JobKind) => {
        jobs++;
      },
      ...(options.onJobStart !== undefined ? { onStart: options.onJobStart } : {}),
    };
    const tasks = taskList(ctx);
    const start = (): Promise<Runner> =>
      run({ pgPool: engine!.pool, schema, concurrency, taskList: tasks, noHandleSignals: true, pollInterval: options.pollMs ?? 1000, logger: engineLogger(logger), events });
    let runner: Runner = await start();
    await Promise.all(recorded);
    options.onReady?.(id);
    logger.info(`Worker ${id}: ${concurrency} job(s) at a time on ${schema}`);

    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`Worker ${self}: stopping (${why})`);
      void runner.stop().catch((err: unknown) => logger.warn(`stopping: ${String(err)}`));
    };
    // graphile-worker 0.17 does not await its own release of a finished job (failJob/completeJob): if
    // the database connection drops right then (57P01 when the backend is terminated), the rejection is
    // unhandled and Node would end the process. A transient one is an outage, not a crash: this runner
    // is given up, its locks released (the job runs again, as after a lost worker) and a fresh one started.
    let lostRunner = false;
    const onUnhandled = (reason: unknown): void => {
      if (!isTransient(reason)) throw reason;
      logger.warn(`Worker ${self}: the job engine lost its database connection while releasing a job (${errorName(reason)}); restarting it`);
      if (lostRunner) return;
      lostRunner = true;
      void runner.stop().catch(() => undefined);
    };
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));
    const engineRef = engine;
    let sweeping = false;
    const sweep = async (): Promise<void> => {
      if (sweeping) return;
      sweeping = true;
      try {
        await engineDb.heartbeat(handle.db, schema, self, jobs);
        const lost = await engineDb.lockHoldersToRelease(handle.db, schema, lockExpiryMs);
        if (lost.engineIds.length > 0) {
          await engineRef.utils.forceUnlockWorkers(lost.engineIds);
          logger.warn(`Released the jobs of ${lost.lost.length > 0 ? `lost worker(s) ${lost.lost.join(', ')}` : `lock holder(s) ${lost.engineIds.join(', ')}`}`);
          released.push(...lost.lost);
        }
        if (options.once === true && (await engineDb.liveJobsTotal(handle.db, schema)) === 0) stop('no job left');
      } catch (err) {
        // The database may be briefly away (restart, dropped connection): try again at the next beat.
        logger.warn(`Worker ${self}: heartbeat failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        sweeping = false;
      }
    };
    timers.push(setInterval(() => void sweep(), heartbeatMs));
    if (options.signal !== undefined) {
      if (options.signal.aborted) stop('asked to stop');
      else options.signal.addEventListener('abort', () => stop('asked to stop'), { once: true });
    }
    await sweep();
    for (;;) {
      const exitCode = process.exitCode;
      await runner.promise.catch((err: unknown) => {
        if (!lostRunner) throw err;
      });
      if (stopping) break;
      if (lostRunner) {
        const ids = runnerIds;
        runnerIds = [];
        // Retried until the database answers again (the heartbeat reports the outage meanwhile).
        for (;;) {
          try {
            await engineRef.utils.forceUnlockWorkers(ids);
            break;
          } catch (err) {
            if (!isTransient(err) || stopping) throw err;
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
        lostRunner = false;
        runner = await start();
        await Promise.all(recorded);
        continue;
      }
      // graphile-worker stops when it hears of a breaking migration — on a channel that is database-wide,
      // so installing the engine in another schema of this database (another archive, a test) stops us
      // too. If our own schema is still one this graphile-worker runs (migrate() refuses a newer
      // revision), carry on with a fresh runner.
      process.exitCode = exitCode;
      await engineRef.utils.migrate();
      logger.warn(`Worker ${self}: graphile-worker stopped (a migration elsewhere on this database?); ${schema} is current, carrying on`);
      await new Promise((r) => setTimeout(r, 500));
      if (stopping) break;
      runner = await start();
      if (stopping) await runner.stop().catch(() => undefined);
    }
    return { id, jobs, released };
  } finally {
    for (const cleanup of cleanups) cleanup();
    for (const timer of timers) clearInterval(timer);
    if (id !== undefined && engine !== undefined) await engineDb.markWorkerStopped(handle.db, engine.schema, id, 'stopped').catch(() => undefined);
    await pool?.close().catch(() => undefined);
    await engine?.close();
    await handle.close();
  }
}
