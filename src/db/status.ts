/** Row counts for `hstlc status` and for tests: what the archive holds at a glance. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { toNumber } from './values.js';

export type TableCounts = Record<'metadata' | 'outputs' | 'bad_data' | 'stats' | 'downloads' | 'runs' | 'target_names' | 'pending_composites', number>;

export async function tableCounts(db: Kysely<Database>): Promise<TableCounts> {
  const count = async (table: keyof Database) =>
    toNumber((await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n) ?? 0;
  const pending = await db
    .selectFrom('outputs')
    .where('composite_path', 'is', null)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    metadata: await count('metadata'),
    outputs: await count('outputs'),
    bad_data: await count('bad_data'),
    stats: await count('stats'),
    downloads: await count('downloads'),
    runs: await count('runs'),
    target_names: await count('target_names'),
    pending_composites: toNumber(pending.n) ?? 0,
  };
}
