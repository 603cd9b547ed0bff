/**
 * Open the database named by the config's connection string (DESIGN §4): SQLite (default), PostgreSQL or
 * MySQL/MariaDB, each read back in the same shapes (DATE as 'YYYY-MM-DD', numbers as numbers).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, type Dialect as KyselyDialect } from 'kysely';
import { createPool } from 'mysql2';
import pg from 'pg';
import type { ConnectionInfo, Dialect } from '../config/connection.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-driver.js';

export type { Dialect } from '../config/connection.js';

export interface HstlcDb {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * PostgreSQL schema the tables live in, when the URL names one (`postgresql://…/db?schema=hstlc`, set as
   * the connection's search_path); otherwise undefined (the server's default, usually `public`).
   */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Pool size for PostgreSQL/MySQL (default 4); SQLite has one connection per process. */
  poolSize?: number;
  /** Milliseconds a SQLite writer waits for another process's lock (default 30 s). */
  busyTimeoutMs?: number;
}

/** A name we are about to splice into DDL or a search_path: letters, digits, underscores only. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

const PG_DATE_OID = 1082;

export function openDatabase(info: ConnectionInfo, options: OpenOptions = {}): HstlcDb {
  const poolSize = options.poolSize ?? 4;
  let dialect: KyselyDialect;
  let schema: string | undefined;
  switch (info.dialect) {
    case 'sqlite': {
      const file = info.path ?? ':memory:';
      if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const sqlite = new BetterSqlite3(file, { timeout: options.busyTimeoutMs ?? 30_000 });
      // WAL lets readers (plots, status) run while an ingest writes; the FK is enforced as on the servers.
      if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('synchronous = NORMAL');
      dialect = new ImmediateSqliteDialect({ database: sqlite });
      break;
    }
    case 'postgresql': {
      schema = info.params['schema'];
      if (schema !== undefined && !IDENTIFIER.test(schema)) {
        throw new DatabaseConfigError(`PostgreSQL schema '${schema}' must be letters, digits and underscores`);
      }
      const types = {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === PG_DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      };
      const sslmode = info.params['sslmode'];
      const config: pg.PoolConfig = {
        max: poolSize,
        types,
        ...(info.host !== undefined ? { host: info.host } : {}),
        ...(info.port !== undefined ? { port: info.port } : {}),
        ...(info.user !== undefined ? { user: info.user } : {}),
        ...(info.password !== undefined ? { password: info.password } : {}),
        ...(info.database !== undefined ? { database: info.database } : {}),
        ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
        ...(sslmode !== undefined && sslmode !== 'disable' ? { ssl: { rejectUnauthorized: sslmode === 'verify-full' } } : {}),
      };
      const pool = new pg.Pool(config);
      // An idle client dropped by the server emits 'error' on the pool; unhandled, that would kill the
      // process. The next query on a fresh client reports the problem where it can be handled.
      pool.on('error', () => undefined);
      dialect = new PostgresDialect({ pool });
      break;
    }
    case 'mysql': {
      dialect = new MysqlDialect({
        pool: createPool({
          connectionLimit: poolSize,
          // DATE as the string it is, not a Date at local midnight that shifts across time zones.
          dateStrings: true,
          supportBigNumbers: true,
          ...(info.host !== undefined ? { host: info.host } : {}),
          ...(info.port !== undefined ? { port: info.port } : {}),
          ...(info.user !== undefined ? { user: info.user } : {}),
          ...(info.password !== undefined ? { password: info.password } : {}),
          ...(info.database !== undefined ? { database: info.database } : {}),
        }),
      });
      break;
    }
  }
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: info.dialect, schema, close: () => db.destroy() };
}
