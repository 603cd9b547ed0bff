/**
 * One unit of the stats stage (§11.2): read one lightcurve file and compute its stats row. Plain data in
 * and out (structured-clone safe), so the same function runs in this thread or in a pool worker; it never
 * touches the database — the stage commits the rows (stats.ts).
 */
import type { UnitResult } from './unit-result.js';
import { analyzeLightcurve, productKindOf, readLightcurveColumns, type GridKind, type PeriodogramMethod, type StatsRow } from '../analysis/index.js';

import type { LightcurveKind } from './product-type.js';

export type { LightcurveKind, ProductType } from './product-type.js';

export interface StatsUnitInput {
  /** The lightcurve file: outputs.individual_path/individual_filename or composite_path/composite_filename. */
  path: string;
  kind: LightcurveKind;
  /** Periodogram trial grid: config `algorithm` (`compat` = the original's, §11.3). */
  grid: GridKind;
  method: PeriodogramMethod;
}

export type StatsUnitResult = UnitResult<{ row: StatsRow; /** Rows (time bins) of the lightcurve. */ bins: number }> & { path: string; kind: LightcurveKind; ms: number };

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
    const { row } = analyzeLightcurve(input.path, columns, { grid: input.grid, method: input.method });
    // The analysis tells composites by their HLSP name; the database knows which column the file came from.
    if (productKindOf(input.path) !== input.kind) row.deliver = deliverableRow(input.kind, row);
    return { ...base, status: 'done', row, bins: columns.counts.length, ms: performance.now() - started };
  } catch (err) {
    return { ...base, status: 'failed', reason: reasonOf(err), ms: performance.now() - started };
  }
}
