/**
 * Generation speed of the synthetic archive's heavy file (~10^7 COS FUV events in one corrtag).
 *
 *   node --expose-gc --import tsx bench/synthetic.ts [--repeat N] [--keep DIR] [--json]
 *
 * Reports events/s for the product build (arrival times, positions, every column filled, region
 * truth and expectations, headers) and end to end including the FITS encoding and the atomic
 * write; plus the tiny archive's size and generation time.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFits } from '../src/fits/index.js';
import {
  buildExposure,
  buildReferenceSet,
  generateArchive,
  planArchive,
  SIZE_PRESETS,
} from '../src/synthetic/index.js';

export interface SyntheticBenchResult {
  events: number;
  build_ms: number;
  write_ms: number;
  bytes: number;
  build_events_per_s: number;
  end_to_end_events_per_s: number;
  write_mb_per_s: number;
  tiny: { ms: number; files: number; events: number; mb: number };
}

/** Collect garbage between timed runs when node runs with --expose-gc (big typed arrays linger). */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function best(values: number[]): number {
  return Math.min(...values);
}

export async function benchSynthetic(options: { repeat?: number; keep?: string } = {}): Promise<SyntheticBenchResult> {
  const repeat = options.repeat ?? 2;
  const seed = 1;
  const dir = options.keep ?? (await mkdtemp(join(tmpdir(), 'hstlc-bench-synth-')));
  try {
    const { refs } = buildReferenceSet(seed, SIZE_PRESETS.heavy);
    const [plan] = planArchive(seed, 'heavy');

    // 1. The product build (simulation + truth) and 2. the FITS write.
    const build: number[] = [];
    const write: number[] = [];
    let bytes = 0;
    let productEvents = 0;
    for (let r = 0; r < repeat; r++) {
      collect();
      const t0 = performance.now();
      const [product] = buildExposure(plan, refs, seed);
      build.push(performance.now() - t0);
      productEvents = product.events;
      const path = join(dir, product.name);
      const t1 = performance.now();
      await writeFits(path, product.hdus);
      write.push(performance.now() - t1);
      bytes = (await stat(path)).size;
    }

    // 4. The tiny archive (tests' data): size and time.
    const tinyDir = join(dir, 'tiny');
    const t2 = performance.now();
    const tiny = await generateArchive({ dir: tinyDir, seed, size: 'tiny' });
    const tinyMs = performance.now() - t2;

    const b = best(build);
    const w = best(write);
    return {
      events: productEvents,
      build_ms: Math.round(b),
      write_ms: Math.round(w),
      bytes,
      build_events_per_s: Math.round(productEvents / (b / 1000)),
      end_to_end_events_per_s: Math.round(productEvents / ((b + w) / 1000)),
      write_mb_per_s: Math.round(bytes / 1e6 / (w / 1000)),
      tiny: {
        ms: Math.round(tinyMs),
        files: tiny.totals.files,
        events: tiny.totals.events,
        mb: Number(((tiny.totals.bytes + tiny.totals.reference_bytes) / 1e6).toFixed(2)),
      },
    };
  } finally {
    if (!options.keep) await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const result = await benchSynthetic({ repeat: Number(opt('--repeat') ?? 2), keep: opt('--keep') });
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (n: number): string => n.toLocaleString('en-US');
    console.log(`heavy file: ${f(result.events)} events, ${(result.bytes / 1e6).toFixed(0)} MB`);
    console.log(`  build (+ truth)   ${f(result.build_ms)} ms  ${f(result.build_events_per_s)} events/s`);
    console.log(`  write FITS        ${f(result.write_ms)} ms  ${f(result.write_mb_per_s)} MB/s`);
    console.log(`  end to end        ${f(result.end_to_end_events_per_s)} events/s`);
    console.log(`tiny archive: ${result.tiny.files} files, ${f(result.tiny.events)} events, ${result.tiny.mb} MB in ${result.tiny.ms} ms`);
  }
}
