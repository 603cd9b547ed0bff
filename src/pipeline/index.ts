/** The stages and the worker pool (DESIGN §2, §9). */
export { createPool, forEachInOrder, workerEntry, type Pool, type PoolOptions, type Outcome, type PoolUnitName, type UnitInput, type UnitOutput } from './pool.js';
export { UNITS, prepareFile, buildComposite, extractOptions, type UnitName, type UnitInputOf, type UnitOutputOf, type UnitResult, type UnitFailure, type UnitOptions, type PrepareInput, type PrepareResult, type CompositeInput, type CompositeUnitResult } from './units.js';
export { ingestStage, ingestPoolOptions, runIngest, filesToIngest, unitOptions, IngestAborted, STAGING_DIR, type IngestOptions, type IngestSettings, type IngestStep, type IngestProgress, type IngestSummary, type FileResult } from './ingest.js';
export { makeComposites, type CompositeItem, type CompositeStepOptions } from './composites.js';
export { journalDir, pendingIntents, JOURNAL_DIR, type IngestIntent, type MoveStep, type MoveRole } from './journal.js';
export { SILENT, collectingLogger, type StageLogger } from './log.js';
export { runStage, NO_PROGRESS, type Stage, type StageContext, type StageEnvironment, type StageLock, type StageProgress, type ProgressSink, type StageResultSet, type ItemResult, type ItemStatus } from './stage.js';
