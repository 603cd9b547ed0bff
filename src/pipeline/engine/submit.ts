/**
 * Submitting a run to the job engine and following it (DESIGN §9): `hstlc pipeline` (and ingest, stats,
 * plots) with engine graphile records a run, enqueues one job per file in ingest_dir (and per composite
 * group already waiting), the plan of the later stages and the run's end, then — unless told not to
 * wait — follows the job table and the results until no job of the run is left, and rebuilds the summary
 * the local engine prints from the recorded results.
 */
import type { PeriodogramMethod } from '../../analysis/index.js';
import { countByStatus, engineDb, finishRun, pendingCompositeGroups, startRun, type HstlcDb } from '../../db/index.js';
import { fileSizeIfPresent } from '../../files/index.js';
import { hlspName } from '../../lightcurve/composite.js';
import type { CompositeItem } from '../composites.js';
import { filesToIngest, type FileResult, type IngestSummary } from '../ingest.js';
import { pipelineOk, pipelineTotals, type PipelineSummary, type PlotsStageSummary, type StageName, type StageTiming } from '../pipeline.js';
import { interestCounts, type StatsFileResult, type StatsSummary } from '../stats.js';
import type { ProductType } from '../stats-unit.js';
import { configDigest, JOB_KINDS, kindOfTask, TASK_PREFIX, type Engine, type JobKind } from './graphile.js';
import { jobKey, type CompositeJob, type FinishJob, type IngestJob, type JobCommon, type PlannedStage, type PlanJob } from './jobs.js';
import { ensureMarker } from './marker.js';
import { enqueue, enqueueMany, type WorkerSettings } from './tasks.js';

export type SubmitCommand = 'pipeline' | 'ingest' | 'stats' | 'plots';

export interface SubmitOptions {
  settings: WorkerSettings;
  command: SubmitCommand;
  corrtagExtract?: boolean;
  /** Stats: which lightcurves (default both). */
  type?: ProductType;
  method?: PeriodogramMethod;
  /** Stats: recompute rows whose lightcurve content is unchanged too. */
  force?: boolean;
}

export interface Submitted {
  run: number;
  files: number;
  composites: number;
  submittedAt: number;
}

export async function submitRun(handle: HstlcDb, engine: Engine, o: SubmitOptions): Promise<Submitted> {
  const s = o.settings;
  await ensureMarker(s.home_dir, handle, engine.schema);
  const run = await startRun(handle, o.command, { engine: 'graphile' });
  const common: JobCommon = { run, digest: configDigest(s), algorithm: s.algorithm };
  const method = o.method ?? 'auto';
  let files = 0;
  let composites = 0;
  try {
    if (o.command === 'pipeline' || o.command === 'ingest') {
      const { files: todo, superseded } = await filesToIngest(s.ingest_dir);
      const jobs = await Promise.all(
        todo.map(async (file) => {
          const sup = superseded.get(file);
          const payload = { ...common, file, corrtagExtract: o.corrtagExtract === true, ...(sup !== undefined ? { superseded: sup } : {}) } satisfies IngestJob;
          return { payload, key: jobKey.ingest(file), bytes: await fileSizeIfPresent(file) };
        }),
      );
      await enqueueMany(engine, 'ingest', jobs);
      files = todo.length;
      // Groups left pending by an earlier run (a failed build) are rebuilt too, as the local engine does.
      for (const group of await pendingCompositeGroups(handle.db)) {
        await enqueue(engine, 'composite', { ...common, group } satisfies CompositeJob, jobKey.composite(group));
        composites++;
      }
    }
    const plan = (stage: PlannedStage, then: PlannedStage[]) =>
      enqueue(engine, 'plan', { ...common, stage, then, type: o.type ?? 'both', method, ...(o.force === true ? { force: true } : {}) } satisfies PlanJob, jobKey.plan(run, stage));
    if (o.command === 'pipeline') await plan('stats', ['plots']);
    else if (o.command === 'stats') await plan('stats', []);
    else if (o.command === 'plots') await plan('plots', []);
    await enqueue(engine, 'finish', { ...common, command: o.command } satisfies FinishJob, jobKey.finish(run));
  } catch (err) {
    await finishRun(handle, run, 'failed', { error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    throw err;
  }
  return { run, files, composites, submittedAt: Date.now() };
}

export interface KindProgress {
  kind: JobKind;
  done: number;
  failed: number;
  running: number;
  queued: number;
  retrying: number;
}

export interface RunProgress {
  run: number;
  kinds: KindProgress[];
  /** Jobs of the run still to run or running. */
  live: number;
  /** Workers that said they were alive in the last minute. */
  workers: number;
}

export async function runProgress(handle: HstlcDb, engine: Engine, run: number): Promise<RunProgress> {
  const [results, jobs, live, workers] = await Promise.all([
    engineDb.resultCounts(handle.db, engine.schema, run),
    engineDb.jobCounts(handle.db, engine.schema, TASK_PREFIX, run),
    engineDb.liveJobsOfRun(handle.db, engine.schema, run),
    engineDb.recentWorkers(handle.db, engine.schema, 60_000),
  ]);
  const kinds: KindProgress[] = JOB_KINDS.map((kind) => {
    const j = jobs.find((x) => kindOfTask(x.kind) === kind);
    const r = results.filter((x) => x.kind === kind);
    return {
      kind,
      done: r.filter((x) => x.status !== 'failed').reduce((n, x) => n + x.n, 0),
      failed: r.filter((x) => x.status === 'failed').reduce((n, x) => n + x.n, 0) + (j?.failed ?? 0),
      running: j?.running ?? 0,
      queued: j?.queued ?? 0,
      retrying: j?.retrying ?? 0,
    };
  });
  return { run, kinds, live, workers: workers.filter((w) => w.stopped_at === null).length };
}

/** One line: `ingest 12/40 (2 running, 1 failed) · composite 0/3 …`, kinds with jobs only. */
export function describeProgress(p: RunProgress): string {
  const parts = p.kinds
    .filter((k) => k.done + k.failed + k.running + k.queued + k.retrying > 0 && k.kind !== 'finish')
    .map((k) => {
      const extra = [k.running > 0 ? `${k.running} running` : '', k.retrying > 0 ? `${k.retrying} retrying` : '', k.failed > 0 ? `${k.failed} failed` : ''].filter((x) => x !== '');
      return `${k.kind} ${k.done + k.failed}/${k.done + k.failed + k.running + k.queued + k.retrying}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
    });
  return `${parts.join(' · ') || 'queued'}${p.workers === 0 ? ' — no worker running (start hstlc worker)' : ''}`;
}

/** Follow a run until none of its jobs is left; `onProgress` after each look. */
export async function waitForRun(handle: HstlcDb, engine: Engine, run: number, o: { pollMs?: number; onProgress?: (p: RunProgress) => void; signal?: AbortSignal } = {}): Promise<RunProgress> {
  for (;;) {
    let p: RunProgress | undefined;
    try {
      p = await runProgress(handle, engine, run);
    } catch {
      // The database briefly away: look again.
    }
    if (p !== undefined) {
      o.onProgress?.(p);
      if (p.live === 0) return p;
    }
    if (o.signal?.aborted === true) throw new Error('stopped waiting (the run goes on in the workers)');
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The local engine's summary of a run, from the recorded results (and, for jobs that used up their
 * attempts, graphile-worker's last error, which names the error).
 */
export async function pipelineSummaryOf(
  handle: HstlcDb,
  engine: Engine,
  submitted: Submitted,
  settings: Pick<WorkerSettings, 'num_cores' | 'algorithm'>,
  o: { type?: ProductType; method?: PeriodogramMethod } = {},
): Promise<PipelineSummary> {
  const method = o.method ?? 'auto';
  const rows = await engineDb.jobResults(handle.db, engine.schema, submitted.run);
  const dead = await engineDb.deadJobs(handle.db, engine.schema, submitted.run);
  const of = (kind: JobKind) => rows.filter((r) => r.kind === kind);
  const lastOf = (kind: JobKind) => of(kind).reduce((t, r) => Math.max(t, new Date(r.finished_at).getTime()), submitted.submittedAt);
  const deadOf = (kind: JobKind) => dead.filter((d) => kindOfTask(d.kind) === kind).map((d) => ({ payload: d.payload as Record<string, unknown>, reason: `failed after ${d.attempts} attempts: ${d.last_error ?? 'unknown error'}` }));

  const files: FileResult[] = [...of('ingest').map((r) => r.detail as FileResult), ...deadOf('ingest').map((d) => ({ file: String(d.payload['file']), status: 'failed' as const, reason: d.reason }))].sort((a, b) => byText(a.file, b.file));
  const composites: CompositeItem[] = [
    ...of('composite').filter((r) => r.status !== 'unchanged').map((r) => r.detail as CompositeItem),
    ...deadOf('composite').map((d) => {
      const group = d.payload['group'] as CompositeJob['group'];
      return { name: hlspName(group), group, status: 'failed' as const, members: [], dropped: [], reason: d.reason };
    }),
  ].sort((a, b) => byText(a.name, b.name));
  const counts = countByStatus(files.map((f) => ({ key: f.file, status: f.status })));
  const compositeCounts = { done: composites.filter((c) => c.status === 'done').length, failed: composites.filter((c) => c.status === 'failed').length };
  const ingest: IngestSummary = {
    numCores: settings.num_cores,
    files,
    composites,
    counts,
    compositeCounts,
    recovered: files.filter((f) => f.reason === 'completed an interrupted ingest').map((f) => f.file),
    events: files.reduce((n, f) => n + (f.events ?? 0), 0),
    elapsedMs: Math.max(lastOf('ingest'), lastOf('composite')) - submitted.submittedAt,
    ok: counts.failed === 0 && compositeCounts.failed === 0,
  };

  const statsFiles: StatsFileResult[] = [
    ...of('stats').map((r) => r.detail as StatsFileResult),
    ...deadOf('stats').map((d) => ({ path: String(d.payload['path']), kind: d.payload['kind'] as StatsFileResult['kind'], status: 'failed' as const, reason: d.reason, ms: 0 })),
  ].sort((a, b) => byText(a.path, b.path));
  const statsDone = statsFiles.filter((f) => f.status === 'done');
  const statsMs = lastOf('stats') - submitted.submittedAt;
  const stats: StatsSummary = {
    type: o.type ?? 'both',
    grid: settings.algorithm,
    method,
    numCores: settings.num_cores,
    parallel: true,
    files: statsFiles,
    counts: { done: statsDone.length, failed: statsFiles.length - statsDone.length, unchanged: statsDone.filter((f) => f.unchanged === true).length },
    ...interestCounts(statsDone),
    deliverable: statsDone.filter((f) => f.deliver === true).length,
    pendingComposites: 0,
    bins: statsDone.reduce((n, f) => n + (f.bins ?? 0), 0),
    elapsedMs: statsMs,
    filesPerSecond: statsFiles.length / Math.max(statsMs / 1000, 1e-3),
    ok: statsDone.length === statsFiles.length,
  };

  const site = of('site')[0];
  const plotFailures = of('plot').filter((r) => r.status === 'failed').length + deadOf('plot').length;
  const siteDead = deadOf('site')[0];
  const plots: PlotsStageSummary =
    site !== undefined
      ? { ...(site.detail as PlotsStageSummary), failed: (site.detail as PlotsStageSummary).failed + plotFailures }
      : { status: siteDead !== undefined ? 'failed' : 'unavailable', written: 0, unchanged: 0, failed: plotFailures, site: null, elapsedMs: 0, message: siteDead?.reason ?? 'the site job did not run' };

  const stages: StageTiming[] = (['ingest', 'stats', 'plots'] as StageName[]).map((stage) => {
    const ok = stage === 'ingest' ? ingest.ok : stage === 'stats' ? stats.ok : plots.status === 'done' && plots.failed === 0;
    const ms = stage === 'ingest' ? ingest.elapsedMs : stage === 'stats' ? Math.max(0, statsMs - ingest.elapsedMs) : Math.max(0, lastOf('site') - Math.max(lastOf('stats'), submitted.submittedAt));
    return { stage, status: stage === 'plots' && plots.status === 'unavailable' ? 'unavailable' : ok ? 'ok' : 'failed', ms };
  });
  return {
    ok: pipelineOk(ingest, stats, plots),
    numCores: settings.num_cores,
    grid: settings.algorithm,
    totals: pipelineTotals(ingest, stats, plots),
    stages,
    ingest,
    stats,
    plots,
    elapsedMs: Date.now() - submitted.submittedAt,
  };
}
