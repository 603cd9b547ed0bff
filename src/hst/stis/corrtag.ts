/**
 * STIS TIME-TAG → corrtag (§7.1): flat-field ε (§7.2), bad-pixel DQ (§7.3), a wavelength per event
 * from the x1d beside the file, written as the library's 8-column corrtag. The input tag file is
 * never modified or deleted (the original deleted it).
 */
import { existsSync } from 'node:fs';
import { asciiTransliteration, copiedTextCards, FitsReader, writeFits, type CardInput, type Header, ProductError } from '../../fits/index.js';
import type { AlgorithmParams } from '../../lightcurve/algorithm.js';
import { readGti } from '../../lightcurve/gti.js';
import { asciiText, fileName, pyTimestamp, withoutDirectories } from '../../lightcurve/individual.js';
import { packageVersion } from '../../lightcurve/version.js';
import { corrtagOf, stisX1dOf } from '../names.js';
import { RefLog, type RefContext } from '../reffiles.js';
import { badPixelDq, flatEpsilon, type Positions } from './flats.js';

export interface CorrtagOptions {
  refs?: RefContext;
  /** ε = 1/(P·L) instead of P·L (corrected algorithm). */
  flatDivide?: boolean;
  /** Where to write; default `<input with _tag.fits → _corrtag.fits>`. */
  output?: string;
  /**
   * Echelle wavelengths from the x1d boxes on the 2048-row grid, 2·(A2CENTER + SHIFTA2) ± EXTRSIZE,
   * where the corrected extraction puts them (corrected); as built the box is compared unscaled.
   */
  hiresEchelleBoxes?: boolean;
  /** Copy the tag file's GTI extension into the corrtag (corrected: its grid and bins follow the GTIs). */
  keepGti?: boolean;
}

/** The corrtag options an algorithm implies: flat (§7.2), echelle box grid (§7.1), GTI copy. */
export function corrtagSwitches(a: AlgorithmParams): Pick<CorrtagOptions, 'flatDivide' | 'hiresEchelleBoxes' | 'keepGti'> {
  return { flatDivide: a.stisFlatDivide, hiresEchelleBoxes: a.stisUseX1dBox, keepGti: a.gridEndAtGti || a.dropBinsOutsideGti };
}

export interface CorrtagResult {
  output: string;
  x1d: string | undefined;
  log: RefLog;
  events: number;
}

/** `integerize_pixels`: round half to even, clip to [0, 2047], halve → x1d pixel 0…1023. */
export function x1dPixel(x: number): number {
  let r = Math.round(x);
  if (Math.abs(x % 1) === 0.5) r = 2 * Math.round(x / 2);
  if (r < 0) r = 0;
  if (r > 2047) r = 2047;
  return r >> 1;
}

export interface X1dOrder {
  sporder: number;
  wavelength: Float64Array;
  a2center: number;
  extrsize: number;
  bk1size: number;
  bk2size: number;
  bk1offst: number;
  bk2offst: number;
}

/** Rows of an x1d's HDU 1, in table order. */
export async function readX1d(path: string): Promise<X1dOrder[]> {
  const f = await FitsReader.open(path);
  try {
    const t = await f.readTable(1);
    const col = (k: string): ArrayLike<number> => {
      const c = t.columns.get(k);
      if (c === undefined || c.kind !== 'numeric') throw new ProductError(`${path}: x1d has no numeric column ${k}`);
      return c.data as ArrayLike<number>;
    };
    const w = t.columns.get('WAVELENGTH');
    if (w === undefined || w.kind !== 'numeric') throw new ProductError(`${path}: x1d has no WAVELENGTH column`);
    const opt = (k: string): ArrayLike<number> | undefined => (t.columns.has(k) ? col(k) : undefined);
    const [sp, a2, ex, b1s, b2s, b1o, b2o] = ['SPORDER', 'A2CENTER', 'EXTRSIZE', 'BK1SIZE', 'BK2SIZE', 'BK1OFFST', 'BK2OFFST'].map(opt);
    const orders: X1dOrder[] = [];
    for (let r = 0; r < t.rows; r++) {
      const cell = (w.data as ArrayLike<number>) as Float64Array;
      orders.push({
        sporder: sp?.[r] ?? 1,
        wavelength: Float64Array.from(cell.subarray(r * w.cellSize, (r + 1) * w.cellSize)),
        a2center: a2?.[r] ?? NaN,
        extrsize: ex?.[r] ?? NaN,
        bk1size: b1s?.[r] ?? NaN,
        bk2size: b2s?.[r] ?? NaN,
        bk1offst: b1o?.[r] ?? NaN,
        bk2offst: b2o?.[r] ?? NaN,
      });
    }
    return orders;
  } finally {
    await f.close();
  }
}

/** §7.1 step 4: a wavelength per event. */
export function assignWavelengths(
  primary: Header,
  events: Header,
  xcorr: Float64Array,
  ycorr: Float64Array,
  orders: X1dOrder[] | undefined,
  log: RefLog,
  hiresBoxes = false,
): Float64Array {
  const n = xcorr.length;
  const out = new Float64Array(n);
  if ((primary.string('OBSTYPE') ?? '').trim().toUpperCase() === 'IMAGING') return out;
  if (orders === undefined || orders.length === 0) {
    const c = primary.number('CENTRWV');
    if (c === undefined) throw new ProductError('no x1d and no CENTRWV keyword: cannot assign wavelengths (§7.1)');
    // say which: a missing x1d, or one whose table has no rows (NAXIS2 = 0) — not the same defect
    log.fallback('x1d', `${orders === undefined ? 'no x1d file' : 'x1d has no rows'}; every event gets CENTRWV = ${c}`);
    return out.fill(c);
  }
  const optElem = (primary.string('OPT_ELEM') ?? '').trim().toUpperCase();
  if (optElem.startsWith('E')) {
    // Echelle: later orders overwrite earlier ones where boxes overlap; as built y is compared
    // unscaled with the x1d's 1024-row geometry (§15.17), so most events get no order
    const offset = events.number('SHIFTA2') ?? 0;
    const scale = hiresBoxes ? 2 : 1;
    for (const o of orders) {
      const centre = scale * (o.a2center + offset);
      const lo = centre - o.extrsize;
      const hi = centre + o.extrsize;
      for (let i = 0; i < n; i++) if (ycorr[i] > lo && ycorr[i] < hi) out[i] = o.wavelength[x1dPixel(xcorr[i])];
    }
    return out;
  }
  const w = orders[0].wavelength;
  for (let i = 0; i < n; i++) out[i] = w[x1dPixel(xcorr[i])];
  return out;
}

const STRUCTURAL = /^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|XTENSION|PCOUNT|GCOUNT|TFIELDS|THEAP|GROUPS|EXTNAME|EXTVER|CHECKSUM|DATASUM|END|T(TYPE|FORM|UNIT|DIM|DISP|NULL|SCAL|ZERO|BCOL)\d+)$/;

function copyCards(h: Header): CardInput[] {
  return h.cards
    .filter((c) => !STRUCTURAL.test(c.key))
    .flatMap((c): CardInput[] => {
      const key = c.hierarch === true ? `HIERARCH ${c.key}` : c.key;
      // Text the writer cannot carry (non-ASCII) is transliterated, the original kept in HISTORY.
      if (c.type === 'string' && typeof c.value === 'string') return copiedTextCards(key, c.value, c.comment).map((x) => (x.key === key ? { ...x, type: c.type } : x));
      if (c.type === 'commentary') return [{ key, value: asciiTransliteration(String(c.value ?? '')), type: c.type }];
      return [{ key, value: c.value, comment: asciiTransliteration(c.comment), type: c.type }];
    });
}

/** §7.1 stis_corrtag(tagfile): write the corrtag and return where. */
export async function stisCorrtag(input: string, opts: CorrtagOptions = {}): Promise<CorrtagResult> {
  const refs = opts.refs ?? {};
  const log = new RefLog();
  const f = await FitsReader.open(input);
  let primary: Header;
  let events: Header;
  let time: Float64Array;
  let rawx: Float64Array;
  let rawy: Float64Array;
  let xcorr: Float64Array;
  let ycorr: Float64Array;
  let pos: Positions;
  try {
    primary = f.hdus[0].header;
    const h1 = f.hdus[1];
    if (h1 === undefined || h1.table === undefined) throw new ProductError(`${input}: HDU 1 is not an events table`);
    events = h1.header;
    const names = new Set(h1.table.columns.map((c) => c.name.toUpperCase()));
    const raw = names.has('DETAXIS1');
    const cols = raw ? ['TIME', 'DETAXIS1', 'AXIS1', 'AXIS2'] : ['TIME', 'RAWX', 'RAWY', 'XCORR', 'YCORR'];
    const t = await f.readTable(1, { columns: cols });
    // TypedArray.set converts natively; Float64Array.from would go through the iterator (10^6 events)
    const get = (k: string): Float64Array => {
      const data = t.columns.get(k)?.data as ArrayLike<number>;
      const out = new Float64Array(data.length);
      out.set(data);
      return out;
    };
    const truncated = (a: Float64Array): Float64Array => {
      for (let i = 0; i < a.length; i++) a[i] = Math.trunc(a[i]);
      return a;
    };
    const minusOne = (a: Float64Array): Int32Array => {
      const out = new Int32Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = a[i] - 1;
      return out;
    };
    time = get('TIME');
    if (raw) {
      rawx = get('DETAXIS1');
      rawy = get('AXIS2');
      xcorr = get('AXIS1');
      ycorr = get('AXIS2');
    } else {
      // re-processing a corrtag: coordinates truncated to int32 (§7.1 step 2)
      rawx = get('RAWX');
      rawy = get('RAWY');
      xcorr = truncated(get('XCORR'));
      ycorr = truncated(get('YCORR'));
    }
    // AXIS1/AXIS2 for a tag; int32(XCORR/YCORR) otherwise — both equal the xcorr/ycorr above
    pos = { x: minusOne(xcorr), y: minusOne(ycorr) };
  } finally {
    await f.close();
  }
  const epsilon = await flatEpsilon(primary, pos, refs, log, opts.flatDivide ?? false);
  const dq = await badPixelDq(primary, pos, refs, log);
  const x1d = stisX1dOf(input);
  const orders = existsSync(x1d) ? await readX1d(x1d) : undefined;
  const wavelength = assignWavelengths(primary, events, xcorr, ycorr, orders, log, opts.hiresEchelleBoxes ?? false);
  const gti = opts.keepGti === true ? await readGti(input) : undefined;
  const output = opts.output ?? corrtagOf(input);
  if (output === input) throw new Error(`${input}: refusing to overwrite the input file`);
  const head: CardInput[] = [
    { key: 'GEN_DATE', value: pyTimestamp(), comment: 'Creation Date' },
    { key: 'LC_VER', value: packageVersion(), comment: 'hstlc version used' },
  ];
  // Files by name, not by where they sat on this machine (a product travels; its HISTORY must not leak paths).
  const hist: CardInput[] = [...log.used].map(([k, p]) => ({ key: 'HISTORY', value: asciiText(`${k} used: ${fileName(p)}`) }));
  for (const w of log.warnings) hist.push({ key: 'HISTORY', value: asciiText(`WARNING ${withoutDirectories(w)}`) });
  hist.push({ key: 'HISTORY', value: `flat-field epsilon = ${opts.flatDivide === true ? '1/(P*L)' : 'P*L (as the original)'}` });
  await writeFits(output, [
    { type: 'PRIMARY', cards: [...head, ...copyCards(primary), ...hist] },
    {
      type: 'BINTABLE',
      name: asciiTransliteration((events.string('EXTNAME') ?? 'EVENTS').trim()) || 'EVENTS',
      extver: events.has('EXTVER') ? events.integer('EXTVER') : undefined,
      cards: copyCards(events),
      columns: [
        { name: 'time', data: time, format: 'D', unit: 'second' },
        { name: 'rawx', data: rawx, format: 'D', unit: 'pixel' },
        { name: 'rawy', data: rawy, format: 'D', unit: 'pixel' },
        { name: 'xcorr', data: xcorr, format: 'D', unit: 'pixel' },
        { name: 'ycorr', data: ycorr, format: 'D', unit: 'pixel' },
        { name: 'epsilon', data: epsilon, format: 'D', unit: 'factor' },
        { name: 'wavelength', data: wavelength, format: 'D', unit: 'angstrom' },
        { name: 'dq', data: dq, format: 'I', unit: 'DQ' },
      ],
    },
    ...(gti !== undefined
      ? [
          {
            type: 'BINTABLE' as const,
            name: 'GTI',
            columns: [
              { name: 'START', data: Float64Array.from(gti, (g) => g[0]), format: 'D', unit: 's' },
              { name: 'STOP', data: Float64Array.from(gti, (g) => g[1]), format: 'D', unit: 's' },
            ],
          },
        ]
      : []),
  ]);
  return { output, x1d: orders !== undefined ? x1d : undefined, log, events: time.length };
}
