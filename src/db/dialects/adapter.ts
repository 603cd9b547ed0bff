/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB, in one interface (kysely's own Dialect /
 * DialectAdapter style): each dialect file implements it, and the query files ask the adapter instead of
 * testing the dialect's name. Adding a dialect is one file here plus its line in index.ts.
 */
import type { CreateTableBuilder, Dialect as KyselyDialect, Insertable, Kysely, Updateable } from 'kysely';
import type { ConnectionInfo, Dialect } from '../../config/connection.js';
import type { Database } from '../schema.js';

export type { Dialect } from '../../config/connection.js';

export interface OpenOptions {
  /** Pool size for PostgreSQL/MySQL (default 4); SQLite has one connection per process. */
  poolSize?: number;
  /** Milliseconds a SQLite writer waits for another process's lock (default 30 s). */
  busyTimeoutMs?: number;
  /** Hears each folder made to hold a SQLite database file (the first one made, of a missing chain), to log it. */
  onCreatedDirectory?: (dir: string) => void;
}

export interface Opened {
  dialect: KyselyDialect;
  /** PostgreSQL schema named by the URL (`?schema=`), set as the search_path; otherwise undefined. */
  schema: string | undefined;
}

/** A name we are about to splice into DDL or a search_path: letters, digits, underscores only. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

export type Table = keyof Database & string;
export type Column<TB extends Table> = keyof Database[TB] & string;

/** An insert that, when a row with the same unique key exists, updates that row instead. */
export interface Upsert<TB extends Table> {
  table: TB;
  values: Insertable<Database[TB]>;
  /** The columns of the unique key the conflict is detected on (PostgreSQL and SQLite name them; MySQL uses any). */
  key: ReadonlyArray<Column<TB>>;
  /** What an existing row is updated with. */
  update: Updateable<Database[TB]>;
}

export interface DialectAdapter {
  readonly name: Dialect;
  /** The kysely dialect for a connection string, reading values back in the same shapes on every dialect. */
  open(info: ConnectionInfo, options: OpenOptions): Opened;
  /** Insert one row; its generated id. */
  insertReturningId<TB extends Table>(db: Kysely<Database>, table: TB, values: Insertable<Database[TB]>): Promise<number>;
  /** Insert or update one row in one round trip (atomic: two workers cannot race into a duplicate); its id. */
  upsertReturningId<TB extends Table>(db: Kysely<Database>, upsert: Upsert<TB>): Promise<number>;
  /** Insert or update one row, id not needed. */
  upsert<TB extends Table>(db: Kysely<Database>, upsert: Upsert<TB>): Promise<void>;
  /**
   * Restart the id counters of emptied tables at 1 (as after the original's DROP/CREATE). When
   * `sequenceResetIsTransactional` is false the reset commits implicitly and must run after the
   * transaction that emptied the tables.
   */
  resetSequences(db: Kysely<Database>, tables: readonly Table[]): Promise<void>;
  readonly sequenceResetIsTransactional: boolean;
  /** A boolean as the driver binds it (better-sqlite3 binds no booleans; SQLite stores 0/1 anyway). */
  boolean(value: boolean): boolean | number;
  /** An auto-increment integer primary key column, for the migrations. */
  withId<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /**
   * Whether ALTER TABLE can change a column's NOT NULL and a table's constraints in place. Where it cannot
   * (SQLite), a migration rebuilds the table and copies its rows; the two methods below are then unused.
   */
  readonly altersConstraintsInPlace: boolean;
  /** Drop a unique key by name (a constraint on PostgreSQL, an index on MySQL). */
  dropUniqueKey(db: Kysely<unknown>, table: string, name: string): Promise<void>;
  /** Make an integer column nullable or NOT NULL again. */
  setIntegerNullable(db: Kysely<unknown>, table: string, column: string, nullable: boolean): Promise<void>;
}

/** For a dialect that rebuilds tables instead (altersConstraintsInPlace false). */
export async function rebuildInstead(): Promise<never> {
  throw new Error('this dialect cannot alter constraints in place; the migration rebuilds the table');
}

/**
 * The query builder without the schema's per-table types: the adapters are generic over the table, which
 * kysely's types cannot follow through `insertInto(table)`; the public signatures above keep the types.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = Kysely<any>;

/** An upsert's parts as the untyped builder takes them. */
export function untyped<TB extends Table>(u: Upsert<TB>): { table: string; values: Record<string, unknown>; key: string[]; update: Record<string, unknown> } {
  return { table: u.table, values: u.values as Record<string, unknown>, key: [...u.key], update: u.update as Record<string, unknown> };
}

/** `INSERT … ON CONFLICT (key) DO UPDATE … RETURNING id`: PostgreSQL and SQLite (3.35+) alike. */
export async function onConflictReturningId<TB extends Table>(db: Kysely<Database>, upsert: Upsert<TB>): Promise<number> {
  const u = untyped(upsert);
  const row = await (db as Untyped)
    .insertInto(u.table)
    .values(u.values)
    .onConflict((oc) => oc.columns(u.key).doUpdateSet(u.update))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function onConflictUpsert<TB extends Table>(db: Kysely<Database>, upsert: Upsert<TB>): Promise<void> {
  const u = untyped(upsert);
  await (db as Untyped)
    .insertInto(u.table)
    .values(u.values)
    .onConflict((oc) => oc.columns(u.key).doUpdateSet(u.update))
    .execute();
}

export async function insertReturningIdColumn<TB extends Table>(db: Kysely<Database>, table: TB, values: Insertable<Database[TB]>): Promise<number> {
  const row = await (db as Untyped).insertInto(table as string).values(values as Record<string, unknown>).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}
