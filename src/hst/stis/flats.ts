/**
 * STIS MAMA per-event flat-field factor (§7.2) and bad-pixel flags (§7.3), both looked up on the
 * 2048×2048 high-resolution grid after enlarging the reference image by pixel replication.
 */
import { FitsReader, type Header, ProductError } from '../../fits/index.js';
import { RefLog, resolveRefFile, type RefContext } from '../reffiles.js';

export const HIRES = 2048;

/** An image enlarged by integer replication: value at (x, y) = image[y / fy][x / fx]. */
export interface Grid {
  width: number;
  height: number;
  at(x: number, y: number): number;
}

/** §7.2 `utils.enlarge` to 2048×2048 with factors 2048 // ncols and 2048 // nrows. */
export function enlarged(data: ArrayLike<number>, nrows: number, ncols: number): Grid {
  const fx = Math.floor(HIRES / ncols);
  const fy = Math.floor(HIRES / nrows);
  if (fx < 1 || fy < 1) throw new Error(`reference image ${ncols}×${nrows} is larger than the 2048×2048 grid`);
  return {
    width: ncols * fx,
    height: nrows * fy,
    at: (x: number, y: number): number => data[Math.floor(y / fy) * ncols + Math.floor(x / fx)],
  };
}

/**
 * Event positions on the hi-res grid, 0-based: (AXIS1 − 1, AXIS2 − 1) for a raw tag table,
 * (int32(XCORR) − 1, int32(YCORR) − 1) for a corrtag (§7.2 step 3).
 */
export interface Positions {
  x: Int32Array;
  y: Int32Array;
}

/** `map_image`: the grid value at each position; 0 outside the image. */
export function mapImage(grid: Grid, pos: Positions): Float64Array {
  const n = pos.x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = pos.x[i];
    const y = pos.y[i];
    out[i] = x >= 0 && x < grid.width && y >= 0 && y < grid.height ? grid.at(x, y) : 0;
  }
  return out;
}

async function readImageHdu1(path: string): Promise<Grid> {
  const f = await FitsReader.open(path);
  try {
    const img = await f.readImage(1);
    if (img.shape.length !== 2) throw new Error(`${path}: HDU 1 is not a 2-D image`);
    const [nrows, ncols] = img.shape;
    const data = img.data;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) throw new Error(`${path}: 64-bit integer flat`);
    return nrows === HIRES && ncols === HIRES ? { width: HIRES, height: HIRES, at: (x, y) => data[y * ncols + x] } : enlarged(data, nrows, ncols);
  } finally {
    await f.close();
  }
}

/**
 * §7.2 ε per event. As built (`divide` false) ε = P·L, and a missing P or L flat makes every ε 1
 * (even when P was found). Corrected (`divide` true): ε = 1/(P·L), a missing flat counts as unity
 * (recorded), and events off the flat (P·L = 0) get ε = 0 rather than infinity.
 */
export async function flatEpsilon(primary: Header, pos: Positions, refs: RefContext, log: RefLog, divide: boolean): Promise<Float64Array> {
  const n = pos.x.length;
  const eps = new Float64Array(n).fill(1);
  for (const key of ['PFLTFILE', 'LFLTFILE']) {
    if (!primary.has(key)) throw new ProductError(`primary header has no ${key} keyword (§7.2)`);
    const name = primary.string(key) ?? '';
    const ref = resolveRefFile(name, refs);
    if (!ref.exists) {
      log.fallback(key, `flat ${name || '(empty)'} not found${ref.path ? ` (tried ${ref.path})` : ''}`);
      if (!divide) return new Float64Array(n).fill(1);
      continue;
    }
    log.use(key, ref.path);
    const values = mapImage(await readImageHdu1(ref.path), pos);
    for (let i = 0; i < n; i++) eps[i] *= values[i];
  }
  if (divide) for (let i = 0; i < n; i++) eps[i] = eps[i] === 0 ? 0 : 1 / eps[i];
  return eps;
}

/** §7.3 DQ per event from BPIXTAB (1024×1024 flags, enlarged ×2). Missing table → zeros (recorded). */
export async function badPixelDq(primary: Header, pos: Positions, refs: RefContext, log: RefLog): Promise<Int16Array> {
  const n = pos.x.length;
  const name = primary.string('BPIXTAB') ?? '';
  const ref = resolveRefFile(name, refs);
  if (!ref.exists) {
    log.fallback('BPIXTAB', `bad-pixel table ${name || '(empty)'} not found; DQ set to 0`);
    return new Int16Array(n);
  }
  log.use('BPIXTAB', ref.path);
  const f = await FitsReader.open(ref.path);
  let t;
  try {
    t = await f.readTable(1, { columns: ['PIX1', 'PIX2', 'LENGTH', 'AXIS', 'VALUE'] });
  } finally {
    await f.close();
  }
  const N = 1024;
  const img = new Int32Array(N * N);
  const col = (k: string): ArrayLike<number> => t.columns.get(k)?.data as ArrayLike<number>;
  const [p1, p2, len, axis, value] = ['PIX1', 'PIX2', 'LENGTH', 'AXIS', 'VALUE'].map(col);
  for (let r = 0; r < t.rows; r++) {
    const x = p1[r] - 1;
    const y = p2[r] - 1;
    const L = len[r];
    const flag = value[r];
    // numpy slices clip at the image edge; a negative start would wrap in numpy, skip it here
    if (axis[r] === 1 && y >= 0 && y < N) for (let i = Math.max(0, x); i < Math.min(N, x + L); i++) img[y * N + i] |= flag;
    else if (axis[r] === 2 && x >= 0 && x < N) for (let j = Math.max(0, y); j < Math.min(N, y + L); j++) img[j * N + x] |= flag;
  }
  const values = mapImage(enlarged(img, N, N), pos);
  return Int16Array.from(values);
}
