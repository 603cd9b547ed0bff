/**
 * Plot rendering time: seconds per lightcurve PNG, per periodogram PNG and per dashboard page
 * as the number of bins grows, and the whole site for the golden archive (10 composites, 17 individuals).
 *
 *   node --import tsx bench/plots.ts [--bins 600,2000,10000,50000] [--repeat 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lightcurvePng, periodogramPng } from '../src/plots/draw.js';
import { dashboardPage } from '../src/plots/html/dashboard.js';
import { summarizePeriodSpace } from '../src/plots/periodogram-data.js';
import { DEFAULT_UNITS } from '../src/plots/read.js';
import { buildSite } from '../src/plots/site.js';
import type { LightcurveData, PeriodogramData } from '../src/plots/types.js';
import { goldenRecords } from '../test/plots/golden.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const binsList = arg('bins', '600,2000,10000,50000').split(',').map(Number);
const repeat = Number(arg('repeat', '3'));

/** A 2 s-binned lightcurve of `n` bins in 3 members, with a sinusoid on Poisson-like noise. */
function lightcurve(n: number): LightcurveData {
  const f = () => new Float64Array(n);
  const lc: LightcurveData = {
    name: `bench_${n}.fits`,
    mjd: f(), gross: f(), net: f(), flux: f(), error: f(), background: f(), dataset: f(),
    datasetNames: ['a', 'b', 'c'],
    meta: { targname: 'BENCH', instrument: 'COS', detector: 'FUV', opt_elem: 'G130M', cenwave: 1291, aperture: 'PSA', exptime: 2 * n },
    units: { ...DEFAULT_UNITS },
  };
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < n; i++) {
    const k = Math.floor((3 * i) / n);
    lc.mjd[i] = 57000 + k * 0.5 + (i * 2) / 86400;
    lc.gross[i] = 50 + 10 * Math.sin(i / 50) + 7 * (rand() - 0.5);
    lc.background[i] = 2;
    lc.net[i] = (lc.gross[i] - 2) / 2;
    lc.flux[i] = lc.net[i] * 1e-15;
    lc.error[i] = Math.sqrt(lc.gross[i] + 2);
    lc.dataset[i] = k + 1;
  }
  return lc;
}

function periodogram(n: number): PeriodogramData {
  const space = (lo: number, hi: number) => {
    const periods = Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
    return summarizePeriodSpace(periods, periods.map((_, i) => 0.1 + 0.05 * Math.sin(i / 7) + (i === n >> 1 ? 0.5 : 0)));
  };
  return { short: space(5 / 86400, 10 / 1440), med: space(10 / 1440, 1 / 24), long: space(1 / 24, 10 / 24) };
}

function time(fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

lightcurvePng(lightcurve(100)); // warm-up: module init, font loading
console.log('bins      lightcurve PNG   periodogram PNG   dashboard HTML (size)');
for (const n of binsList) {
  const lc = lightcurve(n);
  const pg = periodogram(n);
  const png = time(() => lightcurvePng(lc));
  const pgPng = time(() => periodogramPng(lc, pg));
  let html = '';
  const dash = time(() => (html = dashboardPage({ lc, periodogram: pg, root: '../' })));
  console.log(`${String(n).padStart(6)}  ${png.toFixed(3).padStart(10)} s  ${pgPng.toFixed(3).padStart(12)} s  ${dash.toFixed(3).padStart(10)} s (${(html.length / 1e6).toFixed(2)} MB)`);
}

const dir = mkdtempSync(join(tmpdir(), 'hstlc-bench-plots-'));
try {
  const records = await goldenRecords();
  const t0 = performance.now();
  const first = await buildSite({ plotDir: dir, records });
  const t1 = performance.now();
  const again = await buildSite({ plotDir: dir, records });
  const t2 = performance.now();
  console.log(`golden archive (${records.length} lightcurves): full site ${((t1 - t0) / 1000).toFixed(2)} s (${first.written} outputs), unchanged re-run ${((t2 - t1) / 1000).toFixed(2)} s (${again.written} written)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
