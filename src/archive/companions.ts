/**
 * An event file travels with its companions (§5.4): the other FUV segment and the x1d spectrum. Moved
 * companions first and the event file last, so that while the event file is still in ingest_dir the
 * move is unfinished, and running it again completes it (each move is idempotent: a source already gone
 * is 'missing', and nothing at the destination is removed).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fuvPartnerOf, x1dOf } from '../hst/names.js';
import { moveFile, type MoveOptions, type MoveOutcome } from './move.js';

export interface MovedFile {
  src: string;
  dst: string;
  role: 'event' | 'partner' | 'x1d';
  outcome: MoveOutcome | 'failed';
  error?: string;
}

/** The files that go with an event file, in move order (companions, then the event file itself). */
export function filesToMove(eventFile: string): Array<{ src: string; role: MovedFile['role'] }> {
  const list: Array<{ src: string; role: MovedFile['role'] }> = [];
  const partner = fuvPartnerOf(eventFile, existsSync);
  if (partner !== undefined) list.push({ src: partner, role: 'partner' });
  list.push({ src: x1dOf(eventFile), role: 'x1d' });
  list.push({ src: eventFile, role: 'event' });
  return list;
}

/**
 * Move an event file and its companions into `destDir`, one result per file; a failure is reported,
 * not thrown, and stops before the event file so the set can be retried.
 */
export async function moveWithCompanions(eventFile: string, destDir: string, options: MoveOptions = {}): Promise<MovedFile[]> {
  const results: MovedFile[] = [];
  for (const { src, role } of filesToMove(eventFile)) {
    const dst = path.join(destDir, path.basename(src));
    if (role === 'event' && results.some((r) => r.outcome === 'failed')) {
      results.push({ src, dst, role, outcome: 'failed', error: 'not moved: a companion failed to move' });
      continue;
    }
    try {
      results.push({ src, dst, role, outcome: await moveFile(src, dst, options) });
    } catch (err) {
      results.push({ src, dst, role, outcome: 'failed', error: (err as Error).message });
    }
  }
  return results;
}

/**
 * A file that failed a quality check goes to bad_data_dir with its companions (fixing
 * §15.21, where the partner segment and x1d stayed behind and the lone `_b` was ingested next run).
 */
export async function moveBadFile(eventFile: string, badDataDir: string, options: MoveOptions = {}): Promise<MovedFile[]> {
  return moveWithCompanions(eventFile, badDataDir, options);
}
