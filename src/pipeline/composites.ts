/**
 * The composite step of ingest (§9.1–9.2) with the original's bugs fixed: every group with a new or
 * re-processed member (outputs.composite_path NULL) is rebuilt — replacing the old composite atomically
 * instead of failing forever on an existing file (§15.8) — from its members in file-name order, and the
 * members' outputs rows point at it in one transaction. A failed group stays pending and is reported.
 */
import { DiskFullError, isDiskFull } from '../files/index.js';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { compositeGroupMembers, pendingCompositeGroups, setCompositeOutput, type CompositeGroup, type CompositeMember, type HstlcDb } from '../db/index.js';
import { compositePath, UnsafePathError, type ArchiveLayout } from '../archive/layout.js';
import { makeDirectory, setPermissions } from '../archive/permissions.js';
import { hlspName } from '../lightcurve/composite.js';
import { forEachInOrder, type Pool } from './pool.js';
import { retryWrite } from './db-retry.js';
import type { CompositeUnitResult, UnitOptions } from './units.js';
import type { StageLogger } from './log.js';
import { processAlive } from '../archive/home-lock.js';

export interface CompositeItem {
  name: string;
  group: CompositeGroup;
  status: 'done' | 'failed';
  /** Member files (archived paths), in the order used. */
  members: string[];
  /** Members the composite left out (e.g. no bin inside the good time intervals), with why. */
  dropped: Array<{ file: string; reason: string }>;
  rows?: number;
  reason?: string;
}

export interface CompositeStepOptions {
  layout: ArchiveLayout;
  unitOptions: UnitOptions;
  numCores: number;
  logger: StageLogger;
  onProgress?: (done: number, total: number, current: string) => void;
}


/**
 * A composite is written to `.<name>.<pid>.<hex>.part` and renamed (src/files writeFileAtomic); a run
 * killed mid-write leaves that temporary file. Remove those of processes that are gone.
 */
export async function removeStalePartFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = /^\..+\.(\d+)\.[0-9a-f]+\.part$/.exec(name);
    if (m === null || processAlive(Number(m[1]))) continue;
    await rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

export async function makeComposites(handle: HstlcDb, pool: Pool, o: CompositeStepOptions): Promise<CompositeItem[]> {
  o.logger.info('Creating composite lightcurves');
  await makeDirectory(o.layout.compositeDir);
  for (const name of await removeStalePartFiles(o.layout.compositeDir)) o.logger.info(`Removed ${name}, left by an interrupted run`);
  const groups = await pendingCompositeGroups(handle.db);
  o.logger.info(`Creating ${groups.length} composites using ${o.numCores} core(s)`);
  const plans: Array<{ group: CompositeGroup; name: string; members: CompositeMember[]; files: string[]; output: string }> = [];
  const items: CompositeItem[] = [];
  for (const group of groups) {
    const members = await compositeGroupMembers(handle.db, group);
    const name = hlspName(group);
    const files = members.map((m) => path.join(m.path, m.filename));
    try {
      plans.push({ group, name, members, files, output: compositePath(o.layout, name) });
    } catch (err) {
      // Rows recorded before ingest checked the header values (quality/header.ts) can still name an
      // unsafe file: that group fails, by name, and the others are built.
      if (!(err instanceof UnsafePathError)) throw err;
      o.logger.error(`Failed to create composite for dataset ${JSON.stringify(name)}: ${err.message}`);
      items.push({ name, group, status: 'failed', members: files, dropped: [], reason: err.message });
    }
  }
  await forEachInOrder(
    pool,
    'composite',
    plans.map((p) => ({ files: p.files, output: p.output, options: o.unitOptions, targname: p.group.targname })),
    async (i, outcome) => {
      const plan = plans[i]!;
      const g = plan.group;
      o.logger.info(`Processing dataset: ${g.instrume}\t${g.detector}\t${g.targname}\t${g.opt_elem}\t${g.cenwave}\t${g.aperture}: ${plan.files.length} files to process`);
      const base = { name: plan.name, group: g, members: plan.files };
      // The unit answers `failed` for a composite that cannot be made; a worker that died rejects.
      const r: CompositeUnitResult = outcome.ok ? outcome.value : { status: 'failed', reason: outcome.error.message };
      if (r.status !== 'done') {
        o.logger.error(`Failed to create composite for dataset ${plan.name}: ${r.reason}`);
        if (isDiskFull(r.reason)) {
          throw new DiskFullError(
            `no space left on the device (${r.reason}): composites stopped at ${plan.name}, ${i} of ${plans.length} built. ` +
              `Free space under ${o.layout.compositeDir} and run again: the groups not built are still pending, and no composite is partial.`,
            r.reason,
          );
        }
        items.push({ ...base, status: 'failed', dropped: [], reason: r.reason });
      } else {
        await setPermissions(r.output);
        // §9.2.4: every member of the group, including any the composite left out, points at it.
        await retryWrite(handle, o.logger, {
          what: `recording composite ${plan.name}`,
          stopped: `Composites stopped at ${plan.name}, ${i} of ${plans.length} built; run ingest again when the server is back: the groups not recorded are still pending.`,
        }, () => setCompositeOutput(handle, plan.members.map((m) => m.metadata_id), o.layout.compositeDir, plan.name));
        o.logger.info(`\tComposite lightcurve saved to ${r.output}`);
        const dropped = r.members.filter((m) => !m.kept).map((m) => ({ file: m.file, reason: m.reason ?? 'dropped' }));
        items.push({ ...base, status: 'done', dropped, rows: r.rows });
      }
      o.onProgress?.(i + 1, plans.length, plan.name);
    },
  );
  return items;
}
