/**
 * Property: whatever is done to the bytes of a product (truncation, flipped bytes, absurd NAXISn /
 * TFORM / TDIM / THEAP / PCOUNT, non-ASCII header text, corrupt gzip), reading it as `inspect` does
 * and extracting it as `extract` does either succeeds or ends in a typed product error that names
 * the file — within 2 s and 300 MB. A short budget runs here; bench/fuzz.ts runs a long one.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tempDir } from '../helpers/tools.js';
import { mutationArb } from './mutants.js';
import { FUZZ_FIXTURES, FuzzArchive, FuzzHarness } from './harness.js';

const RUNS = Number(process.env.HSTLC_FUZZ_RUNS ?? 80);
const TIME_LIMIT_MS = 2000;
const HEAP_MB = 300;

let tmp: { dir: string; cleanup: () => void };
let archive: FuzzArchive;
const harness = new FuzzHarness(TIME_LIMIT_MS, HEAP_MB);

before(async () => {
  tmp = tempDir();
  archive = await FuzzArchive.create(tmp.dir, harness);
});

after(async () => {
  await harness.close();
  tmp.cleanup();
});

test('the unmutated fixtures extract cleanly (the harness can tell success)', async () => {
  for (const f of FUZZ_FIXTURES) {
    const r = await archive.run(f, { kind: 'card', key: 'NOSUCHKEY', value: '0' });
    assert.equal(r.outcome, 'ok', `${f.mutant}: ${JSON.stringify(r)}`);
  }
});

test('the absurd zero-width table (NAXIS1 = 0, TFORM repeats 0, NAXIS2 = 999999999999) is a typed error at once', async () => {
  const r = await archive.run(FUZZ_FIXTURES[0], { kind: 'zeroWidth', rows: 999999999999 });
  assert.equal(r.outcome, 'typed', JSON.stringify(r));
  assert.ok(r.outcome === 'typed' && r.namesFile && /NAXIS2/.test(r.message), JSON.stringify(r));
});

test(`fuzz: ${RUNS} mutants each succeed or fail with a typed error naming the file, within ${TIME_LIMIT_MS} ms and ${HEAP_MB} MB`, { timeout: 600_000 }, async () => {
  const counts = { ok: 0, typed: 0 };
  // fast-check keeps the failing assertion in `cause`; node:test prints only the message, so join them.
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...FUZZ_FIXTURES), mutationArb, async (fixture, m) => {
      const r = await archive.run(fixture, m);
      if (r.outcome === 'ok' || r.outcome === 'typed') counts[r.outcome]++;
      assert.ok(r.outcome === 'ok' || r.outcome === 'typed', `${fixture.mutant} ${JSON.stringify(m)} → ${JSON.stringify(r)}`);
      if (r.outcome === 'typed') assert.ok(r.namesFile, `error does not name the file: ${r.message}`);
      assert.ok(r.peakBytes < HEAP_MB * 2 ** 20, `${fixture.mutant} ${JSON.stringify(m)}: ${(r.peakBytes / 2 ** 20).toFixed(0)} MB`);
    }),
    { numRuns: RUNS, seed: Number(process.env.HSTLC_FUZZ_SEED ?? 20261203), endOnFailure: true },
  ).catch((e: unknown) => {
    const cause = e instanceof Error && e.cause instanceof Error ? `\n${e.cause.message}` : '';
    throw new Error(`${e instanceof Error ? e.message : String(e)}${cause}`);
  });
  // Both kinds of ending must occur, or the mutations are not reaching the code they should.
  assert.ok(counts.ok > 0 && counts.typed > 0, JSON.stringify(counts));
});
