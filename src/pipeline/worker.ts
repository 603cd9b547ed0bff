/**
 * The piscina worker entry (pool.ts): each unit of units.ts (UNITS) as a named export, which
 * `pool.run(input, { name })` calls. Loaded as worker.ts under tsx (tests) and as
 * dist/pipeline/worker.js when built.
 */
import { UNITS } from './units.js';

export const { prepare, composite, stats, plotsPeriodogram, renderImage } = UNITS;

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
