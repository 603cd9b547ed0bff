/** Our own tables: downloads (the downloader's ledger), runs (`hstlc status`), target_names (§4 mapping record). */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { DOWNLOAD_STATES, RUN_STATUSES, TARGET_METHODS, WIDTH } from '../schema.js';
import { notNull, oneOf, withId } from './columns.js';

export function bookkeepingTables(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('downloads'), dialect)
        .addColumn('dataset', 'varchar(30)', notNull)
        .addColumn('filename', 'varchar(64)', notNull)
        .addColumn('size', 'bigint')
        .addColumn('sha256', 'char(64)')
        .addColumn('mast_generation_date', 'varchar(32)')
        .addColumn('state', 'varchar(16)', notNull)
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'varchar(1000)')
        .addColumn('updated_at', 'varchar(32)', notNull)
        .addUniqueConstraint('downloads_filename_key', ['filename'])
        .addCheckConstraint('downloads_state_check', oneOf('state', DOWNLOAD_STATES))
        .execute();
      await db.schema.createIndex('downloads_state_idx').on('downloads').column('state').execute();

      await withId(db.schema.createTable('runs'), dialect)
        .addColumn('command', 'varchar(32)', notNull)
        .addColumn('started_at', 'varchar(32)', notNull)
        .addColumn('finished_at', 'varchar(32)')
        .addColumn('status', 'varchar(16)', notNull)
        .addColumn('host', 'varchar(255)', notNull)
        .addColumn('pid', 'integer', notNull)
        .addColumn('summary', 'text')
        .addCheckConstraint('runs_status_check', oneOf('status', RUN_STATUSES))
        .execute();

      await withId(db.schema.createTable('target_names'), dialect)
        .addColumn('header_name', 'varchar(100)', notNull)
        .addColumn('canonical', `varchar(${WIDTH.targname})`, notNull)
        .addColumn('method', 'varchar(16)', notNull)
        .addColumn('ra_targ', 'double precision')
        .addColumn('dec_targ', 'double precision')
        .addColumn('recorded_at', 'varchar(32)', notNull)
        .addUniqueConstraint('target_names_header_name_key', ['header_name'])
        .addCheckConstraint('target_names_method_check', oneOf('method', TARGET_METHODS))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['target_names', 'runs', 'downloads']) await db.schema.dropTable(table).execute();
    },
  };
}
