/**
 * Reprocessed members (0007): the downloader marks a member 'waiting' once MAST's recalibrated files are
 * verified in ingest_dir; ingest, having replaced the member's outputs, forgets the stats of its old
 * lightcurve and of its group's composite (the stats stage computes them anew) and marks it 'done'.
 */
import type { Kysely, Selectable } from 'kysely';
import type { HstlcDb } from './connect.js';
import type { Database, ReprocessingState, ReprocessingTable } from './schema.js';
import { nowIso } from './values.js';

export type ReprocessingRow = Omit<Selectable<ReprocessingTable>, 'id'>;

/** Mark members waiting for re-ingest at this generation (a member marked before is marked again). */
export async function markReprocessing(handle: HstlcDb, input: { dataset: string; members: readonly string[]; generation_date: string }, now: Date = new Date()): Promise<void> {
  const values = { dataset: input.dataset, mast_generation_date: input.generation_date, state: 'waiting' as const, requested_at: nowIso(now), done_at: null };
  await handle.db.transaction().execute(async (trx) => {
    for (const member of [...new Set(input.members)].sort()) {
      await handle.adapter.upsert(trx, { table: 'reprocessing', values: { member, ...values }, key: ['member'], update: values });
    }
  });
}

export async function listReprocessing(db: Kysely<Database>, state?: ReprocessingState): Promise<ReprocessingRow[]> {
  let q = db.selectFrom('reprocessing').select(['dataset', 'member', 'mast_generation_date', 'state', 'requested_at', 'done_at']);
  if (state !== undefined) q = q.where('state', '=', state);
  return q.orderBy('dataset').orderBy('member').execute();
}

/** The member's row while it waits for re-ingest, else undefined (one indexed lookup per ingested file). */
export async function findWaitingReprocessing(db: Kysely<Database>, member: string): Promise<ReprocessingRow | undefined> {
  return db
    .selectFrom('reprocessing')
    .select(['dataset', 'member', 'mast_generation_date', 'state', 'requested_at', 'done_at'])
    .where('member', '=', member)
    .where('state', '=', 'waiting')
    .executeTakeFirst();
}

/**
 * After ingest replaced `member`'s rows and files: if it was waiting for re-processing, the stats of its
 * old individual lightcurve and of its group's composite go (they describe the old data; `hstlc stats`
 * computes them anew, and the composite is already queued by its outputs row), and the member is done.
 * Returns whether the member was waiting.
 */
export async function settleReprocessed(handle: HstlcDb, member: string, lightcurves: readonly string[], now: Date = new Date()): Promise<boolean> {
  return handle.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('reprocessing').select('id').where('member', '=', member).where('state', '=', 'waiting').executeTakeFirst();
    if (row === undefined) return false;
    if (lightcurves.length > 0) await trx.deleteFrom('stats').where('lightcurve_filename', 'in', [...lightcurves]).execute();
    await trx.updateTable('reprocessing').set({ state: 'done', done_at: nowIso(now) }).where('id', '=', row.id).execute();
    return true;
  });
}
