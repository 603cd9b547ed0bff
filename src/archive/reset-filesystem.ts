/**
 * `reset-filesystem` (§13.1): every `<filesystem_dir>/*\/*.fits` goes back to ingest_dir (a file already
 * in ingest_dir wins and the archived copy is deleted), emptied target directories are removed, and
 * everything in outputs_dir is deleted — except directories that hold data (ingest, filesystem, bad
 * data, logs, downloads, reference files) should the config have put one inside outputs_dir. Then the
 * database forgets what no longer exists: metadata/outputs rows whose archived file is gone, and stats
 * rows whose lightcurve is gone, so it never points at missing files.
 */
import { rm, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { HstlcDb } from '../db/connect.js';
import { clearOutputLightcurves, forgetFiles, listMetadataLocations, listOutputs } from '../db/metadata.js';
import { deleteStats, listStatsLocations } from '../db/stats.js';
import { isWithin, type ArchiveLayout } from './layout.js';
import { moveFile } from './move.js';
import { direntsIfPresent, pathExists } from '../files/index.js';

export interface ResetFilesystemReport {
  /** Files moved back to ingest_dir: [from, to]. */
  moved: Array<[string, string]>;
  /** Archived copies deleted because ingest_dir already had the file. */
  deleted: string[];
  removedDirs: string[];
  /** Target directories left because something other than *.fits remains in them. */
  keptDirs: string[];
  removedOutputs: string[];
  /** Entries of outputs_dir not removed: protected data directories, or failures (with why). */
  keptOutputs: Array<{ path: string; why: string }>;
  failures: Array<{ path: string; error: string }>;
  /** Rows removed from the database (0 when no database was given). */
  forgottenFiles: number;
  forgottenStats: number;
}

export interface ResetFilesystemOptions {
  /** Database to bring in line with the files; omit to leave it alone. */
  db?: HstlcDb;
  /** One line per action, as the original printed them. */
  onLine?: (line: string) => void;
}

export async function resetFilesystem(layout: ArchiveLayout, options: ResetFilesystemOptions = {}): Promise<ResetFilesystemReport> {
  const say = options.onLine ?? (() => undefined);
  const report: ResetFilesystemReport = {
    moved: [], deleted: [], removedDirs: [], keptDirs: [], removedOutputs: [], keptOutputs: [], failures: [], forgottenFiles: 0, forgottenStats: 0,
  };

  for (const target of (await direntsIfPresent(layout.filesystemDir)).filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = path.join(layout.filesystemDir, target.name);
    for (const file of (await direntsIfPresent(dir)).filter((e) => e.isFile() && e.name.endsWith('.fits') && !e.name.startsWith('.')).map((e) => e.name).sort()) {
      const from = path.join(dir, file);
      const to = path.join(layout.ingestDir, file);
      try {
        if (await pathExists(to)) {
          await unlink(from);
          report.deleted.push(from);
        } else if ((await moveFile(from, to)) === 'moved') {
          report.moved.push([from, to]);
          say(`\tMoved ${from} to ${layout.ingestDir}`);
        }
      } catch (err) {
        report.failures.push({ path: from, error: (err as Error).message });
      }
    }
    try {
      await rmdir(dir);
      report.removedDirs.push(dir);
      say(`\tRemoved directory ${dir}`);
    } catch {
      report.keptDirs.push(dir);
      say(`Could not remove ${dir}`);
    }
  }

  for (const entry of (await direntsIfPresent(layout.outputsDir)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(layout.outputsDir, entry.name);
    const guarded = layout.protectedDirs.find((d) => isWithin(d, p));
    if (guarded !== undefined) {
      report.keptOutputs.push({ path: p, why: `holds ${guarded}` });
      say(`Could not remove ${p} (it holds ${guarded})`);
      continue;
    }
    try {
      await rm(p, { recursive: true, force: true });
      report.removedOutputs.push(p);
      say(`\tRemoved directory ${p}`);
    } catch (err) {
      report.keptOutputs.push({ path: p, why: (err as Error).message });
      say(`Could not remove ${p}`);
    }
  }

  if (options.db !== undefined) {
    const db = options.db;
    const rows = await listMetadataLocations(db.db);
    const gone: string[] = [];
    for (const r of rows) if (!(await pathExists(path.join(r.path, r.filename)))) gone.push(r.filename);
    report.forgottenFiles = await forgetFiles(db, gone);
    const stats = await listStatsLocations(db.db);
    const staleIds: number[] = [];
    for (const s of stats) if (!(await pathExists(path.join(s.lightcurve_path, s.lightcurve_filename)))) staleIds.push(s.id);
    report.forgottenStats += await deleteStats(db.db, staleIds);
    // Outputs rows that survive (their archived file still exists) must not name deleted lightcurves.
    const outs = await listOutputs(db.db);
    for (const o of outs) {
      const individualGone = o.individual_path !== null && o.individual_filename !== null && !(await pathExists(path.join(o.individual_path, o.individual_filename)));
      const compositeGone = o.composite_path !== null && o.composite_filename !== null && !(await pathExists(path.join(o.composite_path, o.composite_filename)));
      await clearOutputLightcurves(db.db, o.id, { individual: individualGone, composite: compositeGone });
    }
  }
  return report;
}
