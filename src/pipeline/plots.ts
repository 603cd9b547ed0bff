/**
 * The plots stage, `hstlc plots` (alias `make_hstlc_plots`, §12): every lightcurve the outputs
 * table points at — individual ones and composites — with its metadata and its stats row from the
 * database, drawn into plot_dir by the site builder (src/plots/site.ts): the PNG of each lightcurve, the
 * dashboard of each composite, the periodogram of each, the exploratory tables, overview charts and
 * index.html.
 *
 * Nothing is parsed from file names (the original split composite names on '_', §12): target, instrument,
 * detector, grating, cenwave and aperture come from the metadata rows (a composite's from its members'),
 * EXPTIME and the member list (MEMBERnn) from the file's headers, the statistics from the stats table.
 * Periodograms are computed with src/analysis on the config's `algorithm` grid, in the worker pool, and
 * cached in plot_dir by the file's content (plots-periodogram.ts). PNGs are drawn in the pool too.
 *
 * A lightcurve without a stats row is skipped (reported; `hstlc stats` first), as is a composite being
 * rebuilt (no file yet). One failing lightcurve is reported by name and the others still run; a re-run
 * redraws only outputs whose inputs changed (site.ts manifest), or everything with `force`.
 */
import path from 'node:path';
import { lightcurveDataHash, readLightcurveColumns, type GridKind, type PeriodogramMethod } from '../analysis/index.js';
import type { HstlcSettings } from '../config/types.js';
import { listOutputsWithMetadata, listStats, recordRun, type HstlcDb, type Stats } from '../db/index.js';
import { metaFromHeaders } from '../plots/read.js';
import { datasetCount, readLightcurveProduct } from '../lightcurve/product.js';
import { buildSite, type ItemResult, type OutputResult, type SiteRecord } from '../plots/site.js';
import { classify, type TableKind } from '../plots/html/tables.js';
import { PAGES } from '../plots/layout.js';
import type { PeriodogramData, StatsRecord } from '../plots/types.js';
import { renderImage, type ImageJob } from '../plots/units.js';
import type { ImageCache } from '../plots/image-cache.js';
import { SILENT, type StageLogger } from './log.js';
import { DEFAULT_MAX_POINTS, PeriodogramCache, periodogramKey } from './plots-periodogram.js';
import { createPool, type Pool } from './pool.js';
import { homeStage, itemResult, stageBasics, type Stage } from './stage.js';
import { unsettledTargetPairs } from './status.js';

export type PlotsSettings = Pick<HstlcSettings, 'home_dir' | 'plot_dir' | 'num_cores' | 'algorithm'> &
  Partial<Pick<HstlcSettings, 'target_aliases' | 'target_match_radius'>>;

export interface PlotsOptions {
  settings: PlotsSettings;
  /** Write here instead of settings.plot_dir (`--plot-dir`). */
  plotDir?: string;
  /** Redraw everything (`--force`). */
  force?: boolean;
  /** Delete outputs of lightcurves no longer in the database (default true). */
  prune?: boolean;
  /** Periodogram grid; default settings.algorithm (what the stats stage used). */
  grid?: GridKind;
  method?: PeriodogramMethod;
  /** Points per period space kept for drawing (plots-periodogram.ts). */
  maxPoints?: number;
  /** Where units run; default a pool of settings.num_cores. A given pool is not closed. */
  pool?: Pool;
  logger?: StageLogger;
  onProgress?: (p: PlotsProgress) => void;
  /** PNGs drawn ahead by the job engine's plot jobs (src/plots/image-cache.ts): taken instead of drawn. */
  imageCache?: ImageCache;
}

export interface PlotsProgress {
  phase: 'periodograms' | 'plots';
  done: number;
  total: number;
  current: string;
  failures: number;
}

export interface PlotsItem {
  name: string;
  /** The lightcurve file. */
  path: string;
  kind: 'composite' | 'individual';
  status: 'done' | 'unchanged' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  reason?: string;
  /** The exploratory table a composite is listed in. */
  table?: TableKind;
  outputs: OutputResult[];
}

export interface PlotsSummary {
  plotDir: string;
  /** plot_dir/index.html. */
  site: string;
  grid: GridKind;
  method: PeriodogramMethod;
  numCores: number;
  parallel: boolean;
  items: PlotsItem[];
  /** Pages and assets (and removed outputs). */
  pages: OutputResult[];
  counts: { composites: number; individuals: number; done: number; unchanged: number; failed: number; skipped: number };
  /** Composites per exploratory table. */
  tables: Record<TableKind, number>;
  /** Output files. */
  outputs: { written: number; unchanged: number; failed: number; removed: number };
  periodograms: { computed: number; cached: number; failed: number; none: number };
  /** Groups being rebuilt (outputs.composite_path NULL): no file to plot yet. */
  pendingComposites: number;
  elapsedMs: number;
  ok: boolean;
}

export interface PlotCandidate {
  kind: 'composite' | 'individual';
  path: string;
  filename: string;
  meta: { targname: string; instrument: string; detector: string; opt_elem: string; cenwave: number; aperture: string };
  /** The metadata file names: a composite's members (code-point order), an individual's own file. */
  members: string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every lightcurve of the outputs table with the metadata of its row (individual) or group (composite). */
export async function lightcurvesToPlot(handle: HstlcDb): Promise<{ candidates: PlotCandidate[]; pendingComposites: number }> {
  const rows = await listOutputsWithMetadata(handle.db);
  const found = new Map<string, PlotCandidate>();
  const pending = new Set<string>();
  // Members in code-point order first, so a composite's metadata is that of its first member.
  rows.sort((a, b) => byText(a.filename, b.filename));
  for (const row of rows) {
    const meta = { targname: row.targname, instrument: row.instrume, detector: row.detector, opt_elem: row.opt_elem, cenwave: row.cenwave, aperture: row.aperture };
    if (row.individual_path !== null && row.individual_filename !== null) {
      const p = path.join(row.individual_path, row.individual_filename);
      if (!found.has(p)) found.set(p, { kind: 'individual', path: p, filename: row.individual_filename, meta, members: [row.filename] });
    }
    if (row.composite_filename !== null) {
      if (row.composite_path === null) {
        pending.add(row.composite_filename);
        continue;
      }
      const p = path.join(row.composite_path, row.composite_filename);
      let c = found.get(p);
      if (c === undefined) {
        c = { kind: 'composite', path: p, filename: row.composite_filename, meta, members: [] };
        found.set(p, c);
      }
      c.members.push(row.filename);
    }
  }
  const candidates = [...found.values()].sort((a, b) => byText(a.path, b.path));
  return { candidates, pendingComposites: pending.size };
}

interface FileFacts {
  exptime: number | null;
  /** MEMBERnn of HDU 1 (our composites name their datasets), in dataset order. */
  members: string[] | null;
  /** Largest `dataset` index (1 without the column). */
  datasets: number;
}

async function fileFacts(file: string): Promise<FileFacts> {
  const product = await readLightcurveProduct(file, { columns: [], optional: ['dataset'] });
  const meta = metaFromHeaders(product.primary, product.table);
  return { exptime: meta.exptime, members: product.members, datasets: datasetCount(product) };
}

function statsRecord(c: PlotCandidate, row: Stats, exptime: number | null): StatsRecord {
  return {
    lightcurve_path: row.lightcurve_path,
    lightcurve_filename: row.lightcurve_filename,
    // NULL only when the counts do not sum to a finite number (§11.2); shown as "no value".
    total: row.total,
    mean: row.mean,
    mu: row.mu,
    stdev: row.stdev,
    poisson_factor: row.poisson_factor,
    pearson_r: row.pearson_r,
    pearson_p: row.pearson_p,
    periodogram: row.periodogram,
    deliver: row.deliver,
    best_period: row.best_period,
    best_power: row.best_power,
    false_alarm_probability: row.false_alarm_probability,
    ...c.meta,
    exptime,
  };
}

/** Run `fn` over `items` with at most `width` in flight. */
async function inWindow<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, lane));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Where the plots of one lightcurve are prepared: the periodogram cache, the pool, the grid. */
export interface PrepareRecordContext {
  cache: PeriodogramCache;
  pool: Pool;
  grid: GridKind;
  method: PeriodogramMethod;
  maxPoints: number;
}

export interface PreparedRecord {
  record: SiteRecord;
  /** How its periodogram was had; 'none' when there is none to make (§11.2); 'failed' or 'unread' (the file) with `error`. */
  periodogram: 'computed' | 'cached' | 'none' | 'failed' | 'unread';
  /** Why the file could not be read or its periodogram not made. */
  error?: string;
}

/**
 * One lightcurve's site record: its headers (EXPTIME, MEMBERnn), its statistics and its periodogram
 * (from the content-keyed cache, else computed in the pool and cached). The plots stage runs it for
 * every lightcurve; the job engine's plot job for its one (engine/tasks.ts), so both draw the same.
 */
export async function prepareRecord(c: PlotCandidate, row: Stats, ctx: PrepareRecordContext): Promise<PreparedRecord> {
  let facts: FileFacts | undefined;
  let periodogram: PeriodogramData | null = null;
  let how: PreparedRecord['periodogram'] = 'none';
  let error: string | undefined;
  try {
    facts = await fileFacts(c.path);
    // §11.2: no periodogram when total ≤ 0, as the stats stage.
    if (row.total !== null && row.total > 0) {
      const unit = { path: c.path, grid: ctx.grid, method: ctx.method, maxPoints: ctx.maxPoints };
      // Keyed by the data the periodogram is computed from, as the stats stage keys what it leaves here.
      const key = periodogramKey(lightcurveDataHash(await readLightcurveColumns(c.path)), unit);
      const hit = ctx.cache.get(key);
      if (hit) {
        periodogram = hit;
        how = 'cached';
      } else {
        how = 'failed';
        const r = await ctx.pool.run('plotsPeriodogram', unit);
        if (r.status !== 'done') throw new Error(`periodogram: ${r.reason}`);
        periodogram = r.periodogram;
        ctx.cache.set(key, periodogram);
        how = 'computed';
      }
    }
  } catch (err) {
    error = message(err);
    if (facts === undefined) how = 'unread';
  }
  // Member labels: the file's own MEMBERnn, else the database's members when they match in number.
  const fromDb = facts !== undefined && c.members.length === facts.datasets ? c.members : undefined;
  const datasetNames = c.kind === 'composite' ? (facts?.members ?? fromDb) : fromDb;
  const record: SiteRecord = { kind: c.kind, path: c.path, stats: statsRecord(c, row, facts?.exptime ?? null), periodogram, ...(datasetNames ? { datasetNames } : {}) };
  return { record, periodogram: how, ...(error !== undefined ? { error } : {}) };
}

/**
 * The stage's body; run it as `plotsStage` through runStage (stage.ts), which holds the home_dir lock.
 * Throws only when it cannot run (database unreachable).
 */
export async function runPlots(handle: HstlcDb, options: PlotsOptions): Promise<PlotsSummary> {
  const started = performance.now();
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const plotDir = path.resolve(options.plotDir ?? settings.plot_dir);
  const grid = options.grid ?? settings.algorithm;
  const method = options.method ?? 'auto';
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const numCores = Math.max(1, Math.floor(settings.num_cores));
  let pool: Pool | undefined = options.pool;
  try {
    return await recordRun(handle, 'plots', async () => {
      pool ??= createPool({ numCores });
      const { candidates, pendingComposites } = await lightcurvesToPlot(handle);
      const stats = new Map<string, Stats>();
      for (const row of await listStats(handle.db)) stats.set(path.join(row.lightcurve_path, row.lightcurve_filename), row);

      const items = new Map<string, PlotsItem>();
      const planned: Array<{ c: PlotCandidate; row: Stats }> = [];
      for (const c of candidates) {
        const row = stats.get(c.path);
        if (row === undefined) items.set(c.path, { name: c.filename, path: c.path, kind: c.kind, status: 'skipped', reason: 'no statistics yet (run hstlc stats)', outputs: [] });
        else planned.push({ c, row });
      }
      const skipped = candidates.length - planned.length;
      logger.info(`Creating plots for ${planned.length} lightcurves (${planned.filter((p) => p.c.kind === 'composite').length} composites) in ${plotDir} using ${pool.size} core(s)`);
      if (skipped > 0) logger.warn(`${skipped} lightcurve(s) have no statistics yet and are not plotted (run hstlc stats first)`);
      if (pendingComposites > 0) logger.warn(`${pendingComposites} composite(s) are being rebuilt and have no file yet: skipped`);

      // Headers, content hashes and periodograms (cached by content, computed in the pool).
      const cache = new PeriodogramCache(plotDir);
      const pgCounts = { computed: 0, cached: 0, failed: 0, none: 0 };
      const prepErrors = new Map<string, string>();
      const records: SiteRecord[] = new Array<SiteRecord>(planned.length);
      let prepared = 0;
      logger.info(`Making periodograms for ${planned.length} datasets (${grid} grid)`);
      await inWindow(planned, pool.inProcess ? 1 : pool.size * 2, async ({ c, row }, i) => {
        const one = await prepareRecord(c, row, { cache, pool: pool!, grid, method, maxPoints });
        if (one.periodogram !== 'unread') pgCounts[one.periodogram]++;
        if (one.error !== undefined) prepErrors.set(c.path, one.error);
        records[i] = one.record;
        options.onProgress?.({ phase: 'periodograms', done: ++prepared, total: planned.length, current: c.filename, failures: prepErrors.size });
      });

      const threads = pool;
      const drawn = options.imageCache;
      const inPool = async (job: ImageJob): Promise<Uint8Array> => {
        const r = await threads.run('renderImage', job);
        if (r.status !== 'done') throw new Error(r.reason);
        return r.png;
      };
      const render = drawn !== undefined
        ? async (job: ImageJob): Promise<Uint8Array> => (await drawn.take(job)) ?? (threads.inProcess ? renderImage(job) : inPool(job))
        : threads.inProcess
          ? undefined
          : inPool;
      let failures = 0;
      const targetPairs = await unsettledTargetPairs(handle, settings);
      const site = await buildSite({
        plotDir,
        records,
        targetPairs,
        force: options.force === true,
        prune: options.prune ?? true,
        concurrency: pool.inProcess ? 1 : pool.size * 2,
        ...(render ? { renderImage: render } : {}),
        onItem: (item, done, total) => {
          if (item.status === 'failed') failures++;
          options.onProgress?.({ phase: 'plots', done, total, current: item.name, failures });
        },
      });
      if (options.prune ?? true) cache.prune();

      site.items.forEach((result: ItemResult, i) => {
        const { c } = planned[i]!;
        const record = records[i]!;
        const item: PlotsItem = { name: result.name, path: c.path, kind: result.kind, status: result.status, outputs: result.outputs };
        if (result.error !== undefined) item.reason = result.error;
        const prep = prepErrors.get(c.path);
        if (prep !== undefined) {
          item.status = 'failed';
          item.reason = item.reason !== undefined && item.reason !== prep ? `${prep}; ${item.reason}` : prep;
        }
        if (c.kind === 'composite') item.table = classify(record.stats);
        items.set(c.path, item);
        if (item.status === 'failed') logger.error(`Failed to plot ${c.path}: ${item.reason ?? ''}`);
      });
      for (const page of site.pages) if (page.status === 'failed') logger.error(`Failed to write ${page.path}: ${page.error ?? ''}`);
      logger.info('Processing complete');

      const all = [...items.values()].sort((a, b) => byText(a.path, b.path));
      const count = (s: PlotsItem['status']): number => all.filter((x) => x.status === s).length;
      const tables: Record<TableKind, number> = { interesting: 0, boring: 0, low_counts: 0, null: 0 };
      for (const x of all) if (x.table) tables[x.table]++;
      const pageFailures = site.pages.filter((p) => p.status === 'failed').length;
      const summary: PlotsSummary = {
        plotDir,
        site: path.join(plotDir, PAGES.index),
        grid,
        method,
        numCores: pool.size,
        parallel: !pool.inProcess,
        items: all,
        pages: site.pages,
        counts: {
          composites: all.filter((x) => x.kind === 'composite').length,
          individuals: all.filter((x) => x.kind === 'individual').length,
          done: count('done'),
          unchanged: count('unchanged'),
          failed: count('failed'),
          skipped: count('skipped'),
        },
        tables,
        outputs: { written: site.written, unchanged: site.unchanged, failed: site.failed, removed: site.removed },
        periodograms: pgCounts,
        pendingComposites,
        elapsedMs: Math.round(performance.now() - started),
        ok: count('failed') === 0 && pageFailures === 0,
      };
      return summary;
    }, (s) => ({ ok: s.ok, summary: { counts: s.counts, outputs: s.outputs, tables: s.tables } }));
  } finally {
    if (options.pool === undefined) await pool?.close().catch(() => undefined);
  }
}

/** What a caller chooses for a plots run; the rest comes from the stage context. */
export type PlotsRequest = Pick<PlotsOptions, 'plotDir' | 'force' | 'prune' | 'grid' | 'method' | 'maxPoints'>;

/** The plots stage (§12): one item per lightcurve (done, unchanged as done, failed, skipped) and per failed page. */
export const plotsStage: Stage<PlotsRequest, PlotsSummary> = homeStage(
  'plots',
  (ctx, input) => runPlots(ctx.db, { ...input, ...stageBasics(ctx), onProgress: (p) => ctx.progress.update(p) }),
  (s) => [
    ...s.items.map((x) => itemResult(x.path, x.status === 'unchanged' ? 'done' : x.status, x.reason)),
    ...s.pages.filter((p) => p.status === 'failed').map((p) => itemResult(p.path, 'failed', p.error)),
  ],
);
