/**
 * plot_dir/assets/: the vendored ECharts and Tabulator builds plus the site's own script and CSS, so
 * pages need no CDN (DESIGN §7) and work from file:// and over HTTP.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CHARTS_JS, SITE_CSS, TABLE_JS } from './html/client.js';
import { ASSETS, type AssetName } from './html/page.js';

const require = createRequire(import.meta.url);

/** Where each asset's content comes from: a file of an installed package, or our own text. */
const SOURCES: Record<AssetName, { module: string } | { text: string }> = {
  echarts: { module: 'echarts/dist/echarts.min.js' },
  tabulatorJs: { module: 'tabulator-tables/dist/js/tabulator.min.js' },
  tabulatorCss: { module: 'tabulator-tables/dist/css/tabulator.min.css' },
  css: { text: SITE_CSS },
  charts: { text: CHARTS_JS },
  table: { text: TABLE_JS },
};

export interface Asset {
  /** File name inside assets/. */
  name: string;
  content: Uint8Array;
}

export function loadAssets(): Asset[] {
  return (Object.keys(SOURCES) as AssetName[]).map((key) => {
    const source = SOURCES[key];
    const content = 'text' in source ? new TextEncoder().encode(source.text) : new Uint8Array(readFileSync(require.resolve(source.module)));
    return { name: ASSETS[key], content };
  });
}
