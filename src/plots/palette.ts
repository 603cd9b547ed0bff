/** Colours shared by the static and interactive charts, so a dataset looks the same everywhere. */

/** §12.2: Bokeh's Spectral6, one colour per dataset, cycling. */
export const SPECTRAL6 = ['#3288bd', '#99d594', '#e6f598', '#fee08b', '#fc8d59', '#d53e4f'] as const;

/** Colour of 1-based dataset k. */
export function datasetColor(k: number): string {
  const i = (((Math.round(k) - 1) % SPECTRAL6.length) + SPECTRAL6.length) % SPECTRAL6.length;
  return SPECTRAL6[i];
}

/** §12.7: the periodogram's own colours (blue markers, red mean, green 3σ, black dashed peaks). */
export const PERIODOGRAM_COLORS = { points: '#1f77b4', power: '#333333', mean: '#d62728', threeSigma: '#2ca02c', peak: '#000000' } as const;

/** §12.4/§12.6: grey background with a black outline, as the original's bar charts. */
export const BAR_BACKGROUND = '#cccccc';

export const INSTRUMENT_COLORS = { COS: '#3288bd', STIS: '#d53e4f' } as const;
