/** The downloads ledger: what the downloader fetched, its size, checksum and MAST generation date. */
import type { Kysely } from 'kysely';
import type { HstlcDb } from './connect.js';
import { RowValidationError } from './metadata.js';
import { DOWNLOAD_STATES, type Database, type DownloadState } from './schema.js';
import { nowIso, toNumber } from './values.js';

export interface Download {
  id: number;
  dataset: string;
  filename: string;
  size: number | null;
  sha256: string | null;
  mast_generation_date: string | null;
  state: DownloadState;
  attempts: number;
  error: string | null;
  updated_at: string;
}

export interface DownloadInput {
  dataset: string;
  filename: string;
  state: DownloadState;
  size?: number | null;
  sha256?: string | null;
  mast_generation_date?: string | null;
  error?: string | null;
}

function validate(input: DownloadInput): void {
  if (!(DOWNLOAD_STATES as readonly string[]).includes(input.state)) throw new RowValidationError(`'${input.state}' is not a download state`);
  if (input.sha256 != null && !/^[0-9a-f]{64}$/.test(input.sha256)) throw new RowValidationError(`'${input.sha256}' is not a lower-case SHA-256 hex digest`);
  if (input.size != null && !(Number.isSafeInteger(input.size) && input.size >= 0)) throw new RowValidationError(`download size ${input.size} is not a byte count`);
}

/**
 * Record a download's state. Entering 'downloading' counts an attempt; the other fields are written only
 * when given, so a state change does not erase the checksum of an earlier step.
 */
export async function recordDownload(handle: HstlcDb, input: DownloadInput, now: Date = new Date()): Promise<number> {
  validate(input);
  const db = handle.db;
  const fields = {
    state: input.state,
    updated_at: nowIso(now),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(input.sha256 !== undefined ? { sha256: input.sha256 } : {}),
    ...(input.mast_generation_date !== undefined ? { mast_generation_date: input.mast_generation_date } : {}),
    // A success clears the last error; a failure without a message keeps the old one.
    ...(input.error !== undefined ? { error: input.error?.slice(0, 1000) ?? null } : input.state === 'complete' ? { error: null } : {}),
  };
  const attempt = input.state === 'downloading' ? 1 : 0;
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('downloads').select(['id', 'attempts']).where('filename', '=', input.filename).executeTakeFirst();
    if (existing === undefined) {
      return handle.adapter.insertReturningId(trx, 'downloads', { dataset: input.dataset, filename: input.filename, attempts: attempt, ...fields });
    }
    await trx
      .updateTable('downloads')
      .set({ ...fields, dataset: input.dataset, attempts: existing.attempts + attempt })
      .where('id', '=', existing.id)
      .execute();
    return existing.id;
  });
}

function normalize(row: Awaited<ReturnType<typeof selectDownloads>>[number]): Download {
  return { ...row, size: toNumber(row.size), attempts: toNumber(row.attempts) ?? 0 };
}

function selectDownloads(db: Kysely<Database>, state?: DownloadState) {
  let q = db.selectFrom('downloads').selectAll();
  if (state !== undefined) q = q.where('state', '=', state);
  return q.orderBy('filename').execute();
}

export async function listDownloads(db: Kysely<Database>, state?: DownloadState): Promise<Download[]> {
  return (await selectDownloads(db, state)).map(normalize);
}

export async function findDownload(db: Kysely<Database>, filename: string): Promise<Download | undefined> {
  const row = await db.selectFrom('downloads').selectAll().where('filename', '=', filename).executeTakeFirst();
  return row && normalize(row);
}

/** One searched dataset's product listing (download_listings, 0006). */
export interface DownloadListing {
  dataset: string;
  generation_date: string | null;
  files: Array<{ filename: string; member: string; size: number }>;
  listed_at: string;
}

/** Rows per INSERT, well inside every dialect's bound-parameter limit (SQLite's 32766 at 7 per row). */
const LISTING_ROWS_PER_INSERT = 500;

/** Replace these datasets' listings, in one transaction, so a reader sees the old ones or the new ones. */
export async function recordDownloadListings(handle: HstlcDb, listings: readonly DownloadListing[]): Promise<void> {
  const rows = listings.flatMap((listing) => {
    const dataset = listing.dataset.toLowerCase();
    return listing.files.map((f) => {
      if (!(Number.isSafeInteger(f.size) && f.size >= 0)) throw new RowValidationError(`listing of ${dataset}: size ${f.size} of ${f.filename} is not a byte count`);
      return { dataset, filename: f.filename, member: f.member, size: f.size, mast_generation_date: listing.generation_date, listed_at: listing.listed_at };
    });
  });
  const datasets = [...new Set(listings.map((l) => l.dataset.toLowerCase()))];
  if (datasets.length === 0) return;
  await handle.db.transaction().execute(async (trx) => {
    for (let i = 0; i < datasets.length; i += LISTING_ROWS_PER_INSERT) {
      await trx.deleteFrom('download_listings').where('dataset', 'in', datasets.slice(i, i + LISTING_ROWS_PER_INSERT)).execute();
    }
    for (let i = 0; i < rows.length; i += LISTING_ROWS_PER_INSERT) {
      await trx.insertInto('download_listings').values(rows.slice(i, i + LISTING_ROWS_PER_INSERT)).execute();
    }
  });
}

/** Every dataset's listing, files in name order. */
export async function listDownloadListings(db: Kysely<Database>): Promise<Map<string, DownloadListing>> {
  const rows = await db.selectFrom('download_listings').selectAll().orderBy('dataset').orderBy('filename').execute();
  const out = new Map<string, DownloadListing>();
  for (const row of rows) {
    let listing = out.get(row.dataset);
    if (listing === undefined) {
      listing = { dataset: row.dataset, generation_date: row.mast_generation_date, files: [], listed_at: row.listed_at };
      out.set(row.dataset, listing);
    }
    listing.files.push({ filename: row.filename, member: row.member, size: toNumber(row.size) ?? 0 });
  }
  return out;
}
