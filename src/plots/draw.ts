/** Drawing one lightcurve's images: the chart definitions rendered at their fixed sizes. */
import { lightcurveChart, LIGHTCURVE_SIZE } from './charts/lightcurve.js';
import { periodogramChart, PERIODOGRAM_SIZE } from './charts/periodogram.js';
import { writeAtomic } from './files.js';
import { pngBeside } from './layout.js';
import { renderPng, type PngOptions } from './render.js';
import type { LightcurveData, PeriodogramData } from './types.js';

/** §12.1: flux vs MJD by dataset, 1000 × 300. */
export function lightcurvePng(lc: LightcurveData, options: PngOptions = {}): Uint8Array {
  return renderPng(lightcurveChart(lc), LIGHTCURVE_SIZE, options);
}

/** §12.7: lightcurve and the three period spaces, 1000 × 900. */
export function periodogramPng(lc: LightcurveData, pg: PeriodogramData, options: PngOptions = {}): Uint8Array {
  return renderPng(periodogramChart(lc, pg), PERIODOGRAM_SIZE, options);
}

/**
 * The ingest quicklook (the original's disabled step, §15.13): the PNG beside the lightcurve FITS file.
 * Returns the path written.
 */
export function writeQuicklookPng(lc: LightcurveData, fitsPath: string, options: PngOptions = {}): string {
  const path = pngBeside(fitsPath);
  writeAtomic(path, lightcurvePng(lc, options));
  return path;
}
