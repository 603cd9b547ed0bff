/** MySQL and MariaDB through mysql2: no RETURNING, so ids come from the driver's insertId. */
import { MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { untyped, type DialectAdapter, type Untyped } from './adapter.js';

/**
 * `id = LAST_INSERT_ID(id)` in the update clause makes the driver's insertId the existing row's id, so an
 * upsert yields the id in one round trip, as RETURNING does elsewhere.
 */
const lastInsertId = sql<number>`last_insert_id(id)`;

export const mysqlAdapter: DialectAdapter = {
  name: 'mysql',
  open(info, options) {
    const pool = createPool({
      connectionLimit: options.poolSize ?? 4,
      // DATE as the string it is, not a Date at local midnight that shifts across time zones.
      dateStrings: true,
      supportBigNumbers: true,
      ...(info.host !== undefined ? { host: info.host } : {}),
      ...(info.port !== undefined ? { port: info.port } : {}),
      ...(info.user !== undefined ? { user: info.user } : {}),
      ...(info.password !== undefined ? { password: info.password } : {}),
      ...(info.database !== undefined ? { database: info.database } : {}),
    });
    return { dialect: new MysqlDialect({ pool }), schema: undefined };
  },
  async insertReturningId(db, table, values) {
    return Number((await (db as Untyped).insertInto(table as string).values(values as Record<string, unknown>).executeTakeFirstOrThrow()).insertId);
  },
  async upsertReturningId(db, upsert) {
    const u = untyped(upsert);
    const r = await (db as Untyped).insertInto(u.table).values(u.values).onDuplicateKeyUpdate({ ...u.update, id: lastInsertId }).executeTakeFirstOrThrow();
    return Number(r.insertId);
  },
  async upsert(db, upsert) {
    const u = untyped(upsert);
    await (db as Untyped).insertInto(u.table).values(u.values).onDuplicateKeyUpdate(u.update).execute();
  },
  // ALTER TABLE commits implicitly, so it runs after the deletes' transaction; on an empty table InnoDB
  // takes AUTO_INCREMENT = 1 as "restart".
  sequenceResetIsTransactional: false,
  async resetSequences(db, tables) {
    for (const table of tables) await sql`alter table ${sql.table(table)} auto_increment = 1`.execute(db);
  },
  boolean: (value) => value,
  withId: (table) => table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  altersConstraintsInPlace: true,
  // A unique key is an index on MySQL.
  async dropUniqueKey(db, table, name) {
    await sql`alter table ${sql.table(table)} drop index ${sql.id(name)}`.execute(db);
  },
  // MySQL states a column's whole type to change its NULL-ness.
  async setIntegerNullable(db, table, column, nullable) {
    await db.schema.alterTable(table).modifyColumn(column, 'integer', (c) => (nullable ? c : c.notNull())).execute();
  },
};
