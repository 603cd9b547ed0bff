/**
 * Where the stats units run: in this thread (num_cores 1, tests) or in the stage worker pool (pool.ts,
 * piscina threads; worker.ts exports statsUnit as `stats`). The stage sees only `StatsAnalyzer`, so the
 * choice is made here, and tests can substitute their own.
 */
import { createPool, type Pool } from './pool.js';
import { statsUnit, type StatsUnitInput, type StatsUnitResult } from './stats-unit.js';

export interface StatsAnalyzer {
  /** Units that can usefully run at once. */
  readonly size: number;
  readonly inProcess: boolean;
  analyze(input: StatsUnitInput): Promise<StatsUnitResult>;
  close(): Promise<void>;
}

/** Units one after the other in this thread. */
export function inProcessAnalyzer(): StatsAnalyzer {
  return { size: 1, inProcess: true, analyze: statsUnit, close: async () => undefined };
}

/** Units on `pool`'s threads (the `stats` unit of worker.ts); `close` stops the pool only if `owned`. */
export function poolAnalyzer(pool: Pool, owned = true): StatsAnalyzer {
  return {
    size: pool.size,
    inProcess: pool.inProcess,
    analyze: (input) => pool.run('stats', input),
    close: () => (owned ? pool.close() : Promise.resolve()),
  };
}

/** The analyzer for config `num_cores`: in-process for one core, the worker pool beyond. */
export function createStatsAnalyzer(numCores: number): StatsAnalyzer {
  return Math.floor(numCores) > 1 ? poolAnalyzer(createPool({ numCores })) : inProcessAnalyzer();
}
