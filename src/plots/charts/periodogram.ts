/**
 * §12.7 periodogram figure: the lightcurve (net vs MJD, blue plus markers) above the short, medium and
 * long period spaces, each against period on a log axis in the unit that suits its range (s, min, h),
 * with its mean (red) and mean + 3σ (green) named in a legend, and dashed lines at the few highest
 * distinct significant peaks (the oversampled grid puts dozens of points above mean + 3σ on one peak).
 */
import type { EChartsOption, GridComponentOption, LegendComponentOption, LineSeriesOption, ScatterSeriesOption, TitleComponentOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { PERIODOGRAM_COLORS } from '../palette.js';
import { PERIOD_SPACES, type LightcurveData, type PeriodSpace, type PeriodSpaceName, type PeriodogramData } from '../types.js';
import { BASE_OPTION, LARGE_THRESHOLD, lightcurveTitle } from './common.js';
import { mjdTickLabel, timeAxis, valueAxisName } from './lightcurve.js';
import { distinctPeaks, durationText, exponentFor, finiteExtent, logTicks, padExtent, periodUnitFor } from './scale.js';

export const PERIODOGRAM_SIZE = { width: 1000, height: 900 } as const;

/** §11.3 step 2: each space's fixed period range in days, for the axis bounds. */
export const SPACE_RANGE: Record<PeriodSpaceName, readonly [number, number]> = {
  short: [5 / 86400, 10 / 1440],
  med: [10 / 1440, 1 / 24],
  long: [1 / 24, 10 / 24],
};

/** `Periods 5 s – 10 min`: a panel's title names its range, not "Short Frequency Space". */
export function spaceTitle(name: PeriodSpaceName): string {
  const [lo, hi] = SPACE_RANGE[name];
  return `Periods ${durationText(lo)} – ${durationText(hi)}`;
}

/** Names shared by the three panels' series, so one legend entry toggles them in every panel. */
export const PERIODOGRAM_SERIES = { power: 'Lomb-Scargle power', mean: 'mean', threeSigma: 'mean + 3σ', peak: 'significant peak' } as const;

/** Distinct significant peaks marked per panel at most. */
export const MARKED_PEAKS = 3;

/** The legend of the period panels (the lightcurve panel's points need none). */
export function periodogramLegend(top: number, right: number): LegendComponentOption {
  return {
    top,
    right,
    itemWidth: 18,
    itemHeight: 8,
    // Wide gaps: server-side text measurement underestimates DejaVu Sans widths.
    itemGap: 24,
    textStyle: { fontSize: 11 },
    data: [PERIODOGRAM_SERIES.power, PERIODOGRAM_SERIES.mean, PERIODOGRAM_SERIES.threeSigma, PERIODOGRAM_SERIES.peak],
  };
}

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

/** Powers of one space as [period / unitDays, power] pairs; non-finite and non-positive periods are left out. */
export function powerPoints(space: PeriodSpace, unitDays = 1): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < space.periods.length; i++) {
    const p = space.powers[i];
    const period = space.periods[i];
    if (Number.isFinite(p) && Number.isFinite(period) && period > 0) out.push([period / unitDays, p]);
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
/** Where a period axis puts its tick labels and title: px from the axis line (ECharts' defaults here). */
export interface PeriodAxisSpacing {
  margin: number;
  tickLength: number;
  nameGap: number;
}

export function periodSpacePanels(
  pg: PeriodogramData,
  boxes: Array<{ top: number; height: number }>,
  first: number,
  side: { left: number; right: number },
  spacing: PeriodAxisSpacing = { margin: 8, tickLength: 5, nameGap: 24 },
): PeriodogramPanels {
  const panels: PeriodogramPanels = { grid: [], xAxis: [], yAxis: [], series: [], title: [] };
  PERIOD_SPACES.forEach((name, j) => {
    const space = pg[name];
    const index = first + j;
    const box = boxes[j];
    const unit = periodUnitFor(SPACE_RANGE[name][0]);
    const data = powerPoints(space, unit.days);
    const range = { min: SPACE_RANGE[name][0] / unit.days, max: SPACE_RANGE[name][1] / unit.days };
    const x = finiteExtent(data.map((d) => d[0])) ?? range;
    const xMin = x.min;
    const xMax = x.max > x.min ? x.max : x.min * 10;
    const yTop = Math.max(finiteExtent(data.map((d) => d[1]))?.max ?? 1, Number.isFinite(space.threeSigma) ? space.threeSigma : 0);
    const yMax = yTop > 0 ? yTop * 1.15 : 1;
    const ticks = logTicks(xMin, xMax);
    panels.grid.push({ left: side.left, right: side.right, top: box.top, height: box.height, outerBoundsMode: 'none' });
    panels.title.push({ text: spaceTitle(name), left: side.left, top: box.top - 22, textStyle: { fontSize: 13 } });
    panels.xAxis.push({
      type: 'log',
      logBase: 10,
      gridIndex: index,
      min: xMin,
      max: xMax,
      name: `Period (${unit.name})`,
      nameLocation: 'middle',
      nameGap: spacing.nameGap,
      nameMoveOverlap: false,
      axisLine: { onZero: false },
      // A decade alone labels one or two ticks per panel: label the 1-2-5 sequence instead.
      axisLabel: { hideOverlap: true, customValues: ticks, margin: spacing.margin },
      axisTick: { customValues: ticks, length: spacing.tickLength },
      splitLine: { show: false },
    });
    panels.yAxis.push({
      type: 'value',
      gridIndex: index,
      min: 0,
      max: yMax,
      // Every panel names its axis (each has its own power scale); the legend names the method.
      name: 'Power',
      nameLocation: 'middle',
      nameGap: 55,
      nameMoveOverlap: false,
      axisLabel: { showMaxLabel: false },
      splitLine: { lineStyle: { color: '#eeeeee' } },
    });
    const axes = { xAxisIndex: index, yAxisIndex: index };
    panels.series.push({
      type: 'line',
      name: PERIODOGRAM_SERIES.power,
      ...axes,
      data,
      showSymbol: false,
      symbol: 'none',
      itemStyle: { color: PERIODOGRAM_COLORS.power },
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
      itemStyle: { color },
      lineStyle: { color, width: 1.2 },
    });
    panels.series.push(level(PERIODOGRAM_SERIES.mean, space.mean, PERIODOGRAM_COLORS.mean));
    panels.series.push(level(PERIODOGRAM_SERIES.threeSigma, space.threeSigma, PERIODOGRAM_COLORS.threeSigma));
    // Peaks closer than 8 % of the panel's width are one peak (its fringes, or neighbouring grid points).
    const marked = distinctPeaks(space.significantPeriods, space.significantPowers, { max: MARKED_PEAKS, separation: 0.08 * Math.log10(xMax / xMin) });
    const peaks: Array<[number, number] | [string, string]> = [];
    for (const i of marked) {
      const period = space.significantPeriods[i] / unit.days;
      peaks.push([period, 0], [period, yMax], ['-', '-']);
    }
    panels.series.push({
      type: 'line',
      name: PERIODOGRAM_SERIES.peak,
      ...axes,
      data: peaks,
      symbol: 'none',
      silent: true,
      connectNulls: false,
      itemStyle: { color: PERIODOGRAM_COLORS.peak },
      lineStyle: { color: PERIODOGRAM_COLORS.peak, width: 1, type: 'dashed' },
    });
    // The period of each marked peak as text beside its line, at the top of the panel.
    panels.series.push({
      type: 'scatter',
      name: PERIODOGRAM_SERIES.peak,
      ...axes,
      data: marked.map((i) => ({
        value: [space.significantPeriods[i] / unit.days, yTop * 1.07],
        label: { show: true, position: 'right', formatter: `${Number((space.significantPeriods[i] / unit.days).toPrecision(3))} ${unit.name}`, fontSize: 10, color: '#000000' },
      })),
      symbol: 'triangle',
      symbolRotate: 180,
      symbolSize: 8,
      silent: true,
      itemStyle: { color: PERIODOGRAM_COLORS.peak },
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
  const time = timeAxis(points.map((p) => p[0]));
  const y = padExtent(finiteExtent(points.map((p) => p[1])));
  const side = { left: layout.left, right: layout.right };
  const panels = periodSpacePanels(pg, layout.grids.slice(1), 1, side);
  return {
    ...BASE_OPTION,
    title: [{ text: `${lightcurveTitle(lc.meta)} — periodogram`, left: layout.left, top: 10, textStyle: { fontSize: 14 } }, ...panels.title],
    legend: periodogramLegend(layout.grids[1].top - 22, layout.right),
    grid: [{ ...side, top: layout.grids[0].top, height: layout.grids[0].height, outerBoundsMode: 'none' }, ...panels.grid],
    xAxis: [
      {
        type: 'value',
        gridIndex: 0,
        min: time.extent.min,
        max: time.extent.max,
        name: 'MJD',
        nameLocation: 'middle',
        nameGap: 26,
        nameMoveOverlap: false,
        breaks: time.breaks,
        breakArea: { itemStyle: { opacity: 0.6 }, zigzagAmplitude: 2, zigzagMinSpan: 8, zigzagMaxSpan: 8 },
        axisLine: { onZero: false },
        axisLabel: { hideOverlap: true, formatter: mjdTickLabel(time.decimals), customValues: time.ticks },
        axisTick: { customValues: time.ticks },
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
