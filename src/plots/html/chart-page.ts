/** A page holding one overview chart (§12.4–§12.6), drawn in the browser from its embedded option. */
import type { EChartsOption } from 'echarts';
import { escapeHtml, jsonForScript } from '../escape.js';
import type { Size } from '../render.js';
import { dataBlock, page } from './page.js';
import { chartDiv } from './parts.js';

export interface ChartPageInput {
  title: string;
  option: EChartsOption;
  size: Size;
  /** Plain text shown above the chart. */
  note?: string;
  /** Plain text shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
}

export function chartPage(input: ChartPageInput): string {
  const note = input.note ? `<p class="note">${escapeHtml(input.note)}</p>\n` : '';
  if (input.empty) {
    return page({ title: input.title, root: '', body: `${note}<p class="empty" id="hstlc-empty">${escapeHtml(input.empty)}</p>` });
  }
  return page({
    title: input.title,
    root: '',
    body: `${note}${chartDiv('chart-main', input.option, `max-width:${input.size.width}px;height:${input.size.height}px`)}
<noscript><p class="empty">The chart needs JavaScript.</p></noscript>`,
    scripts: ['echarts', 'charts'],
    data: dataBlock('hstlc-charts', jsonForScript([{ id: 'chart-main', option: input.option }])),
  });
}
