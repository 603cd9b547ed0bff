/**
 * What each job carries (DESIGN §9): only what is needed to redo it — the run it belongs to, paths, the
 * digest of the configuration that shapes its result, the algorithm — so any worker on any host can run
 * it again and get the same result. Keys deduplicate: a file, a composite group, a lightcurve is queued
 * at most once however many submissions or members ask for it.
 */
import type { PeriodogramMethod } from '../../analysis/index.js';
import type { Algorithm } from '../../config/types.js';
import type { CompositeGroup } from '../../db/index.js';
import { hlspName } from '../../lightcurve/composite.js';
import type { PlotCandidate } from '../plots.js';
import type { LightcurveKind, ProductType } from '../stats-unit.js';
import type { JobKind } from './graphile.js';

export interface JobCommon {
  run: number;
  digest: string;
  algorithm: Algorithm;
}

export interface IngestJob extends JobCommon {
  file: string;
  superseded?: string;
  corrtagExtract: boolean;
}

export interface CompositeJob extends JobCommon {
  group: CompositeGroup;
}

/** The stages after ingest, planned by a `plan` job once what they depend on is done. */
export type PlannedStage = 'stats' | 'plots';

export interface PlanJob extends JobCommon {
  stage: PlannedStage;
  /** Stats: which lightcurves (§11.1). */
  type: ProductType;
  method: PeriodogramMethod;
  /** Stages to plan after this one. */
  then: PlannedStage[];
  /** Stats: recompute rows whose lightcurve content is unchanged too (`stats --force`). */
  force?: boolean;
}

export interface StatsJob extends JobCommon {
  path: string;
  kind: LightcurveKind;
  method: PeriodogramMethod;
  /** Recompute even if the stored row's content key is the file's. */
  force?: boolean;
}

export interface PlotJob extends JobCommon {
  /** The lightcurve with its metadata, as the plots plan found it. */
  candidate: PlotCandidate;
  method: PeriodogramMethod;
}

export interface SiteJob extends JobCommon {
  method: PeriodogramMethod;
}

export interface FinishJob extends JobCommon {
  command: string;
}

/**
 * What a job waits for (graphile-worker has no job dependencies: a job whose prerequisites still have
 * live jobs puts itself back with a later run_at under its own key, tasks.ts): composites after the
 * files, the stats plan after the composites, the plots plan after the statistics, the site after every
 * plot, the end of the run after everything.
 */
export const WAITS_FOR: Record<JobKind, readonly JobKind[]> = {
  ingest: [],
  composite: ['ingest'],
  plan: ['ingest', 'composite'],
  stats: [],
  plot: [],
  site: ['ingest', 'composite', 'plan', 'stats', 'plot'],
  finish: ['ingest', 'composite', 'plan', 'stats', 'plot', 'site'],
};

/** The plots plan also waits for the statistics it reads. */
export function waitsFor(kind: JobKind, payload: unknown): readonly JobKind[] {
  if (kind === 'plan' && (payload as PlanJob).stage === 'plots') return ['ingest', 'composite', 'stats'];
  return WAITS_FOR[kind];
}

/** Job keys (at most 512 characters in graphile-worker; long paths are hashed by the caller's key). */
export const jobKey = {
  ingest: (file: string) => `ingest:${file}`,
  composite: (group: CompositeGroup) => `composite:${hlspName(group)}`,
  plan: (run: number, stage: PlannedStage) => `plan:${stage}:${run}`,
  stats: (path: string) => `stats:${path}`,
  plot: (path: string) => `plot:${path}`,
  site: () => 'site',
  finish: (run: number) => `finish:${run}`,
};

/** The result key of a job (the item it is about), as recorded in hstlc_results. */
export function itemKey(kind: JobKind, payload: unknown): string {
  const p = payload as Partial<IngestJob & CompositeJob & PlanJob & StatsJob & PlotJob>;
  switch (kind) {
    case 'ingest':
      return p.file ?? '';
    case 'composite':
      return p.group !== undefined ? hlspName(p.group) : '';
    case 'plan':
      return p.stage ?? '';
    case 'stats':
      return p.path ?? '';
    case 'plot':
      return p.candidate?.path ?? '';
    default:
      return kind;
  }
}

/** A payload read back from the queue: checked before use (the queue is shared with other processes). */
export function isJobCommon(payload: unknown): payload is JobCommon {
  const p = payload as Partial<JobCommon> | null;
  return typeof p === 'object' && p !== null && Number.isSafeInteger(p.run) && typeof p.digest === 'string' && (p.algorithm === 'corrected' || p.algorithm === 'compat');
}
