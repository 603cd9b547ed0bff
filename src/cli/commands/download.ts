import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import type { LoadedConfig } from '../../config/types.js';
import { createProgress, type Progress } from '../../log/progress.js';
import type { TextSink } from '../../log/console.js';
import {
  DEFAULT_HTTP,
  DEFAULT_LIMIT,
  runDownload,
  summaryLine,
  writeReport,
  type RunReport,
} from '../../mast/index.js';
import { acquireRunLock, LockedError, type RunLock } from '../../mast/lock.js';
import { databaseKnown, DatabaseLedger } from '../../mast/database.js';
import { connectDatabase, type HstlcDb } from '../../db/index.js';
import { serveArchive } from '../../mast/stub/main.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../not-available.js';
import { positiveInteger } from '../parsers.js';

interface DownloadOptions {
  dryRun?: boolean;
  limit?: number;
}

function humanBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}

function describe(report: RunReport, file: string | undefined): string[] {
  const lines: string[] = [];
  if (report.dry_run) {
    lines.push(`${report.search.datasets} TIME-TAG datasets in MAST; ${report.new_datasets} new; would download ${report.requested.datasets.length} (limit ${report.limit}):`);
    for (const p of report.plan) lines.push(`  ${p.dataset.toUpperCase()}  ${p.filename}  ${humanBytes(p.size)}`);
    lines.push(`${report.plan.length} files, ${humanBytes(report.requested.bytes)} (dry run: nothing downloaded)`);
    return lines;
  }
  for (const f of report.files) if (f.status === 'failed') lines.push(`failed: ${f.filename}: ${f.reason ?? ''}`);
  for (const r of report.references) if (r.status === 'failed') lines.push(`failed: reference ${r.dir}$${r.file}: ${r.reason ?? ''}`);
  if (file !== undefined) lines.push(`report: ${file}`);
  if (report.summary.bytes > 0) lines.push(`${humanBytes(report.summary.bytes)} at ${report.summary.mb_per_s} MB/s`);
  lines.push(summaryLine(report));
  return lines;
}

/** The stage with the CLI's ledger, logger, progress and output; the caller holds the run lock. */
async function download(ctx: CliContext, cfg: LoadedConfig, opts: DownloadOptions): Promise<void> {
  const log = await ctx.logger({ file: true });
  const token = ctx.io.env['MAST_API_TOKEN']?.trim() || cfg.mast_token || undefined;
  // The database is the source of truth: rootnames already ingested or rejected are not fetched
  // again, and the downloads table is the ledger.
  const handle = await connectDatabase(cfg.db);
  try {
    await downloadWith(ctx, cfg, opts, log, token, handle);
  } finally {
    await handle.close();
  }
}

async function downloadWith(
  ctx: CliContext,
  cfg: LoadedConfig,
  opts: DownloadOptions,
  log: Awaited<ReturnType<CliContext['logger']>>,
  token: string | undefined,
  handle: HstlcDb,
): Promise<void> {
  const ledger = new DatabaseLedger(handle);
  let progress: Progress | undefined;
  let done = 0;
  const report = await runDownload({
    mastUrl: cfg.mast_url,
    crdsUrl: cfg.crds_url,
    ingestDir: cfg.ingest_dir,
    refDir: cfg.ref_dir,
    http: {
      ...DEFAULT_HTTP,
      token,
      userAgent: `hstlc/${ctx.version}`,
      onRetry: (e) => log.debug(`retrying ${e.url.split('?')[0]} in ${e.delayMs} ms (attempt ${e.attempt}: ${e.reason})`),
    },
    ledger,
    known: databaseKnown(handle),
    concurrency: cfg.download_concurrency,
    limit: opts.limit ?? DEFAULT_LIMIT,
    dryRun: opts.dryRun === true,
    logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), debug: (m) => log.debug(m) },
    onPlan: (files) => {
      progress = createProgress({
        total: files,
        label: 'download',
        stream: ctx.io.stderr as TextSink & NodeJS.WritableStream,
        env: ctx.io.env,
        logger: { info: (m) => log.info(m) },
        quiet: ctx.globals().quiet,
      });
    },
    onFile: () => progress?.update(++done),
  });
  progress?.stop();
  const file = report.dry_run ? undefined : await writeReport(cfg.download_dir, report);
  log.info(summaryLine(report));
  ctx.out.result({ ...report, report_file: file ?? null }, () => describe(report, file));
  if (report.summary.failed > 0 || report.summary.references_failed > 0) ctx.setExitCode(ExitCode.ITEMS_FAILED);
}

/** `hstlc download` — alias `download_hstlc` (§14, now through MAST's public APIs, DESIGN §8). */
export function registerDownload(program: Command, ctx: CliContext): void {
  program
    .command('download')
    .summary('fetch new COS and STIS TIME-TAG data from MAST into ingest_dir')
    .description(
      'Search MAST for public COS and STIS TIME-TAG observations that are not yet in the database, ' +
        'the bad-data list or ingest_dir, and download their event files (and x1d) into ingest_dir. ' +
        'Files are verified before they appear; an interrupted run resumes. Missing reference files ' +
        'named in their headers are fetched from CRDS into ref_dir. A report is written to download_dir. ' +
        'For exclusive-access data set MAST_API_TOKEN.',
    )
    .option('--dry-run', 'list what would be downloaded, download nothing')
    .option('--limit <n>', `download at most n observations (default ${DEFAULT_LIMIT})`, positiveInteger)
    .addHelpText('after', examples('$ hstlc download --dry-run', '$ hstlc download --limit 50', '$ download_hstlc   (original name)'))
    .action(async (opts: DownloadOptions) => {
      const cfg = await ctx.config();
      // A dry run writes nothing, so it may look while a download runs.
      if (opts.dryRun === true) return download(ctx, cfg, opts);
      await mkdir(cfg.download_dir, { recursive: true });
      let lock: RunLock;
      try {
        lock = await acquireRunLock(cfg.download_dir);
      } catch (err) {
        if (!(err instanceof LockedError)) throw err;
        ctx.out.error(err.message);
        ctx.setExitCode(ExitCode.ITEMS_FAILED);
        return;
      }
      try {
        await download(ctx, cfg, opts);
      } finally {
        await lock.release();
      }
    });

  // The stub MAST/CRDS server, for trying the downloader without the archive.
  program
    .command('mast-stub')
    .summary('serve a folder of HST files as a local stand-in for MAST and CRDS (testing)')
    .description('Serve DIR (the synthetic generator layout ingest/ + ref/, or a flat folder of HST files) on 127.0.0.1 through MAST\'s search, product-list and download APIs and CRDS\'s, until interrupted.')
    .requiredOption('--archive <dir>', 'the folder of files to serve')
    .option('--port <p>', 'port to listen on (default: any free port)', positiveInteger)
    .action(async (opts: { archive: string; port?: number }) => {
      const stub = await serveArchive(opts.archive, opts.port ?? 0, (line) => ctx.out.print(line));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await stub.close();
    });
}
