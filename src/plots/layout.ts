/**
 * Where each output lives inside plot_dir. The site is self-contained (assets, pages, per-lightcurve
 * PNGs and dashboards), so it works from file:// and from any static HTTP server rooted at plot_dir.
 */
import { join, basename } from 'node:path';

export type LightcurveKind = 'composite' | 'individual';

export const PAGES = {
  index: 'index.html',
  interesting: 'interesting_hstlc.html',
  boring: 'boring_hstlc.html',
  null: 'null_hstlc.html',
  low_counts: 'low_counts_hstlc.html',
  exptime: 'exptime_histogram.html',
  optElem: 'opt_elem.html',
} as const;

export const MANIFEST = '.hstlc-plots.json';
export const ASSETS_DIR = 'assets';
export const PERIODOGRAM_DIR = 'periodograms';
/** §12.7: the interesting periodograms, as the original's subset folder (created, unlike §15.25). */
export const PERIODOGRAM_SUBSET_DIR = 'periodogram_subset';

/** The file name without `.fits` / `.fits.gz`. */
export function stem(filename: string): string {
  return basename(filename).replace(/\.fits(\.gz)?$/i, '');
}

/**
 * §12.7 name, fixed (§15.25): everything from `_curve.fits` removed, and `.fits` removed for composites,
 * then `_periodogram.png` (`lb4k0105q_periodogram.png`, `hlsp_…_v1_sci_periodogram.png`).
 */
export function periodogramName(filename: string): string {
  return `${stem(filename).replace(/_curve$/, '')}_periodogram.png`;
}

/** Relative paths (POSIX separators, used both on disk and as URLs) of one lightcurve's outputs. */
export function lightcurveOutputs(kind: LightcurveKind, filename: string): { png: string; dashboard: string | null; periodogram: string; subset: string } {
  const s = stem(filename);
  return {
    png: `${kind}/${s}.png`,
    dashboard: kind === 'composite' ? `${kind}/${s}.html` : null,
    periodogram: `${PERIODOGRAM_DIR}/${periodogramName(filename)}`,
    subset: `${PERIODOGRAM_SUBSET_DIR}/${periodogramName(filename)}`,
  };
}

export function onDisk(plotDir: string, relative: string): string {
  return join(plotDir, ...relative.split('/'));
}

/** The quicklook PNG beside a lightcurve FITS file (`x_curve.fits` → `x_curve.png`; §12.1). */
export function pngBeside(fitsPath: string): string {
  return fitsPath.replace(/\.fits(\.gz)?$/i, '') + '.png';
}
