/** The record of how each header TARGNAME was mapped to a canonical name (src/targets), and known targets. */
import type { Kysely } from 'kysely';
import { resolveTarget, type Resolution, type ResolveOptions } from '../targets/resolve.js';
import type { HstlcDb } from './connect.js';
import { RowValidationError } from './metadata.js';
import { WIDTH, type Database, type TargetMethod, type TargetNameRow } from './schema.js';
import { finiteOrNull, nowIso, toNumber } from './values.js';

export interface TargetNameInput {
  header_name: string;
  canonical: string;
  method: TargetMethod;
  ra_targ?: number | null;
  dec_targ?: number | null;
}

export async function recordTargetName(handle: HstlcDb, input: TargetNameInput, now: Date = new Date()): Promise<void> {
  if (input.canonical.length > WIDTH.targname) throw new RowValidationError(`canonical target name is longer than ${WIDTH.targname} characters`);
  // The header value is untrusted and may be long; what is stored is capped, never used as a path.
  const header = input.header_name.slice(0, 100);
  const values = {
    canonical: input.canonical,
    method: input.method,
    ra_targ: finiteOrNull(input.ra_targ),
    dec_targ: finiteOrNull(input.dec_targ),
    recorded_at: nowIso(now),
  };
  await handle.adapter.upsert(handle.db, { table: 'target_names', values: { header_name: header, ...values }, key: ['header_name'], update: values });
}

export async function listTargetNames(db: Kysely<Database>): Promise<TargetNameRow[]> {
  return db.selectFrom('target_names').selectAll().orderBy('header_name').execute();
}

export interface KnownTarget {
  name: string;
  /** Mean coordinates of the exposures recorded under this name (degrees), when known. */
  ra?: number;
  dec?: number;
}

/**
 * Canonical names already in use — from the metadata table (§4 step 4) and the mapping record — with
 * their mean recorded coordinates, for matching a new spelling by position.
 */
export async function knownTargets(db: Kysely<Database>): Promise<KnownTarget[]> {
  const withCoords = await db
    .selectFrom('target_names')
    .select((eb) => ['canonical', eb.fn.avg<number | string>('ra_targ').as('ra'), eb.fn.avg<number | string>('dec_targ').as('dec')])
    .groupBy('canonical')
    .execute();
  const byName = new Map<string, KnownTarget>();
  for (const row of withCoords) {
    const ra = toNumber(row.ra);
    const dec = toNumber(row.dec);
    byName.set(row.canonical, { name: row.canonical, ...(ra !== null && dec !== null ? { ra, dec } : {}) });
  }
  const inMetadata = await db.selectFrom('metadata').select('targname').distinct().execute();
  for (const { targname } of inMetadata) if (!byName.has(targname)) byName.set(targname, { name: targname });
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Resolve a header TARGNAME against the names already in the database (by name, then by position) and
 * record the mapping; what the ingest stage calls once per file.
 */
export async function resolveAndRecordTarget(
  handle: HstlcDb,
  headerName: string,
  options: Omit<ResolveOptions, 'known'> = {},
): Promise<Resolution> {
  const known = await knownTargets(handle.db);
  const resolution = resolveTarget(headerName, { ...options, known });
  await recordTargetName(handle, {
    header_name: headerName,
    canonical: resolution.canonical,
    method: resolution.method,
    ra_targ: options.ra ?? null,
    dec_targ: options.dec ?? null,
  });
  return resolution;
}
