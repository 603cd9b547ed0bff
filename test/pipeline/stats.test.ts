/**
 * The stats stage (§11, issue 6) against a database holding the original's lightcurves: the rows stored
 * equal the original's (results.json, compat grid, the tolerances of test/analysis/golden.test.ts) on
 * every dialect; re-runs update in place; failing and degenerate files; the result window.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interestOf } from '../../src/analysis/index.js';
import { connectDatabase, listStats, recordIngestedFile, upsertStats, type HstlcDb, type Stats } from '../../src/db/index.js';
import { collectingLogger } from '../../src/pipeline/log.js';
import { createStatsAnalyzer, type StatsAnalyzer } from '../../src/pipeline/stats-runner.js';
import { invalidProductTypeMessage, isProductType, lightcurvesToProcess, runStats } from '../../src/pipeline/stats.js';
import { relErr } from '../analysis/helpers.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import {
  cleanupTempDirs,
  copyGolden,
  goldenStats,
  memoAnalyzer,
  metadataRow,
  recordLightcurve,
  seedGolden,
  tempDir,
  writeGarbage,
  writeLightcurve,
  type GoldenCopy,
  type GoldenStats,
} from './stats-fixtures.js';

after(cleanupTempDirs);

const golden = goldenStats();
/** One analysis per file for the whole file: the dialects differ only in how rows are stored. */
const analyzer = memoAnalyzer();
let copy: GoldenCopy;
before(() => {
  copy = copyGolden();
});

const keyOf = (s: { lightcurve_path: string; lightcurve_filename: string }): string => `${path.basename(s.lightcurve_path)}/${s.lightcurve_filename}`;

/** The original's row against ours, as test/analysis/golden.test.ts compares them. */
function assertMatchesGolden(ours: Stats, theirs: GoldenStats): void {
  const what = keyOf(ours);
  assert.equal(ours.lightcurve_filename, theirs.lightcurve_filename, what);
  assert.equal(path.basename(ours.lightcurve_path), theirs.lightcurve_path, what);
  assert.equal(ours.total, theirs.total, `${what} total`);
  for (const k of ['mean', 'mu', 'stdev', 'poisson_factor'] as const) {
    assert.ok(relErr(ours[k] as number, theirs[k]) < 1e-6, `${what} ${k}: ${ours[k]} vs ${theirs[k]}`);
  }
  assert.ok(relErr(ours.pearson_r as number, theirs.pearson_r) < 1e-12, `${what} pearson_r ${ours.pearson_r} vs ${theirs.pearson_r}`);
  const p = theirs.pearson_p;
  assert.ok(p === 0 ? (ours.pearson_p as number) < 1e-300 : relErr(ours.pearson_p as number, p) < 1e-9, `${what} pearson_p ${ours.pearson_p} vs ${p}`);
  assert.equal(ours.periodogram, theirs.periodogram, `${what} periodogram`);
}

describe('stats stage helpers', () => {
  it('accepts the three product types and words a bad one as the original did (§11.1)', () => {
    assert.ok(['individual', 'composite', 'both'].every(isProductType));
    assert.equal(isProductType('all'), false);
    assert.equal(invalidProductTypeMessage('all'), 'all is not a valid option.  Please choose "individual", "composite", or "both".');
  });

  it('runs in this thread with one core, in the worker pool with more', async () => {
    const one = createStatsAnalyzer(1);
    assert.equal(one.inProcess, true);
    await one.close();
    const two = createStatsAnalyzer(2);
    try {
      assert.equal(two.inProcess, false);
      assert.equal(two.size, 2);
      const input = { kind: 'individual' as const, grid: 'compat' as const, method: 'fast' as const };
      const [good, gone] = await Promise.all([
        two.analyze({ ...input, path: path.join(copy.dir, 'individual', copy.individuals[0]!) }),
        two.analyze({ ...input, path: path.join(copy.dir, 'individual', 'gone00001_curve.fits') }),
      ]);
      assert.ok(good.status === 'done' && good.unchanged !== true);
      assert.equal(good.row.total, golden.get(`individual/${copy.individuals[0]}`)!.total);
      assert.ok(gone.status === 'failed' && gone.reason.includes('gone00001_curve.fits'), 'a failure comes back as a result, not a rejection');
    } finally {
      await two.close();
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`stats stage on ${dialect.name}`, { skip: dialect.skip }, () => {
    let testDb: TestDatabase;
    let handle: HstlcDb;

    before(async () => {
      testDb = await dialect.create();
      handle = await connectDatabase(testDb.info);
      await seedGolden(handle, copy);
    });
    after(async () => {
      await handle?.close();
      await testDb?.drop();
    });

    it('lists each lightcurve once, skipping composites still being rebuilt', async () => {
      const both = await lightcurvesToProcess(handle, 'both');
      assert.equal(both.lightcurves.length, copy.individuals.length + copy.composites.length);
      assert.equal(both.pendingComposites, 1);
      assert.deepEqual((await lightcurvesToProcess(handle, 'individual')).lightcurves.map((l) => path.basename(l.path)), copy.individuals);
      const composites = (await lightcurvesToProcess(handle, 'composite')).lightcurves;
      assert.deepEqual(composites.map((l) => path.basename(l.path)), copy.composites);
      assert.ok(composites.every((l) => l.kind === 'composite' && path.dirname(l.path) === path.join(copy.dir, 'composite')));
    });

    it("stores the original's statistics for every lightcurve (compat grid)", async () => {
      const log = collectingLogger();
      const summary = await runStats(handle, { type: 'both', grid: 'compat', method: 'fast', analyzer, logger: log });
      assert.equal(summary.ok, true, JSON.stringify(summary.files.filter((f) => f.status === 'failed')));
      assert.deepEqual(summary.counts, { done: 27, failed: 0, unchanged: 0 });
      assert.equal(summary.pendingComposites, 1);
      assert.equal(log.lines[0]?.message, '27 datasets to process');
      assert.equal(log.lines.at(-1)?.message, 'Processing complete');
      assert.equal(log.lines.filter((l) => l.message.startsWith('Processing /')).length, 27);

      const rows = await listStats(handle.db);
      assert.equal(rows.length, 27);
      assert.deepEqual(new Set(rows.map(keyOf)), new Set(golden.keys()));
      for (const row of rows) {
        assertMatchesGolden(row, golden.get(keyOf(row))!);
        const composite = row.lightcurve_filename.startsWith('hlsp_');
        assert.equal(row.lightcurve_path, path.join(copy.dir, composite ? 'composite' : 'individual'));
        // deliver (src/analysis rule): composites whose statistics are all present.
        const complete = [row.mean, row.mu, row.stdev, row.poisson_factor, row.pearson_r, row.pearson_p].every((x) => x !== null);
        assert.equal(row.deliver, composite && complete, `${keyOf(row)} deliver`);
        // The three added columns hold the analysis's values, unrounded by the database.
        const unit = await analyzer.analyze({ path: path.join(row.lightcurve_path, row.lightcurve_filename), kind: composite ? 'composite' : 'individual', grid: 'compat', method: 'fast' });
        assert.ok(unit.status === 'done' && unit.unchanged !== true);
        assert.equal(row.best_period, unit.row.best_period);
        assert.equal(row.best_power, unit.row.best_power);
        assert.equal(row.false_alarm_probability, unit.row.false_alarm_probability);
        assert.ok(row.best_period !== null && row.best_period >= 5 / 86400 && row.best_period <= 10 / 24, `${keyOf(row)} best_period ${row.best_period}`);
      }
      // the one definition of 'interesting' (test/analysis/interest.test.ts), over the composites as the site's tables
      const composites = rows.filter((r) => r.lightcurve_filename.startsWith('hlsp_'));
      assert.equal(summary.interesting, composites.filter((r) => interestOf(r).kind === 'interesting').length);
      assert.equal(summary.lowCounts, composites.filter((r) => interestOf(r).kind === 'low_counts').length);
      assert.equal(summary.deliverable, rows.filter((r) => r.deliver).length);
    });

    it('updates rows in place on a re-run, for one product type at a time', async () => {
      const before = new Map((await listStats(handle.db)).map((r) => [keyOf(r), r.id]));
      const individual = await runStats(handle, { type: 'individual', grid: 'compat', method: 'fast', analyzer, batchSize: 4 });
      assert.equal(individual.files.length, 17);
      assert.ok(individual.files.every((f) => f.kind === 'individual' && f.status === 'done'));
      const composite = await runStats(handle, { type: 'composite', grid: 'compat', method: 'fast', analyzer });
      assert.equal(composite.files.length, 10);
      const after = await listStats(handle.db);
      assert.equal(after.length, 27);
      assert.deepEqual(new Map(after.map((r) => [keyOf(r), r.id])), before, 'same ids: no duplicates');
    });

    it('keys rows by path: a same-named lightcurve elsewhere gets its own row', async () => {
      const other = tempDir('hstlc-stats-other-');
      const name = copy.individuals[0]!;
      await writeLightcurve(path.join(other, name), [1, 2, 3, 4, 5, 6, 7, 8]);
      const db2 = await dialect.create();
      const h2 = await connectDatabase(db2.info);
      try {
        await recordLightcurve(h2, path.join(copy.dir, 'individual'), name);
        await recordIngestedFile(h2, { metadata: metadataRow('zzzz00000_corrtag.fits'), output: { individual_path: other, individual_filename: name } });
        const summary = await runStats(h2, { type: 'both', grid: 'compat', method: 'fast', analyzer });
        assert.deepEqual(summary.counts, { done: 2, failed: 0, unchanged: 0 });
        const rows = await listStats(h2.db);
        assert.deepEqual(rows.map((r) => r.lightcurve_path).sort(), [other, path.join(copy.dir, 'individual')].sort());
        assert.deepEqual(rows.map((r) => r.total).sort(), [36, golden.get(`individual/${name}`)!.total].sort());
      } finally {
        await h2.close();
        await db2.drop();
      }
    });

    it('reports failing files by name and stores NULL for what cannot be computed (§15.23)', async () => {
      const dir = tempDir('hstlc-stats-odd-');
      await writeLightcurve(path.join(dir, 'const0001_curve.fits'), Array.from({ length: 50 }, () => 5));
      await writeLightcurve(path.join(dir, 'zero00001_curve.fits'), Array.from({ length: 50 }, () => 0));
      writeGarbage(path.join(dir, 'junk00001_curve.fits'));
      const db2 = await dialect.create();
      const h2 = await connectDatabase(db2.info);
      try {
        for (const f of ['const0001_curve.fits', 'zero00001_curve.fits', 'junk00001_curve.fits', 'gone00001_curve.fits']) await recordLightcurve(h2, dir, f);
        await recordLightcurve(h2, path.join(copy.dir, 'individual'), copy.individuals[1]!);
        // A row left by an earlier run with values: total 0 now must clear them, not keep them (§15.23).
        await upsertStats(h2.db, h2.dialect, { lightcurve_path: dir, lightcurve_filename: 'zero00001_curve.fits', total: 3, mean: 1, mu: 1, stdev: 1, poisson_factor: 1, pearson_r: 0.5, pearson_p: 0.1, periodogram: true, best_period: 0.1, best_power: 0.9, false_alarm_probability: 1e-9 });

        const log = collectingLogger();
        const summary = await runStats(h2, { type: 'both', grid: 'compat', method: 'auto', analyzer, logger: log });
        assert.equal(summary.ok, false);
        assert.deepEqual(summary.counts, { done: 3, failed: 2, unchanged: 0 });
        const failed = summary.files.filter((f) => f.status === 'failed');
        assert.deepEqual(failed.map((f) => path.basename(f.path)), ['gone00001_curve.fits', 'junk00001_curve.fits']);
        assert.ok(failed.every((f) => (f.reason ?? '').length > 0));
        assert.ok(log.lines.some((l) => l.level === 'error' && l.message.includes('gone00001_curve.fits')));
        assert.equal(log.lines.at(-1)?.message, 'Processing complete', 'the run went on');

        const rows = new Map((await listStats(h2.db)).map((r) => [r.lightcurve_filename, r]));
        assert.equal(rows.size, 3);
        const constant = rows.get('const0001_curve.fits')!;
        assert.deepEqual(
          [constant.total, constant.mean, constant.mu, constant.stdev, constant.poisson_factor, constant.pearson_r, constant.pearson_p, constant.periodogram, constant.deliver],
          [250, 5, Math.sqrt(5), 0, 0, null, null, false, false],
        );
        assert.equal(constant.best_power, null, 'constant net: NaN powers stored as NULL');
        const zero = rows.get('zero00001_curve.fits')!;
        assert.deepEqual(
          [zero.total, zero.mean, zero.mu, zero.stdev, zero.poisson_factor, zero.pearson_r, zero.pearson_p, zero.periodogram, zero.best_period, zero.best_power, zero.false_alarm_probability],
          [0, null, null, null, null, null, null, false, null, null, null],
        );
        assert.ok(rows.has(copy.individuals[1]!));
      } finally {
        await h2.close();
        await db2.drop();
      }
    });
  });
}

describe('stats stage with units running ahead', () => {
  it('commits every result once whatever order they finish in, and a dead unit fails only its file', async () => {
    const db = await DIALECTS[0]!.create();
    const handle = await connectDatabase(db.info);
    try {
      await seedGolden(handle, copy);
      // Three units in flight, finishing out of order (delays by name), one of them lost with its thread.
      const ahead: StatsAnalyzer = {
        size: 3,
        inProcess: false,
        async analyze(input) {
          await new Promise((resolve) => setTimeout(resolve, (path.basename(input.path).charCodeAt(3) % 5) * 3));
          if (path.basename(input.path) === copy.composites[2]) throw new Error('worker thread exited');
          return analyzer.analyze(input);
        },
        close: async () => undefined,
      };
      const progress: number[] = [];
      const summary = await runStats(handle, { type: 'both', grid: 'compat', method: 'fast', analyzer: ahead, batchSize: 5, onProgress: (p) => progress.push(p.done) });
      assert.equal(summary.parallel, true);
      assert.deepEqual(summary.counts, { done: 26, failed: 1, unchanged: 0 });
      assert.equal(summary.files.find((f) => f.status === 'failed')?.reason, 'worker thread exited');
      assert.deepEqual(progress, Array.from({ length: 27 }, (_, i) => i + 1));
      const rows = await listStats(handle.db);
      assert.equal(rows.length, 26);
      for (const row of rows) assertMatchesGolden(row, golden.get(keyOf(row))!);
    } finally {
      await handle.close();
      await db.drop();
    }
  });
});
