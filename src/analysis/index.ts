/** Statistics and periodograms of lightcurves (§11): the analysis core of `hstlc stats`. */
export { pairwiseSum, mean, populationStd, centered, type Samples } from './samples.js';
export { pearson, pearsonPValue, type PearsonResult } from './pearson.js';
export { countStatistics, statsRow, deliverable, productKindOf, type CountStatistics, type StatsRow, type ProductKind } from './stats.js';
export * from './periodogram/index.js';
export { ANALYSIS_VERSION, lightcurveDataHash, statsContentKey } from './content-key.js';
export {
  interestOf,
  periodogramCandidate,
  byInterest,
  poissonFactorError,
  log10NormalTail,
  INTEREST_KINDS,
  INTEREST_RULE,
  LOW_COUNTS_TOTAL,
  LOW_COUNTS_MEAN,
  POISSON_FACTOR_MIN,
  POISSON_SIGMA_MIN,
  FAP_MAX,
  type Interest,
  type InterestFacts,
  type InterestVerdict,
} from './interest.js';
export {
  analyzeLightcurve,
  analyzeLightcurveFile,
  readLightcurveColumns,
  summarizePeriodograms,
  type LightcurveColumns,
  type LightcurveAnalysis,
  type PeriodogramSummary,
  type SpaceSummary,
  type AnalysisOptions,
} from './lightcurve-file.js';
