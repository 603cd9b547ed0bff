/** hstlc's database: schema, migrations, connection (URL → dialect) and the queries the pipeline needs. */
export * from './schema.js';
export { openDatabase, DatabaseConfigError, IDENTIFIER, type HstlcDb, type OpenOptions } from './connect.js';
export { migrateToLatest, appliedMigrations, migrationsFor, MigrationError, type MigrationResult } from './migrate.js';
export { countByStatus, writeInChunks, type ItemResult, type ItemStatus } from './batch.js';
export {
  upsertMetadata,
  upsertOutputs,
  recordIngestedFile,
  recordIngestedFiles,
  findMetadata,
  findOutputs,
  listMetadataFilenames,
  listTargnames,
  listOutputs,
  listOutputsWithMetadata,
  listMetadataLocations,
  clearOutputLightcurves,
  forgetFiles,
  validateMetadata,
  RowValidationError,
  type MetadataInput,
  type IndividualOutput,
  type IngestedFile,
  type OutputWithMetadata,
} from './metadata.js';
export { recordBadData, recordBadDataBatch, listBadData, listBadDataFilenames, type BadDataInput } from './bad-data.js';
export { upsertStats, upsertStatsBatch, findStats, listStats, listStatsLocations, deleteStats, type StatsInput, type Stats } from './stats.js';
export { pendingCompositeGroups, compositeGroupMembers, setCompositeOutput, compareGroups, type CompositeGroup, type CompositeMember } from './composites.js';
export { recordDownload, listDownloads, findDownload, recordDownloadListings, listDownloadListings, type Download, type DownloadInput, type DownloadListing } from './downloads.js';
export { startRun, finishRun, recordRun, recentRuns, runningRuns } from './runs.js';
export { recordTargetName, listTargetNames, knownTargets, resolveAndRecordTarget, type TargetNameInput, type KnownTarget } from './target-names.js';
export { tableCounts, countByValue, statsFlagCounts, type TableCounts, type CountedColumn } from './status.js';
export { resetDatabase, tablesToReset, RESET_TARGETS, type ResetTarget, type ResetReport, type BadDataBackup } from './reset.js';
export { todayIsoDate, finiteOrNull } from './values.js';
export { isConnectionLoss, retryOnConnectionLoss, DatabaseUnreachableError, CONNECTION_RETRY_DELAYS_MS } from './connection-loss.js';
export { postgresPoolConfig } from './dialects/postgres.js';
export * as engineDb from './engine.js';

import { openDatabase, type HstlcDb, type OpenOptions } from './connect.js';
import { migrateToLatest } from './migrate.js';
import type { ConnectionInfo } from '../config/connection.js';

/** Open and migrate: what every stage does first. Closes the connection again if migrating fails. */
export async function connectDatabase(info: ConnectionInfo, options?: OpenOptions): Promise<HstlcDb> {
  const handle = openDatabase(info, options);
  try {
    await migrateToLatest(handle);
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  return handle;
}
export { markReprocessing, listReprocessing, findWaitingReprocessing, settleReprocessed, type ReprocessingRow } from './reprocessing.js';
