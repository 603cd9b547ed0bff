/** The stats table (§10.2, §11): one row per lightcurve file, upserted by file name. */
import type { Kysely } from 'kysely';
import { writeInChunks, type ItemResult } from './batch.js';
import type { HstlcDb } from './connect.js';
import { RowValidationError, lastInsertId } from './metadata.js';
import { WIDTH, type Database } from './schema.js';
import { finiteOrNull, toBoolean } from './values.js';

export interface StatsInput {
  lightcurve_path: string;
  lightcurve_filename: string;
  total: number;
  mean: number | null;
  mu: number | null;
  stdev: number | null;
  poisson_factor: number | null;
  pearson_r: number | null;
  pearson_p: number | null;
  periodogram?: boolean;
  deliver?: boolean;
}

export interface Stats extends Omit<StatsInput, 'periodogram' | 'deliver'> {
  id: number;
  periodogram: boolean;
  deliver: boolean;
}

const FLOATS = ['mean', 'mu', 'stdev', 'poisson_factor', 'pearson_r', 'pearson_p'] as const;

export async function upsertStats(db: Kysely<Database>, dialect: HstlcDb['dialect'], input: StatsInput): Promise<number> {
  if (!Number.isSafeInteger(input.total)) throw new RowValidationError(`stats.total must be an integer, got ${input.total}`);
  if (input.lightcurve_filename.length > WIDTH.composite) throw new RowValidationError(`stats.lightcurve_filename is longer than ${WIDTH.composite} characters`);
  if (input.lightcurve_path.length > WIDTH.path) throw new RowValidationError(`stats.lightcurve_path is longer than ${WIDTH.path} characters`);
  const values = {
    lightcurve_path: input.lightcurve_path,
    total: input.total,
    ...Object.fromEntries(FLOATS.map((k) => [k, finiteOrNull(input[k])])),
    // Columns the caller leaves out keep their value on update, as the original's upsert (§10.3).
    // better-sqlite3 binds no booleans: SQLite stores them as 0/1 anyway.
    ...(input.periodogram !== undefined ? { periodogram: dialect === 'sqlite' ? Number(input.periodogram) : input.periodogram } : {}),
    ...(input.deliver !== undefined ? { deliver: dialect === 'sqlite' ? Number(input.deliver) : input.deliver } : {}),
  } as Omit<StatsInput, 'lightcurve_filename' | 'periodogram' | 'deliver'> & { periodogram?: boolean | number; deliver?: boolean | number };
  const insert = db.insertInto('stats').values({ ...values, lightcurve_filename: input.lightcurve_filename });
  if (dialect === 'mysql') return Number((await insert.onDuplicateKeyUpdate({ ...values, id: lastInsertId }).executeTakeFirstOrThrow()).insertId);
  return (await insert.onConflict((oc) => oc.column('lightcurve_filename').doUpdateSet(values)).returning('id').executeTakeFirstOrThrow()).id;
}

/** Upsert many stats rows, one result each; NaN and infinities are stored as NULL. */
export async function upsertStatsBatch(handle: HstlcDb, inputs: readonly StatsInput[], chunkSize?: number): Promise<ItemResult[]> {
  return writeInChunks(
    handle.db,
    inputs,
    (i) => i.lightcurve_filename,
    async (trx, input) => ({ key: input.lightcurve_filename, status: 'done', id: await upsertStats(trx, handle.dialect, input) }),
    chunkSize,
  );
}

export async function findStats(db: Kysely<Database>, lightcurveFilename: string): Promise<Stats | undefined> {
  const row = await db.selectFrom('stats').selectAll().where('lightcurve_filename', '=', lightcurveFilename).executeTakeFirst();
  return row && { ...row, periodogram: toBoolean(row.periodogram), deliver: toBoolean(row.deliver) };
}

export async function listStats(db: Kysely<Database>): Promise<Stats[]> {
  const rows = await db.selectFrom('stats').selectAll().orderBy('lightcurve_filename').execute();
  return rows.map((row) => ({ ...row, periodogram: toBoolean(row.periodogram), deliver: toBoolean(row.deliver) }));
}
