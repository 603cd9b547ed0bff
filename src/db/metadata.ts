/**
 * The metadata and outputs tables (§10.3), written as one transaction per ingested file (DESIGN §5) with
 * an atomic upsert keyed on the unique file name, instead of the original's select-then-insert, which two
 * workers could race into a duplicate-key error.
 */
import type { Kysely } from 'kysely';
import { writeInChunks, type ItemResult } from './batch.js';
import type { HstlcDb } from './connect.js';
import { dialectAdapter } from './dialects/index.js';
import { WIDTH, type Database, type MetadataRow, type NewMetadata, type OutputsRow } from './schema.js';

/** A metadata row to write (§5.3); `id` is assigned by the database. */
export type MetadataInput = Omit<NewMetadata, 'id'>;

/** The individual-lightcurve columns of an outputs row (§5.3). */
export interface IndividualOutput {
  individual_path: string;
  individual_filename: string;
}

export class RowValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RowValidationError';
  }
}

const TEXT_WIDTHS: Partial<Record<keyof MetadataInput, number>> = {
  filename: WIDTH.filename,
  path: WIDTH.path,
  telescop: WIDTH.short,
  instrume: WIDTH.short,
  targname: WIDTH.targname,
  cal_ver: WIDTH.name,
  obstype: WIDTH.name,
  aperture: WIDTH.name,
  detector: WIDTH.name,
  opt_elem: WIDTH.name,
};

/**
 * Refuse what a server would reject or (MySQL in a non-strict mode) silently truncate, with a message
 * naming the column, so SQLite, PostgreSQL and MySQL all behave alike.
 */
export function validateMetadata(row: MetadataInput): void {
  for (const [column, width] of Object.entries(TEXT_WIDTHS) as Array<[keyof MetadataInput, number]>) {
    const value = row[column];
    if (typeof value !== 'string') throw new RowValidationError(`metadata.${column} must be text, got ${typeof value}`);
    if (value.length > width) throw new RowValidationError(`metadata.${column} is longer than ${width} characters: '${value}'`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(row.ingest_date)) throw new RowValidationError(`metadata.ingest_date '${row.ingest_date}' is not YYYY-MM-DD`);
  for (const column of ['cenwave', 'fppos'] as const) {
    if (!Number.isSafeInteger(row[column])) throw new RowValidationError(`metadata.${column} must be an integer, got ${row[column]}`);
  }
}

/** Insert or update by file name; returns the row id. */
export async function upsertMetadata(db: Kysely<Database>, dialect: HstlcDb['dialect'], row: MetadataInput): Promise<number> {
  validateMetadata(row);
  const { filename: _key, ...update } = row;
  return dialectAdapter(dialect).upsertReturningId(db, { table: 'metadata', values: row, key: ['filename'], update });
}

/**
 * Insert or update the outputs row of a metadata row. A re-processed member makes its group's composite
 * stale: composite_path becomes NULL so §9.1 rebuilds it (the original kept it and never rebuilt), while
 * composite_filename is kept so the rebuild knows which file it replaces.
 */
export async function upsertOutputs(
  db: Kysely<Database>,
  dialect: HstlcDb['dialect'],
  metadataId: number,
  output: IndividualOutput,
): Promise<number> {
  if (output.individual_path.length > WIDTH.path) throw new RowValidationError(`outputs.individual_path is longer than ${WIDTH.path} characters`);
  if (output.individual_filename.length > WIDTH.filename) {
    throw new RowValidationError(`outputs.individual_filename is longer than ${WIDTH.filename} characters: '${output.individual_filename}'`);
  }
  const update = { ...output, composite_path: null };
  const values = { metadata_id: metadataId, ...output, composite_path: null, composite_filename: null };
  return dialectAdapter(dialect).upsertReturningId(db, { table: 'outputs', values, key: ['metadata_id'], update });
}

export interface IngestedFile {
  metadata: MetadataInput;
  /** Absent when the individual lightcurve failed (§5.2.6): the metadata row is still written. */
  output?: IndividualOutput;
}

/** Record one ingested file: metadata and outputs rows in one transaction. */
export async function recordIngestedFile(handle: HstlcDb, file: IngestedFile): Promise<{ metadataId: number; outputsId?: number }> {
  return handle.db.transaction().execute(async (trx) => {
    const metadataId = await upsertMetadata(trx, handle.dialect, file.metadata);
    if (file.output === undefined) return { metadataId };
    return { metadataId, outputsId: await upsertOutputs(trx, handle.dialect, metadataId, file.output) };
  });
}

/** Many files at once, one result each (used by bulk loads and the benchmark). */
export async function recordIngestedFiles(handle: HstlcDb, files: readonly IngestedFile[], chunkSize?: number): Promise<ItemResult[]> {
  return writeInChunks(
    handle.db,
    files,
    (f) => f.metadata.filename,
    async (trx, f) => {
      const metadataId = await upsertMetadata(trx, handle.dialect, f.metadata);
      if (f.output !== undefined) await upsertOutputs(trx, handle.dialect, metadataId, f.output);
      return { key: f.metadata.filename, status: 'done', id: metadataId };
    },
    chunkSize,
  );
}

export async function findMetadata(db: Kysely<Database>, filename: string): Promise<MetadataRow | undefined> {
  return db.selectFrom('metadata').selectAll().where('filename', '=', filename).executeTakeFirst();
}

export async function findOutputs(db: Kysely<Database>, metadataId: number): Promise<OutputsRow | undefined> {
  return db.selectFrom('outputs').selectAll().where('metadata_id', '=', metadataId).executeTakeFirst();
}

/** Every ingested file name, sorted (the downloader skips these, §14). */
export async function listMetadataFilenames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('metadata').select('filename').orderBy('filename').execute();
  return rows.map((r) => r.filename);
}

/** Distinct target names already in the archive (§4 step 4), sorted. */
export async function listTargnames(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('metadata').select('targname').distinct().orderBy('targname').execute();
  return rows.map((r) => r.targname);
}

/** Where each ingested file was archived (reset-filesystem forgets the rows whose file is gone, §13.1). */
export async function listMetadataLocations(db: Kysely<Database>): Promise<Array<Pick<MetadataRow, 'filename' | 'path'>>> {
  return db.selectFrom('metadata').select(['filename', 'path']).execute();
}

/** An outputs row with the metadata of its file: what the plots stage lists lightcurves from (§12). */
export type OutputWithMetadata = Pick<OutputsRow, 'individual_path' | 'individual_filename' | 'composite_path' | 'composite_filename'> &
  Pick<MetadataRow, 'filename' | 'instrume' | 'detector' | 'targname' | 'opt_elem' | 'cenwave' | 'aperture'>;

/** Every outputs row joined with its metadata row, in database order (the caller sorts). */
export async function listOutputsWithMetadata(db: Kysely<Database>): Promise<OutputWithMetadata[]> {
  return db
    .selectFrom('outputs')
    .innerJoin('metadata', 'metadata.id', 'outputs.metadata_id')
    .select([
      'outputs.individual_path',
      'outputs.individual_filename',
      'outputs.composite_path',
      'outputs.composite_filename',
      'metadata.filename',
      'metadata.instrume',
      'metadata.detector',
      'metadata.targname',
      'metadata.opt_elem',
      'metadata.cenwave',
      'metadata.aperture',
    ])
    .execute();
}

/**
 * Unset an outputs row's individual and/or composite lightcurve (both columns of each), for when the file
 * it names was deleted. A NULL composite_path also marks the group for rebuilding (§9.1).
 */
export async function clearOutputLightcurves(db: Kysely<Database>, outputsId: number, clear: { individual: boolean; composite: boolean }): Promise<void> {
  if (!clear.individual && !clear.composite) return;
  await db
    .updateTable('outputs')
    .set({
      ...(clear.individual ? { individual_path: null, individual_filename: null } : {}),
      ...(clear.composite ? { composite_path: null, composite_filename: null } : {}),
    })
    .where('id', '=', outputsId)
    .execute();
}

/** Every outputs row (build_stats_table reads these, §10.3), by id. */
export async function listOutputs(db: Kysely<Database>): Promise<OutputsRow[]> {
  return db.selectFrom('outputs').selectAll().orderBy('id').execute();
}

/**
 * Forget files: their outputs rows, then their metadata rows (the foreign key forbids the other order),
 * in one transaction. Returns how many metadata rows went.
 */
export async function forgetFiles(handle: HstlcDb, filenames: readonly string[]): Promise<number> {
  if (filenames.length === 0) return 0;
  return handle.db.transaction().execute(async (trx) => {
    let removed = 0;
    for (let i = 0; i < filenames.length; i += 500) {
      const chunk = filenames.slice(i, i + 500);
      const ids = trx.selectFrom('metadata').select('id').where('filename', 'in', chunk);
      await trx.deleteFrom('outputs').where('metadata_id', 'in', ids).execute();
      const r = await trx.deleteFrom('metadata').where('filename', 'in', chunk).executeTakeFirst();
      removed += Number(r.numDeletedRows);
    }
    return removed;
  });
}
