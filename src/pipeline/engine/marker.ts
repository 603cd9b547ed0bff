/**
 * The shared home_dir check (DESIGN §9): every host must see the same home_dir (NFS or similar), or a
 * worker would ingest files it cannot see and write products nobody else finds. The first submission
 * records a random id in the engine's schema and writes it to `<home_dir>/.hstlc-engine`; a worker
 * starts only if its home_dir holds that file with that id — a wrong or missing mount is a clear error.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readTextIfPresent, writeFileAtomic } from '../../files/index.js';
import { engineDb, type HstlcDb } from '../../db/index.js';

export const MARKER_FILE = '.hstlc-engine';

export class MarkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarkerError';
  }
}

async function readMarker(homeDir: string): Promise<string | undefined> {
  const text = await readTextIfPresent(path.join(homeDir, MARKER_FILE));
  if (text === undefined) return undefined;
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

/** The submitter's side: make sure the queue and home_dir carry the same marker (creating it the first time). */
export async function ensureMarker(homeDir: string, handle: HstlcDb, schema: string): Promise<string> {
  const onDisk = await readMarker(homeDir);
  const recorded = await engineDb.archiveMarkerId(handle.db, schema);
  if (recorded !== undefined) {
    if (onDisk === recorded.id) return recorded.id;
    if (onDisk !== undefined) {
      throw new MarkerError(`${path.join(homeDir, MARKER_FILE)} belongs to another job queue than ${schema} (whose archive is ${recorded.home_dir}); is this the right home_dir and database?`);
    }
  }
  const id = recorded?.id ?? (await engineDb.recordArchiveMarker(handle.db, schema, randomUUID(), homeDir));
  await mkdir(homeDir, { recursive: true });
  await writeFileAtomic(path.join(homeDir, MARKER_FILE), [Buffer.from(`${JSON.stringify({ id, schema, written: new Date().toISOString() })}\n`)]);
  return id;
}

/**
 * The worker's side: refuse to start on a home_dir that is not the archive's. 'none yet' when nothing
 * was ever submitted to this queue (no marker to compare with: the worker waits for the first run).
 */
export async function checkMarker(homeDir: string, handle: HstlcDb, schema: string): Promise<'ok' | 'none yet'> {
  const recorded = await engineDb.archiveMarkerId(handle.db, schema);
  const file = path.join(homeDir, MARKER_FILE);
  if (recorded === undefined) return 'none yet';
  const onDisk = await readMarker(homeDir);
  if (onDisk === undefined) {
    throw new MarkerError(`home_dir ${homeDir} does not hold ${MARKER_FILE}, which the pipeline wrote in the shared home_dir ${recorded.home_dir}: is the shared filesystem mounted here, at the same path?`);
  }
  if (onDisk !== recorded.id) throw new MarkerError(`${file} is another archive's marker than the job queue ${schema} expects: wrong home_dir or wrong database`);
  return 'ok';
}
