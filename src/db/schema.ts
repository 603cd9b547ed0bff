/**
 * The tables, as kysely sees them. The four pipeline tables keep the original's columns (§10.2);
 * `downloads`, `runs` and `target_names` are ours (bookkeeping for the downloader, `hstlc status`,
 * and the record of how each header TARGNAME was mapped).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { StatsRow } from '../analysis/index.js';
import type { BadDataReason } from '../quality/reasons.js';
import { TARGNAME_MAX_LENGTH } from '../targets/sanitize.js';
import type { TargetMethod } from '../targets/resolve.js';

// The reasons belong to the checks (src/quality), the methods and name width to src/targets; the
// database stores them (each folder knows nothing of the ones after it, DESIGN §2).
export { BAD_DATA_REASONS, isBadDataReason, type BadDataReason } from '../quality/reasons.js';
export { TARGET_METHODS, type TargetMethod } from '../targets/resolve.js';

/** A download's life: queued → downloading → complete, or failed (retried by the next run). */
export const DOWNLOAD_STATES = ['queued', 'downloading', 'complete', 'failed'] as const;
export type DownloadState = (typeof DOWNLOAD_STATES)[number];

/** A reprocessed member: its new files wait in ingest_dir, then ingest has replaced its outputs. */
export const REPROCESSING_STATES = ['waiting', 'done'] as const;
export type ReprocessingState = (typeof REPROCESSING_STATES)[number];

export const RUN_STATUSES = ['running', 'ok', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Widths (§10.2). Paths are wider than the original's VARCHAR(100), which an ordinary absolute path
 * under a home directory overflows on PostgreSQL/MySQL (SQLAlchemy on MySQL silently truncated or
 * failed); 512 keeps any index on them within MySQL's 3072-byte key limit in utf8mb4.
 */
export const WIDTH = { path: 512, filename: 30, targname: TARGNAME_MAX_LENGTH, short: 10, name: 30, composite: 100 } as const;

/** 'YYYY-MM-DD'; DATE columns are read back as this string on every dialect (see connect.ts). */
export type IsoDate = string;

/** Booleans come back as 0/1 from SQLite and MySQL, true/false from PostgreSQL. */
type DbBoolean = ColumnType<boolean | number, boolean | number | undefined, boolean | number>;

export interface MetadataTable {
  id: Generated<number>;
  filename: string;
  path: string;
  ingest_date: IsoDate;
  telescop: string;
  instrume: string;
  targname: string;
  cal_ver: string;
  obstype: string;
  cenwave: number;
  aperture: string;
  detector: string;
  opt_elem: string;
  fppos: number;
}

export interface OutputsTable {
  id: Generated<number>;
  metadata_id: number;
  individual_path: string | null;
  individual_filename: string | null;
  /** NULL = the composite of this file's group needs (re)building (§9.1). */
  composite_path: string | null;
  composite_filename: string | null;
}

export interface BadDataTable {
  id: Generated<number>;
  filename: string;
  ingest_date: IsoDate;
  reason: BadDataReason;
}

/**
 * The columns of the analysis' StatsRow (src/analysis/stats.ts). `total` is NULL only when the counts sum
 * to NaN/inf (0003; the original aborted the run there, §11.2); best_period, best_power and
 * false_alarm_probability are ours (0003), content_key too (0008).
 */
export interface StatsTable extends Omit<StatsRow, 'periodogram' | 'deliver'> {
  id: Generated<number>;
  periodogram: DbBoolean;
  deliver: DbBoolean;
  /** What the row was computed from (0008; src/analysis/content-key.ts); NULL: recompute. */
  content_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DownloadsTable {
  id: Generated<number>;
  /** HST rootname (9 characters) of the dataset the file belongs to. */
  dataset: string;
  filename: string;
  /** Bytes; bigint columns come back as strings from pg and mysql2, normalized by the queries. */
  size: ColumnType<number | string | null, number | null, number | null>;
  sha256: string | null;
  /** MAST's product generation date (ISO 8601), so a reprocessed product is fetched again. */
  mast_generation_date: string | null;
  state: DownloadState;
  attempts: ColumnType<number, number | undefined, number>;
  error: string | null;
  updated_at: string;
}

/** One wanted file of a searched dataset's product list (0006). */
export interface DownloadListingsTable {
  id: Generated<number>;
  /** The searched dataset, lower case: an association id or a lone exposure's rootname. */
  dataset: string;
  filename: string;
  /** The member exposure (rootname) the file belongs to. */
  member: string;
  size: ColumnType<number | string, number, number>;
  mast_generation_date: string | null;
  listed_at: string;
}

/** A member exposure whose recalibrated files were fetched for re-ingest (0007). */
export interface ReprocessingTable {
  id: Generated<number>;
  dataset: string;
  member: string;
  mast_generation_date: string;
  state: ReprocessingState;
  requested_at: string;
  done_at: string | null;
}

export interface RunsTable {
  id: Generated<number>;
  command: string;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  host: string;
  pid: number;
  /** JSON text: counts of done/bad/failed/skipped and anything else the stage reports. */
  summary: string | null;
}

export interface TargetNamesTable {
  id: Generated<number>;
  /** TARGNAME exactly as found in a header (untrusted; stored, never used as a path). */
  header_name: string;
  canonical: string;
  method: TargetMethod;
  ra_targ: number | null;
  dec_targ: number | null;
  recorded_at: string;
}

export interface Database {
  metadata: MetadataTable;
  outputs: OutputsTable;
  bad_data: BadDataTable;
  stats: StatsTable;
  downloads: DownloadsTable;
  download_listings: DownloadListingsTable;
  reprocessing: ReprocessingTable;
  runs: RunsTable;
  target_names: TargetNamesTable;
}

/** The original's four tables, in drop order (children before parents). */
export const PIPELINE_TABLES = ['stats', 'outputs', 'metadata', 'bad_data'] as const;
export type PipelineTable = (typeof PIPELINE_TABLES)[number];

export type MetadataRow = Selectable<MetadataTable>;
export type NewMetadata = Insertable<MetadataTable>;
export type OutputsRow = Selectable<OutputsTable>;
export type BadDataRow = Selectable<BadDataTable>;
export type DownloadRow = Selectable<DownloadsTable>;
export type RunRow = Selectable<RunsTable>;
export type TargetNameRow = Selectable<TargetNamesTable>;
export type MetadataUpdate = Updateable<MetadataTable>;
