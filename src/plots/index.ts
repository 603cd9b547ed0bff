/** hstlc's plots (§12): chart definitions, rendering, pages and the site builder. */
export * from './types.js';
export { escapeHtml, jsonForScript, relativeUrl } from './escape.js';
export { readLightcurve, metaFromHeaders, DEFAULT_UNITS, type ReadLightcurveOptions } from './read.js';
export { summarizePeriodSpace, periodogramFromRaw, maxSignificantPower, type RawPeriodogram } from './periodogram-data.js';
export { lightcurveChart, LIGHTCURVE_SIZE, LIGHTCURVE_GRID } from './charts/lightcurve.js';
export { periodogramChart, PERIODOGRAM_SIZE } from './charts/periodogram.js';
export { dashboardChart, dashboardPeriodogramChart } from './charts/dashboard.js';
export { exptimeHistogramChart, configDonutChart, optElemChart, exposureByTarget, configCounts, optElemCounts, CONFIG_GROUPS } from './charts/summary.js';
export { renderSvg, svgToPng, renderPng, pngSize, type PngOptions, type Size } from './render.js';
export { lightcurvePng, periodogramPng, writeQuicklookPng } from './draw.js';
export { dashboardPage } from './html/dashboard.js';
export { tablePage, tableRow, classify, KIND_LABELS, type TableKind, type TableRow } from './html/tables.js';
export { indexPage } from './html/index-page.js';
export { chartPage } from './html/chart-page.js';
export { buildSite, type BuildSiteOptions, type SiteRecord, type SiteResult, type ItemResult, type OutputResult } from './site.js';
export { lightcurveOutputs, periodogramName, pngBeside, PAGES, MANIFEST } from './layout.js';
export { renderImage, type ImageJob } from './units.js';
