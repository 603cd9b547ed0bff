/**
 * §12.2 dashboard, for the browser: five stacked panels (gross, net, flux, error, background vs MJD)
 * sharing one x range, coloured by dataset, with zoom, pan, box select, brush linking and save; and the
 * periodogram's three spaces. Options are plain JSON (no functions), so they can be embedded in a page.
 */
import type { EChartsOption, GridComponentOption, ScatterSeriesOption, TitleComponentOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { datasetColor } from '../palette.js';
import { LIGHTCURVE_COLUMNS, type LightcurveData, type PeriodogramData } from '../types.js';
import { BASE_OPTION } from './common.js';
import { timeAxis, valueAxisName } from './lightcurve.js';
import { periodogramLegend, periodSpacePanels } from './periodogram.js';
import { datasetLabels, exponentFor, finiteExtent, roundSig } from './scale.js';

export const DASHBOARD_PANEL = { height: 200, gap: 58, top: 70, bottom: 78, left: 90, right: 40 } as const;

/** Bottom axes of the page's charts: tick length and the distance of its labels from the axis, px. */
const X_TICK_LENGTH = 5;
const X_LABEL_MARGIN = 11;

/** Total height of the five-panel chart, for its container. */
export function dashboardHeight(): number {
  const p = DASHBOARD_PANEL;
  return p.top + LIGHTCURVE_COLUMNS.length * p.height + (LIGHTCURVE_COLUMNS.length - 1) * p.gap + p.bottom;
}

/** Dimensions of the shared dataset rows, in order: the five panels read dimension 1…5. */
export const DASHBOARD_DIMENSIONS = ['mjd', ...LIGHTCURVE_COLUMNS, 'dataset'] as const;

/** Per column, the power of ten its panel divides values by (flux ~1e-14 reads 1.5, not 0.000000000000015). */
export function dashboardExponents(lc: LightcurveData): Record<(typeof LIGHTCURVE_COLUMNS)[number], number> {
  return Object.fromEntries(LIGHTCURVE_COLUMNS.map((c) => [c, exponentFor(finiteExtent(lc[c]))])) as Record<(typeof LIGHTCURVE_COLUMNS)[number], number>;
}

/**
 * One row per bin: [mjd, gross, net, flux, error, background, dataset], each value divided by its
 * panel's power of ten (dashboardExponents; the axis name says so). Values keep 9 significant digits
 * (the float32 columns have 7), MJD keeps full precision (1 ms ≈ 1.2e-8 d); non-finite become null.
 */
export function dashboardRows(lc: LightcurveData): Array<Array<number | null>> {
  const exponents = dashboardExponents(lc);
  const rows: Array<Array<number | null>> = [];
  for (let i = 0; i < lc.mjd.length; i++) {
    const row: Array<number | null> = [Number.isFinite(lc.mjd[i]) ? lc.mjd[i] : null];
    for (const column of LIGHTCURVE_COLUMNS) {
      const v = lc[column][i];
      const e = exponents[column];
      row.push(Number.isFinite(v) ? roundSig(e === 0 ? v : v / 10 ** e, 9) : null);
    }
    row.push(Math.max(1, Math.round(lc.dataset[i])));
    rows.push(row);
  }
  return rows;
}

/**
 * Axis label formatters the pages' script (client.ts) puts in place of these strings: options here are
 * JSON, and ECharts' own value labels group thousands (56,685.4). `hstlc:mjd:N` = MJD with N decimals.
 */
export function browserMjdFormatter(decimals: number): string {
  return `hstlc:mjd:${decimals}`;
}

export function dashboardChart(lc: LightcurveData): EChartsOption {
  const p = DASHBOARD_PANEL;
  const time = timeAxis(lc.mjd);
  const exponents = dashboardExponents(lc);
  const panels = LIGHTCURVE_COLUMNS.map((_, i) => i);
  const grid: GridComponentOption[] = panels.map((i) => ({
    left: p.left,
    right: p.right,
    top: p.top + i * (p.height + p.gap),
    height: p.height,
    outerBoundsMode: 'none',
  }));
  const title: TitleComponentOption[] = LIGHTCURVE_COLUMNS.map((column, i) => ({
    text: column,
    left: p.left,
    top: p.top + i * (p.height + p.gap) - 24,
    textStyle: { fontSize: 13 },
  }));
  const xAxis: XAXisComponentOption[] = panels.map((i) => ({
    type: 'value',
    gridIndex: i,
    min: time.extent.min,
    max: time.extent.max,
    name: i === panels.length - 1 ? 'MJD' : '',
    nameLocation: 'middle',
    nameGap: 30,
    // The months between visits collapsed, as in the static PNG; ticks chosen per visit.
    breaks: time.breaks,
    breakArea: { itemStyle: { opacity: 0.6 }, zigzagAmplitude: 2, zigzagMinSpan: 8, zigzagMaxSpan: 8 },
    axisLine: { onZero: false },
    // Labels clear of the tick marks: at ECharts' margin of 8 px the 5 px ticks touch the digits' tops.
    axisLabel: { hideOverlap: true, formatter: browserMjdFormatter(time.decimals), customValues: time.ticks, margin: X_LABEL_MARGIN },
    axisTick: { customValues: time.ticks, length: X_TICK_LENGTH },
    splitLine: { show: false },
  }));
  const yAxis: YAXisComponentOption[] = LIGHTCURVE_COLUMNS.map((column, i) => ({
    type: 'value',
    gridIndex: i,
    scale: true,
    name: valueAxisName(column, lc.units[column], exponents[column]),
    nameLocation: 'middle',
    nameGap: 62,
    nameMoveOverlap: false,
    splitLine: { lineStyle: { color: '#eeeeee' } },
  }));
  const series: ScatterSeriesOption[] = LIGHTCURVE_COLUMNS.map((column, i) => ({
    type: 'scatter',
    name: column,
    datasetIndex: 0,
    xAxisIndex: i,
    yAxisIndex: i,
    encode: { x: 0, y: i + 1, tooltip: [0, i + 1, DASHBOARD_DIMENSIONS.length - 1] },
    symbolSize: 6,
    itemStyle: { borderColor: '#444444', borderWidth: 0.3, opacity: 1 },
    emphasis: { scale: 1.6 },
    progressive: 0,
  }));
  const all = panels;
  return {
    ...BASE_OPTION,
    dataset: [{ dimensions: [...DASHBOARD_DIMENSIONS], source: dashboardRows(lc) }],
    title,
    grid,
    xAxis,
    yAxis,
    series,
    // Colour by dataset through one visual map, so each panel is one series and brushLink can link rows
    // (dataIndex = row) across panels; clicking a piece hides that dataset everywhere.
    visualMap: {
      type: 'piecewise',
      dimension: DASHBOARD_DIMENSIONS.length - 1,
      seriesIndex: all,
      orient: 'horizontal',
      top: 8,
      right: p.right,
      itemWidth: 12,
      itemHeight: 12,
      pieces: datasetLabels(lc.datasetNames).map((label, k) => ({ value: k + 1, label, color: datasetColor(k + 1) })),
    },
    tooltip: { trigger: 'item', renderMode: 'richText' },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    toolbox: {
      left: p.left + 60,
      top: 8,
      feature: {
        dataZoom: { xAxisIndex: all, yAxisIndex: false },
        brush: { type: ['rect', 'polygon', 'lineX', 'clear'] },
        restore: {},
        saveAsImage: { name: lc.name.replace(/\.fits(\.gz)?$/i, ''), pixelRatio: 2 },
      },
    },
    brush: { xAxisIndex: all, brushLink: 'all', throttleType: 'debounce', throttleDelay: 200, outOfBrush: { colorAlpha: 0.15 } },
    dataZoom: [
      { type: 'inside', xAxisIndex: all, filterMode: 'none' },
      { type: 'slider', xAxisIndex: all, filterMode: 'none', bottom: 12, height: 22 },
    ],
  };
}

/** The periodogram for the page: the three spaces, each zoomable on its own. */
export function dashboardPeriodogramChart(pg: PeriodogramData): EChartsOption {
  const height = 240;
  const gap = 70;
  const top = 50;
  const boxes = [0, 1, 2].map((i) => ({ top: top + i * (height + gap), height }));
  const panels = periodSpacePanels(pg, boxes, 0, { left: DASHBOARD_PANEL.left, right: DASHBOARD_PANEL.right }, { margin: X_LABEL_MARGIN, tickLength: X_TICK_LENGTH, nameGap: 27 });
  return {
    ...BASE_OPTION,
    title: panels.title,
    legend: periodogramLegend(top - 46, DASHBOARD_PANEL.right + 130),
    grid: panels.grid,
    xAxis: panels.xAxis,
    yAxis: panels.yAxis,
    series: panels.series,
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    toolbox: { right: DASHBOARD_PANEL.right, top: 0, feature: { dataZoom: {}, restore: {}, saveAsImage: { pixelRatio: 2 } } },
    dataZoom: [0, 1, 2].map((i) => ({ type: 'inside', xAxisIndex: i, filterMode: 'none' })),
  };
}

export function dashboardPeriodogramHeight(): number {
  return 50 + 3 * 240 + 2 * 70 + 50;
}
