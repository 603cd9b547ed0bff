/** PostgreSQL through node-postgres: DATE read back as 'YYYY-MM-DD', an optional schema as the search_path. */
import { PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { ConnectionInfo } from '../../config/connection.js';
import { DatabaseConfigError, IDENTIFIER, insertReturningIdColumn, onConflictReturningId, onConflictUpsert, type DialectAdapter } from './adapter.js';

const PG_DATE_OID = 1082;

/**
 * node-postgres pool settings for a connection: host, credentials, TLS, DATE as text, the schema as the
 * search_path. The job engine (graphile-worker) gets its own pool made from the same settings.
 */
export function postgresPoolConfig(info: ConnectionInfo, max: number): pg.PoolConfig {
  const schema = info.params['schema'];
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new DatabaseConfigError(`PostgreSQL schema '${schema}' must be letters, digits and underscores`);
  }
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === PG_DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  const sslmode = info.params['sslmode'];
  return {
    max,
    types,
    ...(info.host !== undefined ? { host: info.host } : {}),
    ...(info.port !== undefined ? { port: info.port } : {}),
    ...(info.user !== undefined ? { user: info.user } : {}),
    ...(info.password !== undefined ? { password: info.password } : {}),
    ...(info.database !== undefined ? { database: info.database } : {}),
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    ...(sslmode !== undefined && sslmode !== 'disable' ? { ssl: { rejectUnauthorized: sslmode === 'verify-full' } } : {}),
  };
}

export const postgresAdapter: DialectAdapter = {
  name: 'postgresql',
  open(info, options) {
    const config = postgresPoolConfig(info, options.poolSize ?? 4);
    const schema = info.params['schema'];
    const pool = new pg.Pool(config);
    // An idle client dropped by the server emits 'error' on the pool; unhandled, that would kill the
    // process. The next query on a fresh client reports the problem where it can be handled.
    pool.on('error', () => undefined);
    // A client checked out of the pool has no listener of the pool's (pg-pool removes it at checkout): a
    // connection the server terminates between two queries of a transaction would then be an uncaught
    // 'error' that ends the process. The query in flight, or the next one, rejects with the cause instead.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return { dialect: new PostgresDialect({ pool }), schema };
  },
  insertReturningId: insertReturningIdColumn,
  upsertReturningId: onConflictReturningId,
  upsert: onConflictUpsert,
  sequenceResetIsTransactional: true,
  async resetSequences(db, tables) {
    for (const table of tables) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), 1, false)`.execute(db);
  },
  boolean: (value) => value,
  withId: (table) => table.addColumn('id', 'serial', (c) => c.primaryKey()),
  altersConstraintsInPlace: true,
  async dropUniqueKey(db, table, name) {
    await db.schema.alterTable(table).dropConstraint(name).execute();
  },
  async setIntegerNullable(db, table, column, nullable) {
    await db.schema.alterTable(table).alterColumn(column, (c) => (nullable ? c.dropNotNull() : c.setNotNull())).execute();
  },
};
