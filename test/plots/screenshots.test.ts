/**
 * Each kind of page (index, dashboard with its periodogram, table, overview chart) in Debian's headless
 * Chromium: a full-page screenshot that is not blank, and the axis titles with their units both in the
 * DOM (the charts' aria-labels) and among the texts ECharts drew. The screenshots stay in
 * $HSTLC_SCREENSHOTS (default: <tmp>/hstlc-screenshots) for a person to look at.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildSite, type SiteRecord } from '../../src/plots/site.js';
import { lightcurveOutputs, PAGES } from '../../src/plots/layout.js';
import { tempDir } from '../helpers/tools.js';
import { CHROMIUM, skipUnlessChromium, skipUnlessFonts } from './helpers.js';
import { goldenRecords } from './golden.js';
import { byInterest, interestOf } from '../../src/analysis/index.js';

const skip = skipUnlessChromium() || skipUnlessFonts();
const SHOTS = process.env.HSTLC_SCREENSHOTS ?? join(tmpdir(), 'hstlc-screenshots');

/** Browser-side code as strings: the project's tsconfig has no DOM library. */
function js<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** Share of pixels unlike the top-left one, and how many distinct colours, of a PNG (decoded by the page). */
async function inked(page: Page, png: Buffer): Promise<{ share: number; colours: number }> {
  return js(page, `new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      let other = 0; const colours = new Set();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) other++;
        if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
      resolve({ share: other / (d.length / 4), colours: colours.size });
    };
    img.src = 'data:image/png;base64,${png.toString('base64')}';
  })`);
}

/** Every text ECharts drew on each chart's canvas (titles, axis names, tick labels, legend). */
function drawnTexts(page: Page): Promise<string[][]> {
  return js(page, `(window.hstlcCharts || []).map((chart) => chart.getZr().storage.getDisplayList(true)
    .map((el) => el.style && el.style.text).filter((t) => typeof t === 'string' && t !== ''))`);
}

type Box = { left: number; right: number; top: number; bottom: number };

/**
 * Per sortable column header: the boxes of its title's text (one per line, the glyphs as laid out, so
 * text overflowing its box counts), of its sort arrow, and of the header cell.
 */
function headerBoxes(page: Page): Promise<Array<{ title: string; text: Box[]; arrow: Box; cell: Box }>> {
  return js(page, `[...document.querySelectorAll('.tabulator-col.tabulator-sortable')].map((col) => {
    const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    const title = col.querySelector('.tabulator-col-title');
    const range = document.createRange();
    range.selectNodeContents(title);
    return {
      title: title.textContent.trim(),
      text: [...range.getClientRects()].filter((r) => r.width > 0).map(box),
      arrow: box(col.querySelector('.tabulator-arrow').getBoundingClientRect()),
      cell: box(col.getBoundingClientRect()),
    };
  })`);
}

/** No header's text touches its sort arrow or leaves its cell. */
async function assertHeadersClear(page: Page, name: string): Promise<void> {
  const headers = await headerBoxes(page);
  assert.ok(headers.length >= 10, `${name}: sortable headers`);
  const meet = (a: Box, b: Box): boolean => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const h of headers) {
    assert.ok(h.text.length > 0 && h.arrow.right > h.arrow.left, `${name} "${h.title}": text and arrow are drawn`);
    for (const t of h.text) {
      assert.ok(!meet(t, h.arrow), `${name} "${h.title}": text ${JSON.stringify(t)} under the arrow ${JSON.stringify(h.arrow)}`);
      assert.ok(t.left >= h.cell.left && t.right <= h.cell.right, `${name} "${h.title}": text ${JSON.stringify(t)} leaves its cell ${JSON.stringify(h.cell)}`);
    }
    assert.ok(h.arrow.left >= h.cell.left && h.arrow.right <= h.cell.right, `${name} "${h.title}": the arrow inside its cell`);
  }
}

describe('screenshots of every page kind', { skip, timeout: 300_000 }, () => {
  let site: { dir: string; cleanup: () => void };
  let browser: Browser;
  let records: SiteRecord[];

  before(async () => {
    site = tempDir();
    // Composites with a periodogram, so the dashboard has both charts.
    records = (await goldenRecords()).filter((r) => r.kind === 'composite').slice(0, 6);
    const result = await buildSite({ plotDir: site.dir, records });
    assert.equal(result.failed, 0);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    site?.cleanup();
  });

  async function shoot(rel: string, name: string, ready: string | null): Promise<{ page: Page; texts: string[][]; labels: string[]; width: number }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(join(site.dir, rel)).href, { waitUntil: 'load' });
    if (ready) await page.waitForSelector(`html[${ready}]`, { timeout: 30_000 });
    await page.waitForFunction(`[...document.images].every((i) => i.complete)`);
    const png = await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    const ink = await inked(page, png);
    assert.ok(ink.share > 0.02 && ink.colours > 20, `${name}: looks blank (${JSON.stringify(ink)})`);
    assert.deepEqual(errors, [], name);
    const labels = await js<string[]>(page, `[...document.querySelectorAll('[role=img]')].map((e) => e.getAttribute('aria-label'))`);
    const width = await js<number>(page, 'document.documentElement.scrollWidth');
    return { page, texts: await drawnTexts(page), labels, width };
  }

  test('the dashboard: flux in scaled units, MJD without separators, full member labels; periodogram by range on log period', async () => {
    const record = records.find((r) => r.periodogram) ?? records[0];
    assert.ok(record.periodogram, 'a golden composite with a periodogram');
    const rel = lightcurveOutputs('composite', record.stats.lightcurve_filename).dashboard!;
    const { page, texts, labels } = await shoot(rel, 'dashboard', 'data-charts-ready="2"');
    const [lightcurve, periodogram] = texts;
    const flux = lightcurve.find((t) => t.startsWith('Flux ('));
    assert.match(flux ?? '', /^Flux \(10[⁻¹²³⁴⁵⁶⁷⁸⁹⁰]+ erg s⁻¹ cm⁻² Å⁻¹\)$/, 'scaled flux unit');
    assert.ok(lightcurve.includes('MJD') && lightcurve.includes('Net (counts/s)'));
    const mjdTicks = lightcurve.filter((t) => /^\d{5}\.\d+$/.test(t));
    assert.ok(mjdTicks.length >= 2, `MJD tick labels: ${mjdTicks.join(' ')}`);
    assert.ok(!lightcurve.some((t) => /^\d{1,3}(,\d{3})+/.test(t)), 'no thousands separators');
    // Flux ticks have two or three significant digits (0.5, 1, 1.5…), not 0.00000000000004.
    const fluxAxisTicks = lightcurve.filter((t) => /^-?\d+(\.\d+)?$/.test(t) && !/^\d{5}\./.test(t));
    assert.ok(fluxAxisTicks.every((t) => t.replace(/^-?0*\.?0*/, '').replace('.', '').length <= 3), fluxAxisTicks.join(' '));
    for (const name of record.datasetNames ?? []) {
      const root = /^([a-z0-9]{9})_/i.exec(name)?.[1] ?? name;
      assert.ok(lightcurve.some((t) => t.startsWith(root)), `legend names ${root}`);
    }
    for (const t of ['Periods 5 s – 10 min', 'Periods 10 min – 1 h', 'Periods 1 h – 10 h', 'Period (s)', 'Period (min)', 'Period (h)', 'mean', 'mean + 3σ', 'significant peak']) {
      assert.ok(periodogram.includes(t), `periodogram draws "${t}"`);
    }
    assert.ok(!periodogram.some((t) => /Frequency Space|Days/.test(t)));
    // Every period panel has its y-axis title, beside its own panel, all at one distance from the axes.
    const powerTitles = await js<Array<{ x: number; y: number }>>(page, `window.hstlcCharts[1].getZr().storage.getDisplayList(true)
      .filter((el) => el.style && el.style.text === 'Power').map((el) => ({ x: el.transform ? el.transform[4] : el.x, y: el.transform ? el.transform[5] : el.y }))`);
    const grids = await js<Array<{ x: number; y: number; height: number }>>(page, `[0, 1, 2].map((i) => window.hstlcCharts[1].getModel().getComponent('grid', i).coordinateSystem.getRect())`);
    assert.equal(powerTitles.length, 3, `"Power" titles: ${JSON.stringify(powerTitles)}`);
    grids.forEach((g, i) => {
      const mine = powerTitles.filter((t) => t.y > g.y && t.y < g.y + g.height);
      assert.equal(mine.length, 1, `panel ${i + 1} has one y-axis title: ${JSON.stringify(powerTitles)} for ${JSON.stringify(g)}`);
      assert.ok(mine[0]!.x < g.x, `panel ${i + 1}'s title left of its axis`);
    });
    assert.ok(Math.max(...powerTitles.map((t) => t.x)) - Math.min(...powerTitles.map((t) => t.x)) < 0.5, 'the titles line up');
    // The DOM says the same: each chart's aria-label names its axes and units.
    assert.match(labels[0], /x: MJD/);
    assert.match(labels[0], /Flux \(10[⁻¹²³⁴⁵⁶⁷⁸⁹⁰]+ erg s⁻¹ cm⁻² Å⁻¹\)/);
    assert.match(labels[1], /Periods 5 s – 10 min.*x: Period \(s\), Period \(min\), Period \(h\); y: Power$/);
    await page.close();
  });

  test('index, table and overview chart pages are drawn and named', async () => {
    const index = await shoot(PAGES.index, 'index', null);
    await index.page.close();
    const table = await shoot(PAGES.boring, 'table', 'data-table-ready');
    assert.ok(table.width <= 1400, `the table page is ${table.width} px wide`);
    const headers = await js<string[]>(table.page, `[...document.querySelectorAll('.tabulator-col-title')].map((e) => e.textContent.trim())`);
    await assertHeadersClear(table.page, 'table');
    for (const h of ['rank', 'cenwave (Å)', 'exptime (s)', 'total (counts)', 'mean (counts/bin)', 'σ of poisson factor', 'false-alarm prob.', 'file']) assert.ok(headers.includes(h), `header "${h}" in ${headers.join(' | ')}`);
    // Every column shows: the table itself does not scroll sideways within the 1400 px window.
    const holder = await js<{ scroll: number; client: number }>(table.page, `(() => { const h = document.querySelector('.tabulator-tableholder'); return { scroll: h.scrollWidth, client: h.clientWidth }; })()`);
    assert.ok(holder.scroll <= holder.client, `the table is ${holder.scroll} px wide in a ${holder.client} px view`);
    const cells = await js<string[]>(table.page, `[...document.querySelectorAll('.tabulator-cell')].map((e) => e.textContent)`);
    assert.ok(!cells.some((t) => t.startsWith('/')), 'no absolute path in the table');
    // A thumbnail opens enlarged in place (a lightbox), not in a new tab.
    await table.page.locator('.tabulator img.thumbnail').first().click();
    await table.page.waitForSelector('#hstlc-lightbox:not([hidden])');
    await table.page.screenshot({ path: join(SHOTS, 'table-lightbox.png') });
    assert.equal(table.page.context().pages().length, 1);
    await table.page.keyboard.press('Escape');
    await table.page.waitForSelector('#hstlc-lightbox[hidden]', { state: 'attached' });
    await table.page.close();
    // The interesting table opens most interesting first (index.html's order), ranks 1, 2, 3 …
    const interesting = await shoot(PAGES.interesting, 'table-interesting', 'data-table-ready');
    assert.ok(interesting.width <= 1400, `the table page is ${interesting.width} px wide`);
    await assertHeadersClear(interesting.page, 'table-interesting');
    const order = await js<Array<{ rank: number; target: string }>>(interesting.page, `window.hstlcTable.getRows('active').map((r) => ({ rank: r.getData().rank, target: r.getData().target }))`);
    const want = records.filter((r) => interestOf(r.stats).kind === 'interesting').sort((a, b) => byInterest(a.stats, b.stats)).map((r) => r.stats.targname);
    assert.ok(want.length >= 2, 'at least two interesting golden composites');
    assert.deepEqual(order, want.map((target, i) => ({ rank: i + 1, target })));
    await interesting.page.close();
    const chart = await shoot(PAGES.exptime, 'exptime', 'data-charts-ready');
    assert.ok(chart.labels[0].length > 0, 'the overview chart has an aria-label');
    assert.ok(chart.texts[0].length > 3, 'the overview chart drew its texts');
    await chart.page.close();
  });
});
