/** Synthetic HST TIME-TAG archives with known truth (`hstlc demo`, and test data). */
export { generateArchive, buildReferenceSet, compositeGroups, ARCHIVE_SIZES, type GenerateOptions } from './archive.js';
export { planArchive, SIZE_PRESETS, GROUPS, TARGETS, BAD_PROPOSAL, PHASE_EPOCH_MJD, type SizePreset } from './catalog.js';
export { buildExposure, buildCosExposure, buildStisExposure, type ProductFile, type ExposureRefs } from './products.js';
export { Rng, hashLabel, logFactorial } from './random.js';
export { compileSignal, integrateOverGtis, type Signal, type RateModel, type SignalContext } from './signals.js';
export { drawEventTimes, expectedCount, gtiLength, type Gti, type TimeComponent, type EventTimes } from './timing.js';
export { simulateCorrtag, corrtagBoxes, expectedRegionCounts, selectionProbabilities, COS_TIME_STEP, type CorrtagColumns, type CorrtagSpec } from './cos.js';
export { simulateTag, countStis, stisSelectionProbabilities, bpixImage, eventDq, eventWavelength, x1dTruth, STIS_TIME_STEP, STIS_LIMITS, type TagColumns, type BpixRow, type X1dTruth } from './stis.js';
export { countRegions, regionRows, inAirglowWindow, type RegionBox, type RegionCount } from './regions.js';
export { evaluateChecks, CHECK_REASONS, CHECK_ORDER, type Verdict, type CheckName, type CheckOutcome } from './verdict.js';
export { COS_MODES, STIS_MODES, COS_FUV, COS_NUV, STIS_MAMA, AIRGLOW, AIRGLOW_WINDOWS } from './modes.js';
export type { ArchiveManifest, ArchiveSize, FileTruth, RegionTruth, ComponentTruth, CompositeTruth, FileKind } from './manifest.js';
export type { ExposurePlan, BadKind, ExposureKind, Rates } from './plan.js';
