/**
 * reprocessing: member exposures MAST recalibrated (a newer sci_generation_date) whose new files the
 * downloader fetched and verified into ingest_dir. 'waiting' until ingest has replaced the member's
 * outputs, then 'done'; `hstlc status` lists the waiting ones.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { REPROCESSING_STATES } from '../schema.js';
import { notNull, oneOf, withId } from './columns.js';

export function reprocessingTable(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('reprocessing'), dialect)
        .addColumn('dataset', 'varchar(30)', notNull)
        .addColumn('member', 'varchar(30)', notNull)
        .addColumn('mast_generation_date', 'varchar(32)', notNull)
        .addColumn('state', 'varchar(16)', notNull)
        .addColumn('requested_at', 'varchar(32)', notNull)
        .addColumn('done_at', 'varchar(32)')
        .addUniqueConstraint('reprocessing_member_key', ['member'])
        .addCheckConstraint('reprocessing_state_check', oneOf('state', REPROCESSING_STATES))
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('reprocessing').execute();
    },
  };
}
