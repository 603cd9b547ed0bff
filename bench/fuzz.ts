/**
 * The long fuzz budget (the test suite runs a short one, test/fuzz/fuzz.test.ts): N mutants of COS
 * FUV, COS NUV, STIS tag and x1d fixtures read as `inspect` does and extracted as `extract` does,
 * each bounded to 2 s and 300 MB, counted by outcome. Any crash, hang or death is listed.
 *
 *   node --import tsx bench/fuzz.ts [--runs N] [--seed S]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { mutationArb } from '../test/fuzz/mutants.js';
import { FUZZ_FIXTURES, FuzzArchive, FuzzHarness } from '../test/fuzz/harness.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const runs = arg('runs', 2000);
const seed = arg('seed', Date.now() % 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), 'hstlc-fuzz-'));
const harness = new FuzzHarness(2000, 300);
try {
  const archive = await FuzzArchive.create(dir, harness);
  const cases = fc.sample(fc.tuple(fc.constantFrom(...FUZZ_FIXTURES), mutationArb), { numRuns: runs, seed });
  const counts: Record<string, number> = { ok: 0, typed: 0, 'typed without the file name': 0, crash: 0, hang: 0, died: 0 };
  const problems: string[] = [];
  let slowest = 0;
  let peak = 0;
  const t0 = performance.now();
  for (const [fixture, m] of cases) {
    const t = performance.now();
    const r = await archive.run(fixture, m);
    slowest = Math.max(slowest, performance.now() - t);
    if (Number.isFinite(r.peakBytes)) peak = Math.max(peak, r.peakBytes);
    const kind = r.outcome === 'typed' && !r.namesFile ? 'typed without the file name' : r.outcome;
    counts[kind]!++;
    if (kind !== 'ok' && kind !== 'typed') problems.push(`${kind}: ${fixture.mutant} ${JSON.stringify(m)} → ${JSON.stringify(r).slice(0, 300)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`fuzz: ${runs} mutants (seed ${seed}) in ${seconds.toFixed(1)} s; slowest case ${slowest.toFixed(0)} ms; peak heap+buffers ${(peak / 2 ** 20).toFixed(0)} MB`);
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(28)} ${v}`);
  for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
} finally {
  await harness.close();
  rmSync(dir, { recursive: true, force: true });
}
