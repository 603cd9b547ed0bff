/** buildSite on the golden archive: every output exists, re-runs redraw only what changed, text is escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, type SiteRecord } from '../../src/plots/site.js';
import { lightcurveOutputs, MANIFEST, PAGES } from '../../src/plots/layout.js';
import { pngSize } from '../../src/plots/render.js';
import { LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import { PERIODOGRAM_SIZE } from '../../src/plots/charts/periodogram.js';
import { byInterest, interestOf } from '../../src/analysis/index.js';
import { tempDir } from '../helpers/tools.js';
import { skipUnlessFonts } from './helpers.js';
import { goldenRecords } from './golden.js';

const fonts = skipUnlessFonts();

const TOP_PAGES = [
  'index.html',
  'interesting_hstlc.html',
  'boring_hstlc.html',
  'low_counts_hstlc.html',
  'null_hstlc.html',
  'exptime_histogram.html',
  'pie_config_cos_fuv.html',
  'pie_config_cos_nuv.html',
  'pie_config_stis_fuv.html',
  'pie_config_stis_nuv.html',
  'opt_elem.html',
];
const ASSET_FILES = ['echarts.min.js', 'tabulator.min.js', 'tabulator.min.css', 'hstlc.css', 'hstlc-charts.js', 'hstlc-table.js'];

/** The JSON a page embeds for its script. */
export function pageData<T>(html: string, id: string): T {
  const m = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  assert.ok(m, `no ${id} block`);
  return JSON.parse(m[1]) as T;
}

test('buildSite writes every output for the golden archive and redraws only what changed', { skip: fonts, timeout: 300_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const records = await goldenRecords();
    const composites = records.filter((r) => r.kind === 'composite');
    assert.equal(composites.length, 10);
    const first = await buildSite({ plotDir: dir, records });
    assert.equal(first.failed, 0, JSON.stringify(first.items.filter((i) => i.status === 'failed')));
    assert.ok(first.items.every((i) => i.status === 'done'));

    for (const page of TOP_PAGES) assert.ok(existsSync(join(dir, page)), page);
    for (const asset of ASSET_FILES) assert.ok(existsSync(join(dir, 'assets', asset)), asset);
    for (const r of records) {
      const out = lightcurveOutputs(r.kind, r.stats.lightcurve_filename);
      assert.deepEqual(pngSize(readFileSync(join(dir, out.png))), LIGHTCURVE_SIZE, out.png);
      assert.deepEqual(pngSize(readFileSync(join(dir, out.periodogram))), PERIODOGRAM_SIZE, out.periodogram);
      if (out.dashboard) assert.ok(existsSync(join(dir, out.dashboard)), out.dashboard);
      assert.equal(existsSync(join(dir, out.subset)), r.stats.periodogram, out.subset);
    }
    // §15.25 fixed: names without `.fits`, the subset folder exists and holds exactly the flagged ones.
    assert.deepEqual(readdirSync(join(dir, 'periodogram_subset')).sort(), [
      'hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci_periodogram.png',
      'hlsp_hstlc_hst_cos-nuv_hd209458_g225m_2250_psa_v1_sci_periodogram.png',
      'hlsp_hstlc_hst_stis-fuv-mama_xtej1118+480_g140l_1425_52x0.2_v1_sci_periodogram.png',
      'lbxv0101q_periodogram.png',
      'lc9h0103q_periodogram.png',
    ]);

    // §12.3 (fixed per §15.24): the tables partition the composites by the one definition of 'interesting'.
    type Spec = { rows: Array<{ poisson_f: number | null; target: string; dashboard: string; thumbnail: string }> };
    const interesting = pageData<Spec>(readFileSync(join(dir, PAGES.interesting), 'utf8'), 'hstlc-table').rows;
    const boring = pageData<Spec>(readFileSync(join(dir, PAGES.boring), 'utf8'), 'hstlc-table').rows;
    const nulls = pageData<Spec>(readFileSync(join(dir, PAGES.null), 'utf8'), 'hstlc-table').rows;
    const low = pageData<Spec>(readFileSync(join(dir, PAGES.low_counts), 'utf8'), 'hstlc-table').rows;
    const kindCount = (k: string): number => composites.filter((r) => interestOf(r.stats).kind === k).length;
    assert.equal(interesting.length, kindCount('interesting'));
    assert.equal(boring.length, kindCount('boring'));
    assert.equal(low.length, kindCount('low_counts'));
    assert.equal(interesting.length + boring.length + low.length, composites.length);
    assert.equal(nulls.length, 0);
    assert.match(readFileSync(join(dir, PAGES.null), 'utf8'), /id="hstlc-empty">Every composite lightcurve has statistics/);
    for (const row of interesting) {
      assert.ok(row.poisson_f !== null && row.poisson_f >= 1.2);
      assert.ok(existsSync(join(dir, decodeURIComponent(row.dashboard))));
      assert.ok(existsSync(join(dir, decodeURIComponent(row.thumbnail))));
    }

    // Nothing changed: nothing is drawn again.
    const second = await buildSite({ plotDir: dir, records });
    assert.equal(second.written, 0);
    assert.equal(second.removed, 0);
    assert.ok(second.items.every((i) => i.status === 'unchanged'));

    // New statistics for one composite: its dashboard and the pages change, no PNG is redrawn; the
    // periodogram flag cleared removes its subset copy.
    const target = composites.find((r) => r.stats.periodogram)!;
    const changed: SiteRecord[] = records.map((r) => (r === target ? { ...r, stats: { ...r.stats, poisson_factor: 0.5, periodogram: false } } : r));
    const third = await buildSite({ plotDir: dir, records: changed });
    const written = [...third.items.flatMap((i) => i.outputs), ...third.pages].filter((o) => o.status === 'written').map((o) => o.path).sort();
    const out = lightcurveOutputs('composite', target.stats.lightcurve_filename);
    assert.deepEqual(written, [out.dashboard, 'boring_hstlc.html', 'index.html', 'interesting_hstlc.html'].sort());
    assert.deepEqual(third.pages.filter((o) => o.status === 'removed').map((o) => o.path), [out.subset]);
    assert.ok(!existsSync(join(dir, out.subset)));

    // A deleted output is redrawn even though the manifest knows it.
    const png = lightcurveOutputs('individual', 'lb4k0105q_curve.fits').png;
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, png));
    const fourth = await buildSite({ plotDir: dir, records: changed });
    assert.deepEqual(fourth.items.flatMap((i) => i.outputs).filter((o) => o.status === 'written').map((o) => o.path), [png]);

    const forced = await buildSite({ plotDir: dir, records: changed.slice(0, 2), force: true, prune: false });
    assert.equal(forced.unchanged, 0);
    assert.ok(existsSync(join(dir, MANIFEST)));
  } finally {
    cleanup();
  }
});

test("index.html and the tables say the same about the same rows; a low-count curve is never 'interesting'", { skip: fonts, timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const all = (await goldenRecords()).filter((r) => r.kind === 'composite');
    // The first four, and one more whose periodogram the golden stats flag (with enough counts).
    const composites = [...all.slice(0, 4), all.slice(4).find((r) => r.stats.periodogram)!];
    // the demo's near-empty STIS composite: 3 counts, a large poisson factor, a flagged periodogram
    const empty = { ...composites[0]!, stats: { ...composites[0]!.stats, targname: 'NEAR-EMPTY', total: 3, mean: 0.002, poisson_factor: 25, periodogram: true, false_alarm_probability: 1e-8 } };
    // The flagged one with a false-alarm probability, as corrected-mode stats give (compat's have none).
    const periodic = { ...composites[4]!, stats: { ...composites[4]!.stats, false_alarm_probability: 1e-6 } };
    const records = [empty, ...composites.slice(1, 4), periodic];
    await buildSite({ plotDir: dir, records });
    const index = readFileSync(join(dir, PAGES.index), 'utf8');
    for (const kind of ['interesting', 'boring', 'low_counts', 'null'] as const) {
      const rows = pageData<{ rows: Array<{ target: string }> }>(readFileSync(join(dir, PAGES[kind]), 'utf8'), 'hstlc-table').rows;
      const want = records.filter((r) => interestOf(r.stats).kind === kind).length;
      assert.equal(rows.length, want, kind);
      assert.match(index, new RegExp(`id="count-${kind}">${want}<`), kind);
    }
    // The tables open most interesting first (index.html's order) and show the evidence: σ of the poisson
    // factor F/√(2(N−1)), N = total/mean bins (by hand here), and the false-alarm probability when flagged.
    type Row = { rank: number; target: string; poisson_f_err: number | null; fap: number | null };
    const spec = pageData<{ rows: Row[]; initialSort: unknown }>(readFileSync(join(dir, PAGES.interesting), 'utf8'), 'hstlc-table');
    assert.deepEqual(spec.initialSort, { column: 'rank', dir: 'asc' });
    const wantOrder = records.filter((r) => interestOf(r.stats).kind === 'interesting').sort((a, b) => byInterest(a.stats, b.stats));
    assert.deepEqual(spec.rows.map((r) => [r.rank, r.target]), wantOrder.map((r, i) => [i + 1, r.stats.targname]));
    for (const [i, row] of spec.rows.entries()) {
      const st = wantOrder[i]!.stats;
      const n = Math.round(st.total! / st.mean!);
      assert.ok(Math.abs(row.poisson_f_err! - st.poisson_factor! / Math.sqrt(2 * (n - 1))) < 1e-12, row.target);
      assert.equal(row.fap, st.periodogram ? (st.false_alarm_probability ?? null) : null, row.target);
    }
    assert.equal(spec.rows.find((r) => r.target === periodic.stats.targname)?.fap, 1e-6);
    const low = pageData<{ rows: Array<{ target: string }> }>(readFileSync(join(dir, PAGES.low_counts), 'utf8'), 'hstlc-table').rows;
    assert.deepEqual(low.map((r) => r.target), ['NEAR-EMPTY']);
    const section = (id: string): string => /<(ul) [^>]*id="([^"]+)"[^>]*>[\s\S]*?<\/ul>/g.exec(index.slice(index.indexOf(`id="${id}"`) - 20))?.[0] ?? '';
    assert.match(section('most-interesting'), /HD189733|V4046SGR/, 'the interesting ones are listed');
    assert.ok(!section('most-interesting').includes('NEAR-EMPTY'), 'not among the most interesting');
    assert.ok(!section('periodograms').includes('NEAR-EMPTY'), 'not a periodic candidate');
    // periodogram_subset/ selects the same: the flagged low-count curve (composites[0]'s file, which
    // the golden stats flag) is left out, though its periodogram is drawn.
    assert.ok(empty.periodogram && composites[0]!.stats.periodogram, 'the golden composite has a flagged periodogram');
    const out = lightcurveOutputs('composite', empty.stats.lightcurve_filename);
    assert.ok(existsSync(join(dir, out.periodogram)), out.periodogram);
    assert.ok(!existsSync(join(dir, out.subset)), `${out.subset}: a low-count curve is never in the subset`);
    const flagged = records.filter((r) => r.stats.periodogram && r !== empty).map((r) => lightcurveOutputs('composite', r.stats.lightcurve_filename).subset);
    assert.deepEqual(readdirSync(join(dir, 'periodogram_subset')).map((f) => `periodogram_subset/${f}`).sort(), flagged.sort());
  } finally {
    cleanup();
  }
});

test('an empty archive still writes every page, each saying it is empty', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const result = await buildSite({ plotDir: dir, records: [] });
    assert.equal(result.failed, 0);
    for (const page of TOP_PAGES) assert.ok(existsSync(join(dir, page)), page);
    assert.match(readFileSync(join(dir, PAGES.interesting), 'utf8'), /id="hstlc-empty">No composite lightcurve is interesting/);
    assert.match(readFileSync(join(dir, 'pie_config_cos_fuv.html'), 'utf8'), /No COS FUV composite lightcurves/);
    assert.match(readFileSync(join(dir, PAGES.index), 'utf8'), /No interesting composite lightcurves yet/);
  } finally {
    cleanup();
  }
});

test('a missing lightcurve file fails its item only; the rest of the site is written', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const [record] = (await goldenRecords()).filter((r) => r.kind === 'composite');
    const result = await buildSite({ plotDir: dir, records: [{ ...record, path: join(dir, 'gone.fits') }] });
    assert.equal(result.items[0].status, 'failed');
    assert.match(result.items[0].error ?? '', /gone\.fits/);
    assert.ok(result.failed >= 1);
    assert.ok(existsSync(join(dir, PAGES.index)));
  } finally {
    cleanup();
  }
});

test('strings from headers and the database are escaped on every page', { skip: fonts, timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const hostile = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>&';
    const [a, b] = (await goldenRecords()).filter((r) => r.kind === 'composite');
    const records: SiteRecord[] = [
      { ...a, stats: { ...a.stats, targname: hostile, aperture: '"><b>x</b>', poisson_factor: 3 }, datasetNames: [hostile] },
      { ...b, stats: { ...b.stats, opt_elem: "G'130M<i>" } },
    ];
    const result = await buildSite({ plotDir: dir, records });
    assert.equal(result.failed, 0);
    const pages = [...TOP_PAGES, lightcurveOutputs('composite', a.stats.lightcurve_filename).dashboard!];
    for (const page of pages) {
      const html = readFileSync(join(dir, page), 'utf8');
      assert.doesNotMatch(html, /<img src=x|<script>window|<b>x<\/b>|<i>/, page);
      // Only our own script tags: the data blocks and the assets.
      for (const m of html.matchAll(/<script[^>]*>/g)) assert.match(m[0], /^<script (type="application\/json" id="hstlc-[a-z]+"|src="(\.\.\/)?assets\/[a-z.-]+\.js")>$/, page);
    }
    const index = readFileSync(join(dir, PAGES.index), 'utf8');
    assert.ok(index.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;&lt;/script&gt;'));
  } finally {
    cleanup();
  }
});

test('images can be drawn by a pool unit, several lightcurves at once, results in input order', { skip: fonts, timeout: 120_000 }, async () => {
  const { renderImage } = await import('../../src/plots/units.js');
  const { dir, cleanup } = tempDir();
  try {
    const records = (await goldenRecords()).filter((r) => r.kind === 'composite').slice(0, 4);
    let inFlight = 0;
    let most = 0;
    const kinds: string[] = [];
    const result = await buildSite({
      plotDir: dir,
      records,
      concurrency: 3,
      renderImage: async (job) => {
        // Structured-cloneable, as a worker thread needs.
        const copy = structuredClone(job);
        kinds.push(copy.kind);
        most = Math.max(most, ++inFlight);
        try {
          await new Promise((r) => setTimeout(r, 20));
          return await renderImage(copy);
        } finally {
          inFlight--;
        }
      },
    });
    assert.equal(result.failed, 0);
    assert.ok(most > 1, 'several images in flight');
    assert.deepEqual(result.items.map((i) => i.name), records.map((r) => r.stats.lightcurve_filename));
    assert.equal(kinds.filter((k) => k === 'lightcurve').length, 4);
    assert.equal(kinds.filter((k) => k === 'periodogram').length, 4);
    for (const r of records) {
      const out = lightcurveOutputs('composite', r.stats.lightcurve_filename);
      assert.deepEqual(pngSize(readFileSync(join(dir, out.png))), LIGHTCURVE_SIZE);
      assert.deepEqual(pngSize(readFileSync(join(dir, out.periodogram))), PERIODOGRAM_SIZE);
    }
  } finally {
    cleanup();
  }
});
