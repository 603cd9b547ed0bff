/**
 * The pages in Debian's headless Chromium (never a downloaded browser), from the file system and over
 * HTTP: no console errors, charts drawn, the table sorts and filters, links and images resolve, a hostile
 * TARGNAME is shown as text, and no request leaves the site's folder.
 */
import { after, before, describe, test } from 'node:test';
import { interestOf } from '../../src/analysis/index.js';
import assert from 'node:assert/strict';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildSite, type SiteRecord } from '../../src/plots/site.js';
import { readLightcurve } from '../../src/plots/read.js';
import { lightcurveOutputs, PAGES } from '../../src/plots/layout.js';
import { tempDir } from '../helpers/tools.js';
import { CHROMIUM, skipUnlessChromium, skipUnlessFonts } from './helpers.js';
import { goldenRecords } from './golden.js';

const skip = skipUnlessChromium() || skipUnlessFonts();
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

/** Browser-side code as strings: the project's tsconfig has no DOM library. */
function js<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

interface Visit {
  errors: string[];
  offsite: string[];
}

/** Every request outside `allowed` is aborted and recorded; console errors and page errors collected. */
async function open(context: BrowserContext, url: string, allowed: string): Promise<{ page: Page; visit: Visit }> {
  const page = await context.newPage();
  const visit: Visit = { errors: [], offsite: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') visit.errors.push(m.text());
  });
  page.on('pageerror', (e) => visit.errors.push(String(e)));
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    if (u.startsWith(allowed)) await route.continue();
    else {
      visit.offsite.push(u);
      await route.abort();
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, visit };
}

function serve(root: string): Promise<{ server: Server; base: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png' };
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
  }));
}

describe('pages in headless Chromium', { skip, timeout: 240_000 }, () => {
  let site: { dir: string; cleanup: () => void };
  let userData: string;
  let context: BrowserContext;
  let records: SiteRecord[];

  before(async () => {
    site = tempDir();
    const golden = (await goldenRecords()).filter((r) => r.kind === 'composite');
    records = golden.slice(0, 6).map((r, i) => (i === 0 ? { ...r, stats: { ...r.stats, targname: HOSTILE, poisson_factor: 5 }, datasetNames: [HOSTILE] } : r));
    const result = await buildSite({ plotDir: site.dir, records });
    assert.equal(result.failed, 0);
    userData = mkdtempSync(join(tmpdir(), 'hstlc-chromium-'));
    context = await chromium.launchPersistentContext(userData, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
  });

  after(async () => {
    await context?.close();
    rmSync(userData, { recursive: true, force: true });
    site?.cleanup();
  });

  const fileUrl = (rel: string) => pathToFileURL(join(site.dir, rel)).href;
  const allowedFile = () => pathToFileURL(site.dir).href + '/';

  test('a dashboard draws its five linked panels and the periodogram, offline', async () => {
    const record = records[1];
    const rel = lightcurveOutputs('composite', record.stats.lightcurve_filename).dashboard!;
    const { page, visit } = await open(context, fileUrl(rel), allowedFile());
    await page.waitForSelector('html[data-charts-ready="2"]', { timeout: 30_000 });
    const state = await js<{ series: string[]; xAxes: number; periodogramSeries: number; points: number[]; canvases: number[] }>(
      page,
      `(() => {
        const charts = window.hstlcCharts;
        const option = charts[0].getOption();
        return {
          series: option.series.map((s) => s.type),
          xAxes: option.xAxis.length,
          periodogramSeries: charts[1].getOption().series.length,
          points: [0, 1, 2, 3, 4].map((i) => charts[0].getModel().getSeriesByIndex(i).getData().count()),
          canvases: [...document.querySelectorAll('canvas')].map((c) => c.width * c.height),
        };
      })()`,
    );
    assert.deepEqual(state.series, ['scatter', 'scatter', 'scatter', 'scatter', 'scatter']);
    assert.equal(state.xAxes, 5);
    // Per period space: power, mean, mean + 3σ, the peaks' dashed lines and their labels.
    assert.equal(state.periodogramSeries, 15);
    const lc = await readLightcurve(record.path);
    assert.deepEqual(state.points, [lc.mjd.length, lc.mjd.length, lc.mjd.length, lc.mjd.length, lc.mjd.length], 'one point per bin in every panel');
    assert.ok(state.canvases.length >= 2 && state.canvases.every((a) => a > 0));
    // Zooming one panel's x range zooms all five (the shared dataZoom).
    const ranges = await js<number[][]>(
      page,
      `(() => {
        const chart = window.hstlcCharts[0];
        chart.dispatchAction({ type: 'dataZoom', start: 20, end: 60 });
        return [0, 1, 2, 3, 4].map((i) => chart.getModel().getComponent('xAxis', i).axis.scale.getExtent());
      })()`,
    );
    assert.ok(ranges[0][1] - ranges[0][0] > 0);
    for (const r of ranges) assert.deepEqual(r, ranges[0]);
    // A box (lineX) selection on the gross panel selects the same bins in all five panels (brushLink).
    const brushed = await js<{ selected: number[][]; range: number[] }>(
      page,
      `new Promise((resolve) => {
        const chart = window.hstlcCharts[0];
        chart.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
        const [t0, t1] = chart.getModel().getComponent('xAxis', 0).axis.scale.getExtent();
        chart.on('brushSelected', (e) => {
          const batch = e.batch[0];
          if (batch && batch.selected.some((s) => s.dataIndex.length > 0)) {
            resolve({ selected: batch.selected.map((s) => s.dataIndex.slice().sort((a, b) => a - b)), range: [t0, t0 + (t1 - t0) / 2] });
          }
        });
        chart.dispatchAction({ type: 'brush', areas: [{ brushType: 'lineX', xAxisIndex: 0, coordRange: [t0, t0 + (t1 - t0) / 2] }] });
      })`,
    );
    const { selected, range } = brushed;
    assert.equal(selected.length, 5);
    for (const s of selected) assert.deepEqual(s, selected[0]);
    // By hand: the rows whose time falls in the brushed half (a bin on the edge may go either way).
    const inside = [...lc.mjd.keys()].filter((i) => lc.mjd[i] >= range[0] && lc.mjd[i] <= range[1]);
    assert.ok(inside.length > 0);
    const extra = selected[0].filter((i) => !inside.includes(i)).length + inside.filter((i) => !selected[0].includes(i)).length;
    assert.ok(extra <= 2, `${extra} rows differ between the brush and the time range`);
    assert.deepEqual(visit.errors, []);
    assert.deepEqual(visit.offsite, []);
    await page.close();
  });

  test('the hostile dashboard shows its TARGNAME as text and runs none of it', async () => {
    const rel = lightcurveOutputs('composite', records[0].stats.lightcurve_filename).dashboard!;
    const { page, visit } = await open(context, fileUrl(rel), allowedFile());
    await page.waitForSelector('html[data-charts-ready]', { timeout: 30_000 });
    const state = await js<{ pwned?: number; title: string; injected: number }>(
      page,
      `({ pwned: window.__pwned, title: document.querySelector('h1').textContent, injected: document.querySelectorAll('img[src="x"]').length })`,
    );
    assert.equal(state.pwned, undefined);
    assert.equal(state.injected, 0);
    assert.ok(state.title.startsWith(HOSTILE));
    assert.deepEqual(visit.errors, []);
    assert.deepEqual(visit.offsite, []);
    await page.close();
  });

  test('the table sorts, filters, shows text as text, and its thumbnails and links resolve', async () => {
    const { page, visit } = await open(context, fileUrl(PAGES.interesting), allowedFile());
    await page.waitForSelector('html[data-table-ready]', { timeout: 30_000 });
    const column = async (field: string) =>
      page.$$eval(`.tabulator-row .tabulator-cell[tabulator-field="${field}"]`, (cells) => cells.map((c) => c.textContent ?? ''));
    const expectedRows = records.filter((r) => interestOf(r.stats).kind === 'interesting').length;
    assert.equal((await column('target')).length, expectedRows);
    // Click the poisson factor's header: ascending, then descending.
    const header = page.locator('.tabulator-col[tabulator-field="poisson_f"] .tabulator-col-title');
    await header.click();
    const asc = (await column('poisson_f')).map(Number);
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
    await header.click();
    const desc = (await column('poisson_f')).map(Number);
    assert.deepEqual(desc, [...asc].reverse());
    const targets = await column('target');
    assert.equal(targets[0], HOSTILE, 'highest poisson factor first, shown verbatim');
    // Sorting by text reorders the rows alphabetically.
    await page.locator('.tabulator-col[tabulator-field="target"] .tabulator-col-title').click();
    const byName = await column('target');
    assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b)));
    // Filter by the instrument column's header box.
    // Filter by a header box, typed as a user would (Tabulator filters on key events).
    const box = page.locator('.tabulator-col[tabulator-field="grating"] input');
    await box.pressSequentially('G130M');
    await page.waitForTimeout(800);
    const gratings = await column('grating');
    assert.equal(gratings.length, records.filter((r) => r.stats.opt_elem === 'G130M' && (r.stats.poisson_factor ?? 0) >= 1.2).length);
    assert.ok(gratings.length > 0 && gratings.every((v) => v === 'G130M'));
    await box.fill('');
    await box.press('Backspace');
    await page.waitForTimeout(800);
    assert.equal((await column('target')).length, expectedRows);
    // Thumbnails load; links point at dashboards that exist.
    await page.waitForFunction(`[...document.querySelectorAll('.tabulator img')].every((i) => i.complete)`);
    const images = await js<number[]>(page, `[...document.querySelectorAll('.tabulator img')].map((i) => i.naturalWidth)`);
    assert.equal(images.length, expectedRows);
    assert.ok(images.every((w) => w === 1000));
    const hrefs = await js<string[]>(page, `[...document.querySelectorAll('.tabulator a')].map((a) => a.href)`);
    for (const href of hrefs) assert.ok(existsSync(fileURLToPath(href)), href);
    const state = await js<{ pwned?: number; injected: number }>(page, `({ pwned: window.__pwned, injected: document.querySelectorAll('img[src="x"]').length })`);
    assert.equal(state.pwned, undefined);
    assert.equal(state.injected, 0);
    assert.deepEqual(visit.errors, []);
    assert.deepEqual(visit.offsite, []);
    await page.close();
  });

  test('index and chart pages load over HTTP with every link and image resolving', async () => {
    const { server, base } = await serve(site.dir);
    try {
      for (const rel of [PAGES.index, PAGES.exptime, 'pie_config_cos_fuv.html', 'pie_config_stis_nuv.html', PAGES.optElem, PAGES.boring]) {
        const { page, visit } = await open(context, base + rel, base);
        const ready = rel === PAGES.index ? null : rel === PAGES.boring ? 'data-table-ready' : 'data-charts-ready';
        if (ready) {
          await page
            .waitForFunction(`document.documentElement.hasAttribute('${ready}') || document.getElementById('hstlc-empty') !== null`, undefined, { timeout: 30_000 })
            .catch((err: unknown) => assert.fail(`${rel}: ${String(err)} ${JSON.stringify(visit)}`));
        }
        if (rel === PAGES.exptime) {
          // The hostile target is a bar label: hovering its bar shows a tooltip, which must stay text.
          const box = await page.locator('#chart-main').boundingBox();
          assert.ok(box);
          for (let x = 0.1; x < 0.9; x += 0.05) await page.mouse.move(box.x + box.width * x, box.y + box.height * 0.8);
          const state = await js<{ pwned?: number; injected: number }>(page, `({ pwned: window.__pwned, injected: document.querySelectorAll('img[src="x"]').length })`);
          assert.equal(state.pwned, undefined);
          assert.equal(state.injected, 0);
        }
        // The six records are all COS: the STIS page says it is empty instead of drawing a chart.
        assert.equal(await page.locator('#hstlc-empty').count(), rel === 'pie_config_stis_nuv.html' ? 1 : 0, rel);
        await page.waitForFunction(`[...document.images].every((i) => i.complete)`);
        const broken = await js<string[]>(page, `[...document.images].filter((i) => i.naturalWidth === 0).map((i) => i.src)`);
        assert.deepEqual(broken, [], rel);
        const hrefs = await js<string[]>(page, `[...document.querySelectorAll('a[href]')].map((a) => a.href)`);
        for (const href of hrefs) {
          // The tables link the lightcurve FITS files beside the site (outputs/), outside what is served here.
          if (/\.fits(\.gz)?$/.test(href)) continue;
          const res = await fetch(href);
          assert.equal(res.status, 200, `${rel} → ${href}`);
        }
        assert.deepEqual(visit.errors, [], rel);
        assert.deepEqual(visit.offsite, [], rel);
        await page.close();
      }
    } finally {
      server.close();
    }
  });
});
