/**
 * The plots stage on the golden archive recorded in SQLite (issue 7): outputs present exactly per the
 * database's content, the three tables split as the stats rows' poisson_factor says, names from the
 * database (never from file names), a re-run redraws nothing, a changed stats row redraws only its own
 * outputs, and a broken lightcurve fails alone, by name.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { interestOf } from '../../src/analysis/index.js';
import { connectDatabase, listStats, type HstlcDb } from '../../src/db/index.js';
import { plotsStage, runPlots, type PlotsSummary } from '../../src/pipeline/plots.js';
import { pipelinePlots } from '../../src/pipeline/pipeline.js';
import { runStage } from '../../src/pipeline/stage.js';
import { resolveSettings } from '../../src/config/index.js';
import { SILENT } from '../../src/pipeline/log.js';
import { HomeLockedError, lockHome } from '../../src/archive/home-lock.js';
import { markedPeaks, reducedIndices } from '../../src/pipeline/plots-periodogram.js';
import { lightcurveOutputs, PAGES } from '../../src/plots/layout.js';
import { pngSize } from '../../src/plots/render.js';
import { LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import { PERIODOGRAM_SIZE } from '../../src/plots/charts/periodogram.js';
import { skipUnlessFonts } from '../plots/helpers.js';
import { cleanupTempDirs, copyGolden, tempDir } from './stats-fixtures.js';
import { seedGoldenPlots, type SeededPlots } from './plots-fixtures.js';

const fonts = skipUnlessFonts();

function pageRows(file: string): Array<{ target: string; filename: string; poisson_f: number | null }> {
  const m = /<script type="application\/json" id="hstlc-table">([^<]*)<\/script>/.exec(readFileSync(file, 'utf8'));
  assert.ok(m, `no table data in ${file}`);
  return (JSON.parse(m[1]!) as { rows: Array<{ target: string; filename: string; poisson_f: number | null }> }).rows;
}

const HOSTILE = 'TW_HYA <img src=x onerror=alert(1)>';

describe('hstlc plots stage (golden archive in SQLite)', { skip: fonts, timeout: 600_000 }, () => {
  let handle: HstlcDb;
  let seeded: SeededPlots;
  let home: string;
  let plotDir: string;
  let first: PlotsSummary;
  const settings = () => ({ home_dir: home, plot_dir: plotDir, num_cores: 1, algorithm: 'compat' as const });

  before(async () => {
    const copy = copyGolden(tempDir('hstlc-plots-'));
    home = path.join(copy.dir, 'home');
    plotDir = path.join(copy.dir, 'site');
    handle = await connectDatabase({ dialect: 'sqlite', path: path.join(copy.dir, 'hstlc.db'), params: {} });
    seeded = await seedGoldenPlots(handle, copy);
    // A composite without statistics values (NULL poisson_factor), a target name with '_' and markup
    // (the original split names on '_'), and one individual lightcurve whose stats row is not there yet.
    const nullOne = path.basename(seeded.composites[1]!);
    await handle.db.updateTable('stats').set({ poisson_factor: null }).where('lightcurve_filename', '=', nullOne).execute();
    const hostile = path.basename(seeded.composites[2]!);
    await handle.db.updateTable('metadata').set({ targname: HOSTILE }).where('id', 'in', seeded.members.get(hostile)!).execute();
    await handle.db.deleteFrom('stats').where('lightcurve_filename', '=', path.basename(seeded.individuals[0]!)).execute();
    first = await runPlots(handle, { settings: settings() });
  });

  after(async () => {
    await handle.close();
    cleanupTempDirs();
  });

  it('draws every lightcurve the database knows, and only those', async () => {
    assert.equal(first.ok, true, JSON.stringify(first.items.filter((i) => i.status === 'failed')));
    assert.equal(first.counts.composites, seeded.composites.length);
    assert.equal(first.counts.individuals, seeded.individuals.length);
    assert.equal(first.counts.skipped, 1);
    const skipped = first.items.find((i) => i.status === 'skipped')!;
    assert.equal(skipped.path, seeded.individuals[0]);
    assert.match(skipped.reason ?? '', /hstlc stats/);

    const stats = new Map((await listStats(handle.db)).map((s) => [path.join(s.lightcurve_path, s.lightcurve_filename), s]));
    for (const [kind, paths] of [['composite', seeded.composites], ['individual', seeded.individuals]] as const) {
      for (const p of paths) {
        const out = lightcurveOutputs(kind, path.basename(p));
        const row = stats.get(p);
        if (row === undefined) {
          assert.equal(existsSync(path.join(plotDir, out.png)), false, `${out.png}: no stats row, no plot`);
          continue;
        }
        assert.deepEqual(pngSize(readFileSync(path.join(plotDir, out.png))), LIGHTCURVE_SIZE, out.png);
        assert.equal(existsSync(path.join(plotDir, out.periodogram)), (row.total ?? 0) > 0, out.periodogram);
        if ((row.total ?? 0) > 0) assert.deepEqual(pngSize(readFileSync(path.join(plotDir, out.periodogram))), PERIODOGRAM_SIZE);
        assert.equal(existsSync(path.join(plotDir, out.subset)), row.periodogram && (row.total ?? 0) > 0, out.subset);
        if (out.dashboard) assert.ok(existsSync(path.join(plotDir, out.dashboard)), out.dashboard);
      }
    }
    for (const page of Object.values(PAGES)) assert.ok(existsSync(path.join(plotDir, page)), page);
    const runs = await handle.db.selectFrom('runs').select(['command', 'status']).where('command', '=', 'plots').execute();
    assert.deepEqual(runs, [{ command: 'plots', status: 'ok' }]);
  });

  it('splits the composites into the three tables exactly as the stats rows say', async () => {
    const rows = (await listStats(handle.db)).filter((s) => seeded.composites.includes(path.join(s.lightcurve_path, s.lightcurve_filename)));
    const expect = { interesting: [] as string[], boring: [] as string[], low_counts: [] as string[], null: [] as string[] };
    for (const s of rows) {
      const key = interestOf(s).kind;
      expect[key].push(s.lightcurve_filename); // the tables link the file by a relative path, shown by name
    }
    assert.ok(expect.null.length + expect.low_counts.length === 1 && expect.interesting.length + expect.boring.length > 1, JSON.stringify(expect));
    for (const kind of ['interesting', 'boring', 'low_counts', 'null'] as const) {
      const shown = pageRows(path.join(plotDir, PAGES[kind])).map((r) => r.filename);
      assert.deepEqual(shown.sort(), expect[kind].sort(), kind);
      assert.equal(first.tables[kind], expect[kind].length);
    }
  });

  it('takes target names from the database, shown as text', () => {
    const all = ['interesting', 'boring', 'low_counts', 'null'].flatMap((k) => pageRows(path.join(plotDir, PAGES[k as 'null']))) ;
    const row = all.find((r) => r.filename === path.basename(seeded.composites[2]!));
    assert.equal(row?.target, HOSTILE);
    const dashboard = readFileSync(path.join(plotDir, lightcurveOutputs('composite', path.basename(seeded.composites[2]!)).dashboard!), 'utf8');
    assert.ok(!dashboard.includes('<img src=x'), 'the name is escaped');
  });

  it('re-running redraws nothing and computes no periodogram', async () => {
    const again = await runPlots(handle, { settings: settings() });
    assert.equal(again.outputs.written, 0);
    assert.equal(again.outputs.removed, 0);
    assert.equal(again.periodograms.computed, 0);
    assert.equal(again.periodograms.cached, first.periodograms.computed);
    assert.ok(again.items.every((i) => i.status === 'unchanged' || i.status === 'skipped'));
  });

  it('a changed stats row redraws only the outputs that show it', async () => {
    const target = seeded.composites[0]!;
    const name = path.basename(target);
    const before = (await listStats(handle.db)).find((s) => s.lightcurve_filename === name)!;
    await handle.db.updateTable('stats').set({ pearson_r: (before.pearson_r ?? 0) + 0.5 }).where('lightcurve_filename', '=', name).execute();
    const r = await runPlots(handle, { settings: settings() });
    const drawn = r.items.filter((i) => i.status === 'done');
    assert.deepEqual(drawn.map((i) => i.path), [target]);
    const written = drawn[0]!.outputs.filter((o) => o.status === 'written').map((o) => o.path);
    assert.deepEqual(written, [lightcurveOutputs('composite', name).dashboard]);
    assert.equal(r.periodograms.computed, 0);
  });

  it('a broken lightcurve fails alone, by name; --force redraws everything else', async () => {
    const broken = seeded.individuals[1]!;
    const saved = readFileSync(broken);
    writeFileSync(broken, 'SIMPLE  = this is not a FITS file');
    try {
      const r = await runPlots(handle, { settings: settings(), force: true });
      assert.equal(r.ok, false);
      const failed = r.items.filter((i) => i.status === 'failed');
      assert.deepEqual(failed.map((i) => i.path), [broken]);
      assert.ok(failed[0]!.reason);
      assert.equal(r.counts.done, first.counts.done - 1);
      // The broken file's old outputs are kept (a transient failure deletes nothing).
      assert.ok(existsSync(path.join(plotDir, lightcurveOutputs('individual', path.basename(broken)).png)));
    } finally {
      writeFileSync(broken, saved);
    }
  });

  it('prunes the outputs of a lightcurve gone from the database', async () => {
    const gone = seeded.individuals[2]!;
    await handle.db.deleteFrom('outputs').where('individual_filename', '=', path.basename(gone)).execute();
    const r = await runPlots(handle, { settings: settings() });
    assert.ok(r.outputs.removed >= 1);
    assert.equal(existsSync(path.join(plotDir, lightcurveOutputs('individual', path.basename(gone)).png)), false);
    assert.ok(readdirSync(path.join(plotDir, '.hstlc-cache', 'periodograms')).length <= r.periodograms.cached + r.periodograms.computed);
    rmSync(path.join(plotDir, PAGES.index));
    const again = await runPlots(handle, { settings: settings() });
    assert.deepEqual(again.pages.filter((p) => p.status === 'written').map((p) => p.path), [PAGES.index]);
  });

  it('refuses to run while another command holds home_dir; the pipeline, which holds it, runs it without', async () => {
    const lock = await lockHome(home, 'pipeline');
    try {
      const full = resolveSettings({ home_dir: home, plot_dir: plotDir, num_cores: 1, algorithm: 'compat' }, { baseDir: home, homedir: home, cores: 1 });
      await assert.rejects(runStage(plotsStage, { db: handle, settings: full }, {}), HomeLockedError);
      const r = await pipelinePlots({ handle, settings: full, logger: SILENT });
      assert.equal(r.status, 'done');
      assert.deepEqual([r.written, r.failed], [0, 0]);
      assert.equal(r.unchanged, (r.detail as PlotsSummary).counts.unchanged);
      assert.equal(r.site, path.join(plotDir, 'index.html'));
      // The individual lightcurve without a stats row.
      assert.equal(r.skipped, 1);
      // Its per-item results, which the pipeline stage reports beside ingest's and stats': one per
      // lightcurve the database still lists (an earlier case may have pruned one), all drawn but the one
      // without stats.
      const rows = await handle.db.selectFrom('outputs').select(['individual_filename', 'composite_filename']).execute();
      const kept = new Set(rows.flatMap((o) => [o.individual_filename, o.composite_filename]));
      const listed = [...seeded.composites, ...seeded.individuals].filter((p) => kept.has(path.basename(p))).sort();
      assert.deepEqual(r.results?.map((x) => x.key).sort(), listed);
      assert.deepEqual(r.results?.filter((x) => x.status !== 'done').map((x) => [x.key, x.status]), [[seeded.individuals[0], 'skipped']]);
    } finally {
      await lock.release();
    }
  });
});

describe('periodogram reduction', () => {
  it('keeps the envelope of every slice of the period axis and the marked peaks', () => {
    const n = 100_000;
    // Uniform in frequency, as the corrected grid: periods crowd at the short end.
    const periods = Float64Array.from({ length: n }, (_, i) => 1 / (1 + (i * 99) / n));
    const powers = Float64Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i * 0.37)) * 0.1 + (i === 54_321 ? 0.9 : 0));
    const idx = reducedIndices(periods, powers, 2000, [777]);
    assert.ok(idx.length <= 2000, String(idx.length));
    assert.ok(idx.includes(54_321) && idx.includes(777) && idx.includes(0) && idx.includes(n - 1));
    assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
    // No gap wider than about two slices on the (log) period axis the charts draw.
    const kept = idx.map((i) => Math.log(periods[i]!)).sort((a, b) => a - b);
    const slice = (kept.at(-1)! - kept[0]!) / 999;
    for (let k = 1; k < kept.length; k++) assert.ok(kept[k]! - kept[k - 1]! <= 3 * slice, `gap at ${Math.exp(kept[k]!)}`);
    assert.deepEqual(reducedIndices(Float64Array.of(3, 2, 1), Float64Array.of(1, 2, 3), 2000), [0, 1, 2]);
  });

  it('marks at most one peak per slice, always the highest one', () => {
    const n = 10_000;
    const periods = Float64Array.from({ length: n }, (_, i) => 1 + i);
    const power = Float64Array.from({ length: n }, (_, i) => (i === 4321 ? 0.5 : 0.01 + (i % 7) / 1000));
    const significantIndices = Array.from({ length: 1000 }, (_, k) => k * 10 + 1).concat([4321]).sort((a, b) => a - b);
    const marked = markedPeaks({ periods, power, significantIndices }, 50);
    assert.ok(marked.length <= 50);
    assert.ok(marked.includes(4321));
    assert.deepEqual(markedPeaks({ periods, power, significantIndices: [5, 9] }, 50), [5, 9]);
  });
});
