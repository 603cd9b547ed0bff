/**
 * The jobs' handlers (DESIGN §9): each runs one unit of a stage in the worker's own thread — the same
 * functions the local engine runs (ingest.ts ingestOneFile, units.ts buildComposite, stats-unit.ts,
 * plots-periodogram.ts, the plots stage for the site) — and records its result in hstlc_results, where
 * the submitter reads it. A bad or unprocessable item is a recorded result; a transient error is thrown
 * for graphile-worker to retry with backoff (errors.ts).
 */
import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { interestOf } from '../../analysis/index.js';
import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import { compositePath, layoutFromSettings, UnsafePathError } from '../../archive/layout.js';
import { fileSizeIfPresent, listDirIfPresent } from '../../files/index.js';
import { makeDirectory, setPermissions } from '../../archive/permissions.js';
import type { HstlcSettings } from '../../config/types.js';
import {
  compareGroups,
  compositeGroupMembers,
  engineDb,
  findMetadata,
  findStats,
  finishRun,
  listStats,
  pendingCompositeGroups,
  setCompositeOutput,
  upsertStats,
  type CompositeGroup,
  type HstlcDb,
} from '../../db/index.js';
import { rootnameOf } from '../../hst/names.js';
import { hlspName } from '../../lightcurve/composite.js';
import type { AliasTable } from '../../targets/aliases.js';
import type { CompositeItem } from '../composites.js';
import { ingestOneFile, prepareOnPool, STAGING_DIR, unitOptions, type FileResult } from '../ingest.js';
import type { StageLogger } from '../log.js';
import { pipelinePlots, type PipelineSettings } from '../pipeline.js';
import { lightcurvesToPlot, prepareRecord } from '../plots.js';
import { DEFAULT_MAX_POINTS, PeriodogramCache } from '../plots-periodogram.js';
import { ImageCache, imageJobsOf } from '../../plots/image-cache.js';
import { lightcurvesToProcess, type StatsFileResult } from '../stats.js';
import type { Pool } from '../pool.js';
import { isTransient, TransientJobError, transientReason } from './errors.js';
import { configDigest, JOB_KINDS, kindOfTask, MAX_ATTEMPTS, taskName, type Engine, type JobKind } from './graphile.js';
import { isJobCommon, itemKey, jobKey, waitsFor, type CompositeJob, type FinishJob, type IngestJob, type JobCommon, type PlanJob, type PlotJob, type SiteJob, type StatsJob } from './jobs.js';

export type WorkerSettings = PipelineSettings & Pick<HstlcSettings, 'db' | 'plot_dir' | 'target_aliases' | 'target_match_radius'>;

export interface TaskContext {
  settings: WorkerSettings;
  handle: HstlcDb;
  engine: Engine;
  /** Worker threads the units run on, so this thread keeps answering (heartbeats) while they compute. */
  pool: Pool;
  /** This process's id in hstlc_workers. */
  workerId: string;
  aliases: AliasTable;
  env: Record<string, string | undefined>;
  logger: StageLogger;
  /** A job waiting for its prerequisites looks again after this long (default 500 ms). */
  deferMs?: number;
  /** Called when a job has recorded its result. */
  onDone?: (kind: JobKind) => void;
  /** Tests: called as a job starts (a test kills the process here). */
  onStart?: (kind: JobKind, key: string) => void | Promise<void>;
}

/** What a handler reports: recorded under (run, kind, key); `deferred` records nothing. */
type Outcome = { status: string; detail: unknown } | 'deferred';

/** Add (or replace, under its key) a job of the engine. */
export async function enqueue<P extends JobCommon>(engine: Engine, kind: JobKind, payload: P, key: string, runAt?: Date): Promise<void> {
  await engine.utils.addJob(taskName(kind), payload, { jobKey: boundedKey(key), jobKeyMode: 'replace', maxAttempts: MAX_ATTEMPTS, ...(runAt !== undefined ? { runAt } : {}) });
}

/** One job of a batch: its payload, key and how much work it is (bytes of input; larger runs first). */
export interface BatchJob<P extends JobCommon> {
  payload: P;
  key: string;
  bytes?: number;
}

/**
 * Add (or replace) many jobs of one kind, `ENQUEUE_BATCH` to a statement (graphile-worker's addJobs,
 * with add_job's 'replace' semantics for keys), so submitting an archive of 60,000 files costs ~120
 * round trips instead of 60,000. Larger inputs get a smaller priority number, which graphile-worker runs
 * first: the longest jobs start early and the short ones fill in behind them, so the last job to finish
 * is a short one and N workers are not left waiting on one long composite (longest processing time first).
 */
export async function enqueueMany<P extends JobCommon>(engine: Engine, kind: JobKind, jobs: ReadonlyArray<BatchJob<P>>): Promise<void> {
  for (let i = 0; i < jobs.length; i += ENQUEUE_BATCH) {
    await engine.utils.addJobs(
      jobs.slice(i, i + ENQUEUE_BATCH).map((j) => ({
        identifier: taskName(kind),
        payload: j.payload,
        jobKey: boundedKey(j.key),
        maxAttempts: MAX_ATTEMPTS,
        ...(j.bytes !== undefined ? { priority: sizePriority(j.bytes) } : {}),
      })),
    );
  }
}

const ENQUEUE_BATCH = 500;

/**
 * graphile-worker's priority (a smallint, ascending order runs first) for a job reading `bytes`: minus
 * 256 × log2(bytes), so 1 kB → −2560, 1 GB → −7680; jobs without a size (plans, the site, the run's end)
 * keep 0 and run when no sized job is ready — they wait for those anyway.
 */
export function sizePriority(bytes: number): number {
  return -Math.round(256 * Math.log2(Math.max(2, bytes)));
}

/** graphile-worker keys are at most 512 characters: a longer one is hashed (still unique per item). */
function boundedKey(key: string): string {
  return key.length <= 480 ? key : `${key.slice(0, 400)}#${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Wait for the prerequisites of a job: if jobs of the kinds it waits for will still run, put this job
 * back under its own key with a later run_at (the running copy keeps no key, so a new one is made) and
 * report it deferred. graphile-worker has no job dependencies; this is the polling its docs suggest.
 */
async function deferred(ctx: TaskContext, kind: JobKind, payload: JobCommon, helpers: JobHelpers): Promise<boolean> {
  const live = await engineDb.liveJobCount(ctx.handle.db, ctx.engine.schema, waitsFor(kind, payload).map(taskName), helpers.job.id);
  if (live === 0) return false;
  // Look again sooner when little is left, but never later than 2 s: the jobs it waits for carry a
  // smaller priority number (enqueueMany), so no worker picks a waiting job while one of those is
  // ready — the look costs nothing then — and once they are done the workers must not sit idle until a
  // far-off run_at (a 15 s wait behind 750 files left both workers idle at the end of ingest).
  const base = ctx.deferMs ?? 500;
  const delay = Math.min(2_000, Math.max(base, live * 20)) * (0.75 + Math.random() / 2);
  await enqueue(ctx.engine, kind, payload, helpers.job.key ?? `${kind}:${payload.run}`, new Date(Date.now() + delay));
  return true;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The worker's settings with the job's algorithm (a job carries it apart from the digest: `stats --algorithm`). */
function settingsOf(ctx: TaskContext, p: JobCommon): WorkerSettings {
  return { ...ctx.settings, algorithm: p.algorithm };
}

async function ingestJob(ctx: TaskContext, p: IngestJob, helpers: JobHelpers): Promise<Outcome> {
  const settings = settingsOf(ctx, p);
  const stagingDir = path.join(settings.home_dir, STAGING_DIR, 'jobs', `${rootnameOf(p.file)}-${helpers.job.id}-${helpers.job.attempts}`);
  const result: FileResult = await ingestOneFile(
    ctx.handle,
    { settings, aliases: ctx.aliases, matchRadiusArcsec: settings.target_match_radius, env: ctx.env, logger: ctx.logger },
    { file: p.file, stagingDir, corrtagExtract: p.corrtagExtract, prepare: prepareOnPool(ctx.pool, settings), ...(p.superseded !== undefined ? { superseded: p.superseded } : {}) },
  );
  if (result.status === 'failed') {
    const code = transientReason(result.reason ?? '');
    if (code !== undefined) throw new TransientJobError(code, result.reason!);
  }
  if (result.status === 'done' && result.archived !== undefined) {
    // §9.1 the file's group is to be (re)built: queued under the group's key, so the members of a run
    // queue it once; it waits for the run's files (WAITS_FOR).
    const row = await findMetadata(ctx.handle.db, path.basename(result.archived));
    if (row !== undefined) {
      const group: CompositeGroup = { instrume: row.instrume, detector: row.detector, targname: row.targname, opt_elem: row.opt_elem, cenwave: row.cenwave, aperture: row.aperture };
      await enqueue(ctx.engine, 'composite', { run: p.run, digest: p.digest, algorithm: p.algorithm, group } satisfies CompositeJob, jobKey.composite(group));
    }
  }
  return { status: result.status, detail: result };
}

async function compositeJob(ctx: TaskContext, p: CompositeJob): Promise<Outcome> {
  const layout = layoutFromSettings(ctx.settings);
  const g = p.group;
  const name = hlspName(g);
  const members = await compositeGroupMembers(ctx.handle.db, g);
  const files = members.map((m) => path.join(m.path, m.filename));
  const base = { name, group: g, members: files };
  const pending = (await pendingCompositeGroups(ctx.handle.db)).some((x) => compareGroups(x, g) === 0);
  // Another job (of another submission) built it since: nothing new to make.
  if (!pending) return { status: 'unchanged', detail: { ...base, status: 'done', dropped: [] } satisfies CompositeItem };
  let output: string;
  try {
    output = compositePath(layout, name);
  } catch (err) {
    if (!(err instanceof UnsafePathError)) throw err;
    return { status: 'failed', detail: { ...base, status: 'failed', dropped: [], reason: err.message } satisfies CompositeItem };
  }
  await makeDirectory(layout.compositeDir);
  const built = await ctx.pool.run('composite', { files, output, options: unitOptions(settingsOf(ctx, p), ctx.env), targname: g.targname });
  if (built.status !== 'done') {
    const code = transientReason(built.reason);
    if (code !== undefined) throw new TransientJobError(code, built.reason);
    ctx.logger.error(`Failed to create composite for dataset ${name}: ${built.reason}`);
    return { status: 'failed', detail: { ...base, status: 'failed', dropped: [], reason: built.reason } satisfies CompositeItem };
  }
  await setPermissions(built.output);
  // §9.2.4: every member of the group, including any the composite left out, points at it.
  await setCompositeOutput(ctx.handle, members.map((m) => m.metadata_id), layout.compositeDir, name);
  ctx.logger.info(`\tComposite lightcurve saved to ${built.output}`);
  const dropped = built.members.filter((m) => !m.kept).map((m) => ({ file: m.file, reason: m.reason ?? 'dropped' }));
  return { status: 'done', detail: { ...base, status: 'done', dropped, rows: built.rows } satisfies CompositeItem };
}

async function planJob(ctx: TaskContext, p: PlanJob): Promise<Outcome> {
  const common: JobCommon = { run: p.run, digest: p.digest, algorithm: p.algorithm };
  let queued = 0;
  if (p.stage === 'stats') {
    const { lightcurves, pendingComposites } = await lightcurvesToProcess(ctx.handle, p.type);
    const force = p.force === true ? { force: true } : {};
    const jobs = await Promise.all(
      lightcurves.map(async (lc) => ({ payload: { ...common, path: lc.path, kind: lc.kind, method: p.method, ...force } satisfies StatsJob, key: jobKey.stats(lc.path), bytes: await fileSizeIfPresent(lc.path) })),
    );
    await enqueueMany(ctx.engine, 'stats', jobs);
    queued = lightcurves.length;
    if (pendingComposites > 0) ctx.logger.warn(`${pendingComposites} composite(s) are being rebuilt and have no file yet: skipped`);
  } else {
    const { candidates } = await lightcurvesToPlot(ctx.handle);
    const stats = new Set<string>();
    for (const row of await listStats(ctx.handle.db)) stats.add(path.join(row.lightcurve_path, row.lightcurve_filename));
    // Without statistics the plots stage skips a lightcurve (it reports it); nothing to draw ahead.
    const drawn = candidates.filter((c) => stats.has(c.path));
    const jobs = await Promise.all(
      drawn.map(async (c) => ({ payload: { ...common, candidate: c, method: p.method } satisfies PlotJob, key: jobKey.plot(c.path), bytes: await fileSizeIfPresent(c.path) })),
    );
    await enqueueMany(ctx.engine, 'plot', jobs);
    queued = drawn.length;
    await enqueue(ctx.engine, 'site', { ...common, method: p.method } satisfies SiteJob, jobKey.site());
  }
  const [next, ...rest] = p.then;
  if (next !== undefined) await enqueue(ctx.engine, 'plan', { ...p, stage: next, then: rest } satisfies PlanJob, jobKey.plan(p.run, next));
  return { status: 'done', detail: { stage: p.stage, queued } };
}

async function statsJob(ctx: TaskContext, p: StatsJob): Promise<Outcome> {
  // As the local stage: a row whose content key is the file's stands (§11; --force recomputes).
  const stored = p.force === true ? undefined : await findStats(ctx.handle.db, path.basename(p.path), path.dirname(p.path));
  const r = await ctx.pool.run('stats', { path: p.path, kind: p.kind, grid: p.algorithm, method: p.method, ...(p.force === true ? {} : { storedKey: stored?.content_key ?? null }) });
  const file: StatsFileResult = { path: r.path, kind: r.kind, status: 'done', ms: Math.round(r.ms) };
  if (r.status !== 'done') {
    ctx.logger.error(`Failed to compute statistics of ${p.path}: ${r.reason}`);
    return { status: 'failed', detail: { ...file, status: 'failed', reason: r.reason } };
  }
  if (r.unchanged === true) {
    if (stored === undefined) throw new Error(`stats job for ${p.path}: reported unchanged without a stored row`);
    return { status: 'unchanged', detail: { ...file, unchanged: true, periodogram: stored.periodogram, deliver: stored.deliver, interest: interestOf(stored).kind, bins: r.bins } };
  }
  await upsertStats(ctx.handle.db, ctx.handle.dialect, { ...r.row, content_key: r.contentKey });
  return { status: 'done', detail: { ...file, periodogram: r.row.periodogram, deliver: r.row.deliver, interest: interestOf(r.row).kind, bins: r.bins } };
}

/**
 * One lightcurve's plots (§12): its periodogram into plot_dir's cache (keyed by content) and its PNGs —
 * the lightcurve and the periodogram, the costly part of the site — into plot_dir's image cache, where
 * the site job takes them instead of drawing (src/plots/image-cache.ts). The record is prepared by the
 * same function as the plots stage's (prepareRecord), so the site job finds what this job drew.
 */
async function plotJob(ctx: TaskContext, p: PlotJob): Promise<Outcome> {
  const c = p.candidate;
  const row = await findStats(ctx.handle.db, path.basename(c.path), path.dirname(c.path));
  if (row === undefined) return { status: 'skipped', detail: { path: c.path, reason: 'no statistics yet' } };
  const cache = new PeriodogramCache(ctx.settings.plot_dir);
  cache.ensure();
  const prepared = await prepareRecord(c, row, { cache, pool: ctx.pool, grid: p.algorithm, method: p.method, maxPoints: DEFAULT_MAX_POINTS });
  if (prepared.error !== undefined) {
    const code = transientReason(prepared.error);
    if (code !== undefined) throw new TransientJobError(code, prepared.error);
    return { status: 'failed', detail: { path: c.path, reason: prepared.error } };
  }
  // A PNG that fails here is drawn (and its failure reported) by the site job.
  const images = new ImageCache(ctx.settings.plot_dir);
  let drawn = 0;
  for (const job of imageJobsOf(prepared.record)) {
    const r = await ctx.pool.run('renderImage', job);
    if (r.status !== 'done') continue;
    await images.set(job, r.png);
    drawn++;
  }
  return { status: 'done', detail: { path: c.path, periodogram: prepared.periodogram, images: drawn } };
}

/** The pages and dashboards (src/plots/site.ts), with every periodogram and PNG drawn ahead by the plot jobs. */
async function siteJob(ctx: TaskContext, p: SiteJob): Promise<Outcome> {
  const s = await pipelinePlots({ handle: ctx.handle, settings: settingsOf(ctx, p), logger: ctx.logger, method: p.method, imageCache: new ImageCache(ctx.settings.plot_dir) });
  return { status: s.status === 'done' ? 'done' : 'failed', detail: s };
}

/**
 * Staging directories of file jobs whose attempt was killed (a live attempt's directory is in use, and a
 * new run's job may start at any moment): those untouched for an hour are left-overs.
 */
async function removeStaleStaging(ctx: TaskContext): Promise<void> {
  const dir = path.join(ctx.settings.home_dir, STAGING_DIR, 'jobs');
  for (const name of await listDirIfPresent(dir)) {
    const p = path.join(dir, name);
    const s = await stat(p).catch(() => undefined);
    if (s !== undefined && Date.now() - s.mtimeMs > 3_600_000) await rm(p, { recursive: true, force: true });
  }
}

async function finishJob(ctx: TaskContext, p: FinishJob): Promise<Outcome> {
  await removeStaleStaging(ctx);
  const counts = await engineDb.resultCounts(ctx.handle.db, ctx.engine.schema, p.run);
  const dead = await engineDb.deadJobs(ctx.handle.db, ctx.engine.schema, p.run);
  const failed = counts.filter((c) => c.status === 'failed').reduce((n, c) => n + c.n, 0) + dead.length;
  const summary = { engine: 'graphile', results: counts, failedJobs: dead.length };
  await finishRun(ctx.handle, p.run, failed === 0 ? 'ok' : 'failed', summary);
  return { status: failed === 0 ? 'done' : 'failed', detail: summary };
}

const HANDLERS: { [K in JobKind]: (ctx: TaskContext, payload: never, helpers: JobHelpers) => Promise<Outcome> } = {
  ingest: ingestJob,
  composite: compositeJob,
  plan: planJob,
  stats: statsJob,
  plot: plotJob,
  site: siteJob,
  finish: finishJob,
};

/** A payload made by a submitter whose configuration shapes results differently from this worker's. */
export class ConfigMismatchError extends Error {
  constructor(job: string, theirs: string, ours: string) {
    super(`job ${job} was submitted with configuration ${theirs}, but this worker's is ${ours} (same config file and paths on every host?)`);
    this.name = 'ConfigMismatch';
  }
}

/**
 * One task: check the payload, wait for prerequisites, run, record. A result is recorded once per
 * attempt that gets to the end (an attempt that ran again replaces it). A transient error goes back
 * to graphile-worker (retry with backoff); any other error is the job's recorded failure.
 */
function task(ctx: TaskContext, kind: JobKind): Task {
  const ours = configDigest(ctx.settings);
  return async (payload, helpers) => {
    if (!isJobCommon(payload)) {
      ctx.logger.error(`job ${helpers.job.id} (${kind}): malformed payload, dropped`);
      return;
    }
    const key = itemKey(kind, payload);
    if (payload.digest !== ours) {
      const err = new ConfigMismatchError(`${kind} ${key}`, payload.digest, ours);
      ctx.logger.error(err.message);
      // Another worker, configured as the submitter, may take it: a retry, not a result.
      throw new TransientJobError(err.name, err.message);
    }
    try {
      if (await deferred(ctx, kind, payload, helpers)) return;
      await ctx.onStart?.(kind, key);
      const outcome = await HANDLERS[kind](ctx, payload as never, helpers);
      if (outcome === 'deferred') return;
      await engineDb.recordJobResult(ctx.handle.db, ctx.engine.schema, { run: payload.run, kind, key, status: outcome.status, detail: outcome.detail, worker: ctx.workerId, attempts: helpers.job.attempts });
      ctx.onDone?.(kind);
    } catch (err) {
      if (isTransient(err)) {
        const t = TransientJobError.of(err);
        ctx.logger.warn(`job ${kind} ${key}: ${t.message} (attempt ${helpers.job.attempts} of ${helpers.job.max_attempts})`);
        throw t;
      }
      ctx.logger.error(`job ${kind} ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await engineDb.recordJobResult(ctx.handle.db, ctx.engine.schema, {
        run: payload.run,
        kind,
        key,
        status: 'failed',
        detail: { file: key, path: key, name: key, status: 'failed', reason: message(err) },
        worker: ctx.workerId,
        attempts: helpers.job.attempts,
      }).catch((e: unknown) => {
        throw TransientJobError.of(e);
      });
      ctx.onDone?.(kind);
    }
  };
}

export function taskList(ctx: TaskContext): TaskList {
  return Object.fromEntries(JOB_KINDS.map((k) => [taskName(k), task(ctx, k)]));
}

export { kindOfTask };
