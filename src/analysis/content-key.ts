/**
 * What a stats row and a periodogram depend on, as a hash: the data arrays the analysis reads (`counts`,
 * `mjd`, `net`: their types and bytes) — never the headers, which a re-ingest rewrites (dates,
 * checksums, history) without changing a number the statistics use — and the analysis settings. A
 * re-run of `hstlc stats` skips a lightcurve whose key is the one stored with its row, and the plots
 * find the periodogram the stats stage left for them under the same data hash.
 */
import { createHash } from 'node:crypto';
import type { GridKind, PeriodogramMethod } from './periodogram/index.js';
import type { Samples } from './samples.js';

/** Bump when a statistic or a periodogram would come out differently for the same data. */
export const ANALYSIS_VERSION = 'hstlc-analysis-1';

/** sha256 (hex) of the analysed columns: name, element type, length and bytes of each. */
export function lightcurveDataHash(columns: { counts: Samples; mjd: Samples; net: Samples }): string {
  const h = createHash('sha256');
  for (const name of ['counts', 'mjd', 'net'] as const) {
    const a = columns[name];
    h.update(`${name}\u0000${a instanceof Float32Array ? 'f4' : 'f8'}\u0000${a.length}\u0000`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/** The key stored with a stats row: the data hash and everything else that shapes the row. */
export function statsContentKey(dataHash: string, options: { grid: GridKind; method: PeriodogramMethod }): string {
  return createHash('sha256').update([ANALYSIS_VERSION, dataHash, options.grid, options.method].join('\u0000')).digest('hex');
}
