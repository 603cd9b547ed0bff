/**
 * `compat` and `corrected` differ only in these parameters; every extraction and composite
 * takes one set and records all of it in the output header (ALGORITH + one keyword per switch).
 */
import type { Summation } from './binning.js';

export const ALGORITHM_NAMES = ['compat', 'corrected'] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

export interface AlgorithmParams {
  name: AlgorithmName;
  /**
   * §6.6/§15.14 background scale. 'original': (floor(B_HGT2/2)/floor(SP_HGT/2))/2;
   * 'height-ratio': spectrum height / (background-1 height + background-2 height).
   */
  backgroundScale: 'original' | 'height-ratio';
  /** §6.6 source flux: divide by the mean sensitivity of the selection, or each event's own. */
  sourceSensitivity: 'mean' | 'per-event';
  /** §6.2 days per second for MJD: the original's 1.15741e-5, or 1/86400. */
  daysPerSecond: number;
  /** §6.2 COS NUV IMAGING: count the forced region once per stripe (×3) or once in total. */
  imagingOncePerFile: boolean;
  /** §6.7/6.8 COS FLUXTAB/TDSTAB row: primary SEGMENT ('primary'; NUV → no row) or the stripe (NUVA/B/C). */
  nuvRowByStripe: boolean;
  /** §7.2 STIS flat: ε = P·L ('multiply', as built) or ε = 1/(P·L) ('divide'). */
  stisFlatDivide: boolean;
  /** §7.4 STIS extraction: whole detector (as built) or the x1d's extraction box and background regions. */
  stisUseX1dBox: boolean;
  /** §9.3(b) drop a composite member that has any zero-gross bin (as built). */
  compositeDropZeroBins: boolean;
  /** Drop bins that lie outside the exposure's good time intervals (GTI extension). */
  dropBinsOutsideGti: boolean;
  /**
   * §6.5 end of the time grid: EXPTIME (as built; with a gap in the GTIs, EXPTIME is live time and
   * the events after it are lost) or the last GTI stop.
   */
  gridEndAtGti: boolean;
  /** 'numpy' reproduces numpy's float32 cumulative histogram; 'float64' sums in double precision. */
  summation: Summation;
  /**
   * §9.3(c) a composite's HDU-1 EXPSTART/EXPEND/EXPTIME: the last member's (as built: the metadata merge
   * keeps the later scalar) or all members' (first bin start, last bin end, summed bin widths).
   */
  compositeSpansMembers: boolean;
  /**
   * §8.2 header keywords as the FITS standard has them: a (low, high) pair as two keywords (WLIMLO/
   * WLIMHI, not WLIM = low / 'high' with the high value in the comment), no null-valued YLIM, and the
   * time keywords (TIMESYS, MJDREF, TIMEUNIT, TCTYPn/TCUNIn) that make the mjd column a time column.
   */
  standardKeywords: boolean;
}

export const COMPAT: AlgorithmParams = Object.freeze({
  name: 'compat',
  backgroundScale: 'original',
  sourceSensitivity: 'mean',
  daysPerSecond: 1.15741e-5,
  imagingOncePerFile: false,
  nuvRowByStripe: false,
  stisFlatDivide: false,
  stisUseX1dBox: false,
  compositeDropZeroBins: true,
  dropBinsOutsideGti: false,
  gridEndAtGti: false,
  summation: 'numpy',
  compositeSpansMembers: false,
  standardKeywords: false,
});

export const CORRECTED: AlgorithmParams = Object.freeze({
  name: 'corrected',
  backgroundScale: 'height-ratio',
  sourceSensitivity: 'per-event',
  daysPerSecond: 1 / 86400,
  imagingOncePerFile: true,
  nuvRowByStripe: true,
  stisFlatDivide: true,
  stisUseX1dBox: true,
  compositeDropZeroBins: false,
  dropBinsOutsideGti: true,
  gridEndAtGti: true,
  summation: 'float64',
  compositeSpansMembers: true,
  standardKeywords: true,
});

export function algorithmParams(name: AlgorithmName | undefined): AlgorithmParams {
  return name === 'compat' ? COMPAT : CORRECTED;
}

/** Header cards recording the algorithm and every switch (8-character keys, HSTLC-specific). */
export function algorithmCards(p: AlgorithmParams): Array<{ key: string; value: string | number | boolean; comment: string }> {
  return [
    { key: 'ALGORITH', value: p.name, comment: 'hstlc extraction algorithm (compat|corrected)' },
    { key: 'BKGSCALE', value: p.backgroundScale, comment: 'background scale rule (original|height-ratio)' },
    { key: 'SRCSENS', value: p.sourceSensitivity, comment: 'source sensitivity (mean|per-event)' },
    { key: 'DAYPSEC', value: p.daysPerSecond, comment: 'days per second used for MJD' },
    { key: 'IMGONCE', value: p.imagingOncePerFile, comment: 'NUV imaging counted once, not per stripe' },
    { key: 'NUVROWS', value: p.nuvRowByStripe, comment: 'NUV FLUXTAB/TDSTAB rows matched per stripe' },
    { key: 'STFLTDIV', value: p.stisFlatDivide, comment: 'STIS flats divide (eps = 1/(P*L))' },
    { key: 'STX1DBOX', value: p.stisUseX1dBox, comment: 'STIS extraction box from the x1d' },
    { key: 'CMPZERO', value: p.compositeDropZeroBins, comment: 'composite drops members with zero-count bins' },
    { key: 'GTIDROP', value: p.dropBinsOutsideGti, comment: 'bins outside good time intervals dropped' },
    { key: 'GRIDGTI', value: p.gridEndAtGti, comment: 'time grid ends at the last GTI, not EXPTIME' },
    { key: 'SUMMODE', value: p.summation, comment: 'histogram summation (numpy|float64)' },
    { key: 'CMPSPAN', value: p.compositeSpansMembers, comment: 'composite EXPSTART/EXPEND/EXPTIME span members' },
    { key: 'STDKEYS', value: p.standardKeywords, comment: 'pairs as xxxLO/xxxHI; time keywords for mjd' },
  ];
}
