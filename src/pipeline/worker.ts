/**
 * The piscina worker entry (pool.ts): each unit of units.ts (UNITS) as a named export, which
 * `pool.run(input, { name })` calls. Loaded as worker.ts under tsx (tests) and as
 * dist/pipeline/worker.js when built.
 */
import type { UNITS } from './units.js';
import type { StatsUnitInput, StatsUnitResult } from './stats-unit.js';
import type { PeriodogramUnitInput, PeriodogramUnitResult } from './plots-periodogram.js';

// Each unit imports its own modules on first use: a stats thread never loads the extraction, the
// charts or the PNG renderer (module compilation was most of a stats re-run's CPU time per thread).
type Units = typeof UNITS;
const units = async (): Promise<Units> => (await import('./units.js')).UNITS;

export async function prepare(input: Parameters<Units['prepare']>[0]): ReturnType<Units['prepare']> {
  return (await units()).prepare(input);
}
export async function composite(input: Parameters<Units['composite']>[0]): ReturnType<Units['composite']> {
  return (await units()).composite(input);
}
export async function renderImage(input: Parameters<Units['renderImage']>[0]): ReturnType<Units['renderImage']> {
  return (await units()).renderImage(input);
}
export async function stats(input: StatsUnitInput): Promise<StatsUnitResult> {
  return (await import('./stats-unit.js')).statsUnit(input);
}
export async function plotsPeriodogram(input: PeriodogramUnitInput): Promise<PeriodogramUnitResult> {
  return (await import('./plots-periodogram.js')).periodogramUnit(input);
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

/** For the pool's own test: a unit that throws (no unit of UNITS throws for its input; a bug or the machine can). */
export async function throws(input: { message: string }): Promise<never> {
  throw new Error(input.message);
}
