/**
 * Chart definitions are pure functions of data (STYLE: Observable Plot): their server-side SVG is checked
 * against positions computed by hand from the fixed plot area and axis bounds, and snapshotted normalized.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lightcurveChart, LIGHTCURVE_GRID, LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import { periodogramChart, periodogramLayout, PERIODOGRAM_SIZE, spaceTitle } from '../../src/plots/charts/periodogram.js';
import { dashboardChart, dashboardRows } from '../../src/plots/charts/dashboard.js';
import { configCounts, configDonutChart, CONFIG_GROUPS, DONUT_SIZE, exposureByTarget, exptimeHistogramChart, EXPTIME_SIZE, optElemChart, optElemCounts, OPT_ELEM_SIZE } from '../../src/plots/charts/summary.js';
import { datasetLabels, distinctPeaks, exponentFor, logTicks, mjdText, padExtent, pieceTicks, timeBreaks } from '../../src/plots/charts/scale.js';
import { summarizePeriodSpace } from '../../src/plots/periodogram-data.js';
import { SPECTRAL6 } from '../../src/plots/palette.js';
import { renderSvg } from '../../src/plots/render.js';
import type { PeriodSpace, PeriodogramData } from '../../src/plots/types.js';
import { assertSvgSnapshot, normalizeSvg, statsRecord, svgPoints, syntheticLightcurve } from './helpers.js';
import { goldenPeriodogram, goldenResults } from './golden.js';

const close = (a: number, b: number, tol = 0.05) => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test('lightcurve SVG: one point per bin, placed by the axis scale, coloured by dataset', () => {
  // Back-to-back members (no gap between them, so no axis break): row i is at 56000 + 2i seconds.
  const lc = syntheticLightcurve({ datasets: 2, perDataset: 5, visitGap: 10 / 86400 });
  const svg = renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE);
  const points = svgPoints(svg);
  assert.equal(points.length, 10);
  // By hand: x spans the MJD extent exactly; y is flux 10…19 padded by 5 % of its span (9.55…19.45).
  const width = LIGHTCURVE_SIZE.width - LIGHTCURVE_GRID.left - LIGHTCURVE_GRID.right;
  const height = LIGHTCURVE_SIZE.height - LIGHTCURVE_GRID.top - LIGHTCURVE_GRID.bottom;
  const t0 = 56000;
  const t1 = 56000 + 18 / 86400;
  for (const p of points) {
    const row = p.series * 5 + p.index;
    const x = LIGHTCURVE_GRID.left + ((lc.mjd[row] - t0) / (t1 - t0)) * width;
    const y = LIGHTCURVE_GRID.top + height - ((10 + row - 9.55) / (19.45 - 9.55)) * height;
    close(p.x, x);
    close(p.y, y);
    assert.equal(p.fill, SPECTRAL6[p.series]);
  }
  assert.match(svg, />MJD</);
  assert.match(svg, />Flux \(erg s⁻¹ cm⁻² Å⁻¹\)</);
  assertSvgSnapshot('lightcurve-two-datasets', svg);
});

test('lightcurve SVG: the months between visits are collapsed into an axis break', () => {
  const lc = syntheticLightcurve({ datasets: 3, perDataset: 50, visitGap: 100 });
  const breaks = timeBreaks(lc.mjd);
  assert.equal(breaks.length, 2);
  for (const [k, b] of breaks.entries()) {
    assert.ok(b.start > lc.mjd[50 * k + 49] && b.end < lc.mjd[50 * (k + 1)], 'each break lies inside a gap');
  }
  assert.deepEqual(timeBreaks(syntheticLightcurve({ datasets: 3, perDataset: 50, visitGap: 100 / 86400 }).mjd), []);
  const points = svgPoints(renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE));
  const width = LIGHTCURVE_SIZE.width - LIGHTCURVE_GRID.left - LIGHTCURVE_GRID.right;
  // On a plain axis each 100-second visit would be a vertical line; with the breaks each gets ~30 %.
  for (const series of [0, 1, 2]) {
    const xs = points.filter((p) => p.series === series).map((p) => p.x);
    assert.ok(Math.max(...xs) - Math.min(...xs) > 0.25 * width, `visit ${series + 1} spans ${Math.max(...xs) - Math.min(...xs)} px`);
  }
});

test('lightcurve SVG: non-finite values are left out; flux ~1e-15 is shown scaled with the factor in the unit', () => {
  const lc = syntheticLightcurve({ datasets: 1, perDataset: 6 });
  lc.flux = lc.flux.map((v) => v * 1e-15);
  lc.flux[2] = NaN;
  lc.flux[3] = Infinity;
  const svg = renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE);
  assert.equal(svgPoints(svg).length, 4);
  // Flux 10…15 × 1e-15 = 1.0…1.5e-14: shown as 1…1.5 (two or three significant digits) in 10⁻¹⁴.
  assert.match(svg, />Flux \(10⁻¹⁴ erg s⁻¹ cm⁻² Å⁻¹\)</);
  assert.equal(exponentFor({ min: 1e-14, max: 2.5e-13 }), -13);
  assert.equal(exponentFor({ min: 4e-14, max: 4.4e-14 }), -14);
  assert.equal(exponentFor({ min: 0, max: 500 }), 0);
  assert.deepEqual(padExtent({ min: 5, max: 5 }), { min: 4.5, max: 5.5 });
});

test('a hostile TARGNAME is escaped in the SVG title', () => {
  const lc = syntheticLightcurve({ targname: '<script>alert("x")</script>&' });
  const svg = renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE);
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&amp;/);
});

test('summarizePeriodSpace reproduces the original stats of every golden periodogram (§11.3)', () => {
  interface SpaceSummary {
    mean: number;
    three_sigma: number;
    significant_periods_days: number[];
    significant_powers: number[];
  }
  const results = goldenResults() as unknown as { stats: Record<string, { periodogram?: Record<string, SpaceSummary> }> };
  let checked = 0;
  for (const [product, entry] of Object.entries(results.stats)) {
    const pg = goldenPeriodogram(product.split('/')[1]);
    if (!pg || !entry.periodogram) continue;
    for (const space of ['short', 'med', 'long'] as const) {
      const want: SpaceSummary = entry.periodogram[space];
      const got: PeriodSpace = pg[space];
      if (!Number.isFinite(want.mean)) continue;
      assert.ok(Math.abs(got.mean - want.mean) <= 1e-9 * Math.abs(want.mean), `${product} ${space} mean`);
      assert.ok(Math.abs(got.threeSigma - want.three_sigma) <= 1e-9 * Math.abs(want.three_sigma), `${product} ${space} 3σ`);
      assert.deepEqual(got.significantPowers.length, want.significant_powers.length, `${product} ${space} peaks`);
      got.significantPeriods.forEach((p: number, i: number) => assert.ok(Math.abs(p - want.significant_periods_days[i]) < 1e-12));
      checked++;
    }
  }
  assert.ok(checked >= 60, `only ${checked} spaces checked`);
});

function syntheticPeriodogram(): PeriodogramData {
  const space = (lo: number, hi: number, peak: number | null) => {
    const periods = Array.from({ length: 11 }, (_, i) => lo + ((hi - lo) * i) / 10);
    const powers = periods.map((_, i) => (i === peak ? 1 : 0.1));
    return summarizePeriodSpace(periods, powers);
  };
  return { short: space(5 / 86400, 10 / 1440, 5), med: space(10 / 1440, 1 / 24, null), long: space(1 / 24, 10 / 24, 3) };
}

test('periodogram SVG: period on a log axis per range, thresholds in a legend, a dashed line at each distinct significant peak (§12.7)', () => {
  const pg = syntheticPeriodogram();
  assert.equal(pg.short.significantPeriods.length, 1);
  assert.equal(pg.med.significantPeriods.length, 0);
  // Mean of ten 0.1 and one 1: 2/11; σ = sqrt(Σ(p−mean)²/11); the peak of 1 clears mean + 3σ ≈ 0.958.
  close(pg.short.mean, 2 / 11, 1e-12);
  close(pg.short.threeSigma, 2 / 11 + 3 * Math.sqrt((10 * (0.1 - 2 / 11) ** 2 + (1 - 2 / 11) ** 2) / 11), 1e-12);
  const lc = syntheticLightcurve({ datasets: 1, perDataset: 8 });
  const svg = renderSvg(periodogramChart(lc, pg), PERIODOGRAM_SIZE);
  // Dashed paths: the legend's icon (short) and one vertical line per marked peak.
  const dashed = [...svg.matchAll(/<path d="M([\d.]+) ([\d.]+)L([\d.]+) ([\d.]+)"[^>]*stroke-dasharray[^>]*>/g)].map((m) => m.slice(1).map(Number));
  const lines = dashed.filter(([x0, y0, x1, y1]) => x0 === x1 && Math.abs(y1 - y0) > 50);
  assert.equal(lines.length, 2, 'one dashed line in the short and one in the long panel');
  const layout = periodogramLayout();
  const width = PERIODOGRAM_SIZE.width - layout.left - layout.right;
  // By hand on a log axis spanning the grid's first to last period: x = log(p/p0) / log(p10/p0).
  const at = (lo: number, hi: number, i: number) => Math.log((lo + ((hi - lo) * i) / 10) / lo) / Math.log(hi / lo);
  close(lines[0][0], layout.left + at(5 / 86400, 10 / 1440, 5) * width, 1);
  close(lines[1][0], layout.left + at(1 / 24, 10 / 24, 3) * width, 1);
  for (const title of ['Periods 5 s – 10 min', 'Periods 10 min – 1 h', 'Periods 1 h – 10 h', 'Period (s)', 'Period (min)', 'Period (h)', 'MJD', 'mean', 'mean + 3σ', 'significant peak']) {
    assert.ok(svg.includes(`>${title}<`), title);
  }
  // Each of the three period panels has its y-axis title.
  assert.equal(svg.split('>Power<').length - 1, 3, 'three "Power" axis titles');
  // The peak's period as text in the axis unit: grid point 5 of 5 s … 600 s is 302.5 s.
  assert.ok(svg.includes('>303 s<'), 'short peak labelled');
  assert.equal(svgPoints(svg).filter((p) => p.series === 0).length, 8, 'the lightcurve panel has one marker per bin');
  assertSvgSnapshot('periodogram-synthetic', svg);
});

test('distinct peaks: the highest of each cluster, at most max; labels are rootnames unless members share one', () => {
  // Periods 1, 1.01, 1.02 are one peak; 3 is another; 10 is lower than the cap allows.
  assert.deepEqual(distinctPeaks([1, 1.01, 1.02, 3, 10], [0.5, 0.9, 0.6, 0.7, 0.2], { max: 2, separation: 0.05 }), [1, 3]);
  assert.deepEqual(datasetLabels(['lb9y0108q_corrtag_a.fits', 'lb9y0206q_corrtag_a.fits']), ['lb9y0108q', 'lb9y0206q']);
  assert.deepEqual(datasetLabels(['lb9y0108q_corrtag_a.fits', 'lb9y0108q_corrtag_b.fits']), ['lb9y0108q_corrtag_a', 'lb9y0108q_corrtag_b']);
  assert.deepEqual(logTicks(5, 600), [5, 10, 20, 50, 100, 200, 500]);
  assert.equal(spaceTitle('short'), 'Periods 5 s – 10 min');
  assert.equal(mjdText(56685.41000000001), '56685.41');
  assert.equal(mjdText(56685.4, 3), '56685.400');
  // A 52-day gap between two 10-minute visits: ticks inside each visit, none in the gap.
  const visits = Float64Array.from([...Array.from({ length: 50 }, (_, i) => 56000 + i * 0.0002), ...Array.from({ length: 50 }, (_, i) => 56052 + i * 0.0002)]);
  const breaks = timeBreaks(visits);
  assert.equal(breaks.length, 1);
  const ticks = pieceTicks({ min: visits[0], max: visits[99] }, breaks);
  assert.ok(ticks.some((t) => t > 56000 && t < 56000.01) && ticks.some((t) => t > 56052 && t < 56052.01), String(ticks));
  assert.ok(ticks.every((t) => t < breaks[0].start || t > breaks[0].end));
});

test('dashboard option: five linked panels over one dataset, coloured by member', () => {
  const lc = syntheticLightcurve({ datasets: 3, perDataset: 4 });
  lc.net[1] = NaN;
  const option = dashboardChart(lc);
  const rows = dashboardRows(lc);
  assert.equal(rows.length, 12);
  assert.deepEqual([rows[5][0], rows[5][1], rows[5][2], rows[5][3], rows[5][5], rows[5][6]], [lc.mjd[5], 21, 10, 15, 1, 2]);
  close(rows[5][4] ?? NaN, Math.sqrt(22), 1e-8);
  assert.equal(rows[1][2], null, 'NaN net becomes null, which JSON can carry');
  const series = option.series as Array<{ xAxisIndex: number; encode: { y: number } }>;
  assert.deepEqual(series.map((s) => s.encode.y), [1, 2, 3, 4, 5]);
  assert.deepEqual(series.map((s) => s.xAxisIndex), [0, 1, 2, 3, 4]);
  const zoom = option.dataZoom as Array<{ xAxisIndex: number[] }>;
  for (const z of zoom) assert.deepEqual(z.xAxisIndex, [0, 1, 2, 3, 4]);
  assert.equal((option.brush as { brushLink: string }).brushLink, 'all');
  const pieces = (option.visualMap as { pieces: Array<{ value: number; color: string; label: string }> }).pieces;
  assert.deepEqual(pieces.map((p) => [p.value, p.color, p.label]), [
    [1, SPECTRAL6[0], 'member1_corrtag_a'],
    [2, SPECTRAL6[1], 'member2_corrtag_a'],
    [3, SPECTRAL6[2], 'member3_corrtag_a'],
  ]);
  // Plain data: survives JSON unchanged, so the page can embed it.
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(option))), JSON.stringify(option));
});

test('overview charts count what they should (§12.4–§12.6)', () => {
  const records = [
    statsRecord({ targname: 'A', exptime: 100 }),
    statsRecord({ targname: 'B', exptime: 300 }),
    statsRecord({ targname: 'A', exptime: 250, opt_elem: 'G160M', cenwave: 1600 }),
    statsRecord({ targname: 'C', exptime: null, instrument: 'STIS', detector: 'FUV-MAMA', opt_elem: 'G140L', cenwave: 1425 }),
    statsRecord({ targname: 'D', exptime: 50, instrument: 'STIS', detector: 'NUV-MAMA', opt_elem: 'G130M', cenwave: 2376 }),
  ];
  assert.deepEqual(exposureByTarget(records), [
    { target: 'A', exptime: 350 },
    { target: 'B', exptime: 300 },
    { target: 'D', exptime: 50 },
  ]);
  const many = Array.from({ length: 40 }, (_, i) => statsRecord({ targname: `T${i}`, exptime: i }));
  assert.equal(exposureByTarget(many).length, 30);
  assert.equal(exposureByTarget(many)[0].target, 'T39');
  assert.deepEqual(configCounts(records, CONFIG_GROUPS[0]), [
    { label: 'g130m/1291', count: 2 },
    { label: 'g160m/1600', count: 1 },
  ]);
  assert.deepEqual(configCounts(records, CONFIG_GROUPS[1]), []);
  assert.deepEqual(optElemCounts(records), { categories: ['G130M', 'G140L', 'G160M'], cos: [2, 0, 1], stis: [1, 1, 0] });
  assertSvgSnapshot('exptime-histogram', renderSvg(exptimeHistogramChart(records), EXPTIME_SIZE));
  assertSvgSnapshot('pie-config-cos-fuv', renderSvg(configDonutChart(records, CONFIG_GROUPS[0]), DONUT_SIZE));
  assertSvgSnapshot('opt-elem', renderSvg(optElemChart(records), OPT_ELEM_SIZE));
});

test('chart definitions are deterministic: the same data gives the same SVG', () => {
  const lc = syntheticLightcurve();
  assert.equal(normalizeSvg(renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE)), normalizeSvg(renderSvg(lightcurveChart(lc), LIGHTCURVE_SIZE)));
});
