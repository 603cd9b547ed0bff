/**
 * Re-runs of the stats stage skip what has not changed: a lightcurve whose data (counts, mjd, net) and
 * settings are those its stored row was computed from is not analysed again — counted, not timed —
 * while a header-only rewrite (what a re-ingest does) still counts as unchanged, a changed lightcurve
 * is recomputed alone, and --force recomputes all. The periodograms the stats stage computes are left in
 * plot_dir, so the plots stage then computes none.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, listStats, type HstlcDb, type Stats } from '../../src/db/index.js';
import { lightcurvesToPlot, prepareRecord } from '../../src/pipeline/plots.js';
import { DEFAULT_MAX_POINTS, PeriodogramCache } from '../../src/pipeline/plots-periodogram.js';
import type { Pool } from '../../src/pipeline/pool.js';
import { createStatsAnalyzer } from '../../src/pipeline/stats-runner.js';
import { runStats } from '../../src/pipeline/stats.js';
import { cleanupTempDirs, copyGolden, seedGolden, writeLightcurve, type GoldenCopy } from './stats-fixtures.js';

after(cleanupTempDirs);

const CARD = 80;

/** Put a DATE card before END in the primary header: new bytes, the same data. */
function touchPrimaryHeader(file: string): void {
  const bytes = readFileSync(file);
  const header = bytes.subarray(0, 2880).toString('latin1');
  const end = header.indexOf('END' + ' '.repeat(CARD - 3));
  assert.ok(end >= 0 && end % CARD === 0 && end + 2 * CARD <= 2880, 'room for one more card');
  bytes.write("DATE    = '2026-12-03T10:00:00'".padEnd(CARD), end, 'latin1');
  bytes.write('END'.padEnd(CARD), end + CARD, 'latin1');
  writeFileSync(file, bytes);
}

const rowsByName = async (handle: HstlcDb): Promise<Map<string, Stats>> => new Map((await listStats(handle.db)).map((r) => [r.lightcurve_filename, r]));

describe('stats re-runs skip unchanged lightcurves; plots reuse the periodograms', { timeout: 600_000 }, () => {
  let copy: GoldenCopy;
  let handle: HstlcDb;
  let plotDir: string;
  const analyzer = createStatsAnalyzer(1);
  const run = (force = false) => runStats(handle, { type: 'both', grid: 'compat', method: 'auto', analyzer, plotDir, force });

  before(async () => {
    copy = copyGolden();
    plotDir = path.join(copy.dir, 'plots');
    handle = await connectDatabase({ dialect: 'sqlite', path: path.join(copy.dir, 'hstlc.db'), params: {} });
    await seedGolden(handle, copy);
  });
  after(async () => {
    await handle?.close();
  });

  it('computes every row the first time and stores its content key', async () => {
    const first = await run();
    assert.deepEqual(first.counts, { done: 27, failed: 0, unchanged: 0 });
    const rows = await listStats(handle.db);
    assert.equal(rows.length, 27);
    assert.ok(rows.every((r) => typeof r.content_key === 'string' && r.content_key.length === 64));
  });

  it('a re-run recomputes no row and leaves the rows as they were', async () => {
    const before = await listStats(handle.db);
    const again = await run();
    assert.deepEqual(again.counts, { done: 27, failed: 0, unchanged: 27 });
    assert.ok(again.files.every((f) => f.unchanged === true));
    assert.deepEqual(await listStats(handle.db), before);
    // The summary still reports the stored flags.
    const stored = new Map(before.map((r) => [r.lightcurve_filename, [r.periodogram, r.deliver]]));
    for (const f of again.files) assert.deepEqual([f.periodogram, f.deliver], stored.get(path.basename(f.path)), f.path);
  });

  it('a header-only rewrite is unchanged; a changed lightcurve is recomputed alone', async () => {
    touchPrimaryHeader(path.join(copy.dir, 'individual', copy.individuals[2]!));
    const changed = copy.individuals[3]!;
    const counts = Array.from({ length: 200 }, (_, i) => 5 + (i % 7));
    await writeLightcurve(path.join(copy.dir, 'individual', changed), counts);
    const r = await run();
    assert.deepEqual(r.counts, { done: 27, failed: 0, unchanged: 26 });
    assert.deepEqual(r.files.filter((f) => f.unchanged !== true).map((f) => path.basename(f.path)), [changed]);
    // Its row is the new data's: Σ counts of the rewritten file.
    assert.equal((await rowsByName(handle)).get(changed)!.total, counts.reduce((a, b) => a + b, 0));
  });

  it('--force recomputes every row', async () => {
    const forced = await run(true);
    assert.deepEqual(forced.counts, { done: 27, failed: 0, unchanged: 0 });
  });

  it('the plots find every periodogram the stats stage computed, and compute none', async () => {
    const rows = await rowsByName(handle);
    const { candidates } = await lightcurvesToPlot(handle);
    let computed = 0;
    const pool: Pool = {
      size: 1,
      inProcess: true,
      ready: async () => undefined,
      run: async () => {
        computed++;
        throw new Error('the plots computed a periodogram');
      },
      close: async () => undefined,
    };
    const ctx = { cache: new PeriodogramCache(plotDir), pool, grid: 'compat' as const, method: 'auto' as const, maxPoints: DEFAULT_MAX_POINTS };
    const how = new Map<string, string>();
    for (const c of candidates) {
      const row = rows.get(c.filename);
      if (row === undefined) continue;
      how.set(c.filename, (await prepareRecord(c, row, ctx)).periodogram);
    }
    assert.equal(computed, 0);
    const withPeriodogram = [...rows.values()].filter((r) => r.total !== null && r.total > 0).length;
    assert.ok(withPeriodogram > 20);
    assert.equal([...how.values()].filter((h) => h === 'cached').length, withPeriodogram, JSON.stringify(Object.fromEntries(how)));
  });
});
