/**
 * Small but realistic HST files for the MAST tests: a primary header with the keywords the stub and
 * the downloader read (ROOTNAME, ASN_ID, TARGNAME, INSTRUME, OBSMODE, EXPSTART, reference tables),
 * an EVENTS table and a GTI table, all with CHECKSUM/DATASUM, built with the project's FITS writer.
 */
import { createHash } from 'node:crypto';
import { encodeFits, type CardInput } from '../../src/fits/index.js';

export interface ExposureSpec {
  rootname: string;
  /** Association id; the file is listed under it. */
  asn?: string;
  targname?: string;
  instrument?: 'COS' | 'STIS';
  /** Event rows: the file size grows with it. */
  events?: number;
  refs?: Record<string, string>;
  expstart?: number;
}

export interface FixtureFile {
  name: string;
  bytes: Uint8Array;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic pseudo-random numbers (mulberry32) so files differ in content. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

export function exposureFile(spec: ExposureSpec, suffix: string): FixtureFile {
  const instrument = spec.instrument ?? (spec.rootname.startsWith('o') ? 'STIS' : 'COS');
  const n = spec.events ?? 2000;
  const random = rng(seedOf(`${spec.rootname}_${suffix}`));
  const time = new Float32Array(n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    time[i] = (i / n) * 1000 + random();
    x[i] = random() * 16384;
    y[i] = random() * 1024;
  }
  const name = `${spec.rootname}_${suffix}.fits`;
  const cards: CardInput[] = [
    { key: 'FILENAME', value: name },
    { key: 'TELESCOP', value: 'HST' },
    { key: 'INSTRUME', value: instrument },
    { key: 'ROOTNAME', value: spec.rootname },
    { key: 'ASN_ID', value: (spec.asn ?? 'NONE').toUpperCase() },
    { key: 'TARGNAME', value: spec.targname ?? 'GD71' },
    { key: 'OBSMODE', value: 'TIME-TAG' },
    { key: 'DETECTOR', value: instrument === 'COS' ? 'FUV' : 'FUV-MAMA' },
    { key: 'PROPOSID', value: 11897 },
    { key: 'DATE', value: '2016-02-04' },
    { key: 'EXPSTART', value: spec.expstart ?? 55927.5, type: 'float' },
  ];
  for (const [key, value] of Object.entries(spec.refs ?? {})) cards.push({ key, value });
  const bytes = encodeFits([
    { type: 'PRIMARY', cards },
    { type: 'BINTABLE', name: 'EVENTS', columns: [{ name: 'TIME', data: time, unit: 's' }, { name: 'XCORR', data: x }, { name: 'YCORR', data: y }] },
    { type: 'BINTABLE', name: 'GTI', columns: [{ name: 'START', data: new Float64Array([0]) }, { name: 'STOP', data: new Float64Array([1000]) }] },
  ]);
  return { name, bytes };
}

/** A reference table as CRDS would serve it. */
export function referenceFile(name: string, rows = 50): FixtureFile {
  const random = rng(seedOf(name));
  const wave = new Float64Array(rows);
  for (let i = 0; i < rows; i++) wave[i] = 1100 + i * 10 + random();
  return {
    name,
    bytes: encodeFits([
      { type: 'PRIMARY', cards: [{ key: 'FILENAME', value: name }, { key: 'TELESCOP', value: 'HST' }] },
      { type: 'BINTABLE', name: 'SENS', columns: [{ name: 'WAVELENGTH', data: wave }] },
    ]),
  };
}

/** COS corrtag_a/_b for each rootname, and STIS tag + x1d for `o` rootnames. */
export function filesFor(specs: readonly ExposureSpec[]): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const s of specs) {
    if (s.rootname.startsWith('o')) out.push(exposureFile(s, 'tag'), exposureFile(s, 'x1d'));
    else out.push(exposureFile(s, 'corrtag_a'), exposureFile(s, 'corrtag_b'));
  }
  return out;
}
