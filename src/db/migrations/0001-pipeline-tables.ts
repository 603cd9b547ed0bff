/**
 * The original's four tables (§10.2): same columns, types, uniqueness and foreign key, with three deliberate
 * differences: path columns are VARCHAR(512) (see WIDTH in schema.ts), stats floats are double precision
 * (MySQL FLOAT(10) was single precision: about 7 digits, and a p-value under ~1e-45 becomes 0),
 * and stats.lightcurve_filename is unique, which is what the original's upsert-by-name assumed (§10.3).
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { WIDTH } from '../schema.js';
import { notNull, oneOf, withId } from './columns.js';

const v = (n: number) => `varchar(${n})` as const;

/** §3.2's six, as this migration created them (later migrations widen the list). */
const BAD_DATA_REASONS = ['Bad EXPFLAG', 'Non-linear time', 'No events', 'Singular event', 'Bad Proposal', 'Short Exposure'];

export function pipelineTables(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('metadata'), dialect)
        .addColumn('filename', v(WIDTH.filename), notNull)
        .addColumn('path', v(WIDTH.path), notNull)
        .addColumn('ingest_date', 'date', notNull)
        .addColumn('telescop', v(WIDTH.short), notNull)
        .addColumn('instrume', v(WIDTH.short), notNull)
        .addColumn('targname', v(WIDTH.targname), notNull)
        .addColumn('cal_ver', v(WIDTH.name), notNull)
        .addColumn('obstype', v(WIDTH.name), notNull)
        .addColumn('cenwave', 'integer', notNull)
        .addColumn('aperture', v(WIDTH.name), notNull)
        .addColumn('detector', v(WIDTH.name), notNull)
        .addColumn('opt_elem', v(WIDTH.name), notNull)
        .addColumn('fppos', 'integer', notNull)
        .addUniqueConstraint('metadata_filename_key', ['filename'])
        .execute();
      // §9.1/§9.2 select by the group columns; an index keeps that fast on a big archive.
      await db.schema
        .createIndex('metadata_group_idx')
        .on('metadata')
        .columns(['instrume', 'detector', 'targname', 'opt_elem', 'cenwave', 'aperture'])
        .execute();

      await withId(db.schema.createTable('outputs'), dialect)
        .addColumn('metadata_id', 'integer', notNull)
        .addColumn('individual_path', v(WIDTH.path))
        .addColumn('individual_filename', v(WIDTH.filename))
        .addColumn('composite_path', v(WIDTH.path))
        .addColumn('composite_filename', v(WIDTH.composite))
        .addUniqueConstraint('outputs_metadata_id_key', ['metadata_id'])
        .addForeignKeyConstraint('outputs_metadata_id_fkey', ['metadata_id'], 'metadata', ['id'])
        .execute();

      await withId(db.schema.createTable('bad_data'), dialect)
        .addColumn('filename', v(WIDTH.filename), notNull)
        .addColumn('ingest_date', 'date', notNull)
        .addColumn('reason', v(20), notNull)
        .addUniqueConstraint('bad_data_filename_key', ['filename'])
        .addCheckConstraint('bad_data_reason_check', oneOf('reason', BAD_DATA_REASONS))
        .execute();

      await withId(db.schema.createTable('stats'), dialect)
        .addColumn('lightcurve_path', v(WIDTH.path), notNull)
        .addColumn('lightcurve_filename', v(WIDTH.composite), notNull)
        .addColumn('total', 'integer', notNull)
        .addColumn('mean', 'double precision')
        .addColumn('mu', 'double precision')
        .addColumn('stdev', 'double precision')
        .addColumn('poisson_factor', 'double precision')
        .addColumn('pearson_r', 'double precision')
        .addColumn('pearson_p', 'double precision')
        .addColumn('periodogram', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('deliver', 'boolean', (c) => c.notNull().defaultTo(false))
        .addUniqueConstraint('stats_lightcurve_filename_key', ['lightcurve_filename'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['stats', 'outputs', 'metadata', 'bad_data']) await db.schema.dropTable(table).execute();
    },
  };
}
