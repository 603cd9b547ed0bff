/**
 * SQLite with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes can fail at once with
 * SQLITE_BUSY when another process writes (the read lock cannot be upgraded while waiting), whereas an
 * immediate one takes the write lock first and so waits, through busy_timeout, like a queue. This is
 * what makes two processes migrating or ingesting into one SQLite file at the same time safe.
 */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver, type DatabaseConnection, type DialectAdapter, type Driver } from 'kysely';

export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
