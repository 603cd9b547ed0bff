/** Row counts for `hstlc status` and for tests: what the archive holds at a glance. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { toBoolean, toNumber } from './values.js';
import { interestOf, productKindOf } from '../analysis/index.js';

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

/** A column whose values `countByValue` counts. */
export type CountedColumn = { bad_data: 'reason'; downloads: 'state'; runs: 'status' };

/** Rows per value of a column (bad data by reason, downloads by state, runs by status), keys sorted. */
export async function countByValue<T extends keyof CountedColumn>(db: Kysely<Database>, table: T, column: CountedColumn[T]): Promise<Record<string, number>> {
  const from: keyof CountedColumn = table;
  const rows = (await db
    .selectFrom(from)
    .select([column as never, (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(column as never)
    .execute()) as Array<Record<string, unknown>>;
  const out: Record<string, number> = {};
  for (const r of rows.map((x) => ({ key: String(x[column]), n: Number(x['n']) })).sort((a, b) => (a.key < b.key ? -1 : 1))) out[r.key] = r.n;
  return out;
}

/**
 * Composite stats rows that are interesting, or have too few counts, by the one definition
 * (src/analysis/interest.ts, as the site's tables and the stats summary), and rows deliverable (§11).
 */
export async function statsFlagCounts(db: Kysely<Database>): Promise<{ interesting: number; lowCounts: number; deliverable: number }> {
  // Booleans are 0/1 on SQLite and MySQL, true/false on PostgreSQL: counted here, not in SQL.
  const rows = await db
    .selectFrom('stats')
    .select(['lightcurve_filename', 'total', 'mean', 'poisson_factor', 'periodogram', 'false_alarm_probability', 'deliver'])
    .execute();
  const kinds = rows
    .filter((r) => productKindOf(r.lightcurve_filename) === 'composite')
    .map(
      (r) =>
        interestOf({
          total: toNumber(r.total),
          mean: toNumber(r.mean),
          poisson_factor: toNumber(r.poisson_factor),
          periodogram: toBoolean(r.periodogram),
          false_alarm_probability: toNumber(r.false_alarm_probability),
        }).kind,
    );
  return {
    interesting: kinds.filter((k) => k === 'interesting').length,
    lowCounts: kinds.filter((k) => k === 'low_counts').length,
    deliverable: rows.filter((f) => toBoolean(f.deliver)).length,
  };
}
