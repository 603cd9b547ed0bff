/**
 * The run report, successor of the original's `result_<date>.xml` (§14.1 step 9):
 * JSON in download_dir, one file per run, written under a temporary name and renamed.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunReport } from './run.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `download_<YYYY-MM-DD_HH-MM-SS>.json` in UTC, so reports sort by time and never overwrite one another. */
export function reportName(when: Date): string {
  const d = when;
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}_${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
  return `download_${stamp}${d.getUTCMilliseconds() ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : ''}.json`;
}

export async function writeReport(downloadDir: string, report: RunReport): Promise<string> {
  await mkdir(downloadDir, { recursive: true });
  const file = path.join(downloadDir, reportName(new Date(report.started)));
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(report, null, 1)}\n`);
  await rename(tmp, file);
  return file;
}
