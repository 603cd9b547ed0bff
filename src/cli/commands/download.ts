import type { Command } from 'commander';
import { DEFAULT_LIMIT, humanBytes, summaryLine } from '../../mast/summary.js';
import type { RunReport } from '../../mast/run.js';
import type { CliContext } from '../context.js';
import { examples } from '../examples.js';
import { positiveInteger } from '../parsers.js';
import { isoDay, targetPattern } from '../mast-parsers.js';
import { runStageCommand } from '../stage.js';

interface DownloadOptions {
  dryRun?: boolean;
  limit?: number;
  since?: string;
  target?: string;
  proposal?: number;
}

function describe(report: RunReport, file: string | undefined): string[] {
  const lines: string[] = [];
  if (report.dry_run) {
    lines.push(`${report.search.datasets} TIME-TAG datasets in MAST; ${report.new_datasets} new; would download ${report.requested.datasets.length} (limit ${report.limit}):`);
    for (const p of report.plan) lines.push(`  ${p.dataset.toUpperCase()}  ${p.filename}  ${humanBytes(p.size)}`);
    lines.push(summaryLine(report));
    return lines;
  }
  for (const f of report.files) if (f.status === 'failed') lines.push(`failed: ${f.filename}: ${f.reason ?? ''}`);
  for (const r of report.references) if (r.status === 'failed') lines.push(`failed: reference ${r.dir}$${r.file}: ${r.reason ?? ''}`);
  if (file !== undefined) lines.push(`report: ${file}`);
  if (report.summary.bytes > 0) lines.push(`${humanBytes(report.summary.bytes)} at ${report.summary.mb_per_s} MB/s`);
  lines.push(summaryLine(report));
  return lines;
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
    .option('--since <date>', 'only observations that started on or after this day (YYYY-MM-DD, UTC)', isoDay)
    .option('--target <name>', 'only this target (TARGNAME as MAST has it; * is a wildcard)', targetPattern)
    .option('--proposal <id>', 'only this proposal (program) id', positiveInteger)
    .addHelpText('after', examples('$ hstlc download --dry-run', '$ hstlc download --limit 50', '$ hstlc download --since 2024-01-01 --target GD71', '$ hstlc download --proposal 11897', '$ download_hstlc   (original name)'))
    .action(async (opts: DownloadOptions) => {
      const cfg = await ctx.config();
      const token = ctx.io.env['MAST_API_TOKEN']?.trim() || cfg.mast_token || undefined;
      const filters = {
        ...(opts.since !== undefined ? { since: opts.since } : {}),
        ...(opts.target !== undefined ? { target: opts.target } : {}),
        ...(opts.proposal !== undefined ? { proposal: opts.proposal } : {}),
      };
      await runStageCommand(ctx, {
        stage: async () => (await import('../../pipeline/download.js')).downloadStage,
        input: { dryRun: opts.dryRun === true, limit: opts.limit ?? DEFAULT_LIMIT, filters, ...(token !== undefined ? { token } : {}), userAgent: `hstlc/${ctx.version}` },
        lines: (s) => describe(s, s.report_file ?? undefined),
      });
    });

  // The stub MAST/CRDS server, for trying the downloader without the archive.
  program
    .command('mast-stub')
    .summary('serve a folder of HST files as a local stand-in for MAST and CRDS (testing)')
    .description('Serve DIR (the synthetic generator layout ingest/ + ref/, or a flat folder of HST files) on 127.0.0.1 through MAST\'s search, product-list and download APIs and CRDS\'s, until interrupted.')
    .requiredOption('--archive <dir>', 'the folder of files to serve')
    .option('--port <p>', 'port to listen on (default: any free port)', positiveInteger)
    .action(async (opts: { archive: string; port?: number }) => {
      const { serveArchive } = await import('../../mast/stub/main.js');
      const stub = await serveArchive(opts.archive, opts.port ?? 0, (line) => ctx.out.print(line));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await stub.close();
    });
}
