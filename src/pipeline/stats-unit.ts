/**
 * One unit of the stats stage (§11.2): read one lightcurve file and compute its stats row. Plain data in
 * and out (structured-clone safe), so the same function runs in this thread or in a pool worker; it never
 * touches the database — the stage commits the rows (stats.ts).
 */
import type { UnitResult } from './unit-result.js';
import {
  analyzeLightcurve,
  lightcurveDataHash,
  productKindOf,
  readLightcurveColumns,
  statsContentKey,
  type GridKind,
  type PeriodogramMethod,
  type StatsRow,
} from '../analysis/index.js';
import { DEFAULT_MAX_POINTS, PeriodogramCache, periodogramKey, reduceSpace } from './plots-periodogram.js';
import { PERIOD_SPACES, type PeriodogramData } from '../plots/types.js';

import type { LightcurveKind } from './product-type.js';

export type { LightcurveKind, ProductType } from './product-type.js';

export interface StatsUnitInput {
  /** The lightcurve file: outputs.individual_path/individual_filename or composite_path/composite_filename. */
  path: string;
  kind: LightcurveKind;
  /** Periodogram trial grid: config `algorithm` (`compat` = the original's, §11.3). */
  grid: GridKind;
  method: PeriodogramMethod;
  /** The content key stored with the file's row: when the file's key is this one, nothing is computed. */
  storedKey?: string | null;
  /** plot_dir: the reduced periodograms are left in its cache for the plots stage (plots-periodogram.ts). */
  plotDir?: string;
}

/** Done: the row computed, or `unchanged` (the stored row stands: its key is the file's). */
export type StatsUnitDone = { /** Rows (time bins) of the lightcurve. */ bins: number; /** statsContentKey of what was read. */ contentKey: string } & (
  | { unchanged?: false; row: StatsRow }
  | { unchanged: true }
);

export type StatsUnitResult = UnitResult<StatsUnitDone> & { path: string; kind: LightcurveKind; ms: number };

/** src/analysis `deliverable`, restated on a finished row: a composite whose statistics are all present. */
function deliverableRow(kind: LightcurveKind, row: StatsRow): boolean {
  const stats = [row.mean, row.mu, row.stdev, row.poisson_factor, row.pearson_r, row.pearson_p];
  return kind === 'composite' && row.total !== null && row.total > 0 && stats.every((x) => x !== null);
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Analyze one file; a file that cannot be read or analyzed is a failed result, never a throw (§15.23). */
export async function statsUnit(input: StatsUnitInput): Promise<StatsUnitResult> {
  const started = performance.now();
  const base = { path: input.path, kind: input.kind };
  try {
    const columns = await readLightcurveColumns(input.path);
    const dataHash = lightcurveDataHash(columns);
    const contentKey = statsContentKey(dataHash, input);
    const bins = columns.counts.length;
    if (input.storedKey === contentKey) return { ...base, status: 'done', unchanged: true, bins, contentKey, ms: performance.now() - started };
    const { row, periodograms } = analyzeLightcurve(input.path, columns, { grid: input.grid, method: input.method });
    // The analysis tells composites by their HLSP name; the database knows which column the file came from.
    if (productKindOf(input.path) !== input.kind) row.deliver = deliverableRow(input.kind, row);
    if (periodograms !== undefined && input.plotDir !== undefined) {
      // What the plots draw, so they never compute this periodogram again (a failure here only costs them that).
      try {
        const pg = {} as PeriodogramData;
        for (const name of PERIOD_SPACES) pg[name] = reduceSpace(periodograms.spaces[name], DEFAULT_MAX_POINTS);
        const cache = new PeriodogramCache(input.plotDir);
        cache.ensure();
        cache.set(periodogramKey(dataHash, { grid: input.grid, method: input.method, maxPoints: DEFAULT_MAX_POINTS }), pg);
      } catch {
        // plot_dir not writable: the plots stage will compute it.
      }
    }
    return { ...base, status: 'done', row, bins, contentKey, ms: performance.now() - started };
  } catch (err) {
    return { ...base, status: 'failed', reason: reasonOf(err), ms: performance.now() - started };
  }
}
