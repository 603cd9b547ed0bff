/**
 * §9.3(a) the wavelength range of a composite member's valid events, over the whole detector: DQ
 * clear of SDQFLAGS, 912 < λ < 1800 (COS FUV, both segments, SDQFLAGS OR-ed) or < 9000 (otherwise),
 * XCORR ≥ 0 and YCORR ≥ 0.
 */
import { existsSync } from 'node:fs';
import { FitsReader, type Header } from '../fits/index.js';
import type { WavelengthRange } from '../lightcurve/composite.js';
import { fuvSegmentPair } from './names.js';
import { readMemberRange, type MemberEventsOption } from './member-events.js';

/** Valid events lie strictly between these wavelengths (Å). */
export const VALID_WAVELENGTH_MIN = 912;

/** The upper wavelength bound of valid events for a file of this primary header (COS FUV 1800 Å, otherwise 9000 Å). */
export function validWavelengthMax(primary: Header): number {
  const instrume = (primary.string('INSTRUME') ?? '').trim().toUpperCase();
  const detector = (primary.string('DETECTOR') ?? '').trim().toUpperCase();
  return instrume === 'COS' && detector === 'FUV' ? 1800 : 9000;
}

/** The files whose events make one file's valid range: the file, and for COS FUV its other segment when present. */
export function validRangeFiles(path: string, primary: Header): string[] {
  const files = [path];
  if (validWavelengthMax(primary) === 1800) {
    const [a, b] = fuvSegmentPair(path, existsSync);
    const other = a === path ? b : a;
    if (existsSync(other)) files.push(other);
  }
  return files;
}

/** Running extremes of the valid events' wavelengths. */
export interface ValidExtremes {
  wmin: number;
  wmax: number;
}

/** One chunk into `acc`: DQ clear of `sdq`, 912 < λ < hardMax, XCORR ≥ 0 and YCORR ≥ 0. */
export function addValidExtremes(acc: ValidExtremes, rows: number, dq: ArrayLike<number>, w: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, sdq: number, hardMax: number): void {
  let { wmin, wmax } = acc;
  for (let i = 0; i < rows; i++) {
    const l = w[i];
    if ((dq[i] & sdq) !== 0 || !(l > VALID_WAVELENGTH_MIN && l < hardMax) || !(x[i] >= 0) || !(y[i] >= 0)) continue;
    if (l < wmin) wmin = l;
    if (l > wmax) wmax = l;
  }
  acc.wmin = wmin;
  acc.wmax = wmax;
}

/** One file's valid-event wavelength extremes, or undefined when it has none. */
export async function validWavelengthRange(path: string): Promise<WavelengthRange | undefined> {
  const f = await FitsReader.open(path, { maxHdus: 2 });
  const primary = f.hdus[0].header;
  await f.close();
  const hardMax = validWavelengthMax(primary);
  const files = validRangeFiles(path, primary);
  // SDQFLAGS of the pair are OR-ed and applied to both files' events (as built)
  let sdq = 0;
  const readers: FitsReader[] = [];
  try {
    for (const p of files) {
      const r = await FitsReader.open(p);
      readers.push(r);
      sdq |= r.hdus[1].header.integer('SDQFLAGS') ?? 0;
    }
    const acc: ValidExtremes = { wmin: Infinity, wmax: -Infinity };
    for (const r of readers) {
      for await (const t of r.iterTable(1, { columns: ['DQ', 'WAVELENGTH', 'XCORR', 'YCORR'], chunkRows: 1 << 20 })) {
        const col = (name: string): ArrayLike<number> => t.columns.get(name)?.data as ArrayLike<number>;
        addValidExtremes(acc, t.rows, col('DQ'), col('WAVELENGTH'), col('XCORR'), col('YCORR'), sdq, hardMax);
      }
    }
    return acc.wmin <= acc.wmax ? { wmin: acc.wmin, wmax: acc.wmax } : undefined;
  } finally {
    for (const r of readers) await r.close();
  }
}


/** The wavelength window every IMAGING extraction is forced to (§6.2 override: wlim = (-1, 1)). */
const IMAGING_RANGE: WavelengthRange = { wmin: -1, wmax: 1 };

/**
 * §9.3(a) a composite member's range, with §15.9 fixed: an IMAGING member has no wavelengths (all 0),
 * so the original found no range and every all-IMAGING composite failed; its range is the
 * extraction's own IMAGING window.
 */
export async function compositeMemberRange(path: string, memory?: MemberEventsOption): Promise<WavelengthRange | undefined> {
  const f = await FitsReader.open(path, { maxHdus: 1 });
  const primary = f.hdus[0].header;
  const obstype = (primary.string('OBSTYPE') ?? '').trim().toUpperCase();
  await f.close();
  if (obstype === 'IMAGING') return { ...IMAGING_RANGE };
  // Ingest's extraction of this file found the range already (member-events.ts).
  const kept = memory?.role === 'replay' ? await readMemberRange(memory.dir, validRangeFiles(path, primary)) : undefined;
  return kept !== undefined ? kept.range : validWavelengthRange(path);
}
