/**
 * §12.2 dashboard, for the browser: five stacked panels (gross, net, flux, error, background vs MJD)
 * sharing one x range, coloured by dataset, with zoom, pan, box select, brush linking and save; and the
 * periodogram's three spaces. Options are plain JSON (no functions), so they can be embedded in a page.
 */
import type { EChartsOption, GridComponentOption, ScatterSeriesOption, TitleComponentOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { datasetColor } from '../palette.js';
import { LIGHTCURVE_COLUMNS, type LightcurveData, type PeriodogramData } from '../types.js';
import { BASE_OPTION } from './common.js';
import { valueAxisName } from './lightcurve.js';
import { periodSpacePanels } from './periodogram.js';
import { roundSig } from './scale.js';

export const DASHBOARD_PANEL = { height: 200, gap: 58, top: 70, bottom: 70, left: 90, right: 40 } as const;

/** Total height of the five-panel chart, for its container. */
export function dashboardHeight(): number {
  const p = DASHBOARD_PANEL;
  return p.top + LIGHTCURVE_COLUMNS.length * p.height + (LIGHTCURVE_COLUMNS.length - 1) * p.gap + p.bottom;
}

/** Dimensions of the shared dataset rows, in order: the five panels read dimension 1…5. */
export const DASHBOARD_DIMENSIONS = ['mjd', ...LIGHTCURVE_COLUMNS, 'dataset'] as const;

/**
 * One row per bin: [mjd, gross, net, flux, error, background, dataset]. Values keep 9 significant digits
 * (the float32 columns have 7), MJD keeps full precision (1 ms ≈ 1.2e-8 d); non-finite become null.
 */
export function dashboardRows(lc: LightcurveData): Array<Array<number | null>> {
  const rows: Array<Array<number | null>> = [];
  for (let i = 0; i < lc.mjd.length; i++) {
    const row: Array<number | null> = [Number.isFinite(lc.mjd[i]) ? lc.mjd[i] : null];
    for (const column of LIGHTCURVE_COLUMNS) {
      const v = lc[column][i];
      row.push(Number.isFinite(v) ? roundSig(v, 9) : null);
    }
    row.push(Math.max(1, Math.round(lc.dataset[i])));
    rows.push(row);
  }
  return rows;
}

export function dashboardChart(lc: LightcurveData): EChartsOption {
  const p = DASHBOARD_PANEL;
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
    scale: true,
    name: i === panels.length - 1 ? 'MJD' : '',
    nameLocation: 'middle',
    nameGap: 28,
    axisLine: { onZero: false },
    axisLabel: { hideOverlap: true },
    splitLine: { show: false },
  }));
  const yAxis: YAXisComponentOption[] = LIGHTCURVE_COLUMNS.map((column, i) => ({
    type: 'value',
    gridIndex: i,
    scale: true,
    name: valueAxisName(column, lc.units[column], 0),
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
      pieces: lc.datasetNames.map((name, k) => ({ value: k + 1, label: name, color: datasetColor(k + 1) })),
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
  const panels = periodSpacePanels(pg, boxes, 0, { left: DASHBOARD_PANEL.left, right: DASHBOARD_PANEL.right });
  return {
    ...BASE_OPTION,
    title: panels.title,
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
