/** Small markup pieces shared by pages; every value passes through escapeHtml. */
import { escapeHtml } from '../escape.js';
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
