/**
 * The site's overview charts (§12.4–§12.6), as pure functions of the stats records. Names come from the
 * records (database columns), never from splitting file names (§12 name parsing).
 */
import type { EChartsOption } from 'echarts';
import { BAR_BACKGROUND, INSTRUMENT_COLORS, SPECTRAL6 } from '../palette.js';
import type { StatsRecord } from '../types.js';
import { BASE_OPTION } from './common.js';

export const EXPTIME_SIZE = { width: 900, height: 500 } as const;
export const DONUT_SIZE = { width: 1200, height: 600 } as const;
export const OPT_ELEM_SIZE = { width: 900, height: 500 } as const;

export interface TargetExposure {
  target: string;
  exptime: number;
}

/** §12.4: cumulative EXPTIME per target, the `limit` largest, descending (ties by name for stability). */
export function exposureByTarget(records: readonly StatsRecord[], limit = 30): TargetExposure[] {
  const sums = new Map<string, number>();
  for (const r of records) {
    if (r.exptime === null || !Number.isFinite(r.exptime)) continue;
    sums.set(r.targname, (sums.get(r.targname) ?? 0) + r.exptime);
  }
  return [...sums]
    .map(([target, exptime]) => ({ target, exptime }))
    .sort((a, b) => b.exptime - a.exptime || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
    .slice(0, limit);
}

export function exptimeHistogramChart(records: readonly StatsRecord[]): EChartsOption {
  const top = exposureByTarget(records);
  return {
    ...BASE_OPTION,
    title: { text: 'Cumulative Exptime per Target', left: 'center', top: 8 },
    grid: { left: 90, right: 30, top: 50, bottom: 130, outerBoundsMode: 'none', show: true, backgroundColor: BAR_BACKGROUND, borderColor: '#000000' },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    xAxis: { type: 'category', name: 'Target', nameLocation: 'middle', nameGap: 110, data: top.map((t) => t.target), axisLabel: { rotate: 60, interval: 0 } },
    yAxis: { type: 'value', name: 'Exptime (s)', nameLocation: 'middle', nameGap: 65 },
    series: [{ type: 'bar', name: 'Exptime (s)', data: top.map((t) => t.exptime), itemStyle: { color: SPECTRAL6[0] } }],
  };
}

/** §12.5: the four instrument/detector breakdowns, keyed as the records spell them. */
export const CONFIG_GROUPS = [
  { key: 'cos_fuv', instrument: 'COS', detector: 'FUV', title: 'COS FUV breakdown' },
  { key: 'cos_nuv', instrument: 'COS', detector: 'NUV', title: 'COS NUV breakdown' },
  { key: 'stis_fuv', instrument: 'STIS', detector: 'FUV-MAMA', title: 'STIS FUV breakdown' },
  { key: 'stis_nuv', instrument: 'STIS', detector: 'NUV-MAMA', title: 'STIS NUV breakdown' },
] as const;
export type ConfigGroup = (typeof CONFIG_GROUPS)[number];

export interface ConfigCount {
  label: string;
  count: number;
}

/** `<grating>/<cenwave>` counts for one instrument/detector, most common first (§12.5 labels, lower case). */
export function configCounts(records: readonly StatsRecord[], group: ConfigGroup): ConfigCount[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.instrument.toUpperCase() !== group.instrument || r.detector.toUpperCase() !== group.detector) continue;
    const label = `${r.opt_elem}/${r.cenwave ?? ''}`.toLowerCase();
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}

export function configDonutChart(records: readonly StatsRecord[], group: ConfigGroup): EChartsOption {
  const counts = configCounts(records, group);
  return {
    ...BASE_OPTION,
    title: { text: group.title, left: 'center', top: 10 },
    tooltip: { trigger: 'item', renderMode: 'richText' },
    legend: { type: 'scroll', orient: 'vertical', right: 20, top: 50, bottom: 20 },
    color: [...SPECTRAL6],
    series: [
      {
        type: 'pie',
        name: group.title,
        radius: ['40%', '70%'],
        center: ['45%', '55%'],
        label: { formatter: '{b}: {c}' },
        data: counts.map((c) => ({ name: c.label, value: c.count })),
      },
    ],
  };
}

export interface OptElemCounts {
  categories: string[];
  cos: number[];
  stis: number[];
}

/**
 * §12.6, fixed (§15.26): lightcurves (the records given — composites) per optical element, COS and STIS
 * apart; the original counted metadata rows, i.e. exposures.
 */
export function optElemCounts(records: readonly StatsRecord[]): OptElemCounts {
  const categories = [...new Set(records.map((r) => r.opt_elem))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const cos = categories.map(() => 0);
  const stis = categories.map(() => 0);
  for (const r of records) {
    const i = index.get(r.opt_elem) ?? 0;
    const instrument = r.instrument.toUpperCase();
    if (instrument === 'COS') cos[i]++;
    else if (instrument === 'STIS') stis[i]++;
  }
  return { categories, cos, stis };
}

export function optElemChart(records: readonly StatsRecord[]): EChartsOption {
  const counts = optElemCounts(records);
  return {
    ...BASE_OPTION,
    title: { text: 'Lightcurves per Optical Element', left: 'center', top: 8 },
    legend: { right: 30, top: 8 },
    tooltip: { trigger: 'axis', renderMode: 'richText' },
    grid: { left: 80, right: 30, top: 50, bottom: 90, outerBoundsMode: 'none', show: true, backgroundColor: BAR_BACKGROUND, borderColor: '#000000' },
    xAxis: { type: 'category', name: 'Optical Element', nameLocation: 'middle', nameGap: 65, data: counts.categories, axisLabel: { rotate: 45, interval: 0 } },
    yAxis: { type: 'value', name: '# of Lightcurves', nameLocation: 'middle', nameGap: 50, minInterval: 1 },
    series: [
      { type: 'bar', name: 'COS', stack: 'instrument', data: counts.cos, itemStyle: { color: INSTRUMENT_COLORS.COS } },
      { type: 'bar', name: 'STIS', stack: 'instrument', data: counts.stis, itemStyle: { color: INSTRUMENT_COLORS.STIS } },
    ],
  };
}
