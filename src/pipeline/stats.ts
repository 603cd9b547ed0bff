/**
 * The stats stage, `hstlc stats [individual|composite|both]` (alias `build_stats_table`, §11):
 * for every lightcurve the outputs table points at, compute its statistics row (src/analysis, §11.2–11.3)
 * and upsert it into the stats table keyed by its full path.
 *
 * Fixed from the original (§15.23): one failing file is reported with its name and the run goes on; NaN
 * and infinities are stored as NULL; every column is rewritten on update (the original kept stale values
 * when total ≤ 0); rows are keyed by path, not base name; `deliver` is set by src/analysis's rule; the
 * work runs in the worker pool (stats-runner.ts) while rows are committed here, in batches.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { interestOf, type GridKind, type Interest, type PeriodogramMethod } from '../analysis/index.js';
import { retryWrite } from './db-retry.js';
import { listOutputs, listStats, recordRun, upsertStatsBatch, type HstlcDb, type Stats, type StatsInput } from '../db/index.js';
import { SILENT, type StageLogger } from './log.js';
import { homeStage, itemResult, type Stage } from './stage.js';
import { createStatsAnalyzer, poolAnalyzer, type StatsAnalyzer } from './stats-runner.js';
import type { LightcurveKind, ProductType, StatsUnitInput, StatsUnitResult } from './stats-unit.js';

export { PRODUCT_TYPES, isProductType, invalidProductTypeMessage } from './product-type.js';

export interface Lightcurve {
  path: string;
  kind: LightcurveKind;
}

export interface LightcurveList {
  lightcurves: Lightcurve[];
  /**
   * Outputs rows whose group's composite is being rebuilt (composite_path NULL, old name kept, §9.1):
   * there is no file to read yet. The original joined NULL with the name and crashed.
   */
  pendingComposites: number;
}

/**
 * §11.1: the lightcurves of all outputs rows — individual ones, composites (rows with a composite), or
 * both — each once. Sorted by path so that runs are reproducible (the original's order was a set's).
 */
export async function lightcurvesToProcess(handle: HstlcDb, type: ProductType): Promise<LightcurveList> {
  const found = new Map<string, LightcurveKind>();
  const pending = new Set<string>();
  for (const row of await listOutputs(handle.db)) {
    if (type !== 'composite' && row.individual_path !== null && row.individual_filename !== null) {
      found.set(path.join(row.individual_path, row.individual_filename), 'individual');
    }
    if (type !== 'individual' && row.composite_filename !== null) {
      if (row.composite_path === null) pending.add(row.composite_filename);
      else found.set(path.join(row.composite_path, row.composite_filename), 'composite');
    }
  }
  const lightcurves = [...found].map(([p, kind]) => ({ path: p, kind })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { lightcurves, pendingComposites: pending.size };
}

export interface StatsFileResult {
  path: string;
  kind: LightcurveKind;
  status: 'done' | 'failed';
  reason?: string;
  /** Done without computing: the file's content key is the one stored with its row. */
  unchanged?: boolean;
  /** §11.2 flag and our deliver rule, as stored. */
  periodogram?: boolean;
  deliver?: boolean;
  /** Its kind by the one definition of 'interesting' (src/analysis/interest.ts). */
  interest?: Interest;
  bins?: number;
  /** Analysis time of this file. */
  ms: number;
}

export interface StatsProgress {
  done: number;
  total: number;
  current: string;
  failures: number;
}

export interface StatsOptions {
  type: ProductType;
  /** Config `algorithm`: `corrected` (default) or `compat` (the original's grid, §11.3). */
  grid?: GridKind;
  method?: PeriodogramMethod;
  /** Config `num_cores`. */
  numCores?: number;
  /** Where units run; default from numCores (stats-runner.ts). Closed by the stage. */
  analyzer?: StatsAnalyzer;
  logger?: StageLogger;
  onProgress?: (p: StatsProgress) => void;
  /** Rows per commit (default 50). */
  batchSize?: number;
  /** A batch is also committed once its oldest row has waited this long (default 2000 ms). */
  flushMs?: number;
  /** Recompute every row, even those whose lightcurve content is unchanged since they were stored. */
  force?: boolean;
  /** plot_dir: each periodogram computed is left there for the plots stage. */
  plotDir?: string;
}

/** The summary's counts of interesting and low-count composites, by the one definition (src/analysis/interest.ts). */
export function interestCounts(done: readonly StatsFileResult[]): { interesting: number; lowCounts: number } {
  const composites = done.filter((f) => f.kind === 'composite');
  return {
    interesting: composites.filter((f) => f.interest === 'interesting').length,
    lowCounts: composites.filter((f) => f.interest === 'low_counts').length,
  };
}

export interface StatsSummary {
  type: ProductType;
  grid: GridKind;
  method: PeriodogramMethod;
  numCores: number;
  /** Whether units ran in pool threads. */
  parallel: boolean;
  files: StatsFileResult[];
  /** done includes `unchanged`: rows kept because their lightcurve's content key is the stored one. */
  counts: { done: number; failed: number; unchanged: number };
  /**
   * Composites that are interesting, and that have too few counts to say, by the one definition
   * (src/analysis/interest.ts) the site's index and tables use; lightcurves flagged `deliver`.
   */
  interesting: number;
  lowCounts: number;
  deliverable: number;
  pendingComposites: number;
  /** Time bins over all files analyzed. */
  bins: number;
  elapsedMs: number;
  filesPerSecond: number;
  ok: boolean;
}

/**
 * The analysis row is the database's input as it is: every column, the three added ones included
 * (§10.2 + migration 0003), so an update never keeps a stale value (§15.23).
 */
function toInput(result: Extract<StatsUnitResult, { status: 'done'; row: unknown }>): StatsInput {
  return { ...result.row, content_key: result.contentKey };
}

/**
 * Run units with up to `analyzer.size × 2` in flight (so a thread never waits for the next file), handing
 * each result to `onResult` as it arrives; the order is irrelevant, each result names its file.
 */
async function analyzeAll(analyzer: StatsAnalyzer, inputs: readonly StatsUnitInput[], onResult: (r: StatsUnitResult) => Promise<void>): Promise<void> {
  const window = Math.max(1, analyzer.size * 2);
  const inFlight = new Map<number, Promise<[number, StatsUnitResult]>>();
  let next = 0;
  const launch = (): void => {
    const i = next++;
    const input = inputs[i]!;
    const settled = analyzer.analyze(input).then(
      (r): [number, StatsUnitResult] => [i, r],
      // statsUnit never throws; a dead worker thread does.
      (err: unknown): [number, StatsUnitResult] => [i, { path: input.path, kind: input.kind, status: 'failed', reason: err instanceof Error ? err.message : String(err), ms: 0 }],
    );
    inFlight.set(i, settled);
  };
  while (next < inputs.length && inFlight.size < window) launch();
  while (inFlight.size > 0) {
    const [i, result] = await Promise.race(inFlight.values());
    inFlight.delete(i);
    if (next < inputs.length) launch();
    await onResult(result);
  }
}

/**
 * Largest files first: the periodogram's cost grows faster than linearly with the number of bins, so a
 * big composite started last would leave the other threads idle while it finishes (longest job first).
 * A file that cannot be stat'ed goes last; reading it will report why.
 */
async function largestFirst(lightcurves: readonly Lightcurve[]): Promise<Lightcurve[]> {
  const sized = await Promise.all(lightcurves.map(async (lc) => ({ lc, size: await stat(lc.path).then((s) => s.size, () => -1) })));
  return sized.sort((a, b) => b.size - a.size).map((x) => x.lc);
}

/**
 * The stage's body; run it as `statsStage` through runStage (stage.ts), which holds the home_dir lock.
 * Throws only when the run cannot go on (database unreachable); files fail one by one.
 */
export async function runStats(handle: HstlcDb, options: StatsOptions): Promise<StatsSummary> {
  const started = performance.now();
  const logger = options.logger ?? SILENT;
  const grid = options.grid ?? 'corrected';
  const method = options.method ?? 'auto';
  const numCores = Math.max(1, Math.floor(options.numCores ?? 1));
  const batchSize = Math.max(1, options.batchSize ?? 50);
  const flushMs = options.flushMs ?? 2000;
  const files: StatsFileResult[] = [];
  let opened: StatsAnalyzer | undefined = options.analyzer;
  try {
    return await recordRun(handle, 'stats', async () => {
      const analyzer = opened ?? createStatsAnalyzer(numCores);
      opened = analyzer;
      const { lightcurves, pendingComposites } = await lightcurvesToProcess(handle, options.type);
      logger.info(`${lightcurves.length} datasets to process`);
      if (!analyzer.inProcess) logger.info(`Computing statistics on ${analyzer.size} threads`);
      if (pendingComposites > 0) logger.warn(`${pendingComposites} composite(s) are being rebuilt and have no file yet: skipped`);

      // The stored rows: a file whose content key is its row's is not analysed again (--force: all are).
      const stored = new Map<string, Stats>();
      for (const row of await listStats(handle.db)) stored.set(path.join(row.lightcurve_path, row.lightcurve_filename), row);

      let pending: Array<{ result: Extract<StatsUnitResult, { status: 'done'; row: unknown }>; file: StatsFileResult }> = [];
      let oldest = 0;
      let failures = 0;
      const fail = (file: StatsFileResult, reason: string): void => {
        file.status = 'failed';
        file.reason = reason;
        delete file.periodogram;
        delete file.deliver;
        failures++;
        logger.error(`Failed to compute statistics of ${file.path}: ${reason}`);
      };
      const flush = async (): Promise<void> => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        const written = await retryWrite(handle, logger, {
          what: `recording the stats of ${batch.length} lightcurve(s)`,
          stopped: 'Stats stopped; run it again when the server is back: the rows written so far are kept, and the rest is computed again.',
        }, () => upsertStatsBatch(handle, batch.map((p) => toInput(p.result)), batch.length));
        written.forEach((w, k) => {
          if (w.status === 'failed') fail(batch[k]!.file, `not stored: ${w.reason ?? 'database error'}`);
        });
      };

      const inputs: StatsUnitInput[] = (await largestFirst(lightcurves)).map((lc) => ({
        path: lc.path,
        kind: lc.kind,
        grid,
        method,
        ...(options.force !== true ? { storedKey: stored.get(lc.path)?.content_key ?? null } : {}),
        ...(options.plotDir !== undefined ? { plotDir: options.plotDir } : {}),
      }));
      await analyzeAll(analyzer, inputs, async (result) => {
        logger.info(`Processing ${result.path}`);
        const file: StatsFileResult = { path: result.path, kind: result.kind, status: 'done', ms: Math.round(result.ms) };
        files.push(file);
        if (result.status === 'done' && result.unchanged === true) {
          const row = stored.get(result.path)!;
          Object.assign(file, { unchanged: true, periodogram: row.periodogram, deliver: row.deliver, interest: interestOf(row).kind, bins: result.bins });
        } else if (result.status === 'done') {
          Object.assign(file, { periodogram: result.row.periodogram, deliver: result.row.deliver, interest: interestOf(result.row).kind, bins: result.bins });
          if (pending.length === 0) oldest = performance.now();
          pending.push({ result, file });
          if (pending.length >= batchSize || performance.now() - oldest >= flushMs) await flush();
        } else {
          fail(file, result.reason);
        }
        options.onProgress?.({ done: files.length, total: inputs.length, current: path.basename(result.path), failures });
      });
      await flush();
      logger.info('Processing complete');

      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const done = files.filter((f) => f.status === 'done');
      const elapsedMs = performance.now() - started;
      const summary: StatsSummary = {
        type: options.type,
        grid,
        method,
        numCores,
        parallel: !analyzer.inProcess,
        files,
        counts: { done: done.length, failed: files.length - done.length, unchanged: done.filter((f) => f.unchanged === true).length },
        ...interestCounts(done),
        deliverable: done.filter((f) => f.deliver === true).length,
        pendingComposites,
        bins: done.reduce((n, f) => n + (f.bins ?? 0), 0),
        elapsedMs: Math.round(elapsedMs),
        filesPerSecond: files.length / Math.max(elapsedMs / 1000, 1e-3),
        ok: done.length === files.length,
      };
      return summary;
    }, (s) => ({ ok: s.ok, summary: { type: s.type, counts: s.counts, interesting: s.interesting } }));
  } finally {
    await opened?.close();
  }
}

/** What a caller chooses for a stats run; the rest comes from the stage context. */
export type StatsRequest = Pick<StatsOptions, 'type' | 'grid' | 'method' | 'force'>;

/**
 * The stats stage (§11): one item per lightcurve (done or failed with why). It takes the home_dir lock
 * like every stage, so no ingest or reset rewrites the lightcurves while they are read.
 */
export const statsStage: Stage<StatsRequest, StatsSummary> = homeStage(
  'stats',
  (ctx, input) =>
    runStats(ctx.db, {
      ...input,
      grid: input.grid ?? ctx.settings.algorithm,
      numCores: ctx.settings.num_cores,
      plotDir: ctx.settings.plot_dir,
      analyzer: poolAnalyzer(ctx.pool(), false),
      logger: ctx.logger,
      onProgress: (p) => ctx.progress.update({ phase: 'stats', ...p }),
    }),
  (s) => s.files.map((f) => itemResult(f.path, f.status, f.reason)),
);
