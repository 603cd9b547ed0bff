/** §12.2 dashboard page: the five linked panels and the periodogram of one composite. */
import { dashboardChart, dashboardHeight, dashboardPeriodogramChart, dashboardPeriodogramHeight } from '../charts/dashboard.js';
import { configLabel } from '../charts/common.js';
import { escapeHtml, jsonForScript, relativeUrl } from '../escape.js';
import type { LightcurveData, PeriodogramData, StatsRecord } from '../types.js';
import { dataBlock, page } from './page.js';
import { chartDiv, statsList } from './parts.js';

export interface DashboardPageInput {
  lc: LightcurveData;
  stats?: StatsRecord | null;
  periodogram?: PeriodogramData | null;
  /** Paths relative to the page of its static PNG and periodogram PNG, when they exist. */
  links?: { png?: string | null; periodogram?: string | null };
  /** '../' for a page in plot_dir/composite/. */
  root: string;
}

export function dashboardPage(input: DashboardPageInput): string {
  const { lc, stats } = input;
  const charts = [{ id: 'chart-lightcurve', option: dashboardChart(lc) }];
  if (input.periodogram) charts.push({ id: 'chart-periodogram', option: dashboardPeriodogramChart(input.periodogram) });
  const links: string[] = [];
  if (input.links?.png) links.push(`<a href="${escapeHtml(relativeUrl(input.links.png))}">static PNG</a>`);
  if (input.links?.periodogram) links.push(`<a href="${escapeHtml(relativeUrl(input.links.periodogram))}">periodogram PNG</a>`);
  const body = `<p class="note">${escapeHtml(configLabel(lc.meta))} · ${escapeHtml(lc.name)} · ${lc.mjd.length} bins in ${lc.datasetNames.length} dataset(s)${links.length ? ` · ${links.join(' · ')}` : ''}</p>
${stats ? statsList(stats) : ''}
<p class="note">Drag to pan, wheel to zoom (all panels share the time axis); the toolbox offers box zoom, box/lasso select (linked across panels), reset and save. Click a dataset in the legend to hide it.</p>
${chartDiv('chart-lightcurve', charts[0].option, `height:${dashboardHeight()}px`)}
${charts[1] ? `<h2>Periodogram</h2>\n${chartDiv('chart-periodogram', charts[1].option, `height:${dashboardPeriodogramHeight()}px`)}` : '<p class="note">No periodogram for this lightcurve.</p>'}
<noscript><p class="empty">The interactive panels need JavaScript.</p></noscript>`;
  return page({
    title: `${lc.meta.targname || lc.name} — ${configLabel(lc.meta)}`,
    root: input.root,
    body,
    scripts: ['echarts', 'charts'],
    data: dataBlock('hstlc-charts', jsonForScript(charts)),
  });
}
