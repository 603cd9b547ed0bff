/**
 * Versioned migrations, run at every start. Concurrent starts are safe: kysely's Migrator holds
 * pg_advisory_lock on PostgreSQL and GET_LOCK on MySQL around the whole run, and on SQLite it runs in
 * one transaction that our driver opens with BEGIN IMMEDIATE (dialects/sqlite.ts), so a second process
 * waits for the first and then finds nothing left to do.
 */
import { Migrator, sql, type Migration, type MigrationProvider, type MigrationResult } from 'kysely';
import type { HstlcDb } from './connect.js';
import { pipelineTables } from './migrations/0001-pipeline-tables.js';
import { bookkeepingTables } from './migrations/0002-bookkeeping.js';
import { statsPeriodogramColumns } from './migrations/0003-stats-periodogram.js';
import { badHeaderReasons } from './migrations/0004-bad-header-reasons.js';
import { checksumX1dReasons } from './migrations/0005-checksum-x1d-reasons.js';
import { downloadListings } from './migrations/0006-download-listings.js';
import { reprocessingTable } from './migrations/0007-reprocessing.js';
import { statsContentKey } from './migrations/0008-stats-content-key.js';

export type { MigrationResult } from 'kysely';

/**
 * Names sort in the order they must run; never rename or edit a migration once released. Migrations see
 * the database as Kysely<unknown>, not today's schema.ts types, so later schema changes cannot break them.
 */
export function migrationsFor(dialect: HstlcDb['dialect']): Record<string, Migration> {
  return {
    '0001-pipeline-tables': pipelineTables(dialect),
    '0002-bookkeeping': bookkeepingTables(dialect),
    '0003-stats-periodogram': statsPeriodogramColumns(dialect),
    '0004-bad-header-reasons': badHeaderReasons(dialect),
    '0005-checksum-x1d-reasons': checksumX1dReasons(dialect),
    '0006-download-listings': downloadListings(dialect),
    '0007-reprocessing': reprocessingTable(dialect),
    '0008-stats-content-key': statsContentKey(),
  };
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly results: readonly MigrationResult[],
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

function migrator(handle: HstlcDb): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(handle.dialect) };
  return new Migrator({
    db: handle.db,
    provider,
    // Keep kysely's own two tables next to ours when a PostgreSQL schema is configured; otherwise it may
    // find another schema's copy through the catalog and skip creating its own.
    ...(handle.schema !== undefined ? { migrationTableSchema: handle.schema } : {}),
  });
}

/** Bring the schema up to date; returns what ran (empty when already current). Throws MigrationError. */
export async function migrateToLatest(handle: HstlcDb): Promise<MigrationResult[]> {
  if (handle.schema !== undefined) await ensureSchema(handle, handle.schema);
  const { error, results = [] } = await migrator(handle).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error');
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    throw new MigrationError(`${what}: ${error instanceof Error ? error.message : String(error)}`, results, error);
  }
  return results;
}

/** Names of the migrations applied so far, oldest first. */
export async function appliedMigrations(handle: HstlcDb): Promise<string[]> {
  const infos = await migrator(handle).getMigrations();
  return infos.filter((m) => m.executedAt !== undefined).map((m) => m.name);
}

/** A configured PostgreSQL schema is created on first use (two processes may race to do it). */
async function ensureSchema(handle: HstlcDb, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(handle.db);
  } catch (err) {
    const found = await sql<{ n: number }>`select 1 as n from pg_namespace where nspname = ${schema}`.execute(handle.db);
    if (found.rows.length === 0) throw err;
  }
}
