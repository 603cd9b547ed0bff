/** Pieces every chart definition shares: the title line of a lightcurve, fonts, no animation. */
import type { LightcurveMeta } from '../types.js';

/** Plain text (never HTML): ECharts draws it as text, and escapes it in SVG output. */
export function configLabel(meta: LightcurveMeta): string {
  const parts = [
    meta.instrument && meta.detector ? `${meta.instrument}/${meta.detector}` : meta.instrument || meta.detector,
    meta.opt_elem,
    meta.cenwave === null ? '' : String(meta.cenwave),
    meta.aperture,
  ];
  return parts.filter((p) => p !== '').join(' ');
}

export function lightcurveTitle(meta: LightcurveMeta): string {
  const config = configLabel(meta);
  return config ? `${meta.targname || 'unknown target'} — ${config}` : meta.targname || 'unknown target';
}

/**
 * Static charts are drawn once; the browser pages animate nothing either (thousands of points).
 * Tooltips (browser only) use renderMode 'richText': drawn on the canvas, so header and database
 * strings in them are never parsed as HTML, whatever ECharts' own escaping does.
 */
export const BASE_OPTION = {
  animation: false,
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: 'sans-serif' },
} as const;

/** Points per series above which scatter series switch to ECharts' large mode (one path for all). */
export const LARGE_THRESHOLD = 2000;
