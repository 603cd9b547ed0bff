/**
 * The worker pool of a stage (DESIGN §9): units of work (units.ts, exported by worker.ts) run in a
 * piscina pool of `num_cores` threads, or, with num_cores = 1, in this very thread (no worker: easy
 * to debug) unless the caller asks for threads (a time limit needs one it can stop). Results come back per item — a unit that throws is that item's
 * failure, never the run's — in input order, so the caller can commit them deterministically while
 * later items are still being computed.
 *
 * The worker file is found from this module (workerEntry): the compiled `worker.js` in dist/ (the
 * CLI, and the sources under tsx while dist/ is current), or else, running from the TypeScript sources
 * under tsx (tests), `worker-tsx.mjs`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

type WorkerModule = typeof import('./worker.js');
export type PoolUnitName = Exclude<keyof WorkerModule, 'default'>;
export type UnitInput<K extends PoolUnitName> = Parameters<WorkerModule[K]>[0];
export type UnitOutput<K extends PoolUnitName> = Awaited<ReturnType<WorkerModule[K]>>;

export interface RunOptions {
  /**
   * Stop the unit after this many ms (config file_time_limit): its worker thread is terminated and
   * replaced, and the unit rejects with a TimeLimitError. The clock starts when the unit is handed to
   * the pool, so a caller bounds what is in flight to the threads (forEachInOrder does). An
   * in-process pool cannot stop a running computation and ignores it: a caller that needs the limit
   * with one core asks for `threads: true` (ingest does, ingestPoolOptions).
   */
  timeLimitMs?: number;
}

/** A unit stopped by its time limit; `message` is the reason a stage reports for the item. */
export class TimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`took longer than ${limitMs / 1000} s (file_time_limit); its worker thread was stopped`);
    this.name = 'TimeLimitError';
  }
}

export interface Pool {
  /** Threads (1 = in-process). */
  readonly size: number;
  readonly inProcess: boolean;
  run<K extends PoolUnitName>(name: K, input: UnitInput<K>, options?: RunOptions): Promise<UnitOutput<K>>;
  /** Resolves when every thread has loaded the units, so no unit's clock counts a thread's start. */
  ready(): Promise<void>;
  /** Stop: waits for running units; `force` drops queued ones. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface PoolOptions {
  /** config num_cores; 1 (or less) runs in-process. */
  numCores: number;
  /** JavaScript heap limit of each worker thread, MiB (default workerMemoryLimitMb). */
  memoryLimitMb?: number;
  /**
   * Worker threads even for one core: where a unit must be stoppable (a time limit) or the main
   * thread must keep answering while it computes (the job engine's heartbeats and lock renewals).
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

const builtTrees = new Map<string, boolean>();

/**
 * Whether dist/ is built from the sources as they are now: every `src/**.ts` has its `dist/**.js`,
 * written no earlier than the source was last changed (checked once per process and pair of trees).
 * test/helpers/cli-process.ts uses the same rule to run the compiled CLI in its children.
 */
export function distIsCurrent(srcDir: string, distDir: string): boolean {
  const key = `${srcDir}\0${distDir}`;
  let current = builtTrees.get(key);
  if (current === undefined) {
    current = existsSync(distDir);
    if (current) {
      for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
        const source = path.join(entry.parentPath, entry.name);
        const built = path.join(distDir, path.relative(srcDir, source)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
          current = false;
          break;
        }
      }
    }
    builtTrees.set(key, current);
  }
  return current;
}

/**
 * The worker file of this module: `worker.js` beside it in the compiled dist/. From the TypeScript
 * sources (tests, `node --import tsx`), dist/'s `worker.js` too when dist/ is current (distIsCurrent:
 * a thread then starts in tens of ms instead of transpiling every module under tsx), else
 * `worker-tsx.mjs`, which registers tsx in the worker thread and loads `worker.ts`.
 */
export function workerEntry(moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  const dir = path.dirname(here);
  let filename = path.join(dir, 'worker.js');
  if (path.extname(here) === '.ts') {
    const src = path.dirname(dir);
    const dist = path.join(path.dirname(src), 'dist');
    filename = distIsCurrent(src, dist) ? path.join(dist, path.basename(dir), 'worker.js') : path.join(dir, 'worker-tsx.mjs');
  }
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
    async ready() {
      // nothing to start
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
  // Every thread has loaded the units: asked once, and again after a thread was replaced.
  let started: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (started ??= Promise.all(Array.from({ length: size }, () => piscina.run({ delayMs: 20 }, { name: 'ping' }))).then(() => undefined));
  return {
    size,
    inProcess: false,
    async run<K extends PoolUnitName>(name: K, input: UnitInput<K>, opts: RunOptions = {}): Promise<UnitOutput<K>> {
      const limit = opts.timeLimitMs;
      if (limit === undefined || !(limit > 0)) return piscina.run(input, { name }) as Promise<UnitOutput<K>>;
      // A thread's start (loading the units) is not the unit's time.
      await ready();
      // Aborting a running task makes piscina terminate its thread and start a fresh one.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), limit);
      return (piscina.run(input, { name, signal: abort.signal }) as Promise<UnitOutput<K>>).then(
        (value) => value,
        (err: unknown) => {
          if (!abort.signal.aborted) throw err;
          started = undefined;
          throw new TimeLimitError(limit);
        },
      ).finally(() => clearTimeout(timer));
    },
    ready,
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
  options: RunOptions = {},
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
  const timed = options.timeLimitMs !== undefined && options.timeLimitMs > 0;
  let pending: Array<Promise<Outcome<UnitOutput<K>>>>;
  if (!timed) pending = inputs.map((input) => settle(pool.run(name, input)));
  else {
    // A unit's clock starts when it is handed over: no more in flight than threads, so none waits
    // in the queue on its own clock; and none before every thread is up.
    await pool.ready();
    const started: Array<(value: Outcome<UnitOutput<K>>) => void> = [];
    pending = inputs.map(() => new Promise((resolve) => started.push(resolve)));
    let next = 0;
    const launch = (): void => {
      const i = next++;
      if (i >= inputs.length) return;
      void settle(pool.run(name, inputs[i]!, options)).then((outcome) => {
        started[i]!(outcome);
        launch();
      });
    };
    for (let t = 0; t < pool.size; t++) launch();
  }
  try {
    for (let i = 0; i < pending.length; i++) await onResult(i, await pending[i]!);
  } catch (err) {
    await pool.close({ force: true }).catch(() => undefined);
    // The dropped units reject; they are settled already, so nothing is left unhandled.
    throw err;
  }
}
