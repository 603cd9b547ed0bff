/**
 * Open the database named by the config's connection string (DESIGN §4): SQLite (default), PostgreSQL or
 * MySQL/MariaDB, each read back in the same shapes (DATE as 'YYYY-MM-DD', numbers as numbers). What
 * differs by dialect lives in dialects/.
 */
import { Kysely } from 'kysely';
import type { ConnectionInfo, Dialect } from '../config/connection.js';
import { dialectAdapter, type DialectAdapter } from './dialects/index.js';
import type { OpenOptions } from './dialects/adapter.js';
import type { Database } from './schema.js';

export type { Dialect } from '../config/connection.js';
export type { OpenOptions } from './dialects/adapter.js';
export { DatabaseConfigError, IDENTIFIER } from './dialects/adapter.js';

export interface HstlcDb {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** What differs by dialect: upserts, id sequences, booleans, column types. */
  readonly adapter: DialectAdapter;
  /**
   * PostgreSQL schema the tables live in, when the URL names one (`postgresql://…/db?schema=hstlc`, set as
   * the connection's search_path); otherwise undefined (the server's default, usually `public`).
   */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

export function openDatabase(info: ConnectionInfo, options: OpenOptions = {}): HstlcDb {
  const adapter = dialectAdapter(info.dialect);
  const { dialect, schema } = adapter.open(info, options);
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: info.dialect, adapter, schema, close: () => db.destroy() };
}
