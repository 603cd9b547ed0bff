/**
 * The piscina worker entry (pool.ts): each unit of units.ts as a named export, which `pool.run(input,
 * { name })` calls. Loaded as worker.ts under tsx (tests) and as dist/pipeline/worker.js when built.
 */
import { UNITS, type CompositeInput, type CompositeUnitResult, type PrepareInput, type PrepareResult } from './units.js';
import { statsUnit, type StatsUnitInput, type StatsUnitResult } from './stats-unit.js';
import { periodogramUnit, type PeriodogramUnitInput, type PeriodogramUnitResult } from './plots-periodogram.js';
import { renderImage as renderPlotImage, type ImageJob } from '../plots/units.js';

export async function prepare(input: PrepareInput): Promise<PrepareResult> {
  return UNITS.prepare(input);
}

export async function composite(input: CompositeInput): Promise<CompositeUnitResult> {
  return UNITS.composite(input);
}

/** The stats stage's unit (stats-unit.ts; stats-runner.ts looks for it under this name). */
export async function stats(input: StatsUnitInput): Promise<StatsUnitResult> {
  return statsUnit(input);
}

/** The plots stage's units (plots.ts): one PNG of a lightcurve file (src/plots/units.ts)… */
export async function renderImage(job: ImageJob): Promise<Uint8Array> {
  return renderPlotImage(job);
}

/** …and one lightcurve's periodogram, reduced for drawing (plots-periodogram.ts). */
export async function plotsPeriodogram(input: PeriodogramUnitInput): Promise<PeriodogramUnitResult> {
  return periodogramUnit(input);
}

/** A cheap round trip for the pool's own test: which thread ran it. */
export async function ping(input: { delayMs: number }): Promise<{ threadId: number; pid: number }> {
  const { threadId } = await import('node:worker_threads');
  await new Promise((r) => setTimeout(r, input.delayMs));
  return { threadId, pid: process.pid };
}

/** For the pool's memory-limit test: hold about `mb` MiB of JavaScript heap (arrays of doubles). */
export async function holdHeap(input: { mb: number }): Promise<number> {
  const held: number[][] = [];
  for (let i = 0; i < input.mb; i++) held.push(new Array<number>(131072).fill(i + 0.5));
  return held.length;
}
