/**
 * §9.3(a) the wavelength range of a composite member's valid events, over the whole detector: DQ
 * clear of SDQFLAGS, 912 < λ < 1800 (COS FUV, both segments, SDQFLAGS OR-ed) or < 9000 (otherwise),
 * XCORR ≥ 0 and YCORR ≥ 0.
 */
import { existsSync } from 'node:fs';
import { FitsReader } from '../fits/index.js';
import type { WavelengthRange } from '../lightcurve/composite.js';
import { fuvSegmentPair } from './names.js';

/** One file's valid-event wavelength extremes, or undefined when it has none. */
export async function validWavelengthRange(path: string): Promise<WavelengthRange | undefined> {
  const f = await FitsReader.open(path, { maxHdus: 2 });
  const primary = f.hdus[0].header;
  await f.close();
  const instrume = (primary.string('INSTRUME') ?? '').trim().toUpperCase();
  const detector = (primary.string('DETECTOR') ?? '').trim().toUpperCase();
  const files = [path];
  let hardMax = 9000;
  if (instrume === 'COS' && detector === 'FUV') {
    hardMax = 1800;
    const [a, b] = fuvSegmentPair(path, existsSync);
    const other = a === path ? b : a;
    if (existsSync(other)) files.push(other);
  }
  // SDQFLAGS of the pair are OR-ed and applied to both files' events (as built)
  let sdq = 0;
  const readers: FitsReader[] = [];
  try {
    for (const p of files) {
      const r = await FitsReader.open(p);
      readers.push(r);
      sdq |= r.hdus[1].header.integer('SDQFLAGS') ?? 0;
    }
    let wmin = Infinity;
    let wmax = -Infinity;
    for (const r of readers) {
      for await (const t of r.iterTable(1, { columns: ['DQ', 'WAVELENGTH', 'XCORR', 'YCORR'], chunkRows: 1 << 20 })) {
        const dq = t.columns.get('DQ')?.data as ArrayLike<number>;
        const w = t.columns.get('WAVELENGTH')?.data as ArrayLike<number>;
        const x = t.columns.get('XCORR')?.data as ArrayLike<number>;
        const y = t.columns.get('YCORR')?.data as ArrayLike<number>;
        for (let i = 0; i < t.rows; i++) {
          const l = w[i];
          if ((dq[i] & sdq) !== 0 || !(l > 912 && l < hardMax) || !(x[i] >= 0) || !(y[i] >= 0)) continue;
          if (l < wmin) wmin = l;
          if (l > wmax) wmax = l;
        }
      }
    }
    return wmin <= wmax ? { wmin, wmax } : undefined;
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
export async function compositeMemberRange(path: string): Promise<WavelengthRange | undefined> {
  const f = await FitsReader.open(path, { maxHdus: 1 });
  const obstype = (f.hdus[0].header.string('OBSTYPE') ?? '').trim().toUpperCase();
  await f.close();
  return obstype === 'IMAGING' ? { ...IMAGING_RANGE } : validWavelengthRange(path);
}
