/**
 * The download stage (DESIGN §8; successor of §14.1): discover → subtract what is known →
 * list products → download (bounded concurrency) → reference files → run report. Returns the report;
 * the CLI prints it and writes it to download_dir.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { moveFile } from '../archive/move.js';
import { pathExists } from '../files/index.js';
import path from 'node:path';
import { cloudObjectUrl, lookupCloudKeys } from './cloud.js';
import { fetchReferences, referencesNamedIn, type ReferenceResult, type WantedReference } from './crds.js';
import { withoutToken, type HttpOptions } from './http.js';
import { gatherKnown, ingestDirKnown, type KnownDatasets } from './known.js';
import type { DownloadLedger } from './ledger.js';
import { hasWantedSuffix } from './names.js';
import { downloadUrl, listProducts, type Product } from './products.js';
import { checkSearchColumns, searchTimeTag, type SearchFilters, type SearchRow } from './search.js';
import { transferFile } from './transfer.js';
import { fileDigest } from '../files/index.js';
import { verifyFitsFile } from './verify.js';

import { DEFAULT_LIMIT } from './summary.js';

export { DEFAULT_LIMIT, summaryLine } from './summary.js';

export interface StageLogger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

export interface DownloadStageOptions {
  mastUrl: string;
  crdsUrl: string;
  ingestDir: string;
  refDir: string;
  http: HttpOptions;
  ledger: DownloadLedger;
  /** Sources besides ingest_dir (which is always consulted): metadata, bad_data… */
  known?: readonly KnownDatasets[];
  concurrency?: number;
  /** Datasets to download at most (default 50). */
  limit?: number;
  /** --since / --target / --proposal, sent as search conditions. */
  filters?: SearchFilters;
  /** `download_source`: MAST's Download API (default), or the public bucket at cloudUrl. */
  source?: 'mast' | 'cloud';
  cloudUrl?: string;
  dryRun?: boolean;
  /** Fetch missing reference files from CRDS after the downloads (default true). */
  references?: boolean;
  searchPageSize?: number;
  productBatchSize?: number;
  now?: Date;
  logger?: StageLogger;
  /** Called once the plan is known, then after each file. */
  onPlan?: (files: number, bytes: number) => void;
  onFile?: (result: FileResult) => void;
}

export type FileStatus = 'done' | 'skipped' | 'failed';

export interface FileResult {
  dataset: string;
  filename: string;
  size: number;
  status: FileStatus;
  reason?: string;
  sha256?: string;
  /** Bytes already on disk from an interrupted run, when the transfer resumed. */
  resumed_from?: number;
  /** Where the bytes came from (downloaded files): MAST, or the public bucket. */
  source?: 'mast' | 'cloud';
  requests?: number;
  seconds?: number;
}

export interface PlannedFile {
  dataset: string;
  filename: string;
  size: number;
}

export interface RunReport {
  started: string;
  finished: string;
  dry_run: boolean;
  mast_url: string;
  search: { filters: SearchFilters; total_results: number; pages: number; datasets: number; rejected: Array<{ dataset: string; reason: string }>; messages: string[] };
  known: Record<string, number>;
  /** Datasets dropped before listing products, by the source that knew them first. */
  subtracted: Record<string, number>;
  products: { batches: number; listed: number; duplicates: number; ignored: number; rejected: Array<{ dataset: string; filename: string; reason: string }> };
  new_datasets: number;
  /** Datasets MAST reprocessed (newer sci_generation_date); queued once all their new files are in ingest_dir. */
  reprocessed: Array<{ dataset: string; generation_date: string; queued: boolean }>;
  limit: number;
  requested: { datasets: string[]; files: number; bytes: number };
  plan: PlannedFile[];
  files: FileResult[];
  references: ReferenceResult[];
  summary: { downloaded: number; skipped: number; failed: number; references_fetched: number; references_failed: number; bytes: number; seconds: number; mb_per_s: number };
}

const QUIET: StageLogger = { info() {}, warn() {}, debug() {} };

/** Run `work` over `items` with at most `n` in flight, results in input order. */
export async function mapBounded<T, R>(items: readonly T[], n: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

export async function runDownload(options: DownloadStageOptions): Promise<RunReport> {
  const log = options.logger ?? QUIET;
  const started = new Date();
  const now = options.now ?? started;
  const limit = options.limit ?? DEFAULT_LIMIT;
  // The token is MAST's: scoped to mast_url, and taken out of what CRDS gets.
  const mastHttp: HttpOptions = { ...options.http, tokenScope: options.mastUrl };

  // 1. Discover, once the columns the search selects are known to exist.
  await checkSearchColumns(options.mastUrl, mastHttp);
  const search = await searchTimeTag(options.mastUrl, mastHttp, { now, ...(options.filters ? { filters: options.filters } : {}), ...(options.searchPageSize ? { pageSize: options.searchPageSize } : {}) });
  log.info(`${search.rows.length} TIME-TAG datasets in MAST (${search.totalResults} results, ${search.pages} pages).`);

  // 2. Subtract what we have: database sources, ingest_dir, and files the ledger holds as complete.
  //    A file the ledger holds as unfinished (failed, interrupted) is retried even when a sibling of
  //    its dataset already sits in ingest_dir; rootnames in the database are final (§14.1).
  const ingestLabel = 'ingest_dir';
  const known = await gatherKnown([...(options.known ?? []), ingestDirKnown(options.ingestDir)]);
  const inDatabase = new Set<string>();
  for (const [label, set] of known) if (label !== ingestLabel) for (const r of set) inDatabase.add(r);
  const inIngest = known.get(ingestLabel) ?? new Set<string>();
  const ledgerRows = await options.ledger.list();
  const complete = new Set(ledgerRows.filter((r) => r.state === 'complete').map((r) => r.filename));
  const unfinished = new Set(ledgerRows.filter((r) => r.state !== 'complete').map((r) => r.filename));
  const unfinishedDatasets = new Set(ledgerRows.filter((r) => r.state !== 'complete').map((r) => r.dataset));
  const subtracted: Record<string, number> = {};
  const files: FileResult[] = [];
  /** Why a file need not be fetched, or undefined when it must be (the same rule for listed and remembered files). */
  const skipReason = async (p: { filename: string; rootname: string }): Promise<string | undefined> => {
    if (inDatabase.has(p.rootname)) return 'rootname already known';
    if (complete.has(p.filename)) return 'already downloaded (ledger)';
    if (await pathExists(path.join(options.ingestDir, p.filename))) return 'already in ingest_dir';
    if (inIngest.has(p.rootname) && !unfinished.has(p.filename)) return 'rootname already in ingest_dir';
    return undefined;
  };
  // The search answers mostly association ids (lc7a01010) while the database knows member rootnames: a
  // dataset whose remembered listing (same sci_generation_date) has every file accounted for is known
  // without asking MAST for its products again.
  const listings = await options.ledger.listings();
  const knownByListing = async (row: SearchRow): Promise<FileResult[] | undefined> => {
    const listing = listings.get(row.dataset);
    if (listing === undefined || listing.files.length === 0 || listing.generation_date !== (row.generationDate ?? null)) return undefined;
    const out: FileResult[] = [];
    for (const f of listing.files) {
      const reason = await skipReason({ filename: f.filename, rootname: f.member });
      if (reason === undefined) return undefined;
      out.push({ dataset: row.dataset, filename: f.filename, size: f.size, status: 'skipped', reason });
    }
    return out;
  };
  // Reprocessing: a sci_generation_date newer than the one recorded (the listing's, else the ledger's
  // files') means MAST recalibrated the dataset; it is listed and fetched again whatever is known.
  const ledgerGeneration = new Map<string, string>();
  for (const r of ledgerRows) {
    const g = r.mast_generation_date;
    if (g !== null && g > (ledgerGeneration.get(r.dataset) ?? '')) ledgerGeneration.set(r.dataset, g);
  }
  const reprocessed = new Map<string, string>();
  const candidates: SearchRow[] = [];
  for (const row of search.rows) {
    const recorded = listings.get(row.dataset)?.generation_date ?? ledgerGeneration.get(row.dataset);
    if (row.generationDate !== undefined && recorded !== undefined && row.generationDate > recorded) {
      reprocessed.set(row.dataset, row.generationDate);
      candidates.push(row);
      continue;
    }
    let source = [...known.entries()].find(([label, set]) => label !== ingestLabel && set.has(row.dataset))?.[0];
    if (source === undefined && inIngest.has(row.dataset) && !unfinishedDatasets.has(row.dataset)) source = ingestLabel;
    if (source === undefined) {
      const remembered = await knownByListing(row);
      if (remembered !== undefined) {
        source = LISTING_LABEL;
        files.push(...remembered);
      }
    }
    if (source === undefined) candidates.push(row);
    else subtracted[source] = (subtracted[source] ?? 0) + 1;
  }
  log.info(`${candidates.length} datasets not yet known${reprocessed.size > 0 ? `, ${reprocessed.size} of them reprocessed at MAST` : ''}.`);

  // 3. Products of the candidates; a member already known or downloaded is dropped file by file.
  const listing = candidates.length > 0
    ? await listProducts(options.mastUrl, candidates.map((r) => r.dataset), mastHttp, options.productBatchSize)
    : { products: [], batches: 0, rejected: [], duplicates: 0, ignored: 0 };
  // A reprocessed dataset's new listing is remembered only once its new files are all in ingest_dir.
  if (!options.dryRun) await rememberListings(options.ledger, candidates.filter((r) => !reprocessed.has(r.dataset)), listing.products);
  files.push(...listing.rejected.map((r) => ({ dataset: r.dataset, filename: r.filename, size: 0, status: 'skipped' as const, reason: `refused: ${r.reason}` })));
  const byDataset = new Map<string, Product[]>();
  /** A reprocessed dataset's file is skipped only when the ledger has it complete at the new generation. */
  const fetchedAt = async (filename: string, generation: string): Promise<boolean> => {
    const row = await options.ledger.get(filename);
    return row?.state === 'complete' && row.mast_generation_date === generation;
  };
  for (const p of listing.products) {
    const generation = reprocessed.get(p.dataset);
    const reason = generation === undefined ? await skipReason(p) : (await fetchedAt(p.filename, generation)) ? 'already downloaded at this generation (ledger)' : undefined;
    if (reason !== undefined) {
      files.push({ dataset: p.dataset, filename: p.filename, size: p.size, status: 'skipped', reason });
      continue;
    }
    const list = byDataset.get(p.dataset) ?? [];
    list.push(p);
    byDataset.set(p.dataset, list);
  }
  const newDatasets = [...byDataset.keys()].sort();
  const chosen = newDatasets.slice(0, limit);
  const plan: Product[] = chosen.flatMap((d) => byDataset.get(d)!.sort((a, b) => (a.filename < b.filename ? -1 : 1)));
  const planBytes = plan.reduce((n, p) => n + p.size, 0);
  log.info(`${newDatasets.length} new datasets; downloading ${chosen.length} (${plan.length} files, ${(planBytes / 1e6).toFixed(1)} MB).`);

  const report: RunReport = {
    started: started.toISOString(),
    finished: '',
    dry_run: options.dryRun === true,
    mast_url: options.mastUrl,
    search: { filters: options.filters ?? {}, total_results: search.totalResults, pages: search.pages, datasets: search.rows.length, rejected: search.rejected, messages: search.messages },
    known: Object.fromEntries([...known.entries()].map(([k, v]) => [k, v.size])),
    subtracted,
    products: { batches: listing.batches, listed: listing.products.length, duplicates: listing.duplicates, ignored: listing.ignored, rejected: listing.rejected },
    new_datasets: newDatasets.length,
    reprocessed: [...reprocessed].map(([dataset, generation_date]) => ({ dataset, generation_date, queued: false })),
    limit,
    requested: { datasets: chosen, files: plan.length, bytes: planBytes },
    plan: plan.map((p) => ({ dataset: p.dataset, filename: p.filename, size: p.size })),
    files,
    references: [],
    summary: { downloaded: 0, skipped: 0, failed: 0, references_fetched: 0, references_failed: 0, bytes: 0, seconds: 0, mb_per_s: 0 },
  };
  if (options.dryRun) return finish(report, started, 0);

  // 4. Download, from the bucket for what it has when download_source is cloud.
  let cloudKeys = new Map<string, string>();
  if (options.source === 'cloud' && plan.length > 0) {
    try {
      cloudKeys = (await lookupCloudKeys(options.mastUrl, plan.map((p) => p.filename), mastHttp)).keys;
      log.info(`${cloudKeys.size} of ${plan.length} files in the public bucket; the rest from MAST.`);
    } catch (err) {
      log.warn(`path_lookup failed (${(err as Error).message}); downloading from MAST instead`);
    }
  }
  // The bucket is anonymous: it never sees the MAST token, whatever host it is on.
  const cloudHttp = withoutToken(options.http);
  options.onPlan?.(plan.length, planBytes);
  await mkdir(options.ingestDir, { recursive: true });
  const generation = new Map(search.rows.map((r) => [r.dataset, r.generationDate ?? null]));
  let transferred = 0;
  const downloadStart = Date.now();
  const results = await mapBounded(plan, options.concurrency ?? 4, async (p) => {
    const t0 = Date.now();
    await options.ledger.record({ dataset: p.dataset, filename: p.filename, state: 'downloading', size: p.size, mast_generation_date: generation.get(p.dataset) ?? null });
    // New files of a reprocessed dataset wait in a hidden folder until all are verified (the old ones stay).
    const dest = reprocessed.has(p.dataset) ? path.join(options.ingestDir, REPROCESS_DIR, p.dataset, p.filename) : path.join(options.ingestDir, p.filename);
    if (reprocessed.has(p.dataset)) await mkdir(path.dirname(dest), { recursive: true });
    const key = cloudKeys.get(p.filename);
    const source = key !== undefined && options.cloudUrl !== undefined ? 'cloud' : 'mast';
    const outcome = await transferFile(
      {
        url: source === 'cloud' ? cloudObjectUrl(options.cloudUrl!, key!) : downloadUrl(options.mastUrl, p.filename),
        ...(source === 'cloud' ? { origin: 'the public bucket' } : {}),
        dest,
        expectedSize: p.size,
        head: true,
        verify: async (file) => {
          const v = await verifyFitsFile(file, p.size);
          return v.ok ? undefined : v.reason;
        },
      },
      { http: source === 'cloud' ? cloudHttp : mastHttp, onBytes: (n) => (transferred += n), onWarning: (m) => log.warn(`${p.filename}: ${m}`) },
    );
    const seconds = (Date.now() - t0) / 1000;
    let result: FileResult;
    if (outcome.status === 'done') {
      const sha256 = await fileDigest(dest, 'sha256');
      await options.ledger.record({ dataset: p.dataset, filename: p.filename, state: 'complete', size: p.size, sha256 });
      result = { dataset: p.dataset, filename: p.filename, size: p.size, status: 'done', sha256, source, requests: outcome.requests, seconds, ...(outcome.resumedFrom > 0 ? { resumed_from: outcome.resumedFrom } : {}) };
      log.debug(`downloaded ${p.filename} (${p.size} bytes${outcome.resumedFrom > 0 ? `, resumed from ${outcome.resumedFrom}` : ''})`);
    } else {
      await options.ledger.record({ dataset: p.dataset, filename: p.filename, state: 'failed', error: outcome.reason });
      result = { dataset: p.dataset, filename: p.filename, size: p.size, status: 'failed', reason: outcome.reason, source, requests: outcome.requests, seconds };
      log.warn(`${p.filename}: ${outcome.reason}`);
    }
    options.onFile?.(result);
    return result;
  });
  const downloadSeconds = (Date.now() - downloadStart) / 1000;
  report.files.push(...results);

  // 4b. Reprocessed datasets whose new files are all verified: into ingest_dir together, marked for re-ingest.
  for (const entry of report.reprocessed) {
    const products = listing.products.filter((p) => p.dataset === entry.dataset);
    if (products.length === 0) continue;
    const complete = await Promise.all(products.map((p) => fetchedAt(p.filename, entry.generation_date)));
    if (!complete.every(Boolean)) continue;
    for (const p of products) await moveFile(path.join(options.ingestDir, REPROCESS_DIR, p.dataset, p.filename), path.join(options.ingestDir, p.filename));
    await rm(path.join(options.ingestDir, REPROCESS_DIR, entry.dataset), { recursive: true, force: true });
    await options.ledger.markReprocessing({ dataset: entry.dataset, generation_date: entry.generation_date, members: [...new Set(products.map((p) => p.rootname))] });
    await rememberListings(options.ledger, search.rows.filter((r) => r.dataset === entry.dataset), products);
    entry.queued = true;
    log.info(`${entry.dataset}: reprocessed at MAST (${entry.generation_date}); new files in ingest_dir, queued for re-ingest.`);
  }

  // 5. Reference files named by what arrived, and by anything else waiting in ingest_dir: a reference
  //    that failed last time is tried again even when no new data came.
  if (options.references !== false) {
    const wanted: WantedReference[] = [];
    const waiting = (await readdir(options.ingestDir)).filter((n) => !n.startsWith('.') && hasWantedSuffix(n)).sort();
    for (const name of waiting) {
      try {
        wanted.push(...(await referencesNamedIn(path.join(options.ingestDir, name))));
      } catch (err) {
        log.warn(`${name}: could not read reference names: ${(err as Error).message}`);
      }
    }
    report.references = await fetchReferences(wanted, options.refDir, options.crdsUrl, { http: withoutToken(options.http) });
    for (const ref of report.references) if (ref.status === 'failed') log.warn(`reference ${ref.dir}$${ref.file}: ${ref.reason}`);
  }
  return finish(report, started, transferred, downloadSeconds);
}

/** Where a reprocessed dataset's new files wait, under ingest_dir, until all are verified (hidden: ingest skips it). */
export const REPROCESS_DIR = '.reprocessed';

/** The report's name for datasets subtracted because their remembered listing is all known. */
export const LISTING_LABEL = 'listing';

/** Each searched candidate's wanted files and members, as the product list gave them. */
async function rememberListings(ledger: DownloadLedger, candidates: readonly SearchRow[], products: readonly Product[]): Promise<void> {
  const byDataset = new Map<string, Product[]>(candidates.map((r) => [r.dataset, []]));
  for (const p of products) byDataset.get(p.dataset)?.push(p);
  await ledger.recordListings(
    candidates.map((row) => ({
      dataset: row.dataset,
      generation_date: row.generationDate ?? null,
      files: byDataset.get(row.dataset)!.map((p) => ({ filename: p.filename, member: p.rootname, size: p.size })),
    })),
  );
}

function finish(report: RunReport, started: Date, bytes: number, downloadSeconds = 0): RunReport {
  const finished = new Date();
  report.finished = finished.toISOString();
  const count = (s: FileStatus) => report.files.filter((f) => f.status === s).length;
  report.summary = {
    downloaded: count('done'),
    skipped: count('skipped'),
    failed: count('failed'),
    references_fetched: report.references.filter((r) => r.status === 'done').length,
    references_failed: report.references.filter((r) => r.status === 'failed').length,
    bytes,
    seconds: (finished.getTime() - started.getTime()) / 1000,
    mb_per_s: downloadSeconds > 0 ? Math.round((bytes / 1e6 / downloadSeconds) * 100) / 100 : 0,
  };
  return report;
}
