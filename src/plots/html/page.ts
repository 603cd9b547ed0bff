/** The shell every page shares: doctype, charset, local assets, navigation. Markup here is trusted. */
import { escapeHtml, relativeUrl } from '../escape.js';

export const ASSETS = {
  echarts: 'echarts.min.js',
  tabulatorJs: 'tabulator.min.js',
  tabulatorCss: 'tabulator.min.css',
  css: 'hstlc.css',
  charts: 'hstlc-charts.js',
  table: 'hstlc-table.js',
} as const;
export type AssetName = keyof typeof ASSETS;

/** The site's pages at the top of plot_dir, for the navigation bar. */
export const NAV: ReadonlyArray<readonly [string, string]> = [
  ['index.html', 'Overview'],
  ['interesting_hstlc.html', 'Interesting'],
  ['boring_hstlc.html', 'Boring'],
  ['low_counts_hstlc.html', 'Low counts'],
  ['null_hstlc.html', 'No statistics'],
  ['exptime_histogram.html', 'Exposure'],
  ['pie_config_cos_fuv.html', 'COS FUV'],
  ['pie_config_cos_nuv.html', 'COS NUV'],
  ['pie_config_stis_fuv.html', 'STIS FUV'],
  ['pie_config_stis_nuv.html', 'STIS NUV'],
  ['opt_elem.html', 'Optical elements'],
];

export interface PageSpec {
  /** Plain text; escaped here. */
  title: string;
  /** '' for pages at the top of plot_dir, '../' for pages one folder down. */
  root: string;
  /** Trusted markup (built with escapeHtml by the caller). */
  body: string;
  styles?: AssetName[];
  scripts?: AssetName[];
  /** Trusted `<script type="application/json">` blocks, placed before the scripts that read them. */
  data?: string;
}

export function assetUrl(root: string, asset: AssetName): string {
  return `${root}assets/${ASSETS[asset]}`;
}

export function page(spec: PageSpec): string {
  // The site's own sheet last: its rules override the libraries' (Tabulator's) at equal specificity.
  const styles = [...(spec.styles ?? []), 'css' as AssetName]
    .map((a) => `<link rel="stylesheet" href="${escapeHtml(assetUrl(spec.root, a))}">`)
    .join('\n');
  const scripts = (spec.scripts ?? []).map((a) => `<script src="${escapeHtml(assetUrl(spec.root, a))}"></script>`).join('\n');
  const nav = NAV.map(([href, label]) => `<a href="${escapeHtml(spec.root + relativeUrl(href))}">${escapeHtml(label)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hstlc">
<title>${escapeHtml(spec.title)}</title>
${styles}
</head>
<body>
<header class="site"><h1>${escapeHtml(spec.title)}</h1><nav>${nav}</nav></header>
<main>
${spec.body}
</main>
${spec.data ?? ''}
${scripts}
</body>
</html>
`;
}

/** A JSON data block; `json` must come from jsonForScript. */
export function dataBlock(id: string, json: string): string {
  return `<script type="application/json" id="${escapeHtml(id)}">${json}</script>`;
}
