/**
 * Runs mutants through test/fuzz/worker.ts one at a time, each bounded in time and heap: a case that
 * does not answer within `timeoutMs` is a hang (the worker is terminated and replaced), one that
 * exhausts the heap limit (or escapes the worker's own catch) is a death.
 */
import { Worker } from 'node:worker_threads';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateArchive } from '../../src/synthetic/index.js';
import { applyMutation, mutantName, type Mutation } from './mutants.js';
import type { FuzzCase, FuzzOutcome } from './worker.js';

/** Each fixture: the file mutated, the file extraction starts from, and the untouched companions. */
export const FUZZ_FIXTURES = [
  { mutant: 'lb9y0108q_corrtag_a.fits', extract: 'lb9y0108q_corrtag_a.fits', companions: ['lb9y0108q_corrtag_b.fits'] },
  { mutant: 'lc9h0108q_corrtag.fits', extract: 'lc9h0108q_corrtag.fits', companions: [] },
  { mutant: 'o6a501080_tag.fits', extract: 'o6a501080_tag.fits', companions: ['o6a501080_x1d.fits'] },
  { mutant: 'o6a501080_x1d.fits', extract: 'o6a501080_tag.fits', companions: ['o6a501080_tag.fits'] },
] as const;
export type FuzzFixture = (typeof FUZZ_FIXTURES)[number];

export type HarnessOutcome = FuzzOutcome | { outcome: 'hang'; peakBytes: number } | { outcome: 'died'; message: string; peakBytes: number };

/** A worker thread does not inherit the parent's `--import tsx`: it registers tsx itself, then loads worker.ts. */
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`;

export class FuzzHarness {
  private worker: Worker | undefined;
  constructor(
    private readonly timeoutMs: number,
    private readonly heapMb: number,
  ) {}

  private start(): Worker {
    this.worker ??= new Worker(BOOT, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    return this.worker;
  }

  /** The first case pays for loading the modules: give it a minute so it is not counted as a hang. */
  async warmUp(c: FuzzCase): Promise<void> {
    await this.run(c, 60_000);
  }

  run(c: FuzzCase, timeoutMs = this.timeoutMs): Promise<HarnessOutcome> {
    const w = this.start();
    return new Promise((resolve) => {
      const done = (r: HarnessOutcome): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (r: FuzzOutcome): void => done(r);
      const onError = (e: Error): void => {
        this.worker = undefined;
        // ERR_WORKER_OUT_OF_MEMORY when the heap limit was hit; anything else escaped the worker's catch.
        done({ outcome: 'died', message: `${(e as NodeJS.ErrnoException).code ?? e.name}: ${e.message}`, peakBytes: NaN });
      };
      const onExit = (): void => {
        this.worker = undefined;
        done({ outcome: 'died', message: 'worker exited', peakBytes: NaN });
      };
      const timer = setTimeout(() => {
        this.worker = undefined;
        w.removeAllListeners();
        void w.terminate();
        resolve({ outcome: 'hang', peakBytes: NaN });
      }, timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(c);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** A tiny synthetic archive whose files are the fixtures, and mutants of them run through a harness. */
export class FuzzArchive {
  private caseNo = 0;
  private constructor(
    readonly dir: string,
    readonly harness: FuzzHarness,
  ) {}

  static async create(dir: string, harness: FuzzHarness): Promise<FuzzArchive> {
    await generateArchive({ dir, seed: 11, size: 'tiny' });
    const archive = new FuzzArchive(dir, harness);
    const f = FUZZ_FIXTURES[0];
    await harness.warmUp({ mutant: archive.ingest(f.mutant), extract: archive.ingest(f.extract), refDir: archive.refDir });
    return archive;
  }

  private ingest(name: string): string {
    return join(this.dir, 'ingest', name);
  }

  private get refDir(): string {
    return join(this.dir, 'ref');
  }

  /** Write the mutant beside copies of its companions in a directory of its own, run it, remove it. */
  async run(fixture: FuzzFixture, m: Mutation): Promise<HarnessOutcome> {
    const dir = join(this.dir, `case-${this.caseNo++}`);
    mkdirSync(dir);
    try {
      for (const c of fixture.companions) copyFileSync(this.ingest(c), join(dir, c));
      const name = mutantName(fixture.mutant, m);
      writeFileSync(join(dir, name), applyMutation(readFileSync(this.ingest(fixture.mutant)), m));
      const extract = fixture.extract === fixture.mutant ? name : fixture.extract;
      return await this.harness.run({ mutant: join(dir, name), extract: join(dir, extract), refDir: this.refDir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
