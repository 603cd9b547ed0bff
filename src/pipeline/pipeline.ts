/**
 * The whole pipeline, `hstlc pipeline [--corrtag-extract]` (alias `hstlc_pipeline`, §14.5):
 * ingest → stats (individual and composite) → plots, under one home_dir lock (taken by runStage for
 * `pipelineStage`) so no reset or second pipeline runs in between, on one worker pool.
 *
 * A stage that cannot run at all (lock held, database gone, a crash of the stage) stops the pipeline
 * with a PipelineStopped naming the stage; per-item failures (a file that fails to ingest, a lightcurve
 * whose statistics fail, a plot that fails) are counted and the next stage still runs. The summary says
 * what each stage did and `ok` is false if anything failed.
 *
 * The plots stage is called through `pipelinePlots` only (tests and benchmarks may substitute their own).
 */
import path from 'node:path';
import type { GridKind, PeriodogramMethod } from '../analysis/index.js';
import type { HstlcSettings } from '../config/types.js';
import type { HstlcDb } from '../db/index.js';
import type { ImageCache } from '../plots/image-cache.js';
import type { AliasTable } from '../targets/aliases.js';
import { ingestStage, runIngest, shownIngestProgress, type IngestProgress, type IngestSettings, type IngestSummary } from './ingest.js';
import { SILENT, type StageLogger } from './log.js';
import { plotsStage, runPlots, type PlotsProgress } from './plots.js';
import type { Pool } from './pool.js';
import { homeStage, stageBasics, type ItemResult, type RunEnvironment, type Stage } from './stage.js';
import { runStats, statsStage, type StatsProgress, type StatsSummary } from './stats.js';
import { poolAnalyzer } from './stats-runner.js';

export const STAGES = ['ingest', 'stats', 'plots'] as const;
export type StageName = (typeof STAGES)[number];

/** What ingest needs, plus where the site goes. */
export type PipelineSettings = IngestSettings & Pick<HstlcSettings, 'plot_dir'>;

/** What the plots stage reports back to the pipeline (whatever the stage's own result looks like). */
export interface PlotsStageSummary {
  status: 'done' | 'failed' | 'unavailable';
  /** Lightcurves drawn, unchanged since the last run, failed (with failed output files). */
  written: number;
  unchanged: number;
  failed: number;
  /** Lightcurves not plotted because they have no stats row (their statistics failed). */
  skipped?: number;
  /** The site's front page, when there is one. */
  site: string | null;
  /** Why the stage did not run (unavailable) or a remark. */
  message?: string;
  elapsedMs: number;
  /** The stage's own result, for --json. */
  detail?: unknown;
  /** Its per-item results (plotsStage's: one per lightcurve and per failed page); a substitute stage may give none. */
  results?: ItemResult[];
}

export interface PlotsStageInput {
  handle: HstlcDb;
  settings: PipelineSettings;
  logger: StageLogger;
  method?: PeriodogramMethod;
  /** The pipeline's pool, when it has one (not to be stopped). */
  pool?: Pool;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** PNGs drawn ahead by the job engine's plot jobs. */
  imageCache?: ImageCache;
}

export type PlotsStage = (input: PlotsStageInput) => Promise<PlotsStageSummary>;

/**
 * The plots stage as the pipeline calls it: `runPlots` (plots.ts) under the pipeline's lock, its
 * result reduced to what the pipeline reports. The one place that knows how the plots stage is reached.
 */
export const pipelinePlots: PlotsStage = async ({ handle, settings, logger, method, pool, onProgress, imageCache }) => {
  const s = await runPlots(handle, {
    settings,
    logger,
    ...(pool !== undefined ? { pool } : {}),
    ...(method !== undefined ? { method } : {}),
    ...(imageCache !== undefined ? { imageCache } : {}),
    ...(onProgress !== undefined ? { onProgress: (p: PlotsProgress) => onProgress(p.phase, p.done, p.total) } : {}),
  });
  return {
    status: s.ok ? 'done' : 'failed',
    written: s.counts.done,
    unchanged: s.counts.unchanged,
    failed: s.counts.failed + s.outputs.failed,
    skipped: s.counts.skipped,
    site: s.site,
    elapsedMs: Math.round(s.elapsedMs),
    detail: s,
    results: plotsStage.results(s),
  };
};

export interface StageTiming {
  stage: StageName;
  status: 'ok' | 'failed' | 'unavailable' | 'not run';
  ms: number;
}

export interface PipelineOptions extends RunEnvironment {
  settings: PipelineSettings;
  /** `--corrtag-extract`, passed to ingest. */
  corrtagExtract?: boolean;
  aliases?: AliasTable;
  /** A target this many arcseconds from a known one of another name is reported as a candidate pair, never renamed (default 5). */
  matchRadiusArcsec?: number;
  /** Periodogram computation for stats (default auto); the grid is `settings.algorithm`. */
  method?: PeriodogramMethod;
  /** Called as each stage starts and ends. */
  onStage?: (stage: StageName, event: 'start' | 'end') => void;
  onIngestProgress?: (p: IngestProgress) => void;
  onStatsProgress?: (p: StatsProgress) => void;
  onPlotsProgress?: (phase: string, done: number, total: number) => void;
  /** The plots stage to run (default `pipelinePlots`); tests and benchmarks may substitute one. */
  plots?: PlotsStage;
  /** One pool for the three stages (not stopped); without it each stage starts and stops its own. */
  pool?: Pool;
}

export interface PipelineTotals {
  files: { done: number; bad: number; failed: number; skipped: number };
  composites: { done: number; failed: number };
  lightcurves: { done: number; failed: number };
  /** Composites interesting and with low counts by the one definition (src/analysis/interest.ts), as the site's tables; lightcurves deliverable. */
  interesting: number;
  lowCounts: number;
  deliverable: number;
  plots: { status: PlotsStageSummary['status']; written: number; unchanged: number; failed: number };
  site: string | null;
}

export interface PipelineSummary {
  ok: boolean;
  numCores: number;
  grid: GridKind;
  totals: PipelineTotals;
  stages: StageTiming[];
  ingest: IngestSummary;
  stats: StatsSummary;
  plots: PlotsStageSummary;
  elapsedMs: number;
}

/** A stage could not run: the pipeline stopped there (what ran before it stays done). */
export class PipelineStopped extends Error {
  constructor(
    readonly stage: StageName,
    override readonly cause: unknown,
    /** Every stage: those done, the one that stopped ('failed'), those after it ('not run'). */
    readonly stages: StageTiming[],
  ) {
    super(`the pipeline stopped at ${stage}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PipelineStopped';
  }
}

/** What the pipeline's summary counts, from its three stages' summaries (either engine). */
export function pipelineTotals(ingest: IngestSummary, stats: StatsSummary, plots: PlotsStageSummary): PipelineTotals {
  return {
    files: { ...ingest.counts },
    composites: { ...ingest.compositeCounts },
    lightcurves: { ...stats.counts },
    interesting: stats.interesting,
    lowCounts: stats.lowCounts,
    deliverable: stats.deliverable,
    plots: { status: plots.status, written: plots.written, unchanged: plots.unchanged, failed: plots.failed },
    site: plots.site,
  };
}

/** A pipeline run succeeded when no stage had a failed item and the plots were made. */
export function pipelineOk(ingest: IngestSummary, stats: StatsSummary, plots: PlotsStageSummary): boolean {
  return ingest.ok && stats.ok && plots.status !== 'failed' && plots.failed === 0;
}

/** The stage's body; run it as `pipelineStage` through runStage (stage.ts), which holds the home_dir lock. */
export async function runPipeline(handle: HstlcDb, options: PipelineOptions): Promise<PipelineSummary> {
  const started = performance.now();
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const grid = settings.algorithm;
  const stages: StageTiming[] = [];
  const pool = options.pool;

  async function stage<T>(name: StageName, body: () => Promise<T>, status: (r: T) => StageTiming['status']): Promise<T> {
    options.onStage?.(name, 'start');
    logger.info(`Pipeline: ${name}`);
    const t0 = performance.now();
    let result: T;
    try {
      result = await body();
    } catch (err) {
      stages.push({ stage: name, status: 'failed', ms: Math.round(performance.now() - t0) });
      for (const later of STAGES.slice(STAGES.indexOf(name) + 1)) stages.push({ stage: later, status: 'not run', ms: 0 });
      options.onStage?.(name, 'end');
      throw new PipelineStopped(name, err, stages);
    }
    stages.push({ stage: name, status: status(result), ms: Math.round(performance.now() - t0) });
    options.onStage?.(name, 'end');
    return result;
  }

  {
    const ingest = await stage(
      'ingest',
      () =>
        runIngest(handle, {
          settings,
          ...(pool !== undefined ? { pool } : {}),
          corrtagExtract: options.corrtagExtract === true,
          ...(options.aliases !== undefined ? { aliases: options.aliases } : {}),
          ...(options.matchRadiusArcsec !== undefined ? { matchRadiusArcsec: options.matchRadiusArcsec } : {}),
          ...(options.env !== undefined ? { env: options.env } : {}),
          logger,
          ...(options.onIngestProgress !== undefined ? { onProgress: options.onIngestProgress } : {}),
        }),
      (s) => (s.ok ? 'ok' : 'failed'),
    );
    const stats = await stage(
      'stats',
      () =>
        runStats(handle, {
          type: 'both',
          grid,
          method: options.method ?? 'auto',
          numCores: settings.num_cores,
          ...(pool !== undefined ? { analyzer: poolAnalyzer(pool, false) } : {}),
          logger,
          ...(options.onStatsProgress !== undefined ? { onProgress: options.onStatsProgress } : {}),
        }),
      (s) => (s.ok ? 'ok' : 'failed'),
    );
    const plots = await stage(
      'plots',
      () =>
        (options.plots ?? pipelinePlots)({
          handle,
          settings,
          logger,
          ...(pool !== undefined ? { pool } : {}),
          ...(options.method !== undefined ? { method: options.method } : {}),
          ...(options.onPlotsProgress !== undefined ? { onProgress: options.onPlotsProgress } : {}),
        }),
      (p) => (p.status === 'done' ? 'ok' : p.status),
    );
    if (plots.status === 'unavailable') logger.warn(`Plots: ${plots.message ?? 'not available'}`);

    const totals = pipelineTotals(ingest, stats, plots);
    const ok = pipelineOk(ingest, stats, plots);
    logger.info(`Pipeline complete${ok ? '' : ' (with failures)'}`);
    return {
      ok,
      numCores: Math.max(1, settings.num_cores),
      grid,
      totals,
      stages,
      ingest,
      stats,
      plots,
      elapsedMs: Math.round(performance.now() - started),
    };
  }
}

/** What a caller chooses for a pipeline run; the rest comes from the stage context. */
export type PipelineRequest = Pick<PipelineOptions, 'corrtagExtract' | 'aliases' | 'matchRadiusArcsec' | 'method' | 'plots'>;

/** The pipeline as a stage: its items are its stages' items; one lock and one pool for all three. */
export const pipelineStage: Stage<PipelineRequest, PipelineSummary> = homeStage(
  'pipeline',
  (ctx, input) =>
    runPipeline(ctx.db, {
      ...input,
      ...stageBasics(ctx),
      env: ctx.env,
      onStage: (_stage, event) => {
        if (event === 'end') ctx.progress.stop();
      },
      onIngestProgress: (p) => ctx.progress.update(shownIngestProgress(p)),
      onStatsProgress: (p) => ctx.progress.update({ ...p, phase: 'stats' }),
      onPlotsProgress: (phase, done, total) => ctx.progress.update({ phase, done, total }),
    }),
  (s) => [...ingestStage.results(s.ingest), ...statsStage.results(s.stats), ...(s.plots.results ?? [])],
  // One pool for all three stages, as ingest needs it (its time limit).
  { poolOptions: ingestStage.poolOptions! },
);
