/**
 * §12.1 static lightcurve: flux vs MJD, one colour per dataset (the original drew a 10×1-inch strip
 * with rank on x and no labels; here time is on x and the axes are labelled with units).
 */
import type { EChartsOption, ScatterSeriesOption } from 'echarts';
import { datasetColor } from '../palette.js';
import type { LightcurveColumn, LightcurveData } from '../types.js';
import { BASE_OPTION, LARGE_THRESHOLD, lightcurveTitle } from './common.js';
import { datasetLabels, exponentFor, finiteExtent, mjdText, padExtent, pieceTicks, powerOfTen, tickDecimals, timeBreaks, type Extent } from './scale.js';

export const LIGHTCURVE_SIZE = { width: 1000, height: 300 } as const;
/** Plot area in pixels from each edge; fixed so a point's position follows from the axis bounds alone. */
export const LIGHTCURVE_GRID = { left: 90, right: 170, top: 40, bottom: 48 } as const;

const COLUMN_LABEL: Record<LightcurveColumn, string> = {
  gross: 'Gross',
  net: 'Net',
  flux: 'Flux',
  error: 'Error',
  background: 'Background',
};

export interface AxisLabelParts {
  label: string;
  /** Values on the chart are data / 10^exponent. */
  exponent: number;
}

/** `Flux (10⁻¹⁴ erg s⁻¹ cm⁻² Å⁻¹)`: the axis name with the scale factor folded into the unit. */
export function valueAxisName(column: LightcurveColumn, unit: string, exponent: number): string {
  const scale = exponent === 0 ? '' : `${powerOfTen(exponent)} `;
  return unit || scale ? `${COLUMN_LABEL[column]} (${scale}${unit})`.replace(' )', ')') : COLUMN_LABEL[column];
}

/**
 * MJD tick labels without thousands separators, and none at the breaks: the two ECharts puts at each
 * break overlap, and ECharts 6.1's SSR misplaces a break label that hideOverlap drops (drawn at the
 * top-left corner); the zigzag marks the break. A function, so this option is for server-side rendering
 * only (the pages' script has its own, client.ts).
 */
export function mjdTickLabel(decimals?: number): (value: number, index?: number, extra?: { break?: { type: 'start' | 'end' } } | null) => string {
  return (value, _index, extra) => (extra?.break ? '' : mjdText(value, decimals));
}

/**
 * The time axis pieces shared by the static charts and the dashboard: the extent, the breaks across the
 * gaps between visits, and tick values chosen per visit (so each gets labels).
 */
export function timeAxis(mjd: ArrayLike<number>): { extent: Extent; breaks: ReturnType<typeof timeBreaks>; ticks: number[]; decimals: number } {
  const x = finiteExtent(mjd) ?? { min: 0, max: 1 };
  const extent = x.min === x.max ? { min: x.min - 0.5, max: x.max + 0.5 } : x;
  const breaks = timeBreaks(mjd);
  const ticks = pieceTicks(extent, breaks);
  return { extent, breaks, ticks, decimals: tickDecimals(ticks) };
}

export interface LightcurveChartOptions {
  column?: LightcurveColumn;
  width?: number;
  height?: number;
}

/** Per dataset, the [mjd, value/10^exponent] pairs whose both values are finite, in row order. */
export function pointsByDataset(lc: LightcurveData, column: LightcurveColumn, exponent: number): Array<Array<[number, number]>> {
  const scale = 10 ** exponent;
  const values = lc[column];
  const groups: Array<Array<[number, number]>> = lc.datasetNames.map(() => []);
  for (let i = 0; i < lc.mjd.length; i++) {
    const t = lc.mjd[i];
    const v = values[i];
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    const k = Math.max(1, Math.round(lc.dataset[i]));
    while (groups.length < k) groups.push([]);
    groups[k - 1].push([t, exponent === 0 ? v : v / scale]);
  }
  return groups;
}

export function lightcurveChart(lc: LightcurveData, options: LightcurveChartOptions = {}): EChartsOption {
  const column = options.column ?? 'flux';
  const exponent = exponentFor(finiteExtent(lc[column]));
  const groups = pointsByDataset(lc, column, exponent);
  const time = timeAxis(lc.mjd);
  const y = padExtent(finiteExtent(groups.flat().map((p) => p[1])));
  const labels = datasetLabels(lc.datasetNames);
  const series: ScatterSeriesOption[] = groups.map((points, k) => ({
    type: 'scatter',
    name: labels[k] ?? `dataset ${k + 1}`,
    data: points,
    // Dense series get smaller marks and no outline, which would otherwise paint the area grey.
    symbolSize: points.length > LARGE_THRESHOLD ? 2 : 4,
    // Spectral6's pale yellow vanishes on white without an outline.
    itemStyle: { color: datasetColor(k + 1), borderColor: '#444444', borderWidth: points.length > LARGE_THRESHOLD ? 0 : 0.3, opacity: 1 },
    // Beyond a few thousand points, one compound path instead of an element per point (faster SVG).
    large: true,
    largeThreshold: LARGE_THRESHOLD,
    progressive: 0,
  }));
  return {
    ...BASE_OPTION,
    title: { text: lightcurveTitle(lc.meta), left: LIGHTCURVE_GRID.left, top: 8, textStyle: { fontSize: 14 } },
    legend: {
      type: 'scroll',
      orient: 'vertical',
      right: 8,
      top: LIGHTCURVE_GRID.top,
      bottom: LIGHTCURVE_GRID.bottom,
      itemWidth: 10,
      itemHeight: 10,
      // Narrower than the margin: server-side text measurement underestimates DejaVu Sans widths.
      textStyle: { fontSize: 10, width: 95, overflow: 'truncate' },
    },
    grid: { ...LIGHTCURVE_GRID, outerBoundsMode: 'none' },
    xAxis: {
      type: 'value',
      name: lc.units.mjd || 'MJD',
      nameLocation: 'middle',
      nameGap: 28,
      min: time.extent.min,
      max: time.extent.max,
      scale: true,
      breaks: time.breaks,
      // Equal spans: ECharts draws the zigzag with random segment lengths otherwise (non-deterministic output).
      breakArea: { itemStyle: { opacity: 0.6 }, zigzagAmplitude: 2, zigzagMinSpan: 8, zigzagMaxSpan: 8 },
      nameMoveOverlap: false,
      splitLine: { show: false },
      // The axis sits at the bottom of the frame, not at y = 0 (flux can be negative).
      axisLine: { onZero: false },
      // Bounds are data extents, not round numbers; only the nice ticks between them are labelled.
      axisLabel: { hideOverlap: true, formatter: mjdTickLabel(time.decimals), customValues: time.ticks },
      axisTick: { customValues: time.ticks },
    },
    yAxis: {
      type: 'value',
      name: valueAxisName(column, lc.units[column], exponent),
      nameLocation: 'middle',
      nameGap: 62,
      min: y.min,
      max: y.max,
      scale: true,
      nameMoveOverlap: false,
      axisLabel: { showMinLabel: false, showMaxLabel: false },
      splitLine: { lineStyle: { color: '#eeeeee' } },
    },
    series,
  };
}
