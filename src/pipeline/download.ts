/**
 * The download stage (DESIGN §8, successor of §14.1) on the stage contract: mast/run.ts runDownload with
 * the database as source of truth (rootnames already ingested or rejected are not fetched again) and
 * as the ledger (the downloads table), then the run report written to download_dir. A download holds
 * the download_dir lock (two runs would write the same `.part` files); a dry run writes nothing, so it
 * takes none and may look while a download runs.
 */
import { DEFAULT_HTTP, DEFAULT_LIMIT, describeRetry, runDownload, summaryLine, writeReport, type RunReport, type SearchFilters } from '../mast/index.js';
import { databaseKnown, DatabaseLedger } from '../mast/database.js';
import { itemResult, type Stage } from './stage.js';

export interface DownloadRequest {
  dryRun?: boolean;
  /** Datasets to download at most (default 50, §14.1 maxdownload). */
  limit?: number;
  /** --since / --target / --proposal: search conditions. */
  filters?: SearchFilters;
  /** MAST_API_TOKEN, for exclusive-access data. */
  token?: string;
  /** `hstlc/<version>`. */
  userAgent: string;
}

/** The run report and where it was written (null for a dry run): what --json prints. */
export type DownloadSummary = RunReport & { report_file: string | null };

export const downloadStage: Stage<DownloadRequest, DownloadSummary> = {
  name: 'download',
  lock: (input) => (input.dryRun === true ? 'none' : 'download'),
  async run(ctx, input) {
    const cfg = ctx.settings;
    const log = ctx.logger;
    let done = 0;
    let total = 0;
    const report = await runDownload({
      mastUrl: cfg.mast_url,
      crdsUrl: cfg.crds_url,
      ingestDir: cfg.ingest_dir,
      refDir: cfg.ref_dir,
      http: {
        ...DEFAULT_HTTP,
        token: input.token,
        userAgent: input.userAgent,
        // A wait of seconds is said at once, not only in the debug log: the run is not stuck.
        onRetry: (e) => log.info(describeRetry(e, DEFAULT_HTTP.maxAttempts)),
      },
      ledger: new DatabaseLedger(ctx.db),
      known: databaseKnown(ctx.db),
      concurrency: cfg.download_concurrency,
      limit: input.limit ?? DEFAULT_LIMIT,
      source: cfg.download_source,
      cloudUrl: cfg.cloud_url,
      ...(input.filters !== undefined ? { filters: input.filters } : {}),
      dryRun: input.dryRun === true,
      logger: { info: (m) => log.info(m), warn: (m) => log.warn(m), debug: (m) => log.debug?.(m) },
      onPlan: (files) => {
        total = files;
        ctx.progress.update({ phase: 'download', done: 0, total });
      },
      onFile: (f) => ctx.progress.update({ phase: 'download', done: ++done, total, current: f.filename }),
    });
    ctx.progress.stop();
    const file = report.dry_run ? undefined : await writeReport(cfg.download_dir, report);
    log.info(summaryLine(report));
    return { ...report, report_file: file ?? null };
  },
  results: (s) => [
    ...s.files.map((f) => itemResult(f.filename, f.status, f.reason)),
    ...s.references.map((r) => itemResult(`${r.dir}$${r.file}`, r.status, r.reason)),
  ],
  ok: (s) => s.summary.failed === 0 && s.summary.references_failed === 0,
};
