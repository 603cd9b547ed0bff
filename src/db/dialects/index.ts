/** The dialect adapters by name; a new dialect is its file plus one line here (and its URL scheme in config/connection.ts). */
import type { Dialect } from '../../config/connection.js';
import type { DialectAdapter } from './adapter.js';
import { mysqlAdapter } from './mysql.js';
import { postgresAdapter } from './postgres.js';
import { sqliteAdapter } from './sqlite.js';

export type { DialectAdapter, OpenOptions, Upsert } from './adapter.js';

const ADAPTERS: Record<Dialect, DialectAdapter> = {
  sqlite: sqliteAdapter,
  postgresql: postgresAdapter,
  mysql: mysqlAdapter,
};

export function dialectAdapter(dialect: Dialect): DialectAdapter {
  return ADAPTERS[dialect];
}
