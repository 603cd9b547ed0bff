/**
 * What the stub serves, derived from the files' own headers: one search row per dataset (ASN_ID when
 * the file has one, else ROOTNAME), a product entry per file, and CRDS catalogue entries for reference
 * files. Field names, types and blank padding follow MAST's answers (astroquery's test data:
 * `mission_results.json`, `mission_products.json`).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { listDirIfPresent } from '../../files/index.js';
import { FitsReader } from '../../fits/index.js';

export interface StubFile {
  filename: string;
  size: number;
  /** The content: in memory (files a test hands in) or on disk (an archive folder, read per request). */
  bytes?: Uint8Array;
  path?: string;
  /** Upper-case dataset the file is listed under. */
  dataset: string;
  etag: string;
  /** The ETag S3 gives the same object: its quoted MD5. */
  md5Etag: string;
  sha1: string;
  /** PROPRIETARY files need the configured token. */
  access: 'PUBLIC' | 'PROPRIETARY';
}

export interface StubRow {
  [column: string]: string | number | null;
}

export interface StubCatalog {
  files: Map<string, StubFile>;
  rows: StubRow[];
  references: Map<string, StubFile>;
}

/** A file to serve: bytes in memory, or a path read when asked. */
export interface StubSource {
  name: string;
  bytes?: Uint8Array;
  path?: string;
  access?: 'PUBLIC' | 'PROPRIETARY';
}

export interface CatalogInput {
  /** Files to serve; names must be plain file names. */
  files?: ReadonlyArray<StubSource>;
  references?: ReadonlyArray<StubSource>;
  /** Per dataset (upper case), overrides of row fields, e.g. a future sci_release_date. */
  rowOverrides?: Record<string, StubRow>;
  /** Rows with no files behind them (paging tests, excluded targets). */
  extraRows?: readonly StubRow[];
}

/** Blank-padded as MAST's CHAR columns come back (`"COS   "`). */
function pad(value: string, width: number): string {
  return value.padEnd(width, ' ');
}

async function digestOf(source: StubSource, algorithm: 'sha1' | 'md5'): Promise<string> {
  const hash = createHash(algorithm);
  if (source.bytes) return hash.update(source.bytes).digest('hex');
  for await (const chunk of createReadStream(source.path!, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function mjdToIso(mjd: number): string {
  return new Date(Math.round((mjd - 40587) * 86400000)).toISOString().replace('Z', '').replace(/\.\d+$/, '');
}

async function primaryOf(source: StubSource) {
  const reader = source.bytes ? await FitsReader.fromBytes(source.bytes, source.name) : await FitsReader.open(source.path!, { maxHdus: 1 });
  try {
    return reader.hdus[0]!.header;
  } finally {
    await reader.close();
  }
}

async function stubFile(source: StubSource, name: string, dataset: string): Promise<StubFile> {
  if (source.bytes === undefined && source.path === undefined) throw new Error(`${source.name}: neither bytes nor path`);
  const size = source.bytes ? source.bytes.length : (await stat(source.path!)).size;
  const sha1 = await digestOf(source, 'sha1');
  const md5 = await digestOf(source, 'md5');
  return {
    filename: name,
    size,
    ...(source.bytes ? { bytes: source.bytes } : { path: source.path! }),
    dataset,
    etag: `"${sha1.slice(0, 16)}"`,
    md5Etag: `"${md5}"`,
    sha1,
    access: source.access ?? 'PUBLIC',
  };
}

/** Bytes [start, end) of a served file, in chunks, from memory or disk. */
export async function* readSlice(file: StubFile, start: number, end: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  if (end <= start) return;
  if (file.bytes) {
    for (let off = start; off < end; off += chunkBytes) yield file.bytes.subarray(off, Math.min(end, off + chunkBytes));
    return;
  }
  for await (const chunk of createReadStream(file.path!, { start, end: end - 1, highWaterMark: chunkBytes })) yield new Uint8Array(chunk as Buffer);
}

export async function buildCatalog(input: CatalogInput): Promise<StubCatalog> {
  const files = new Map<string, StubFile>();
  const rows = new Map<string, StubRow>();
  for (const f of input.files ?? []) {
    const header = await primaryOf(f);
    const str = (key: string) => (header.string(key) ?? '').trim();
    const root = str('ROOTNAME').toUpperCase() || f.name.split('_')[0]!.toUpperCase();
    const asn = str('ASN_ID').toUpperCase();
    const dataset = /^[A-Z][A-Z0-9]{8}$/.test(asn) && asn !== 'NONE' ? asn : root;
    files.set(f.name, await stubFile(f, f.name, dataset));
    if (rows.has(dataset)) continue;
    const expstart = header.has('EXPSTART') ? header.number('EXPSTART') : header.has('TEXPSTRT') ? header.number('TEXPSTRT') : undefined;
    const start = expstart !== undefined ? mjdToIso(expstart) : '2015-01-01T00:00:00';
    // HST's exclusive-access period is 12 months.
    const release = new Date(`${start}Z`);
    release.setUTCFullYear(release.getUTCFullYear() + 1);
    rows.set(dataset, {
      sci_data_set_name: dataset,
      sci_asn_id: dataset === asn ? asn : null,
      sci_targname: str('TARGNAME').toUpperCase(),
      sci_instrume: pad(str('INSTRUME').toUpperCase(), 6),
      sci_operating_mode: str('OBSMODE').toUpperCase() || 'TIME-TAG',
      sci_aec: 'S',
      sci_release_date: release.toISOString().slice(0, 19),
      sci_generation_date: `${str('DATE') || '2016-01-01'}T00:00:00`,
      sci_start_time: `${start}.000000`,
      sci_pep_id: header.has('PROPOSID') ? header.number('PROPOSID') ?? null : null,
      sci_status: f.access === 'PROPRIETARY' ? 'PROPRIETARY' : 'PUBLIC',
      ...(input.rowOverrides?.[dataset] ?? {}),
    });
  }
  const references = new Map<string, StubFile>();
  for (const r of input.references ?? []) references.set(r.name.toLowerCase(), await stubFile(r, r.name.toLowerCase(), 'CRDS'));
  return { files, rows: [...rows.values(), ...(input.extraRows ?? [])], references };
}

async function fitsIn(dir: string): Promise<StubSource[]> {
  const out: StubSource[] = [];
  for (const name of await listDirIfPresent(dir)) {
    if (!name.endsWith('.fits') || name.startsWith('.')) continue;
    out.push({ name, path: path.join(dir, name) });
  }
  return out;
}

/**
 * An archive directory in the synthetic generator's layout (`ingest/` and `ref/{lref,oref}/`), or a flat
 * folder of HST files (any `ref/` subfolder is served through CRDS).
 */
export async function loadArchive(dir: string): Promise<Pick<CatalogInput, 'files' | 'references'>> {
  const nested = await fitsIn(path.join(dir, 'ingest'));
  const files = nested.length > 0 ? nested : await fitsIn(dir);
  const references = [...(await fitsIn(path.join(dir, 'ref', 'lref'))), ...(await fitsIn(path.join(dir, 'ref', 'oref')))];
  return { files, references };
}
