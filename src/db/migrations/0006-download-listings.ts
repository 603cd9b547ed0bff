/**
 * download_listings: what MAST's product list gave for each searched dataset (an association or a lone
 * exposure) — its wanted files, the member rootname each belongs to, sizes, and the search row's
 * sci_generation_date then. The downloader reads it to skip, without a product-list request, a dataset
 * whose members are all known (DESIGN §8), and to notice a reprocessed one.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { notNull, withId } from './columns.js';

export function downloadListings(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db.schema.createTable('download_listings'), dialect)
        .addColumn('dataset', 'varchar(30)', notNull)
        .addColumn('filename', 'varchar(64)', notNull)
        .addColumn('member', 'varchar(30)', notNull)
        .addColumn('size', 'bigint', notNull)
        .addColumn('mast_generation_date', 'varchar(32)')
        .addColumn('listed_at', 'varchar(32)', notNull)
        .addUniqueConstraint('download_listings_dataset_filename_key', ['dataset', 'filename'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('download_listings').execute();
    },
  };
}
