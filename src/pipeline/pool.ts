/**
 * The worker pool of a stage (DESIGN §9): units of work (units.ts, exported by worker.ts) run in a
 * piscina pool of `num_cores` threads, or, with num_cores = 1, in this very thread (no worker: easy
 * to debug, and what most tests use). Results come back per item — a unit that throws is that item's
 * failure, never the run's — in input order, so the caller can commit them deterministically while
 * later items are still being computed.
 *
 * The worker file is found next to this module (workerEntry): the compiled `worker.js` in dist/ (the
 * CLI), or, running from the TypeScript sources under tsx (tests), `worker-tsx.mjs`.
 */
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

type WorkerModule = typeof import('./worker.js');
export type PoolUnitName = Exclude<keyof WorkerModule, 'default'>;
export type UnitInput<K extends PoolUnitName> = Parameters<WorkerModule[K]>[0];
export type UnitOutput<K extends PoolUnitName> = Awaited<ReturnType<WorkerModule[K]>>;

export interface Pool {
  /** Threads (1 = in-process). */
  readonly size: number;
  readonly inProcess: boolean;
  run<K extends PoolUnitName>(name: K, input: UnitInput<K>): Promise<UnitOutput<K>>;
  /** Stop: waits for running units; `force` drops queued ones. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface PoolOptions {
  /** config num_cores; 1 (or less) runs in-process. */
  numCores: number;
  /** JavaScript heap limit of each worker thread, MiB (default workerMemoryLimitMb). */
  memoryLimitMb?: number;
  /**
   * Worker threads even for one core: the job engine's main thread must keep answering (heartbeats,
   * lock renewals) while a unit computes.
   */
  threads?: boolean;
}

const MiB = 1024 * 1024;

/**
 * Each worker's heap limit (V8 old generation): half the machine's memory shared among the threads,
 * within 1–8 GiB, so one file that asks for unbounded work fails alone (ERR_WORKER_OUT_OF_MEMORY, that
 * item's failure; the pool starts a fresh thread) instead of taking the machine. Typed arrays live
 * outside this heap; the bin limit (lightcurve/binning.ts MAX_BINS) bounds those.
 */
export function workerMemoryLimitMb(threads: number, totalBytes: number = totalmem()): number {
  return Math.max(1024, Math.min(8192, Math.floor(totalBytes / 2 / Math.max(1, threads) / MiB)));
}

/**
 * The worker file beside this module: `worker.js` in the compiled dist/; from the TypeScript sources,
 * `worker-tsx.mjs`, which registers tsx in the worker thread and loads `worker.ts`.
 */
export function workerEntry(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  const filename = path.join(path.dirname(here), path.extname(here) === '.ts' ? 'worker-tsx.mjs' : 'worker.js');
  if (!existsSync(filename)) throw new Error(`worker file ${filename} is missing (build with 'npm run build'?)`);
  return filename;
}

function inProcessPool(): Pool {
  let mod: Promise<WorkerModule> | undefined;
  return {
    size: 1,
    inProcess: true,
    async run<K extends PoolUnitName>(name: K, input: UnitInput<K>): Promise<UnitOutput<K>> {
      mod ??= import('./worker.js');
      const fn = (await mod)[name] as unknown as (i: UnitInput<K>) => Promise<UnitOutput<K>>;
      return fn(input);
    },
    async close() {
      // nothing to stop
    },
  };
}

export function createPool(options: PoolOptions): Pool {
  const size = Math.max(1, Math.floor(options.numCores));
  if (size === 1 && options.threads !== true) return inProcessPool();
  const piscina = new Piscina({
    filename: workerEntry(),
    minThreads: size,
    maxThreads: size,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb ?? workerMemoryLimitMb(size) },
  });
  return {
    size,
    inProcess: false,
    run<K extends PoolUnitName>(name: K, input: UnitInput<K>): Promise<UnitOutput<K>> {
      return piscina.run(input, { name }) as Promise<UnitOutput<K>>;
    },
    async close(opts = {}) {
      if (opts.force === true) await piscina.destroy();
      else await piscina.close();
    },
  };
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Run `name` on every input and hand each outcome to `onResult` strictly in input order (awaited one
 * at a time), while the pool keeps working ahead. In-process, each unit runs only after the previous
 * result was handled, so a one-core run is a plain loop. If `onResult` throws, no further results are
 * handled, queued units are dropped and the error propagates (a stage uses that to abort).
 */
export async function forEachInOrder<K extends PoolUnitName>(
  pool: Pool,
  name: K,
  inputs: ReadonlyArray<UnitInput<K>>,
  onResult: (index: number, outcome: Outcome<UnitOutput<K>>) => Promise<void> | void,
): Promise<void> {
  const settle = (p: Promise<UnitOutput<K>>): Promise<Outcome<UnitOutput<K>>> =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, error: err instanceof Error ? err : new Error(String(err)) }),
    );
  if (pool.inProcess) {
    for (let i = 0; i < inputs.length; i++) await onResult(i, await settle(pool.run(name, inputs[i]!)));
    return;
  }
  const pending = inputs.map((input) => settle(pool.run(name, input)));
  try {
    for (let i = 0; i < pending.length; i++) await onResult(i, await pending[i]!);
  } catch (err) {
    await pool.close({ force: true }).catch(() => undefined);
    // The dropped units reject; they are settled already, so nothing is left unhandled.
    throw err;
  }
}
