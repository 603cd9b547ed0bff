/**
 * The stats table (§10.2, §11): one row per lightcurve file, upserted by its full path — the pair
 * (lightcurve_path, lightcurve_filename), unique since migration 0003 (the original keyed by base name
 * only, §15.23).
 */
import type { Kysely } from 'kysely';
import { writeInChunks, type ItemResult } from './batch.js';
import type { HstlcDb } from './connect.js';
import { dialectAdapter } from './dialects/index.js';
import { RowValidationError } from './metadata.js';
import type { StatsRow } from '../analysis/index.js';
import { WIDTH, type Database } from './schema.js';
import { finiteOrNull, toBoolean } from './values.js';

type PeriodogramColumns = 'best_period' | 'best_power' | 'false_alarm_probability';

/**
 * A row to upsert. `total` is an integer, null only when the counts do not sum to a finite number.
 * The periodogram columns of 0003, when left out, stay unchanged on update and are NULL on insert.
 */
export type StatsInput = Omit<StatsRow, PeriodogramColumns | 'periodogram' | 'deliver'> &
  Partial<Pick<StatsRow, PeriodogramColumns | 'periodogram' | 'deliver'>> & {
    /** What the row was computed from (0008); left out, it is NULL on insert and unchanged on update. */
    content_key?: string | null;
  };

/** A row as read back (the analysis' StatsRow with its id), booleans as booleans on every dialect. */
export interface Stats extends StatsRow {
  id: number;
  /** See StatsInput; absent on rows built by hand. */
  content_key?: string | null;
}

const FLOATS = ['mean', 'mu', 'stdev', 'poisson_factor', 'pearson_r', 'pearson_p'] as const;
const EXTRAS = ['best_period', 'best_power', 'false_alarm_probability'] as const;
/** The column is INTEGER on every dialect (§10.2). */
const INT32_MAX = 2 ** 31 - 1;

type StatsValues = Omit<StatsInput, 'periodogram' | 'deliver'> & { periodogram?: boolean | number; deliver?: boolean | number };

export async function upsertStats(db: Kysely<Database>, dialect: HstlcDb['dialect'], input: StatsInput): Promise<number> {
  if (input.total !== null && !(Number.isSafeInteger(input.total) && Math.abs(input.total) <= INT32_MAX)) {
    throw new RowValidationError(`stats.total must be a 32-bit integer or null, got ${input.total}`);
  }
  if (input.lightcurve_filename.length > WIDTH.composite) throw new RowValidationError(`stats.lightcurve_filename is longer than ${WIDTH.composite} characters`);
  if (input.lightcurve_path.length > WIDTH.path) throw new RowValidationError(`stats.lightcurve_path is longer than ${WIDTH.path} characters`);
  const adapter = dialectAdapter(dialect);
  const values = {
    total: input.total,
    ...Object.fromEntries(FLOATS.map((k) => [k, finiteOrNull(input[k])])),
    // Columns the caller leaves out keep their value on update, as the original's upsert (§10.3).
    ...Object.fromEntries(EXTRAS.filter((k) => input[k] !== undefined).map((k) => [k, finiteOrNull(input[k])])),
    ...(input.periodogram !== undefined ? { periodogram: adapter.boolean(input.periodogram) } : {}),
    ...(input.deliver !== undefined ? { deliver: adapter.boolean(input.deliver) } : {}),
    ...(input.content_key !== undefined ? { content_key: input.content_key } : {}),
  } as Omit<StatsValues, 'lightcurve_path' | 'lightcurve_filename'>;
  return adapter.upsertReturningId(db, {
    table: 'stats',
    values: { ...values, lightcurve_path: input.lightcurve_path, lightcurve_filename: input.lightcurve_filename },
    key: ['lightcurve_path', 'lightcurve_filename'],
    update: values,
  });
}

/** Upsert many stats rows, one result each (keyed by path/filename); NaN and infinities are stored as NULL. */
export async function upsertStatsBatch(handle: HstlcDb, inputs: readonly StatsInput[], chunkSize?: number): Promise<ItemResult[]> {
  const keyOf = (i: StatsInput): string => `${i.lightcurve_path}/${i.lightcurve_filename}`;
  return writeInChunks(
    handle.db,
    inputs,
    keyOf,
    async (trx, input) => ({ key: keyOf(input), status: 'done', id: await upsertStats(trx, handle.dialect, input) }),
    chunkSize,
  );
}

function fromRow(row: Awaited<ReturnType<typeof selectStats>>[number]): Stats {
  return { ...row, periodogram: toBoolean(row.periodogram), deliver: toBoolean(row.deliver) };
}

function selectStats(db: Kysely<Database>) {
  return db.selectFrom('stats').selectAll().orderBy('lightcurve_filename').orderBy('lightcurve_path').execute();
}

/**
 * The row of a lightcurve file by base name and, when given, its directory. Without the directory, the
 * first of the rows with that name (there is one unless two directories hold a file of the same name).
 */
export async function findStats(db: Kysely<Database>, lightcurveFilename: string, lightcurvePath?: string): Promise<Stats | undefined> {
  let q = db.selectFrom('stats').selectAll().where('lightcurve_filename', '=', lightcurveFilename);
  if (lightcurvePath !== undefined) q = q.where('lightcurve_path', '=', lightcurvePath);
  const row = await q.orderBy('id').executeTakeFirst();
  return row && fromRow(row);
}

/** Each stats row's id and lightcurve (reset-filesystem forgets the rows whose file is gone, §13.1). */
export async function listStatsLocations(db: Kysely<Database>): Promise<Array<Pick<Stats, 'id' | 'lightcurve_path' | 'lightcurve_filename'>>> {
  return db.selectFrom('stats').select(['id', 'lightcurve_path', 'lightcurve_filename']).execute();
}

/** Delete stats rows by id; how many went. */
export async function deleteStats(db: Kysely<Database>, ids: readonly number[]): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const r = await db.deleteFrom('stats').where('id', 'in', ids.slice(i, i + 500)).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

export async function listStats(db: Kysely<Database>): Promise<Stats[]> {
  return (await selectStats(db)).map(fromRow);
}
