/** A synthetic archive, a home for it, and a comparable snapshot of the end state of an ingest. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../../src/config/index.js';
import type { ConnectionInfo } from '../../src/config/connection.js';
import type { HstlcSettings } from '../../src/config/types.js';
import { connectDatabase, type HstlcDb } from '../../src/db/index.js';
import { addSums, encodeChecksum, FitsReader, onesComplementSum } from '../../src/fits/index.js';
import { generateArchive, type ArchiveManifest } from '../../src/synthetic/index.js';

export interface Archive {
  dir: string;
  manifest: ArchiveManifest;
}

const made: string[] = [];

export async function tinyArchive(seed = 1): Promise<Archive> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hstlc-arch-'));
  made.push(dir);
  const manifest = await generateArchive({ dir, seed, size: 'tiny' });
  return { dir, manifest };
}

/**
 * A home_dir holding a copy of the archive's ingest/ and ref/, and its settings. file_time_limit is 0
 * unless given: with one core a limit moves ingest into a worker thread, which under tsx takes a second
 * or two to start for every ingest; the tests of the limit set it.
 */
export function homeFor(
  archive: Archive,
  opts: { numCores?: number; db?: ConnectionInfo; parent?: string; fileTimeLimit?: number } = {},
): { home: string; settings: HstlcSettings } {
  const home = mkdtempSync(path.join(opts.parent ?? tmpdir(), 'hstlc-home-'));
  made.push(home);
  cpSync(path.join(archive.dir, 'ingest'), path.join(home, 'ingest'), { recursive: true });
  cpSync(path.join(archive.dir, 'ref'), path.join(home, 'ref'), { recursive: true });
  const settings = resolveSettings(
    { home_dir: home, num_cores: opts.numCores ?? 1, file_time_limit: opts.fileTimeLimit ?? 0, bad_proposals: archive.manifest.bad_proposals },
    { baseDir: home, homedir: home, cores: 2 },
  );
  if (opts.db !== undefined) settings.db = opts.db;
  return { home, settings };
}

/**
 * Leave in ingest_dir only the files whose names `keep` matches (whole composite groups, by rootname
 * prefix): a check about some groups then ingests those, not the whole archive.
 */
export function keepGroups(ingestDir: string, keep: RegExp): void {
  for (const f of readdirSync(ingestDir)) if (!keep.test(f)) rmSync(path.join(ingestDir, f));
}

/**
 * The archive with only the composite groups `keep` matches (by rootname prefix): the other files are
 * deleted from its ingest/, and the manifest lists only the kept files and composites, so what a test
 * derives from the manifest (good and bad files, composites) holds for the subset. A composite whose
 * members the pattern splits is an error: keep whole groups.
 */
export function keepArchiveGroups(archive: Archive, keep: RegExp): Archive {
  keepGroups(path.join(archive.dir, 'ingest'), keep);
  const composites = archive.manifest.composites.filter((c) => c.members.some((m) => keep.test(m)));
  for (const c of composites) if (!c.members.every((m) => keep.test(m))) throw new Error(`${keep} splits the composite ${c.name}`);
  return { dir: archive.dir, manifest: { ...archive.manifest, files: archive.manifest.files.filter((f) => keep.test(f.file)), composites } };
}

export function cleanupHomes(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file under `dir` (relative, sorted), hidden names included so leftovers show up. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(p).isDirectory()) walk(p, r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

/** Digest of a FITS file's table data (HDU 1 columns), which excludes GEN_DATE and CHECKSUM cards. */
export async function tableDigest(file: string): Promise<string> {
  const f = await FitsReader.open(file);
  try {
    const t = await f.readTable(1);
    const h = createHash('sha256');
    for (const [name, col] of t.columns) {
      h.update(name);
      const data = col.data as ArrayLike<unknown> & { buffer?: ArrayBuffer; byteOffset?: number; byteLength?: number };
      if (data.buffer !== undefined) h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else h.update(JSON.stringify(Array.from(data as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? v.toString() : v))));
    }
    return h.digest('hex');
  } finally {
    await f.close();
  }
}

export interface Snapshot {
  trees: Record<'ingest' | 'filesystem' | 'outputs' | 'bad_data', string[]>;
  /** Event and x1d files in the archive and bad_data: byte digests (they are moved, never rewritten). */
  rawDigests: Record<string, string>;
  /** Lightcurves and composites: table digests. */
  productDigests: Record<string, string>;
  metadata: unknown[];
  outputs: unknown[];
  badData: unknown[];
  targetNames: unknown[];
}

function sortRows<T>(rows: T[]): T[] {
  return rows.map((r) => JSON.stringify(r)).sort().map((s) => JSON.parse(s) as T);
}

export async function snapshot(settings: HstlcSettings, handle: HstlcDb): Promise<Snapshot> {
  const rel = (p: string) => path.relative(settings.home_dir, p);
  const trees = {
    ingest: listTree(settings.ingest_dir),
    filesystem: listTree(settings.filesystem_dir),
    outputs: listTree(settings.outputs_dir),
    bad_data: listTree(settings.bad_data_dir),
  };
  const rawDigests: Record<string, string> = {};
  for (const [root, files] of [[settings.filesystem_dir, trees.filesystem], [settings.bad_data_dir, trees.bad_data]] as const) {
    for (const f of files) {
      // The STIS corrtag is made by ingest (GEN_DATE in its header): compare its table instead.
      if (f.endsWith('_corrtag.fits') && f.split('/').pop()!.startsWith('o')) continue;
      rawDigests[rel(path.join(root, f))] = createHash('sha256').update(readFileSync(path.join(root, f))).digest('hex');
    }
  }
  const productDigests: Record<string, string> = {};
  for (const f of trees.outputs) if (f.endsWith('.fits')) productDigests[f] = await tableDigest(path.join(settings.outputs_dir, f));
  for (const f of trees.filesystem) if (/\/o[^/]*_corrtag\.fits$/.test(f)) productDigests[f] = await tableDigest(path.join(settings.filesystem_dir, f));
  const metadata = (await handle.db.selectFrom('metadata').selectAll().execute()).map(({ id: _id, ...r }) => ({ ...r, path: rel(r.path) }));
  const outputs = (
    await handle.db
      .selectFrom('outputs')
      .innerJoin('metadata', 'metadata.id', 'outputs.metadata_id')
      .select(['metadata.filename', 'outputs.individual_path', 'outputs.individual_filename', 'outputs.composite_path', 'outputs.composite_filename'])
      .execute()
  ).map((r) => ({ ...r, individual_path: r.individual_path && rel(r.individual_path), composite_path: r.composite_path && rel(r.composite_path) }));
  const badData = (await handle.db.selectFrom('bad_data').select(['filename', 'reason', 'ingest_date']).execute());
  const targetNames = await handle.db.selectFrom('target_names').select(['header_name', 'canonical', 'method']).execute();
  return { trees, rawDigests, productDigests, metadata: sortRows(metadata), outputs: sortRows(outputs), badData: sortRows(badData), targetNames: sortRows(targetNames) };
}

/** Run `fn` on a fresh home for `archive` with its database open; the database is closed after. */
export async function withHome<T>(archive: Archive, fn: (settings: HstlcSettings, handle: HstlcDb) => Promise<T>): Promise<T> {
  const { settings } = homeFor(archive);
  const handle = await connectDatabase(settings.db);
  try {
    return await fn(settings, handle);
  } finally {
    await handle.close();
  }
}

/**
 * Replace one 80-character primary-header card in place, and re-seal the primary CHECKSUM as the
 * archive's tools do when they edit a header: the file stands for one the archive wrote with that
 * value, not for a corrupted one (ingest verifies CHECKSUM).
 */
export function replaceCard(file: string, key: string, card: string): void {
  const buf = readFileSync(file);
  const head = buf.subarray(0, 2880 * 4).toString('latin1');
  const find = (k: string): number => {
    for (let p = 0; p < head.length; p += 80) if (head.startsWith(`${k.padEnd(8)}=`, p)) return p;
    return -1;
  };
  const i = find(key);
  assert.ok(i >= 0, `${key} not found in ${file}`);
  assert.ok(card.length <= 80);
  buf.write(card.padEnd(80), i, 'latin1');
  const check = find('CHECKSUM');
  if (check >= 0) {
    let end = 0;
    while (!head.startsWith('END'.padEnd(80), end)) end += 80;
    const headerBytes = Math.ceil((end + 80) / 2880) * 2880;
    const datasum = Number(/^DATASUM = *'?\s*(\d+)/.exec(head.slice(find('DATASUM'), find('DATASUM') + 80))?.[1] ?? 0);
    buf.write('0'.repeat(16), check + 11, 'latin1');
    const sum = addSums(onesComplementSum(new Uint8Array(buf.buffer, buf.byteOffset, headerBytes)), datasum);
    buf.write(encodeChecksum(sum), check + 11, 'latin1');
  }
  writeFileSync(file, buf);
}

/** After an interrupted run: a re-run on a new connection fails no file and ends in the clean run's state. */
export async function assertRerunEqualsClean(settings: HstlcSettings, clean: Snapshot): Promise<void> {
  const { runIngest } = await import('../../src/pipeline/index.js');
  const again = await connectDatabase(settings.db);
  try {
    const rerun = await runIngest(again, { settings });
    assert.equal(rerun.counts.failed, 0, JSON.stringify(rerun.files.filter((f) => f.status === 'failed')));
    assert.deepEqual(await snapshot(settings, again), clean);
  } finally {
    await again.close();
  }
}
