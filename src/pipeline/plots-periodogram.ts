/**
 * Periodograms for the plots stage (§12.7): computed with src/analysis on the config's grid
 * (`algorithm`: corrected or compat, as the stats stage does), then reduced for drawing, and cached in
 * plot_dir by the content of the lightcurve file so a re-run computes nothing.
 *
 * Reduction: the corrected grid has up to 2^20 trial periods per space for a long composite, far more
 * than the 900-pixel panels (or the dashboard's JSON) can use. Each space keeps about `maxPoints`
 * points: the minimum and maximum power of each slice of the (log) period axis (the drawn envelope is the
 * same) plus the marked peaks; of many significant peaks, the highest per slice is marked (markedPeaks).
 * The mean and mean + 3σ are those of the full grid, never of the reduced one; the peaks are the full
 * grid's too (a subset when there are more than the panel can show). The stats stage leaves each
 * periodogram it computes here too (stats-unit.ts), so after `hstlc stats` the plots compute none.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { analyzePeriodograms, readLightcurveColumns, type GridKind, type PeriodogramMethod, type SpacePeriodogram } from '../analysis/index.js';
import { writeAtomic } from '../plots/files.js';
import type { UnitResult } from './unit-result.js';
import { PERIOD_SPACES, type PeriodSpace, type PeriodogramData } from '../plots/types.js';

/** Points per period space kept for drawing (min and max of 1000 buckets; panels are < 1000 px wide). */
export const DEFAULT_MAX_POINTS = 2000;

/** Bump when the computation or the reduction changes: every cached periodogram is recomputed. */
export const PERIODOGRAM_CACHE_VERSION = 'hstlc-plots-periodogram-4';
export const PERIODOGRAM_CACHE_DIR = path.join('.hstlc-cache', 'periodograms');

export interface PeriodogramUnitInput {
  /** The lightcurve file. */
  path: string;
  grid: GridKind;
  method: PeriodogramMethod;
  maxPoints?: number;
}

export type PeriodogramUnitResult = UnitResult<{ periodogram: PeriodogramData }> & { ms: number };

/**
 * Bucket of each point: `buckets` equal slices of log(period), as the charts' period axes are
 * logarithmic (equal slices of period would give the decade at the short end a handful of slices).
 */
function bucketOf(periods: ArrayLike<number>, buckets: number): (i: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < periods.length; i++) {
    const p = periods[i]!;
    if (!(p > 0)) continue;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  const logLo = Math.log(lo);
  const width = hi > lo ? (Math.log(hi) - logLo) / buckets : 1;
  return (i) => {
    const p = periods[i]!;
    if (!(p > 0)) return 0;
    return Math.min(buckets - 1, Math.max(0, Math.floor((Math.log(p) - logLo) / width)));
  };
}

function increasingPositive(periods: ArrayLike<number>): boolean {
  for (let i = 0; i < periods.length; i++) if (!(periods[i]! > 0) || (i > 0 && !(periods[i]! >= periods[i - 1]!))) return false;
  return true;
}

/**
 * Indices of the points kept, in index order: per slice of the period axis its lowest and highest power
 * (so every pixel column keeps its extent; the corrected grid is uniform in frequency, so an index slice
 * would starve the long periods), both ends, and `always`.
 */
export function reducedIndices(periods: ArrayLike<number>, powers: ArrayLike<number>, maxPoints: number, always: readonly number[] = []): number[] {
  const n = powers.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor((maxPoints - 2 - always.length) / 2));
  const bucket = bucketOf(periods, buckets);
  const lo = new Int32Array(buckets).fill(-1);
  const hi = new Int32Array(buckets).fill(-1);
  const any = new Int32Array(buckets).fill(-1);
  const visit = (i: number, b: number): void => {
    if (any[b] < 0) any[b] = i;
    const p = powers[i]!;
    if (!Number.isFinite(p)) return;
    if (lo[b] < 0 || p < powers[lo[b]]!) lo[b] = i;
    if (hi[b] < 0 || p > powers[hi[b]]!) hi[b] = i;
  };
  if (increasingPositive(periods)) {
    // The grids list periods in increasing order, so bucket(i) never decreases: each slice is an index
    // range found by bisection (a few thousand logarithms instead of one per point, same slices).
    let start = 0;
    for (let b = 0; b < buckets && start < n; b++) {
      let lo2 = start;
      let hi2 = n;
      while (lo2 < hi2) {
        const mid = (lo2 + hi2) >>> 1;
        if (bucket(mid) > b) hi2 = mid;
        else lo2 = mid + 1;
      }
      for (let i = start; i < lo2; i++) visit(i, b);
      start = lo2;
    }
  } else {
    for (let i = 0; i < n; i++) visit(i, bucket(i));
  }
  const keep = new Set<number>(always.filter((i) => i >= 0 && i < n));
  keep.add(0);
  keep.add(n - 1);
  for (let b = 0; b < buckets; b++) {
    if (lo[b] >= 0) {
      keep.add(lo[b]);
      keep.add(hi[b]);
    } else if (any[b] >= 0) keep.add(any[b]);
  }
  return [...keep].sort((a, b) => a - b);
}

/** Marked periods per space at most: one per slice of the period axis, the highest (≥ 4 px apart at 1000 px). */
export const MAX_MARKED_PEAKS = 200;

/**
 * Significant peaks as drawn: the highest one per slice of the period axis. The oversampled grid finds
 * hundreds of local maxima above mean + 3σ in a long lightcurve; their dashed lines would merge into a
 * black band. The highest significant power (the §11.2 flag) is always kept.
 */
export function markedPeaks(space: Pick<SpacePeriodogram, 'periods' | 'power' | 'significantIndices'>, maxMarked = MAX_MARKED_PEAKS): number[] {
  if (space.significantIndices.length <= maxMarked) return [...space.significantIndices];
  const bucket = bucketOf(space.periods, maxMarked);
  const best = new Map<number, number>();
  for (const i of space.significantIndices) {
    const b = bucket(i);
    const j = best.get(b);
    if (j === undefined || space.power[i]! > space.power[j]!) best.set(b, i);
  }
  return [...best.values()].sort((a, b) => a - b);
}

/** One analysed space as the charts draw it, reduced to about maxPoints points. */
export function reduceSpace(space: SpacePeriodogram, maxPoints: number): PeriodSpace {
  const marked = markedPeaks(space);
  const idx = reducedIndices(space.periods, space.power, maxPoints, marked);
  return {
    periods: Float64Array.from(idx, (i) => space.periods[i]!),
    powers: Float64Array.from(idx, (i) => space.power[i]!),
    mean: space.mean,
    threeSigma: space.threeSigma,
    significantPeriods: marked.map((i) => space.periods[i]!),
    significantPowers: marked.map((i) => space.power[i]!),
  };
}

/** The unit (worker.ts exports it as `plotsPeriodogram`): read, analyse, reduce. Never throws. */
export async function periodogramUnit(input: PeriodogramUnitInput): Promise<PeriodogramUnitResult> {
  const t0 = performance.now();
  try {
    const columns = await readLightcurveColumns(input.path);
    const analysis = analyzePeriodograms(columns.mjd, columns.net, { grid: input.grid, method: input.method });
    const periodogram = {} as PeriodogramData;
    for (const name of PERIOD_SPACES) periodogram[name] = reduceSpace(analysis.spaces[name], input.maxPoints ?? DEFAULT_MAX_POINTS);
    return { status: 'done', periodogram, ms: performance.now() - t0 };
  } catch (err) {
    return { status: 'failed', reason: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim(), ms: performance.now() - t0 };
  }
}

// ---- cache ---------------------------------------------------------------------------------------

/**
 * The cache key of a periodogram: the hash of the lightcurve's data (analysis lightcurveDataHash, not
 * the file's bytes: a re-ingest rewrites headers only) and everything that shapes the result.
 */
export function periodogramKey(fileHash: string, input: Omit<PeriodogramUnitInput, 'path'>): string {
  return createHash('sha256')
    .update([PERIODOGRAM_CACHE_VERSION, fileHash, input.grid, input.method, String(input.maxPoints ?? DEFAULT_MAX_POINTS)].join('\u0000'))
    .digest('hex');
}

interface StoredSpace {
  periods: Array<number | null>;
  powers: Array<number | null>;
  mean: number | null;
  threeSigma: number | null;
  significantPeriods: number[];
  significantPowers: number[];
}

const toJsonNumber = (x: number): number | null => (Number.isFinite(x) ? x : null);
const fromJsonNumber = (x: number | null): number => (x === null ? NaN : x);

export class PeriodogramCache {
  readonly dir: string;
  private readonly used = new Set<string>();

  constructor(plotDir: string) {
    this.dir = path.join(plotDir, PERIODOGRAM_CACHE_DIR);
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** The cached periodogram, or undefined (missing or unreadable: recompute). */
  get(key: string): PeriodogramData | undefined {
    this.used.add(key);
    try {
      const stored = JSON.parse(readFileSync(this.file(key), 'utf8')) as Record<string, StoredSpace>;
      const out = {} as PeriodogramData;
      for (const name of PERIOD_SPACES) {
        const s = stored[name];
        if (!s || !Array.isArray(s.periods) || !Array.isArray(s.powers)) return undefined;
        out[name] = {
          periods: Float64Array.from(s.periods, fromJsonNumber),
          powers: Float64Array.from(s.powers, fromJsonNumber),
          mean: fromJsonNumber(s.mean),
          threeSigma: fromJsonNumber(s.threeSigma),
          significantPeriods: s.significantPeriods,
          significantPowers: s.significantPowers,
        };
      }
      return out;
    } catch {
      return undefined;
    }
  }

  set(key: string, pg: PeriodogramData): void {
    this.used.add(key);
    const stored: Record<string, StoredSpace> = {};
    for (const name of PERIOD_SPACES) {
      const s = pg[name];
      stored[name] = {
        periods: Array.from(s.periods, toJsonNumber),
        powers: Array.from(s.powers, toJsonNumber),
        mean: toJsonNumber(s.mean),
        threeSigma: toJsonNumber(s.threeSigma),
        significantPeriods: s.significantPeriods,
        significantPowers: s.significantPowers,
      };
    }
    writeAtomic(this.file(key), JSON.stringify(stored));
  }

  /** Remove entries this run did not ask for (lightcurves gone or changed); returns how many. */
  prune(): number {
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    for (const name of names) {
      if (this.used.has(name.replace(/\.json$/, ''))) continue;
      rmSync(path.join(this.dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  ensure(): void {
    mkdirSync(this.dir, { recursive: true });
  }
}
