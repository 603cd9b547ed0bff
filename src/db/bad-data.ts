/** The bad_data table (§3.1, §10.3): one row per file that failed a quality check, keyed by file name. */
import type { Kysely } from 'kysely';
import { writeInChunks, type ItemResult } from './batch.js';
import type { HstlcDb } from './connect.js';
import { WIDTH, isBadDataReason, type BadDataReason, type BadDataRow, type Database } from './schema.js';
import { dialectAdapter } from './dialects/index.js';
import { RowValidationError } from './metadata.js';
import { todayIsoDate } from './values.js';

export interface BadDataInput {
  filename: string;
  reason: BadDataReason;
  /** Default: today (local), as the original. */
  ingest_date?: string;
}

/** Insert or update the row of one bad file; returns its id. */
export async function recordBadData(db: Kysely<Database>, dialect: HstlcDb['dialect'], input: BadDataInput): Promise<number> {
  // The reason comes from our own checks, but a typo would otherwise surface as a CHECK violation.
  if (!isBadDataReason(input.reason)) throw new RowValidationError(`'${String(input.reason)}' is not a bad-data reason`);
  if (input.filename.length > WIDTH.filename) {
    throw new RowValidationError(`bad_data.filename is longer than ${WIDTH.filename} characters: '${input.filename}'`);
  }
  const row = { filename: input.filename, reason: input.reason, ingest_date: input.ingest_date ?? todayIsoDate() };
  const update = { reason: row.reason, ingest_date: row.ingest_date };
  return dialectAdapter(dialect).upsertReturningId(db, { table: 'bad_data', values: row, key: ['filename'], update });
}

export async function recordBadDataBatch(handle: HstlcDb, inputs: readonly BadDataInput[]): Promise<ItemResult[]> {
  return writeInChunks(handle.db, inputs, (i) => i.filename, async (trx, input) => ({
    key: input.filename,
    status: 'done',
    id: await recordBadData(trx, handle.dialect, input),
  }));
}

export async function listBadData(db: Kysely<Database>): Promise<BadDataRow[]> {
  return db.selectFrom('bad_data').selectAll().orderBy('id').execute();
}

/** Bad files' names, sorted (the downloader does not fetch them again, §14). */
export async function listBadDataFilenames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('bad_data').select('filename').orderBy('filename').execute();
  return rows.map((r) => r.filename);
}
