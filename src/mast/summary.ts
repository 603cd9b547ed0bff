/**
 * The download stage's default limit and its one-line summary: no imports, so the CLI can state them in
 * `hstlc download --help` and its summary without loading the downloader.
 */

/** §14.1: the original's `maxdownload`. */
export const DEFAULT_LIMIT = 50;

export interface DownloadCounts {
  downloaded: number;
  skipped: number;
  failed: number;
  references_fetched: number;
  references_failed: number;
}

export function summaryLine(report: { summary: DownloadCounts }): string {
  const s = report.summary;
  const refs = s.references_fetched + s.references_failed > 0 ? `; ${s.references_fetched} reference files fetched, ${s.references_failed} failed` : '';
  return `${s.downloaded} files downloaded, ${s.skipped} skipped, ${s.failed} failed${refs}`;
}
