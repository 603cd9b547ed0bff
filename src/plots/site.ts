/**
 * buildSite: every output of §12 in plot_dir — per lightcurve the static PNG, the dashboard (composites)
 * and the periodogram PNG (with the interesting ones copied to periodogram_subset/), then the exploratory
 * tables, overview charts, index.html and assets. Per-item results instead of throwing halfway (STYLE:
 * kysely); outputs whose inputs are unchanged are not redrawn (manifest.ts).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { configDonutChart, CONFIG_GROUPS, DONUT_SIZE, exptimeHistogramChart, EXPTIME_SIZE, optElemChart, OPT_ELEM_SIZE } from './charts/summary.js';
import { loadAssets } from './assets.js';
import { lightcurvePng, periodogramPng } from './draw.js';
import { writeAtomic } from './files.js';
import { chartPage } from './html/chart-page.js';
import { dashboardPage } from './html/dashboard.js';
import { indexPage, type IndexEntry } from './html/index-page.js';
import { classify, tablePage, tableRow, TABLE_KINDS, type TableRow } from './html/tables.js';
import { ASSETS_DIR, lightcurveOutputs, MANIFEST, onDisk, PAGES, type LightcurveKind } from './layout.js';
import { hashParts, readManifest, writeManifest, type Manifest } from './manifest.js';
import { readLightcurve } from './read.js';
import type { PngOptions } from './render.js';
import type { ImageJob } from './units.js';
import { imageJobsOf, imageMeta } from './image-cache.js';
import type { LightcurveData, PeriodogramData, StatsRecord } from './types.js';
import { relativeUrl } from './escape.js';
import type { TargetCandidate } from '../targets/index.js';
import { byInterest, periodogramCandidate } from '../analysis/index.js';

export interface SiteRecord {
  kind: LightcurveKind;
  /** The lightcurve FITS file; hashed to see whether it changed, read only when something is drawn. */
  path: string;
  stats: StatsRecord;
  periodogram?: PeriodogramData | null;
  /** Member labels in dataset order (the database knows a composite's members). */
  datasetNames?: readonly string[];
}

export type OutputStatus = 'written' | 'unchanged' | 'failed' | 'removed';

export interface OutputResult {
  /** Relative to plot_dir, POSIX separators. */
  path: string;
  status: OutputStatus;
  error?: string;
  /** Time to draw and write, when written. */
  ms?: number;
}

export interface ItemResult {
  name: string;
  kind: LightcurveKind;
  status: 'done' | 'unchanged' | 'failed';
  outputs: OutputResult[];
  error?: string;
}

export interface SiteResult {
  items: ItemResult[];
  pages: OutputResult[];
  written: number;
  unchanged: number;
  failed: number;
  removed: number;
  ms: number;
}

export interface BuildSiteOptions {
  plotDir: string;
  /** Every lightcurve of the site: composites feed the pages, individuals get their PNGs only. */
  records: readonly SiteRecord[];
  /** Redraw everything (hstlc plots --force). */
  force?: boolean;
  /** Delete outputs a previous run made that no record produces any more (default true). */
  prune?: boolean;
  png?: PngOptions;
  /** Progress: called after each lightcurve. */
  onItem?: (result: ItemResult, done: number, total: number) => void;
  /** How a record becomes data; defaults to readLightcurve with the record's metadata. */
  load?: (record: SiteRecord) => Promise<LightcurveData>;
  /**
   * Draw PNGs elsewhere, e.g. `(job) => pool.run('renderImage', job)` on the stage's worker pool
   * (units.ts); by default they are drawn in this thread from the data already loaded.
   */
  renderImage?: (job: ImageJob) => Promise<Uint8Array>;
  /** Lightcurves in progress at once (default 1; more only helps with renderImage on a pool). */
  concurrency?: number;
  /** Target names at one position that no alias settles, listed on index.html (the stage reads them from the database). */
  targetPairs?: readonly TargetCandidate[];
}

function defaultLoad(record: SiteRecord): Promise<LightcurveData> {
  return readLightcurve(record.path, { meta: imageMeta(record), datasetNames: record.datasetNames });
}

/** Relative URL from a page in `from` (a folder relative to plot_dir, '' for the top) to `to`. */
function relativeFrom(from: string, to: string): string {
  return from === '' ? to : `${from.split('/').map(() => '..').join('/')}/${to}`;
}

class Writer {
  readonly produced = new Set<string>();
  constructor(
    readonly plotDir: string,
    readonly previous: Manifest,
    readonly next: Manifest,
    readonly force: boolean,
  ) {}

  current(rel: string, hash: string): boolean {
    return !this.force && this.previous.outputs[rel] === hash && existsSync(onDisk(this.plotDir, rel));
  }

  /** Draw and write `rel` unless its hash is current; failures are recorded, not thrown. */
  async output(rel: string, hash: string, produce: () => Promise<string | Uint8Array> | string | Uint8Array): Promise<OutputResult> {
    this.produced.add(rel);
    if (this.current(rel, hash)) {
      this.next.outputs[rel] = hash;
      return { path: rel, status: 'unchanged' };
    }
    const t0 = performance.now();
    try {
      writeAtomic(onDisk(this.plotDir, rel), await produce());
      this.next.outputs[rel] = hash;
      return { path: rel, status: 'written', ms: performance.now() - t0 };
    } catch (err) {
      delete this.next.outputs[rel];
      return { path: rel, status: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }
}

interface Drawn {
  record: SiteRecord;
  result: ItemResult;
  png: string | null;
  dashboard: string | null;
  periodogram: string | null;
}

async function drawRecord(w: Writer, record: SiteRecord, options: BuildSiteOptions): Promise<Drawn> {
  const out = lightcurveOutputs(record.kind, record.stats.lightcurve_filename);
  const result: ItemResult = { name: record.stats.lightcurve_filename, kind: record.kind, status: 'done', outputs: [] };
  const drawn: Drawn = { record, result, png: null, dashboard: null, periodogram: null };
  let source: string;
  try {
    source = hashParts(readFileSync(record.path));
  } catch (err) {
    result.status = 'failed';
    result.error = err instanceof Error ? err.message : String(err);
    return drawn;
  }
  const pgHash = record.periodogram ? hashParts(record.periodogram) : null;
  const meta = imageMeta(record);
  let lc: Promise<LightcurveData> | undefined;
  const data = () => (lc ??= (options.load ?? defaultLoad)(record));
  const png = options.png ?? {};

  const [lightcurveJob, periodogramJob] = imageJobsOf(record, png);
  const render = options.renderImage;
  const pngResult = await w.output(out.png, hashParts('png', source, meta, record.datasetNames ?? null), async () =>
    render ? render(lightcurveJob!) : lightcurvePng(await data(), png),
  );
  result.outputs.push(pngResult);
  if (pngResult.status !== 'failed') drawn.png = out.png;

  if (record.periodogram) {
    const pg = record.periodogram;
    const pgResult = await w.output(out.periodogram, hashParts('periodogram', source, meta, pgHash), async () =>
      render ? render(periodogramJob!) : periodogramPng(await data(), pg, png),
    );
    result.outputs.push(pgResult);
    if (pgResult.status !== 'failed') {
      drawn.periodogram = out.periodogram;
      // §12.7: the flagged ones also go to periodogram_subset/ (a copy: links break on some filesystems),
      // never a low-count one (the one definition, src/analysis/interest.ts).
      if (periodogramCandidate(record.stats)) {
        result.outputs.push(await w.output(out.subset, hashParts('subset', source, meta, pgHash), () => readFileSync(onDisk(w.plotDir, out.periodogram))));
      }
    }
  }

  if (out.dashboard) {
    const rel = out.dashboard;
    const folder = rel.slice(0, rel.lastIndexOf('/'));
    const links = {
      png: drawn.png ? relativeFrom(folder, drawn.png) : null,
      periodogram: drawn.periodogram ? relativeFrom(folder, drawn.periodogram) : null,
    };
    const dashResult = await w.output(rel, hashParts('dashboard', source, record.stats, pgHash, record.datasetNames ?? null, links), async () =>
      dashboardPage({ lc: await data(), stats: record.stats, periodogram: record.periodogram, links, root: relativeFrom(folder, '') }),
    );
    result.outputs.push(dashResult);
    if (dashResult.status !== 'failed') drawn.dashboard = rel;
  }

  const failed = result.outputs.filter((o) => o.status === 'failed');
  if (failed.length > 0) {
    result.status = 'failed';
    result.error = failed.map((o) => `${o.path}: ${o.error}`).join('; ');
  } else if (result.outputs.every((o) => o.status === 'unchanged')) {
    result.status = 'unchanged';
  }
  return drawn;
}

async function writePages(w: Writer, drawn: readonly Drawn[], individuals: number, targetPairs: readonly TargetCandidate[]): Promise<OutputResult[]> {
  // Every composite is listed; one whose images failed shows no thumbnail rather than vanishing.
  const composites = drawn.filter((d) => d.record.kind === 'composite');
  const records = composites.map((d) => d.record.stats);
  const pages: Array<[string, string]> = [];

  const rowsByKind: Record<(typeof TABLE_KINDS)[number], TableRow[]> = { interesting: [], boring: [], low_counts: [], null: [] };
  // In the order "most interesting first" (index.html's), each page numbering its own rows.
  for (const d of [...composites].sort((a, b) => byInterest(a.record.stats, b.record.stats))) {
    const rows = rowsByKind[classify(d.record.stats)];
    rows.push(
      tableRow({
        stats: d.record.stats,
        thumbnail: d.png ? relativeUrl(d.png) : null,
        dashboard: d.dashboard ? relativeUrl(d.dashboard) : null,
        file: relativeUrl(path.relative(w.plotDir, d.record.path).split(path.sep).join('/')),
      }, rows.length + 1),
    );
  }
  pages.push([PAGES.interesting, tablePage('interesting', rowsByKind.interesting)]);
  pages.push([PAGES.boring, tablePage('boring', rowsByKind.boring)]);
  pages.push([PAGES.low_counts, tablePage('low_counts', rowsByKind.low_counts)]);
  pages.push([PAGES.null, tablePage('null', rowsByKind.null)]);

  const withExptime = records.filter((r) => r.exptime !== null);
  pages.push([
    PAGES.exptime,
    chartPage({
      title: 'Cumulative Exptime per Target',
      option: exptimeHistogramChart(records),
      size: EXPTIME_SIZE,
      note: 'Sum of the composite lightcurves’ exposure time (EXPTIME) per target; the 30 largest.',
      empty: withExptime.length === 0 ? 'No composite lightcurve with an exposure time yet.' : null,
    }),
  ]);
  for (const group of CONFIG_GROUPS) {
    const any = records.some((r) => r.instrument.toUpperCase() === group.instrument && r.detector.toUpperCase() === group.detector);
    pages.push([
      `pie_config_${group.key}.html`,
      chartPage({
        title: group.title,
        option: configDonutChart(records, group),
        size: DONUT_SIZE,
        note: `Composite lightcurves of ${group.instrument} ${group.detector} by grating/cenwave.`,
        // §12.5 wrote no file here ("No COS FUV datasets"); a page saying so keeps every link valid.
        empty: any ? null : `No ${group.instrument} ${group.detector} composite lightcurves.`,
      }),
    ]);
  }
  pages.push([
    PAGES.optElem,
    chartPage({
      title: 'Lightcurves per Optical Element',
      option: optElemChart(records),
      size: OPT_ELEM_SIZE,
      note: 'Composite lightcurves per grating, COS and STIS stacked.',
      empty: records.length === 0 ? 'No composite lightcurves yet.' : null,
    }),
  ]);
  const entries: IndexEntry[] = composites.map((d) => ({ stats: d.record.stats, thumbnail: d.png, dashboard: d.dashboard, periodogram: d.periodogram }));
  pages.push([PAGES.index, indexPage({ composites: entries, individuals, targetPairs })]);

  const results: OutputResult[] = [];
  for (const [rel, html] of pages) results.push(await w.output(rel, hashParts('page', html), () => html));
  for (const asset of loadAssets()) {
    const rel = `${ASSETS_DIR}/${asset.name}`;
    results.push(await w.output(rel, hashParts('asset', asset.content), () => asset.content));
  }
  return results;
}

function prune(w: Writer): OutputResult[] {
  const removed: OutputResult[] = [];
  for (const rel of Object.keys(w.previous.outputs)) {
    if (w.produced.has(rel)) continue;
    rmSync(onDisk(w.plotDir, rel), { force: true });
    removed.push({ path: rel, status: 'removed' });
  }
  return removed;
}

export async function buildSite(options: BuildSiteOptions): Promise<SiteResult> {
  const t0 = performance.now();
  const manifestPath = onDisk(options.plotDir, MANIFEST);
  const previous = readManifest(manifestPath);
  const next: Manifest = { version: previous.version, outputs: {} };
  const w = new Writer(options.plotDir, previous, next, options.force ?? false);
  const drawn: Drawn[] = new Array<Drawn>(options.records.length);
  try {
    // A few async lanes over the records; results keep input order whatever finishes first.
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < options.records.length) {
        const i = next++;
        drawn[i] = await drawRecord(w, options.records[i], options);
        options.onItem?.(drawn[i].result, ++done, options.records.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.floor(options.concurrency ?? 1)) }, lane));
    const individuals = drawn.filter((d) => d.record.kind === 'individual' && d.png !== null).length;
    const pages = await writePages(w, drawn, individuals, options.targetPairs ?? []);
    // Outputs of failed items stay known (not pruned), so a transient failure deletes nothing.
    for (const d of drawn) {
      if (d.result.status !== 'failed') continue;
      const out = lightcurveOutputs(d.record.kind, d.record.stats.lightcurve_filename);
      for (const rel of [out.png, out.dashboard, out.periodogram, out.subset]) if (rel) w.produced.add(rel);
    }
    if (options.prune ?? true) pages.push(...prune(w));
    const all = [...drawn.flatMap((d) => d.result.outputs), ...pages];
    return {
      items: drawn.map((d) => d.result),
      pages,
      written: all.filter((o) => o.status === 'written').length,
      unchanged: all.filter((o) => o.status === 'unchanged').length,
      failed: all.filter((o) => o.status === 'failed').length + drawn.filter((d) => d.result.status === 'failed' && d.result.outputs.length === 0).length,
      removed: all.filter((o) => o.status === 'removed').length,
      ms: performance.now() - t0,
    };
  } finally {
    writeManifest(manifestPath, next);
  }
}

