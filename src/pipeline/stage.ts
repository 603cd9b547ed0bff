/**
 * The stage contract (DESIGN §9). Every stage — ingest, stats, plots, the pipeline, download and both
 * resets — is a `Stage<Input, Summary>` and is run by `runStage` with one context: the database, the
 * settings, a logger, a progress sink, the worker pool and the lock. runStage is the one place a lock is
 * taken (the home_dir lock, or the download_dir lock for downloads) and the pool started and stopped; a
 * stage body does neither, so a composite stage (the pipeline) runs its parts on its own context.
 *
 * A stage answers per item, as kysely's MigrationResultSet does: each item done, bad, failed (with why)
 * or skipped (db/batch.ts ItemResult), beside the stage's own summary (what --json prints). The work of
 * a stage is cut into units (units.ts UNITS): plain input → plain result, so that a job engine can run
 * them; the stage commits the results (SQL only through src/db).
 */
import { HomeLockedError, lockHome, type HomeLock } from '../archive/home-lock.js';
import type { HstlcSettings } from '../config/types.js';
import { countByStatus, type HstlcDb, type ItemResult, type ItemStatus } from '../db/index.js';
import { acquireRunLock, LockedError } from '../mast/lock.js';
import { SILENT, type StageLogger } from './log.js';
import { createPool, type Pool, type PoolOptions } from './pool.js';

export type { ItemResult, ItemStatus } from '../db/index.js';

/** One step of a stage's progress; `phase` is what is being counted ("ingest", "composites", "stats", "plots"…). */
export interface StageProgress {
  phase: string;
  done: number;
  total: number;
  current?: string;
  failures?: number;
}

export interface ProgressSink {
  update(p: StageProgress): void;
  /** The current phase is over (a bar is finished); the next update starts a new one. */
  stop(): void;
}

export const NO_PROGRESS: ProgressSink = { update: () => undefined, stop: () => undefined };

/** What a stage runs with. */
export interface StageContext {
  readonly db: HstlcDb;
  readonly settings: HstlcSettings;
  readonly logger: StageLogger;
  readonly progress: ProgressSink;
  /** lref/oref and the like (§6.9); process.env unless given. */
  readonly env: Record<string, string | undefined>;
  /** The stage's worker pool (Stage.poolOptions), started on first use; runStage stops it. */
  pool(): Pool;
  /** The lock runStage took for this run (undefined for a stage that takes none). */
  readonly lock: HomeLock | undefined;
}

/**
 * Which lock a run needs: `home` (one ingest, stats, plots, pipeline or reset at a time per home_dir),
 * `download` (one download per download_dir: two would write the same `.part` files), or `none`.
 */
export type StageLock = 'home' | 'download' | 'none';

export interface Stage<Input, Summary> {
  /** The command it is: owner of the lock, name in the runs table and the log file. */
  readonly name: string;
  lock(input: Input): StageLock;
  /** The pool ctx.pool() starts; default num_cores threads, in-process for one. */
  poolOptions?(settings: HstlcSettings): PoolOptions;
  /** Run it. Throws only when the stage cannot run at all (database gone); items fail one by one. */
  run(ctx: StageContext, input: Input): Promise<Summary>;
  /** The per-item results of a finished run. */
  results(summary: Summary): ItemResult[];
  /** Whether the run is a success (no item failed): false makes the CLI exit 1. */
  ok(summary: Summary): boolean;
}

/**
 * The stage of a command that works in home_dir (ingest, stats, plots, the pipeline): it takes the
 * home_dir lock and its summary says itself whether the run succeeded (`ok`), so only the body and
 * the per-item results differ from one such stage to the next.
 */
export function homeStage<Input, Summary extends { readonly ok: boolean }>(
  name: string,
  run: Stage<Input, Summary>['run'],
  results: Stage<Input, Summary>['results'],
  more: Pick<Stage<Input, Summary>, 'poolOptions'> = {},
): Stage<Input, Summary> {
  return { name, lock: () => 'home', ...more, run, results, ok: (s) => s.ok };
}

/** What a stage body takes from its context unchanged: the settings, the logger and the worker pool (started on this call). */
export function stageBasics(ctx: StageContext): { settings: HstlcSettings; logger: StageLogger; pool: Pool } {
  return { settings: ctx.settings, logger: ctx.logger, pool: ctx.pool() };
}

/** One item's result (the optional reason left out when there is none, as exactOptionalPropertyTypes wants). */
export function itemResult(key: string, status: ItemStatus, reason?: string): ItemResult {
  return reason === undefined ? { key, status } : { key, status, reason };
}

/** What runStage returns (kysely's MigrationResultSet: the per-item results, here beside the summary). */
export interface StageResultSet<Summary> {
  stage: string;
  ok: boolean;
  results: ItemResult[];
  counts: Record<ItemStatus, number>;
  summary: Summary;
}

/**
 * What a stage body (and runStage, and an engine worker) may be given besides its own options: a logger
 * (default silent) and the environment that names lref/oref (§6.9; default process.env).
 */
export interface RunEnvironment {
  logger?: StageLogger;
  env?: Record<string, string | undefined>;
}

/** What runStage needs to build the context; the lock and (unless given) the pool it makes itself. */
export interface StageEnvironment extends RunEnvironment {
  db: HstlcDb;
  settings: HstlcSettings;
  progress?: ProgressSink;
  /** A pool to use instead of starting one (not stopped by runStage). */
  pool?: Pool;
  /**
   * Wait for a lock another process holds instead of failing at once: poll until it is free or
   * `timeoutMs` has passed (then the lock error is thrown); `onWait` hears who holds it, once.
   */
  waitForLock?: { timeoutMs: number; onWait(holder: string): void };
  /**
   * Hears the lock once it is taken, so that the CLI's Ctrl-C handler can release it before the
   * process exits (a signal ends the process without reaching runStage's finally).
   */
  onLocked?(lock: HomeLock): void;
}

/** How often a waiting stage looks at the lock again. */
const LOCK_POLL_MS = 500;

async function takeLockWaiting(kind: StageLock, name: string, settings: HstlcSettings, wait: StageEnvironment['waitForLock']): Promise<HomeLock | undefined> {
  const deadline = Date.now() + (wait?.timeoutMs ?? 0);
  let told = false;
  for (;;) {
    try {
      return await takeLock(kind, name, settings);
    } catch (err) {
      const held = err instanceof HomeLockedError || err instanceof LockedError;
      const left = deadline - Date.now();
      if (!held || wait === undefined || left <= 0) throw err;
      if (!told) wait.onWait(err.message);
      told = true;
      await new Promise((r) => setTimeout(r, Math.min(LOCK_POLL_MS, left)));
    }
  }
}

async function takeLock(kind: StageLock, name: string, settings: HstlcSettings): Promise<HomeLock | undefined> {
  if (kind === 'home') return lockHome(settings.home_dir, name);
  if (kind === 'download') return acquireRunLock(settings.download_dir);
  return undefined;
}

/**
 * Run a stage: take its lock (HomeLockedError, or mast LockedError for downloads, when another process
 * holds it; nothing has run then), run it, stop the pool and release the lock whatever happened.
 */
export async function runStage<Input, Summary>(stage: Stage<Input, Summary>, environment: StageEnvironment, input: Input): Promise<StageResultSet<Summary>> {
  const { settings } = environment;
  const lock = await takeLockWaiting(stage.lock(input), stage.name, settings, environment.waitForLock);
  if (lock !== undefined) environment.onLocked?.(lock);
  let started: Pool | undefined;
  const ctx: StageContext = {
    db: environment.db,
    settings,
    logger: environment.logger ?? SILENT,
    progress: environment.progress ?? NO_PROGRESS,
    env: environment.env ?? process.env,
    lock,
    pool: () => environment.pool ?? (started ??= createPool(stage.poolOptions?.(settings) ?? { numCores: settings.num_cores })),
  };
  try {
    const summary = await stage.run(ctx, input);
    const results = stage.results(summary);
    return { stage: stage.name, ok: stage.ok(summary), results, counts: countByStatus(results), summary };
  } finally {
    await started?.close().catch(() => undefined);
    await lock?.release();
  }
}
