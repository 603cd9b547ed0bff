/** Small markup pieces shared by pages; every value passes through escapeHtml. */
import { escapeHtml } from '../escape.js';
import type { EChartsOption } from 'echarts';
import type { StatsRecord } from '../types.js';

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const a = Math.abs(value);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
}

export function statsList(stats: StatsRecord): string {
  const rows: Array<[string, string]> = [
    ['target', stats.targname],
    ['exptime (s)', formatNumber(stats.exptime)],
    ['total counts', formatNumber(stats.total)],
    ['mean', formatNumber(stats.mean)],
    ['poisson factor', formatNumber(stats.poisson_factor)],
    ['pearson r', formatNumber(stats.pearson_r)],
    ['pearson p', formatNumber(stats.pearson_p)],
    ['periodogram flag', stats.periodogram ? 'yes' : 'no'],
  ];
  return `<dl class="stats">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/**
 * What a chart shows, in words, for its container's aria-label: the canvas holds no text, so screen
 * readers (and tests) read the panel titles and axis names (with their units) here.
 */
export function chartDescription(option: EChartsOption): string {
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const texts = (items: Array<{ text?: string; name?: string }>, key: 'text' | 'name') =>
    [...new Set(items.map((i) => i[key]).filter((t): t is string => typeof t === 'string' && t !== ''))];
  const titles = texts(list(option.title as { text?: string } | Array<{ text?: string }> | undefined), 'text');
  const x = texts(list(option.xAxis as { name?: string } | Array<{ name?: string }> | undefined), 'name');
  const y = texts(list(option.yAxis as { name?: string } | Array<{ name?: string }> | undefined), 'name');
  return [titles.join(', '), x.length ? `x: ${x.join(', ')}` : '', y.length ? `y: ${y.join(', ')}` : ''].filter((t) => t !== '').join('; ');
}

/** A chart's container: role img, labelled with chartDescription. */
export function chartDiv(id: string, option: EChartsOption, style: string): string {
  return `<div id="${escapeHtml(id)}" class="chart" role="img" aria-label="${escapeHtml(chartDescription(option))}" style="${escapeHtml(style)}"></div>`;
}
