/**
 * The plain inputs of every plot. They carry no database or FITS objects, so chart
 * definitions stay pure functions of data and the stage that queries the database can build them.
 */
import type { StatsRow } from '../analysis/index.js';

/** The columns a lightcurve plot draws (§8.1), all as float64 whatever the file's TFORM. */
export const LIGHTCURVE_COLUMNS = ['gross', 'net', 'flux', 'error', 'background'] as const;
export type LightcurveColumn = (typeof LIGHTCURVE_COLUMNS)[number];

/** Who and what a lightcurve is; every string here comes from a header or the database (escape it). */
export interface LightcurveMeta {
  targname: string;
  instrument: string;
  detector: string;
  /** The grating (OPT_ELEM; FILTER in a composite's primary header, §9.3d). */
  opt_elem: string;
  /** Not in any lightcurve header (§9.3d): known from the database; null when unknown. */
  cenwave: number | null;
  aperture: string;
  /** Seconds; a composite's primary EXPTIME is the sum of its bins (§9.3d). */
  exptime: number | null;
}

export interface LightcurveData {
  /** Base file name, e.g. `hlsp_hstlc_hst_cos-fuv_gd71_g130m_1291_psa_v1_sci.fits`. */
  name: string;
  mjd: Float64Array;
  gross: Float64Array;
  net: Float64Array;
  flux: Float64Array;
  error: Float64Array;
  background: Float64Array;
  /** 1-based member index of each row (§9.3c); all 1 for an individual lightcurve. */
  dataset: Float64Array;
  /** Label of dataset k at index k−1 (member file names when known, else `dataset k`). */
  datasetNames: string[];
  meta: LightcurveMeta;
  /** Unit label per column, for axis names (the files carry no TUNITn; §8.1 defines them). */
  units: Record<LightcurveColumn | 'mjd', string>;
}

/**
 * One row of the stats table (the analysis' StatsRow, §10.2, §11.2) joined with the lightcurve's
 * metadata, so the plots stage can pass query results through. NULL stays null.
 */
export interface StatsRecord extends StatsRow, LightcurveMeta {}

export const PERIOD_SPACES = ['short', 'med', 'long'] as const;
export type PeriodSpaceName = (typeof PERIOD_SPACES)[number];

/** One period space of §11.3: the grid, its powers, and what was judged significant. */
export interface PeriodSpace {
  /** Days. */
  periods: Float64Array;
  powers: Float64Array;
  mean: number;
  /** mean + 3σ of the powers. */
  threeSigma: number;
  significantPeriods: number[];
  significantPowers: number[];
}

export type PeriodogramData = Record<PeriodSpaceName, PeriodSpace>;
