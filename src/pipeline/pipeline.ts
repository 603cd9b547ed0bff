/**
 * The whole pipeline, `hstlc pipeline [--corrtag-extract]` (alias `hstlc_pipeline`, §14.5):
 * ingest → stats (individual and composite) → plots, under one home_dir lock so no reset or second
 * pipeline runs in between.
 *
 * A stage that cannot run at all (lock held, database gone, a crash of the stage) stops the pipeline
 * with a PipelineStopped naming the stage; per-item failures (a file that fails to ingest, a lightcurve
 * whose statistics fail, a plot that fails) are counted and the next stage still runs. The summary says
 * what each stage did and `ok` is false if anything failed.
 *
 * The plots stage is called through `plotsStage` only (tests and benchmarks may substitute their own).
 */
import path from 'node:path';
import type { GridKind, PeriodogramMethod } from '../analysis/index.js';
import { lockHome, type HomeLock } from '../archive/home-lock.js';
import type { HstlcSettings } from '../config/types.js';
import type { HstlcDb } from '../db/index.js';
import type { AliasTable } from '../targets/aliases.js';
import { runIngest, type IngestProgress, type IngestSettings, type IngestSummary } from './ingest.js';
import { SILENT, type StageLogger } from './log.js';
import { runPlots, type PlotsProgress } from './plots.js';
import { runStats, type StatsProgress, type StatsSummary } from './stats.js';

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
}

export interface PlotsStageInput {
  handle: HstlcDb;
  settings: PipelineSettings;
  logger: StageLogger;
  method?: PeriodogramMethod;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export type PlotsStage = (input: PlotsStageInput) => Promise<PlotsStageSummary>;

/**
 * The plots stage as the pipeline calls it: `runPlots` (plots.ts) under the pipeline's lock, its
 * result reduced to what the pipeline reports. The one place that knows how the plots stage is reached.
 */
export const plotsStage: PlotsStage = async ({ handle, settings, logger, method, onProgress }) => {
  const s = await runPlots(handle, {
    settings,
    lock: false,
    logger,
    ...(method !== undefined ? { method } : {}),
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
  };
};

export interface StageTiming {
  stage: StageName;
  status: 'ok' | 'failed' | 'unavailable' | 'not run';
  ms: number;
}

export interface PipelineOptions {
  settings: PipelineSettings;
  /** `--corrtag-extract`, passed to ingest. */
  corrtagExtract?: boolean;
  aliases?: AliasTable;
  /** A target this many arcseconds from a known one of another name is reported as a candidate pair, never renamed (default 5). */
  matchRadiusArcsec?: number;
  env?: Record<string, string | undefined>;
  /** Periodogram computation for stats (default auto); the grid is `settings.algorithm`. */
  method?: PeriodogramMethod;
  logger?: StageLogger;
  /** Called as each stage starts and ends. */
  onStage?: (stage: StageName, event: 'start' | 'end') => void;
  onIngestProgress?: (p: IngestProgress) => void;
  onStatsProgress?: (p: StatsProgress) => void;
  onPlotsProgress?: (phase: string, done: number, total: number) => void;
  /** The plots stage to run (default `plotsStage`); tests and benchmarks may substitute one. */
  plots?: PlotsStage;
  /** Take the home_dir lock for the whole run (default true). */
  lock?: boolean;
}

export interface PipelineTotals {
  files: { done: number; bad: number; failed: number; skipped: number };
  composites: { done: number; failed: number };
  lightcurves: { done: number; failed: number };
  /** Lightcurves flagged interesting (periodogram) and deliverable by stats. */
  interesting: number;
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

export async function runPipeline(handle: HstlcDb, options: PipelineOptions): Promise<PipelineSummary> {
  const started = performance.now();
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const grid = settings.algorithm;
  const stages: StageTiming[] = [];
  const lock: HomeLock | undefined = options.lock === false ? undefined : await lockHome(settings.home_dir, 'pipeline');

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

  try {
    const ingest = await stage(
      'ingest',
      () =>
        runIngest(handle, {
          settings,
          lock: false,
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
          logger,
          ...(options.onStatsProgress !== undefined ? { onProgress: options.onStatsProgress } : {}),
        }),
      (s) => (s.ok ? 'ok' : 'failed'),
    );
    const plots = await stage(
      'plots',
      () =>
        (options.plots ?? plotsStage)({
          handle,
          settings,
          logger,
          ...(options.method !== undefined ? { method: options.method } : {}),
          ...(options.onPlotsProgress !== undefined ? { onProgress: options.onPlotsProgress } : {}),
        }),
      (p) => (p.status === 'done' ? 'ok' : p.status),
    );
    if (plots.status === 'unavailable') logger.warn(`Plots: ${plots.message ?? 'not available'}`);

    const totals: PipelineTotals = {
      files: { ...ingest.counts },
      composites: { ...ingest.compositeCounts },
      lightcurves: { ...stats.counts },
      interesting: stats.interesting,
      deliverable: stats.deliverable,
      plots: { status: plots.status, written: plots.written, unchanged: plots.unchanged, failed: plots.failed },
      site: plots.site,
    };
    const ok = ingest.ok && stats.ok && plots.status !== 'failed' && plots.failed === 0;
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
  } finally {
    await lock?.release();
  }
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The final summary of `hstlc pipeline` (the JSON output is the summary itself). */
export function describePipeline(s: PipelineSummary, settings: Pick<PipelineSettings, 'filesystem_dir' | 'outputs_dir' | 'bad_data_dir'>): string[] {
  const t = s.totals;
  const lines: string[] = [];
  lines.push(`${pad('files', 13)}${t.files.done} ingested, ${t.files.bad} bad, ${t.files.failed} failed${t.files.skipped > 0 ? `, ${t.files.skipped} skipped` : ''}`);
  lines.push(`${pad('composites', 13)}${t.composites.done} made, ${t.composites.failed} failed`);
  lines.push(`${pad('statistics', 13)}${t.lightcurves.done} lightcurves, ${t.lightcurves.failed} failed (${s.grid} grid)`);
  lines.push(`${pad('interesting', 13)}${t.interesting} lightcurve(s) flagged by the periodogram, ${t.deliverable} deliverable`);
  if (t.plots.status === 'unavailable') lines.push(`${pad('plots', 13)}not made: ${s.plots.message ?? 'not available'}`);
  else {
    const skipped = s.plots.skipped ?? 0;
    lines.push(`${pad('plots', 13)}${t.plots.written} written, ${t.plots.unchanged} unchanged, ${t.plots.failed} failed${skipped > 0 ? `, ${skipped} skipped (no statistics)` : ''}`);
  }
  lines.push(`${pad('time', 13)}${s.stages.map((x) => `${x.stage} ${(x.ms / 1000).toFixed(1)} s`).join(', ')}; ${s.numCores} core(s)`);
  lines.push('');
  lines.push(`${pad('archive', 13)}${settings.filesystem_dir}`);
  lines.push(`${pad('lightcurves', 13)}${settings.outputs_dir}`);
  if (t.files.bad > 0) lines.push(`${pad('bad data', 13)}${settings.bad_data_dir}`);
  lines.push(`${pad('site', 13)}${t.site ?? '(none yet)'}`);

  const problems: string[] = [];
  for (const f of s.ingest.files) if (f.status === 'failed') problems.push(`failed  ingest ${path.basename(f.file)}: ${f.reason ?? ''}`);
  for (const c of s.ingest.composites) if (c.status === 'failed') problems.push(`failed  composite ${c.name}: ${c.reason ?? ''}`);
  for (const f of s.stats.files) if (f.status === 'failed') problems.push(`failed  stats ${path.basename(f.path)}: ${f.reason ?? ''}`);
  if (s.plots.status === 'failed') problems.push(`failed  plots: ${s.plots.message ?? ''}`);
  if (problems.length > 0) lines.push('', ...problems);
  return lines;
}
