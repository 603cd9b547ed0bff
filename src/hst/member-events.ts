/**
 * Composite members without reading their events again (§9.3, issue 14). Ingest extracts each file on
 * its own range; the composite step then needs every member's valid-event range and an extraction on
 * the group's common range — two more decodes of each member's events. Asked to record, the extraction
 * keeps what it selected (selection.ts SelectionRecord: the events of its regions on a window holding
 * any range a composite can ask for) and the file's valid range, in a sidecar named by the identity of
 * the files read (name, size, mtime, inode: a move within the file system keeps them, any rewrite
 * changes them). Asked to replay, the composite's extraction uses a sidecar only if it is for the same
 * files and the same plans (selection.ts replayFor); otherwise it reads the member as before, so the
 * composite is the same bytes with or without sidecars, and a missing or stale one only costs time.
 *
 * File: "HSTLCME1", u32 header length, the JSON header, then per plan its T, X, W, EPS (float32 when
 * every value is one, else float64) and mask arrays, each at an 8-byte boundary.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { temporaryPathFor } from '../files/index.js';
import type { WavelengthRange } from '../lightcurve/composite.js';
import type { PlanEvents, SelectionRecord } from './selection.js';

export interface MemberEventsOption {
  /** The directory of the sidecars (ingest: under the home's staging area, removed after the composites). */
  dir: string;
  /** record: the extraction writes its sidecar; replay: the extraction (and the range) use one if it fits. */
  role: 'record' | 'replay';
}

/** Sidecars written, and extractions that replayed one instead of reading their tables (for tests and benches). */
export const memberEventsCount = { written: 0, replayed: 0 };

const MAGIC = 'HSTLCME1';
const VERSION = 1;

type Field = 'T' | 'X' | 'W' | 'EPS';
const FIELDS: readonly Field[] = ['T', 'X', 'W', 'EPS'];

interface Header {
  version: number;
  key: string;
  /** Of the data after the header (digest()). */
  digest: string;
  /** The valid-event range of the files (null: none), when the extraction saw all of them. */
  range?: { found: false } | { found: true; wmin: number; wmax: number };
  record?: Omit<SelectionRecord, 'plans'> & {
    plans: Array<Omit<SelectionRecord['plans'][number], 'events'> & { events: { n: number; chunkEnds: number[]; f32: Field[] } }>;
  };
}

/** The identity of the files an extraction read, as a file name. */
export async function memberKey(files: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const f of [...new Set(files)].sort((a, b) => (path.basename(a) < path.basename(b) ? -1 : 1))) {
    const s = await stat(f, { bigint: true });
    parts.push(`${path.basename(f)}\0${s.size}\0${s.mtimeNs}\0${s.ino}\0${s.dev}`);
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

const sidecar = (dir: string, key: string): string => path.join(dir, `${key}.events`);

// JSON has no Infinity, NaN or −0; the bounds and time extremes may be any of them.
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? { $num: Object.is(v, -0) ? '-0' : String(v) } : v);
const reviver = (_k: string, v: unknown): unknown => (v !== null && typeof v === 'object' && '$num' in v ? Number((v as { $num: string }).$num) : v);

function isFloat32Exact(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (Math.fround(v) !== v && v === v) return false;
  }
  return true;
}

const pad8 = (n: number): number => (8 - (n % 8)) % 8;

/**
 * FNV-1a over the 32-bit words of 8-byte-padded pieces, continued from `h`: a sidecar cut short or
 * zeroed by a crash of the machine is refused.
 */
function digestOf(u8: Uint8Array, h = 0x811c9dc5): number {
  const u = new Uint32Array(u8.buffer, u8.byteOffset, u8.byteLength >> 2);
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i]!, 0x01000193);
  return h;
}
const hex = (h: number): string => (h >>> 0).toString(16).padStart(8, '0');

/** A piece padded to a multiple of 8 bytes (a copy only when it is not one already). */
function padded(c: Uint8Array): Uint8Array {
  const p = pad8(c.byteLength);
  if (p === 0 && c.byteOffset % 4 === 0) return c;
  const out = new Uint8Array(c.byteLength + p);
  out.set(c);
  return out;
}

/** Write the sidecar of an extraction of `files` (through a temporary file and a rename; not fsynced: it is a cache, checked by its digest). */
export async function writeMemberEvents(dir: string, files: readonly string[], record: SelectionRecord | undefined, range: WavelengthRange | null | undefined): Promise<void> {
  const key = await memberKey(files);
  const pieces: Uint8Array[] = [];
  const header: Header = { version: VERSION, key, digest: '' };
  if (range !== undefined) header.range = range === null ? { found: false } : { found: true, wmin: range.wmin, wmax: range.wmax };
  if (record !== undefined) {
    header.record = {
      ...record,
      plans: record.plans.map((p) => {
        const ev = p.events;
        const f32 = FIELDS.filter((f) => isFloat32Exact(ev[f]));
        for (const f of FIELDS) pieces.push(padded(f32.includes(f) ? new Uint8Array(new Float32Array(ev[f]).buffer) : new Uint8Array(ev[f].buffer, ev[f].byteOffset, ev[f].byteLength)));
        pieces.push(padded(ev.mask));
        return { ...p, events: { n: ev.n, chunkEnds: ev.chunkEnds, f32 } };
      }),
    };
  }
  let h = 0x811c9dc5;
  for (const c of pieces) h = digestOf(c, h);
  header.digest = hex(h);
  const json = Buffer.from(JSON.stringify(header, replacer), 'utf8');
  const head = Buffer.alloc(12);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 8);
  await mkdir(dir, { recursive: true });
  const final = sidecar(dir, key);
  const tmp = temporaryPathFor(final);
  try {
    const fh = await open(tmp, 'wx');
    try {
      const all = [head, json, new Uint8Array(pad8(12 + json.length)), ...pieces];
      const { bytesWritten } = await fh.writev(all);
      if (bytesWritten !== all.reduce((n, c) => n + c.byteLength, 0)) throw new Error(`short write of ${tmp}`);
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    memberEventsCount.written++;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function parseHeader(buf: Uint8Array, key: string): { header: Header; dataAt: number } | undefined {
  if (buf.length < 12 || Buffer.from(buf.buffer, buf.byteOffset, 8).toString('latin1') !== MAGIC) return undefined;
  const len = new DataView(buf.buffer, buf.byteOffset + 8, 4).getUint32(0, true);
  if (buf.length < 12 + len) return undefined;
  const header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 12, len).toString('utf8'), reviver) as Header;
  if (header.version !== VERSION || header.key !== key) return undefined;
  return { header, dataAt: 12 + len + pad8(12 + len) };
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** The recorded valid range of `files` (`range` undefined: they have no valid event), or undefined when none is kept. */
export async function readMemberRange(dir: string, files: readonly string[]): Promise<{ range: WavelengthRange | undefined } | undefined> {
  let key: string;
  try {
    key = await memberKey(files);
  } catch {
    return undefined;
  }
  let fh;
  try {
    fh = await open(sidecar(dir, key), 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    if (head.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const len = head.readUInt32LE(8);
    const all = Buffer.alloc(12 + len);
    await fh.read(all, 0, 12 + len, 0);
    const r = parseHeader(all, key)?.header.range;
    if (r === undefined) return undefined;
    return { range: r.found ? { wmin: r.wmin, wmax: r.wmax } : undefined };
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/** The recorded selection of an extraction of `files`, or undefined when none is kept. */
export async function readMemberRecord(dir: string, files: readonly string[]): Promise<SelectionRecord | undefined> {
  let key: string;
  try {
    key = await memberKey(files);
  } catch {
    return undefined;
  }
  const raw = await readIfPresent(sidecar(dir, key));
  if (raw === undefined) return undefined;
  // Typed arrays need aligned offsets: a pooled Buffer may start anywhere.
  const buf = raw.byteOffset % 8 === 0 ? raw : Uint8Array.from(raw);
  const parsed = parseHeader(buf, key);
  const rec = parsed?.header.record;
  if (parsed === undefined || rec === undefined || parsed.dataAt > buf.length || (buf.length - parsed.dataAt) % 8 !== 0) return undefined;
  if (hex(digestOf(buf.subarray(parsed.dataAt))) !== parsed.header.digest) return undefined;
  let at = parsed.dataAt;
  const take = (bytes: number): number => {
    const start = at;
    at += bytes + pad8(bytes);
    if (start + bytes > buf.length) throw new RangeError('short sidecar');
    return buf.byteOffset + start;
  };
  try {
    const plans = rec.plans.map((p) => {
      const n = p.events.n;
      const arr = {} as Record<Field, Float64Array>;
      for (const f of FIELDS) {
        arr[f] = p.events.f32.includes(f) ? new Float64Array(new Float32Array(buf.buffer, take(4 * n), n)) : new Float64Array(buf.buffer, take(8 * n), n);
      }
      const mask = new Uint8Array(buf.buffer, take(n), n);
      const events: PlanEvents = { n, ...arr, mask, chunkEnds: p.events.chunkEnds };
      return { ...p, events };
    });
    return { ...rec, plans };
  } catch {
    return undefined;
  }
}
