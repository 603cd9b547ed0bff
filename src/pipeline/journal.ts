/**
 * Crash safety of ingest (DESIGN §5): before a file's rows are written, an intent — the rows
 * and the ordered list of moves that will follow — is written atomically to `<home_dir>/.hstlc-journal/`.
 * Then the database transaction, then the moves, then the intent is removed. A run that finds an intent
 * (the last one was killed somewhere after writing it) rolls it forward: the same rows again (upserts,
 * so harmless if they were already committed), the moves not yet done (a move whose source is gone was
 * done), then removes it. Before the intent nothing outside the staging directory has changed, so a
 * crash there simply means the file is still in ingest_dir and is done again from scratch.
 */
import { mkdir, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { IngestedFile } from '../db/metadata.js';
import { isNotFound, listDirIfPresent, pathExists, writeFileAtomic } from '../files/index.js';

export type MoveRole = 'superseded' | 'corrtag' | 'lightcurve' | 'partner' | 'x1d' | 'event';

export interface MoveStep {
  src: string;
  dst: string;
  role: MoveRole;
}

export interface IngestIntent {
  version: 1;
  /** The event file in ingest_dir. */
  file: string;
  record: IngestedFile;
  /** In order; the event file last, so while it is still in ingest_dir the set is unfinished. */
  moves: MoveStep[];
}

export const JOURNAL_DIR = '.hstlc-journal';

export function journalDir(homeDir: string): string {
  return path.join(homeDir, JOURNAL_DIR, 'ingest');
}

function intentPath(dir: string, file: string): string {
  return path.join(dir, `${path.basename(file)}.json`);
}

/** Write (replace) the intent durably: temporary file, then rename. */
export async function writeIntent(dir: string, intent: IngestIntent): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Durable before it is the intent: the rows that follow rely on it.
  await writeFileAtomic(intentPath(dir, intent.file), [Buffer.from(`${JSON.stringify(intent)}\n`)]);
}

export async function removeIntent(dir: string, file: string): Promise<void> {
  await unlink(intentPath(dir, file)).catch((err: NodeJS.ErrnoException) => {
    if (!isNotFound(err)) throw err;
  });
}

/**
 * The intent of one file, if an interrupted attempt left one (the job engine's per-file recovery; unlike
 * pendingIntents it touches nothing else, since other processes may be writing their own intents).
 */
export async function readIntent(dir: string, file: string): Promise<IngestIntent | undefined> {
  let text: string;
  try {
    text = await readFile(intentPath(dir, file), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isIntent(parsed)) throw new Error(`${intentPath(dir, file)}: not an ingest intent`);
  return parsed;
}

function isIntent(v: unknown): v is IngestIntent {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<IngestIntent>;
  return o.version === 1 && typeof o.file === 'string' && typeof o.record === 'object' && Array.isArray(o.moves);
}

/** Intents left by an interrupted run, sorted by file; unreadable leftovers (`.part`) are removed. */
export async function pendingIntents(dir: string): Promise<IngestIntent[]> {
  const out: IngestIntent[] = [];
  for (const name of await listDirIfPresent(dir)) {
    const p = path.join(dir, name);
    if (!name.endsWith('.json')) {
      await unlink(p).catch(() => undefined); // a temporary file the crash interrupted: no intent yet
      continue;
    }
    const parsed: unknown = JSON.parse(await readFile(p, 'utf8'));
    if (!isIntent(parsed)) throw new Error(`${p}: not an ingest intent`);
    out.push(parsed);
  }
  return out;
}

/**
 * Whether an intent can still be completed: its event file and its lightcurve each exist somewhere
 * (not yet moved, or moved). If not — someone removed them meanwhile — recording it would point the
 * database at nothing, so the intent is dropped instead.
 */
export async function intentIsCompletable(intent: IngestIntent): Promise<boolean> {
  for (const role of ['event', 'lightcurve'] as const) {
    const step = intent.moves.find((m) => m.role === role);
    if (step === undefined) return false;
    if (!(await pathExists(step.src)) && !(await pathExists(step.dst))) return false;
  }
  return true;
}
