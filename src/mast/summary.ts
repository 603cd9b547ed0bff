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

/** Bytes as a person reads them: 12.3 kB, 4.5 MB, 1.23 GB. */
export function humanBytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}

/** What a run did, or for a dry run what it would do ("would download 6 files (1.2 MB)"). */
export function summaryLine(report: { summary: DownloadCounts; dry_run?: boolean; plan?: readonly unknown[]; requested?: { bytes: number } }): string {
  if (report.dry_run === true) return `would download ${report.plan?.length ?? 0} files (${humanBytes(report.requested?.bytes ?? 0)}); dry run: nothing downloaded`;
  const s = report.summary;
  const refs = s.references_fetched + s.references_failed > 0 ? `; ${s.references_fetched} reference files fetched, ${s.references_failed} failed` : '';
  return `${s.downloaded} files downloaded, ${s.skipped} skipped, ${s.failed} failed${refs}`;
}
