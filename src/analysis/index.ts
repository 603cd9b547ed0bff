/** Statistics and periodograms of lightcurves (§11): the analysis core of `hstlc stats`. */
export { pairwiseSum, mean, populationStd, centered, type Samples } from './samples.js';
export { pearson, pearsonPValue, type PearsonResult } from './pearson.js';
export { countStatistics, statsRow, deliverable, productKindOf, type CountStatistics, type StatsRow, type ProductKind } from './stats.js';
export * from './periodogram/index.js';
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
