/**
 * §12.7 periodogram figure: the lightcurve (net vs MJD, blue plus markers) above the short, medium and
 * long period spaces, each with its mean (red), mean + 3σ (green) and dashed lines at significant periods.
 */
import type { EChartsOption, GridComponentOption, LineSeriesOption, ScatterSeriesOption, TitleComponentOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { PERIODOGRAM_COLORS } from '../palette.js';
import { PERIOD_SPACES, type LightcurveData, type PeriodSpace, type PeriodSpaceName, type PeriodogramData } from '../types.js';
import { BASE_OPTION, LARGE_THRESHOLD, lightcurveTitle } from './common.js';
import { mjdTickLabel, valueAxisName } from './lightcurve.js';
import { exponentFor, finiteExtent, padExtent, timeBreaks } from './scale.js';

export const PERIODOGRAM_SIZE = { width: 1000, height: 900 } as const;

const SPACE_TITLE: Record<PeriodSpaceName, string> = {
  short: 'Short Frequency Space',
  med: 'Medium Frequency Space',
  long: 'Long Frequency Space',
};

/** §11.3 step 2: each space's fixed period range in days, for the axis bounds. */
export const SPACE_RANGE: Record<PeriodSpaceName, readonly [number, number]> = {
  short: [5 / 86400, 10 / 1440],
  med: [10 / 1440, 1 / 24],
  long: [1 / 24, 10 / 24],
};

/** A filled plus sign (ECharts has no '+' symbol; a path symbol is filled, not stroked). */
export const PLUS_SYMBOL = 'path://M-1,-0.18H-0.18V-1H0.18V-0.18H1V0.18H0.18V1H-0.18V0.18H-1Z';

export interface PeriodogramLayout {
  grids: Array<{ top: number; height: number }>;
  left: number;
  right: number;
}

/** Four stacked panels; fixed pixel boxes so the figure reads the same for every dataset. */
export function periodogramLayout(height: number = PERIODOGRAM_SIZE.height): PeriodogramLayout {
  const top = 50;
  const gap = 62;
  const bottom = 50;
  const panel = (height - top - bottom - 3 * gap) / 4;
  return { left: 90, right: 30, grids: [0, 1, 2, 3].map((i) => ({ top: top + i * (panel + gap), height: panel })) };
}

/** Powers of one space as [period, power] pairs; non-finite powers are left out. */
export function powerPoints(space: PeriodSpace): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < space.periods.length; i++) {
    const p = space.powers[i];
    if (Number.isFinite(p) && Number.isFinite(space.periods[i])) out.push([space.periods[i], p]);
  }
  return out;
}

export interface PeriodogramPanels {
  grid: GridComponentOption[];
  xAxis: XAXisComponentOption[];
  yAxis: YAXisComponentOption[];
  series: Array<LineSeriesOption | ScatterSeriesOption>;
  title: TitleComponentOption[];
}

/**
 * The three period-space panels on grids `first`, `first+1`, `first+2` — shared by the PNG and the
 * dashboard page so both show the same figure.
 */
export function periodSpacePanels(pg: PeriodogramData, boxes: Array<{ top: number; height: number }>, first: number, side: { left: number; right: number }): PeriodogramPanels {
  const panels: PeriodogramPanels = { grid: [], xAxis: [], yAxis: [], series: [], title: [] };
  PERIOD_SPACES.forEach((name, j) => {
    const space = pg[name];
    const index = first + j;
    const box = boxes[j];
    const data = powerPoints(space);
    const x = finiteExtent(space.periods) ?? { min: SPACE_RANGE[name][0], max: SPACE_RANGE[name][1] };
    const yTop = Math.max(finiteExtent(data.map((d) => d[1]))?.max ?? 1, Number.isFinite(space.threeSigma) ? space.threeSigma : 0);
    panels.grid.push({ left: side.left, right: side.right, top: box.top, height: box.height, outerBoundsMode: 'none' });
    panels.title.push({ text: SPACE_TITLE[name], left: 'center', top: box.top - 22, textStyle: { fontSize: 13 } });
    panels.xAxis.push({
      type: 'value',
      gridIndex: index,
      min: x.min,
      max: x.max === x.min ? x.min + 1 : x.max,
      name: j === 2 ? 'Period (Days)' : '',
      nameLocation: 'middle',
      nameGap: 26,
      nameMoveOverlap: false,
      axisLine: { onZero: false },
      axisLabel: { hideOverlap: true, showMinLabel: false, showMaxLabel: false },
      splitLine: { show: false },
    });
    panels.yAxis.push({
      type: 'value',
      gridIndex: index,
      min: 0,
      max: yTop > 0 ? yTop * 1.08 : 1,
      name: j === 1 ? 'Lomb-Scargle Power' : '',
      nameLocation: 'middle',
      nameGap: 55,
      nameMoveOverlap: false,
      axisLabel: { showMaxLabel: false },
      splitLine: { lineStyle: { color: '#eeeeee' } },
    });
    const xMin = x.min;
    const xMax = x.max === x.min ? x.min + 1 : x.max;
    const yMax = yTop > 0 ? yTop * 1.08 : 1;
    const axes = { xAxisIndex: index, yAxisIndex: index };
    panels.series.push({
      type: 'line',
      name: `${name} power`,
      ...axes,
      data,
      showSymbol: false,
      symbol: 'none',
      lineStyle: { color: PERIODOGRAM_COLORS.power, width: 1 },
      progressive: 0,
    });
    // Plain line series rather than markLine: their geometry is plain data, the same in SVG and browser.
    const level = (label: string, value: number, color: string): LineSeriesOption => ({
      type: 'line',
      name: label,
      ...axes,
      data: Number.isFinite(value) ? [[xMin, value], [xMax, value]] : [],
      symbol: 'none',
      silent: true,
      lineStyle: { color, width: 1.2 },
    });
    panels.series.push(level('mean', space.mean, PERIODOGRAM_COLORS.mean));
    panels.series.push(level('mean + 3σ', space.threeSigma, PERIODOGRAM_COLORS.threeSigma));
    const peaks: Array<[number, number] | [string, string]> = [];
    for (const period of space.significantPeriods) peaks.push([period, 0], [period, yMax], ['-', '-']);
    panels.series.push({
      type: 'line',
      name: 'significant period',
      ...axes,
      data: peaks,
      symbol: 'none',
      silent: true,
      connectNulls: false,
      lineStyle: { color: PERIODOGRAM_COLORS.peak, width: 1, type: 'dashed' },
    });
  });
  return panels;
}

export function periodogramChart(lc: LightcurveData, pg: PeriodogramData, height: number = PERIODOGRAM_SIZE.height): EChartsOption {
  const layout = periodogramLayout(height);
  const exponent = exponentFor(finiteExtent(lc.net));
  const scale = 10 ** exponent;
  const points: Array<[number, number]> = [];
  for (let i = 0; i < lc.mjd.length; i++) {
    if (Number.isFinite(lc.mjd[i]) && Number.isFinite(lc.net[i])) points.push([lc.mjd[i], lc.net[i] / scale]);
  }
  const x = finiteExtent(points.map((p) => p[0])) ?? { min: 0, max: 1 };
  const y = padExtent(finiteExtent(points.map((p) => p[1])));
  const side = { left: layout.left, right: layout.right };
  const panels = periodSpacePanels(pg, layout.grids.slice(1), 1, side);
  return {
    ...BASE_OPTION,
    title: [{ text: `${lightcurveTitle(lc.meta)} — periodogram`, left: layout.left, top: 10, textStyle: { fontSize: 14 } }, ...panels.title],
    grid: [{ ...side, top: layout.grids[0].top, height: layout.grids[0].height, outerBoundsMode: 'none' }, ...panels.grid],
    xAxis: [
      {
        type: 'value',
        gridIndex: 0,
        min: x.min === x.max ? x.min - 0.5 : x.min,
        max: x.min === x.max ? x.max + 0.5 : x.max,
        name: 'MJD',
        nameLocation: 'middle',
        nameGap: 26,
        nameMoveOverlap: false,
        breaks: timeBreaks(lc.mjd),
        breakArea: { itemStyle: { opacity: 0.6 }, zigzagAmplitude: 2, zigzagMinSpan: 8, zigzagMaxSpan: 8 },
        axisLine: { onZero: false },
        axisLabel: { hideOverlap: true, showMinLabel: false, showMaxLabel: false, formatter: mjdTickLabel },
        minorTick: { show: true },
        splitLine: { show: false },
      },
      ...panels.xAxis,
    ],
    yAxis: [
      {
        type: 'value',
        gridIndex: 0,
        min: y.min,
        max: y.max,
        name: valueAxisName('net', lc.units.net, exponent),
        nameLocation: 'middle',
        nameGap: 55,
        nameMoveOverlap: false,
        minorTick: { show: true },
        axisLabel: { showMinLabel: false, showMaxLabel: false },
        splitLine: { lineStyle: { color: '#eeeeee' } },
      },
      ...panels.yAxis,
    ],
    series: [
      {
        type: 'scatter',
        name: 'net',
        xAxisIndex: 0,
        yAxisIndex: 0,
        data: points,
        // Large mode draws built-in symbols only (a path:// symbol there draws nothing): small squares.
        symbol: points.length > LARGE_THRESHOLD ? 'rect' : PLUS_SYMBOL,
        symbolSize: points.length > LARGE_THRESHOLD ? 3 : 6,
        itemStyle: { color: PERIODOGRAM_COLORS.points, opacity: 1 },
        // Beyond a few thousand points, one compound path instead of an element per point (faster SVG).
        large: true,
        largeThreshold: LARGE_THRESHOLD,
        progressive: 0,
      },
      ...panels.series,
    ],
  };
}
