/**
 * SQLite (the default, DESIGN §4) through better-sqlite3, in WAL mode with `BEGIN IMMEDIATE` transactions.
 *
 * Why IMMEDIATE: a deferred transaction that reads and then writes can fail at once with SQLITE_BUSY when
 * another process writes (the read lock cannot be upgraded while waiting), whereas an immediate one takes
 * the write lock first and so waits, through busy_timeout, like a queue. This is what makes two processes
 * migrating or ingesting into one SQLite file at the same time safe.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type DialectAdapter as KyselyDialectAdapter,
  type Driver,
} from 'kysely';
import { insertReturningIdColumn, onConflictReturningId, onConflictUpsert, rebuildInstead, type DialectAdapter } from './adapter.js';

export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * On SQLITE_FULL (and IOERR, NOMEM) SQLite has already rolled the transaction back itself; the
   * ROLLBACK kysely then sends fails with "cannot rollback - no transaction is active", and that error
   * would replace the real one ("database or disk is full"). A rollback of nothing is done.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (err) {
      if (!(err instanceof Error && /no transaction is active/.test(err.message))) throw err;
    }
  }
}

/**
 * kysely's SqliteAdapter says SQLite has no transactional DDL, so its Migrator would run migrations
 * outside any transaction and without a lock. SQLite's DDL is transactional; saying so makes the
 * Migrator wrap the whole run in one (immediate) transaction, which is the cross-process lock.
 */
export class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter(): KyselyDialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export const sqliteAdapter: DialectAdapter = {
  name: 'sqlite',
  open(info, options) {
    const file = info.path ?? ':memory:';
    if (file !== ':memory:') {
      const made = mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      if (made !== undefined) options.onCreatedDirectory?.(made);
    }
    const sqlite = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 30_000 });
    // WAL lets readers (plots, status) run while an ingest writes; the FK is enforced as on the servers.
    if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    return { dialect: new ImmediateSqliteDialect({ database: sqlite }), schema: undefined };
  },
  insertReturningId: insertReturningIdColumn,
  upsertReturningId: onConflictReturningId,
  upsert: onConflictUpsert,
  sequenceResetIsTransactional: true,
  async resetSequences(db, tables) {
    await sql`delete from sqlite_sequence where name in (${sql.join(tables)})`.execute(db);
  },
  boolean: (value) => Number(value),
  withId: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  // SQLite can neither drop a NOT NULL nor a table constraint in place.
  altersConstraintsInPlace: false,
  dropUniqueKey: rebuildInstead,
  setIntegerNullable: rebuildInstead,
};
