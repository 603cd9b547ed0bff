/**
 * stats.content_key: the hash of the lightcurve data and analysis settings a row was computed from
 * (src/analysis/content-key.ts). A re-run of `hstlc stats` skips a lightcurve whose key is unchanged;
 * rows written before this column (NULL) are recomputed once.
 */
import type { Kysely, Migration } from 'kysely';

export function statsContentKey(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('stats').addColumn('content_key', 'varchar(64)').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('stats').dropColumn('content_key').execute();
    },
  };
}
