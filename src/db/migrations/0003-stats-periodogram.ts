/**
 * The stats table for `hstlc stats` (§10.2, §11, §15.23):
 *  - three added columns: `best_period` (days), `best_power` and `false_alarm_probability` (Baluev), the
 *    periodogram summary the original never kept;
 *  - `total` becomes nullable: a lightcurve whose counts sum to NaN/inf made the original abort the whole
 *    run (§11.2 "NaN counts make the integer conversion fail"); we store NULL for that file instead;
 *  - rows are keyed by the lightcurve's full path, (lightcurve_path, lightcurve_filename), instead of its
 *    base name alone (§10.3 `update_stats_table`, §15.23), so two lightcurves of the same name in
 *    different directories no longer overwrite each other's row.
 *
 * SQLite can neither drop a NOT NULL nor a table constraint in place, so there the table is rebuilt and
 * its rows copied (no other table points at stats). The servers alter it in place.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { dialectAdapter } from '../dialects/index.js';
import { WIDTH } from '../schema.js';
import { notNull, withId } from './columns.js';

/** Columns of the stats table as of 0001, in order: copied as they are by the SQLite rebuild. */
const OLD_COLUMNS = ['id', 'lightcurve_path', 'lightcurve_filename', 'total', 'mean', 'mu', 'stdev', 'poisson_factor', 'pearson_r', 'pearson_p', 'periodogram', 'deliver'];
const ADDED = ['best_period', 'best_power', 'false_alarm_probability'] as const;
/** utf8mb4 on MySQL: (512 + 100) × 4 bytes = 2448, within InnoDB's 3072-byte key limit. */
const KEY = 'stats_lightcurve_key';

async function rebuildSqlite(db: Kysely<unknown>): Promise<void> {
  let table = withId(db.schema.createTable('stats_new'), 'sqlite')
    .addColumn('lightcurve_path', `varchar(${WIDTH.path})`, notNull)
    .addColumn('lightcurve_filename', `varchar(${WIDTH.composite})`, notNull)
    .addColumn('total', 'integer')
    .addColumn('mean', 'double precision')
    .addColumn('mu', 'double precision')
    .addColumn('stdev', 'double precision')
    .addColumn('poisson_factor', 'double precision')
    .addColumn('pearson_r', 'double precision')
    .addColumn('pearson_p', 'double precision')
    .addColumn('periodogram', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deliver', 'boolean', (c) => c.notNull().defaultTo(false));
  for (const column of ADDED) table = table.addColumn(column, 'double precision');
  await table.addUniqueConstraint(KEY, ['lightcurve_path', 'lightcurve_filename']).execute();
  const columns = sql.join(OLD_COLUMNS.map((c) => sql.id(c)));
  await sql`insert into stats_new (${columns}) select ${columns} from stats`.execute(db);
  await db.schema.dropTable('stats').execute();
  await db.schema.alterTable('stats_new').renameTo('stats').execute();
}

export function statsPeriodogramColumns(dialect: Dialect): Migration {
  const adapter = dialectAdapter(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!adapter.altersConstraintsInPlace) return rebuildSqlite(db);
      let alter = db.schema.alterTable('stats').addColumn(ADDED[0], 'double precision');
      for (const column of ADDED.slice(1)) alter = alter.addColumn(column, 'double precision');
      await alter.execute();
      await adapter.setIntegerNullable(db, 'stats', 'total', true);
      await adapter.dropUniqueKey(db, 'stats', 'stats_lightcurve_filename_key');
      await db.schema.alterTable('stats').addUniqueConstraint(KEY, ['lightcurve_path', 'lightcurve_filename']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      // Back to 0001's shape; fails, as it should, if two rows now share a base name or total is NULL.
      if (!adapter.altersConstraintsInPlace) throw new Error('0003-stats-periodogram cannot be undone on SQLite; reset the stats table instead');
      await adapter.dropUniqueKey(db, 'stats', KEY);
      await adapter.setIntegerNullable(db, 'stats', 'total', false);
      await db.schema.alterTable('stats').addUniqueConstraint('stats_lightcurve_filename_key', ['lightcurve_filename']).execute();
      for (const column of ADDED) await db.schema.alterTable('stats').dropColumn(column).execute();
    },
  };
}
