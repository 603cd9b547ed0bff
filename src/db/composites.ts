/** Queries of the composite step (§9.1, §9.2). */
import type { Kysely } from 'kysely';
import type { HstlcDb } from './connect.js';
import { RowValidationError } from './metadata.js';
import { WIDTH, type Database } from './schema.js';

/** The six columns that define a composite's group (§9.1). */
export interface CompositeGroup {
  instrume: string;
  detector: string;
  targname: string;
  opt_elem: string;
  cenwave: number;
  aperture: string;
}

const GROUP = ['instrume', 'detector', 'targname', 'opt_elem', 'cenwave', 'aperture'] as const;

/**
 * Groups with at least one member whose outputs row has a NULL composite_path: a new or re-processed
 * member, or a group whose last build failed (§9.1). Sorted, so runs are reproducible.
 */
export async function pendingCompositeGroups(db: Kysely<Database>): Promise<CompositeGroup[]> {
  const groups = await db
    .selectFrom('metadata')
    .innerJoin('outputs', 'outputs.metadata_id', 'metadata.id')
    .where('outputs.composite_path', 'is', null)
    .select(GROUP.map((c) => `metadata.${c}` as const))
    .distinct()
    .execute();
  // Sorted here, by code point: database collations order '-', '+' and '_' differently.
  return groups.sort(compareGroups);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareGroups(a: CompositeGroup, b: CompositeGroup): number {
  for (const c of GROUP) {
    const d = c === 'cenwave' ? a.cenwave - b.cenwave : compareText(a[c], b[c]);
    if (d !== 0) return d;
  }
  return 0;
}

export interface CompositeMember {
  metadata_id: number;
  path: string;
  filename: string;
  /** NULL when the member's individual lightcurve failed (§15.20): it is still a member. */
  outputs_id: number | null;
}

/** Every file of a group, by file name in code-point order (the original used database order, §9.2.1). */
export async function compositeGroupMembers(db: Kysely<Database>, group: CompositeGroup): Promise<CompositeMember[]> {
  let q = db
    .selectFrom('metadata')
    .leftJoin('outputs', 'outputs.metadata_id', 'metadata.id')
    .select(['metadata.id as metadata_id', 'metadata.path', 'metadata.filename', 'outputs.id as outputs_id']);
  for (const c of GROUP) q = q.where(`metadata.${c}`, '=', group[c]);
  return (await q.execute()).sort((a, b) => compareText(a.filename, b.filename));
}

/**
 * Point every member's outputs row at the composite just written (§9.2.4), in one transaction, so a crash
 * leaves either all members pending or none. Returns the number of rows updated.
 */
export async function setCompositeOutput(
  handle: HstlcDb,
  metadataIds: readonly number[],
  compositePath: string,
  compositeFilename: string,
): Promise<number> {
  if (compositePath.length > WIDTH.path) throw new RowValidationError(`outputs.composite_path is longer than ${WIDTH.path} characters`);
  if (compositeFilename.length > WIDTH.composite) throw new RowValidationError(`outputs.composite_filename is longer than ${WIDTH.composite} characters`);
  if (metadataIds.length === 0) return 0;
  return handle.db.transaction().execute(async (trx) => {
    let updated = 0;
    for (let i = 0; i < metadataIds.length; i += 500) {
      const r = await trx
        .updateTable('outputs')
        .set({ composite_path: compositePath, composite_filename: compositeFilename })
        .where('metadata_id', 'in', metadataIds.slice(i, i + 500))
        .executeTakeFirst();
      updated += Number(r.numUpdatedRows);
    }
    return updated;
  });
}
