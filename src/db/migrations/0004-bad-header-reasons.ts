/**
 * bad_data.reason accepts the "Bad header: <KEYWORD>" reasons (src/quality/header.ts) besides the six of
 * §3.2. The lists are written out here, not taken from src/quality, so this migration means the same
 * thing whatever later ones add. SQLite cannot change a CHECK constraint in place, so there the table is
 * rebuilt and its rows copied (no other table points at bad_data); the servers swap the constraint.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../connect.js';
import { dialectAdapter } from '../dialects/index.js';
import { WIDTH } from '../schema.js';
import { notNull, oneOf, withId } from './columns.js';

const BEFORE = ['Bad EXPFLAG', 'Non-linear time', 'No events', 'Singular event', 'Bad Proposal', 'Short Exposure'];
/** The reasons bad_data accepts once this migration has run (the next migration starts from them). */
export const REASONS_AFTER_0004 = [
  ...BEFORE,
  'Bad header: INSTRUME',
  'Bad header: DETECTOR',
  'Bad header: OPT_ELEM',
  'Bad header: CENWAVE',
  'Bad header: APERTURE',
  'Bad header: TARGNAME',
];
const CHECK = 'bad_data_reason_check';

async function rebuildSqlite(db: Kysely<unknown>, reasons: readonly string[]): Promise<void> {
  await withId(db.schema.createTable('bad_data_new'), 'sqlite')
    .addColumn('filename', `varchar(${WIDTH.filename})`, notNull)
    .addColumn('ingest_date', 'date', notNull)
    .addColumn('reason', 'varchar(20)', notNull)
    .addUniqueConstraint('bad_data_filename_key', ['filename'])
    .addCheckConstraint(CHECK, oneOf('reason', reasons))
    .execute();
  const columns = sql.join(['id', 'filename', 'ingest_date', 'reason'].map((c) => sql.id(c)));
  await sql`insert into bad_data_new (${columns}) select ${columns} from bad_data`.execute(db);
  await db.schema.dropTable('bad_data').execute();
  await db.schema.alterTable('bad_data_new').renameTo('bad_data').execute();
}

/** Set bad_data.reason's CHECK to exactly `reasons` (the table as 0004 left it; later reason migrations reuse this). */
export async function swapCheck(db: Kysely<unknown>, dialect: Dialect, reasons: readonly string[]): Promise<void> {
  if (!dialectAdapter(dialect).altersConstraintsInPlace) return rebuildSqlite(db, reasons);
  await db.schema.alterTable('bad_data').dropConstraint(CHECK).execute();
  await db.schema.alterTable('bad_data').addCheckConstraint(CHECK, oneOf('reason', reasons)).execute();
}

export function badHeaderReasons(dialect: Dialect): Migration {
  return {
    up: (db) => swapCheck(db, dialect, REASONS_AFTER_0004),
    // Fails, as it should, while a row still carries one of the added reasons.
    down: (db) => swapCheck(db, dialect, BEFORE),
  };
}
