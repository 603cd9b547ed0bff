/**
 * Comparing our lightcurve files with the original's (test/fixtures/golden/README.md): same rows;
 * float64 columns to 1e-9 relative, float32 columns to 1e-6; same HDU-1 keyword values except the
 * creation date, version strings and path-dependent SOURCE/OUTNAME.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FitsReader, type Header } from '../../src/fits/index.js';

export const GOLDEN = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
export const INPUTS = `${GOLDEN}inputs/`;
export const EXPECTED = `${GOLDEN}expected/`;

export interface GoldenResults {
  files: Array<{ file: string; individual_ok?: boolean | null; individual_filename?: string; extracted_from?: string; n_bins?: number }>;
  composites: Array<{ output: string; ok: boolean; members: string[]; member_reads?: Array<{ file: string; kept_in_composite: boolean }> }>;
}

export function results(): GoldenResults {
  return JSON.parse(readFileSync(`${EXPECTED}results.json`, 'utf8')) as GoldenResults;
}

export interface LcFile {
  rows: number;
  columns: Map<string, Float32Array | Float64Array>;
  header0: Header;
  header1: Header;
}

export async function readLc(path: string): Promise<LcFile> {
  const f = await FitsReader.open(path);
  try {
    const t = await f.readTable(1);
    const columns = new Map<string, Float32Array | Float64Array>();
    for (const [name, c] of t.columns) {
      if (c.kind === 'numeric' && (c.data instanceof Float32Array || c.data instanceof Float64Array)) columns.set(name.toLowerCase(), c.data);
    }
    return { rows: t.rows, columns, header0: f.hdus[0].header, header1: f.hdus[1].header };
  } finally {
    await f.close();
  }
}

const SKIP = /^(XTENSION|BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|TTYPE\d+|TFORM\d+|TUNIT\d+|GEN_DATE|LC_VER|AP_VER|NP_VER|SP_VER|SOURCE|OUTNAME|SIMPLE|EXTEND|CHECKSUM|DATASUM)$/;

export interface CompareOptions {
  /** Extra keys not compared (each with its reason in the caller). */
  skipKeys?: readonly string[];
  /** Compare the primary header too (composites). */
  primary?: boolean;
  /** Map an expected value before comparing (e.g. DATE-OBS separator). */
  expect?: (key: string, value: unknown) => unknown;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  if (typeof a === 'string' && typeof b === 'string') return a.trimEnd() === b.trimEnd();
  return a === b;
}

function compareHeader(label: string, ours: Header, theirs: Header, opts: CompareOptions, problems: string[]): void {
  for (const card of theirs.cards) {
    if (card.type === 'commentary' || SKIP.test(card.key) || opts.skipKeys?.includes(card.key)) continue;
    const mine = ours.card(card.key);
    if (mine === undefined) {
      problems.push(`${label}: keyword ${card.key} missing`);
      continue;
    }
    const want = opts.expect ? opts.expect(card.key, card.value) : card.value;
    if (!sameValue(mine.value, want)) problems.push(`${label}: ${card.key} = ${String(mine.value)}, expected ${String(want)}`);
    if (card.comment !== '' && mine.comment.trim() !== card.comment.trim()) {
      problems.push(`${label}: ${card.key} comment '${mine.comment}', expected '${card.comment}'`);
    }
  }
}

/** Every difference between our file and the original's, as readable lines (empty = match). */
export async function compareLightcurves(oursPath: string, expectedPath: string, opts: CompareOptions = {}): Promise<{ problems: string[]; maxRel: Record<string, number> }> {
  const ours = await readLc(oursPath);
  const theirs = await readLc(expectedPath);
  const problems: string[] = [];
  const maxRel: Record<string, number> = {};
  if (ours.rows !== theirs.rows) problems.push(`rows ${ours.rows}, expected ${theirs.rows}`);
  for (const [name, want] of theirs.columns) {
    const got = ours.columns.get(name);
    if (got === undefined) {
      problems.push(`column ${name} missing`);
      continue;
    }
    if (got.constructor !== want.constructor) problems.push(`column ${name}: ${got.constructor.name}, expected ${want.constructor.name}`);
    const tol = want instanceof Float32Array ? 1e-6 : 1e-9;
    let worst = 0;
    const n = Math.min(got.length, want.length);
    for (let i = 0; i < n; i++) {
      const a = got[i];
      const b = want[i];
      if (Number.isNaN(b) || !Number.isFinite(b)) {
        if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) problems.push(`column ${name}[${i}] = ${a}, expected ${b}`);
        continue;
      }
      const rel = a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
      // values that cancel to ~0 (flux near zero) are compared against the column's scale
      if (rel > worst) worst = rel;
    }
    maxRel[name] = worst;
    if (worst > tol) problems.push(`column ${name}: max relative difference ${worst.toExponential(2)} > ${tol}`);
  }
  compareHeader('HDU 1', ours.header1, theirs.header1, opts, problems);
  if (opts.primary === true) compareHeader('HDU 0', ours.header0, theirs.header0, opts, problems);
  return { problems, maxRel };
}
