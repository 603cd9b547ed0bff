/**
 * COS corrtag event simulation: one segment (FUV `_corrtag_a`/`_corrtag_b`), all stripes of one
 * NUV exposure, or an NUV image. Produces the twelve columns calcos writes, filled directly into
 * typed arrays, and the analytic expectation of every region count.
 */
import type { Rng } from './random.js';
import type { RateModel } from './signals.js';
import { drawComponentTimes, type Gti } from './timing.js';
import { AIRGLOW, COS_FUV, COS_NUV, pixelAt, wavelengthAt, type CosLetter, type CosMode, type Dispersion } from './modes.js';
import {
  regionBoxes,
  triangularMass,
  uniformMass,
  wavelengthPassFraction,
  type RegionBox,
  type RegionKeywords,
} from './regions.js';

/** COS TIME-TAG time resolution, seconds. */
export const COS_TIME_STEP = 0.032;

export interface CorrtagColumns {
  TIME: Float32Array;
  RAWX: Int16Array;
  RAWY: Int16Array;
  XCORR: Float32Array;
  YCORR: Float32Array;
  XDOPP: Float32Array;
  XFULL: Float32Array;
  YFULL: Float32Array;
  WAVELENGTH: Float32Array;
  EPSILON: Float32Array;
  DQ: Int16Array;
  PHA: Uint8Array;
}

export type CosComponentKind = 'source' | 'dark' | 'airglow' | 'image';

export interface CosComponent {
  /** e.g. `source_A`, `dark`, `airglow_lya`. */
  name: string;
  kind: CosComponentKind;
  letter?: CosLetter;
  /** Mean rate, events/s, at signal factor 1. */
  rate: number;
  /** Follows the injected signal. */
  variable: boolean;
  line?: { wavelength: number; halfWidth: number };
}

export interface CorrtagSpec {
  mode: CosMode;
  /** Letters whose keywords/regions this file carries: FUV ['A'] or ['B']; NUV ['A','B','C']. */
  fileLetters: CosLetter[];
  gtis: Gti[];
  expstart: number;
  signal: RateModel;
  /** Source rate per unit letter weight, dark rate over the active area, airglow line rates (events/s). */
  rates: { source: number; dark: number; lya: number; oi: number };
  /** Fractions of events flagged with SDQFLAGS bits / with other bits only. */
  dq: { serious: number; benign: number };
  /** Region keywords per letter (SP_LOC already rounded as written). */
  keywords: Partial<Record<CosLetter, RegionKeywords>>;
  shift1: number;
  shift2: number;
  doppler: { magnitude: number; zeroMjd: number; period: number };
}

export interface CorrtagSimulation {
  columns: CorrtagColumns;
  component: Uint8Array;
  components: CosComponent[];
  /** Expected number of events per component (within the GTIs). */
  expected: number[];
  count: number;
}

export function emptyCorrtagColumns(n: number): CorrtagColumns {
  return {
    TIME: new Float32Array(n),
    RAWX: new Int16Array(n),
    RAWY: new Int16Array(n),
    XCORR: new Float32Array(n),
    YCORR: new Float32Array(n),
    XDOPP: new Float32Array(n),
    XFULL: new Float32Array(n),
    YFULL: new Float32Array(n),
    WAVELENGTH: new Float32Array(n),
    EPSILON: new Float32Array(n),
    DQ: new Int16Array(n),
    PHA: new Uint8Array(n),
  };
}

function xActiveOf(mode: CosMode): readonly [number, number] {
  return mode.detector === 'FUV' ? COS_FUV.xActive : COS_NUV.xActive;
}

function yActiveOf(mode: CosMode, letter: CosLetter): readonly [number, number] {
  return mode.detector === 'FUV' ? COS_FUV.yActive[letter as 'A' | 'B'] : COS_NUV.yActive;
}

/** Whether an airglow line (± its half-width) falls on a letter's active wavelength range. */
function lineOnDetector(d: Dispersion, xActive: readonly [number, number], line: { wavelength: number; halfWidth: number }): boolean {
  const a = pixelAt(d, line.wavelength - line.halfWidth);
  const b = pixelAt(d, line.wavelength + line.halfWidth);
  return Math.min(a, b) >= xActive[0] && Math.max(a, b) < xActive[1];
}

/** The components present in one corrtag file. */
export function cosComponents(spec: CorrtagSpec): CosComponent[] {
  const { mode } = spec;
  const comps: CosComponent[] = [];
  if (mode.obstype === 'IMAGING') {
    comps.push({ name: 'source', kind: 'image', rate: spec.rates.source, variable: true });
    comps.push({ name: 'dark', kind: 'dark', rate: spec.rates.dark, variable: false });
    return comps;
  }
  const letters = mode.detector === 'FUV' ? spec.fileLetters : mode.letters;
  for (const L of letters) {
    const w = mode.weight[L] ?? 0;
    if (w > 0) comps.push({ name: `source_${L}`, kind: 'source', letter: L, rate: spec.rates.source * w, variable: true });
  }
  comps.push({ name: 'dark', kind: 'dark', rate: spec.rates.dark, variable: false });
  const xActive = xActiveOf(mode);
  for (const L of letters) {
    const d = mode.dispersion[L];
    if (!d) continue;
    for (const [key, line] of [['lya', AIRGLOW.lya], ['oi', AIRGLOW.oi]] as const) {
      const rate = spec.rates[key];
      if (rate > 0 && lineOnDetector(d, xActive, line)) {
        comps.push({ name: letters.length > 1 ? `airglow_${key}_${L}` : `airglow_${key}`, kind: 'airglow', letter: L, rate, variable: false, line });
      }
    }
  }
  return comps;
}

/**
 * Flat-field × dead-time factor (EPSILON) on a grid of 16 × 16-pixel cells (FUV) or 4 × 4 (NUV):
 * a smooth fixed pattern, tabulated once per detector so the per-event cost is one look-up.
 */
interface EpsilonGrid {
  table: Float32Array;
  shift: number;
  nx: number;
  ny: number;
}

const EPSILON_GRIDS = new Map<string, EpsilonGrid>();

function epsilonGrid(fuv: boolean): EpsilonGrid {
  const key = fuv ? 'FUV' : 'NUV';
  let g = EPSILON_GRIDS.get(key);
  if (!g) {
    const shift = fuv ? 4 : 2;
    const nx = (fuv ? 16384 : 1024) >> shift;
    const ny = 1024 >> shift;
    const table = new Float32Array(nx * ny);
    const cell = 1 << shift;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const x = (i + 0.5) * cell;
        const y = (j + 0.5) * cell;
        table[j * nx + i] = 1 + 0.035 * Math.sin(x * 0.01025 + 0.7) * Math.cos(y * 0.0706) + 0.012 * Math.sin(x * 0.00153);
      }
    }
    g = { table, shift, nx, ny };
    EPSILON_GRIDS.set(key, g);
  }
  return g;
}

/** Orbital Doppler shift (pixels) sampled every second of the exposure, for linear interpolation. */
function dopplerTable(spec: CorrtagSpec, tmax: number): Float64Array {
  const w = (2 * Math.PI) / spec.doppler.period;
  const phase = ((spec.expstart - spec.doppler.zeroMjd) * 86400 * w) % (2 * Math.PI);
  const n = Math.ceil(tmax) + 2;
  const table = new Float64Array(n);
  for (let s = 0; s < n; s++) table[s] = spec.doppler.magnitude * Math.sin(w * s + phase);
  return table;
}

/** Simulate the events of one corrtag file. */
export function simulateCorrtag(rng: Rng, spec: CorrtagSpec): CorrtagSimulation {
  const { mode } = spec;
  const components = cosComponents(spec);
  const { expected, times } = drawComponentTimes(rng, spec.gtis, spec.signal, components);
  const n = times.count;
  const cols = emptyCorrtagColumns(n);

  const fuv = mode.detector === 'FUV';
  const imaging = mode.obstype === 'IMAGING';
  const xActive = xActiveOf(mode);
  const xa0 = xActive[0];
  const xspan = xActive[1] - xActive[0];
  const detMax = fuv ? 16383 : 1023;
  const hw = fuv ? COS_FUV.profileHalfWidth : COS_NUV.profileHalfWidth;
  const serious = fuv ? COS_FUV.seriousBits : COS_NUV.seriousBits;
  const benign = fuv ? COS_FUV.benignBits : COS_NUV.benignBits;
  const pS = spec.dq.serious;
  const pSB = spec.dq.serious + spec.dq.benign;

  // Per-component constants, flattened for the hot loop.
  const nc = components.length;
  const kind = new Uint8Array(nc); // 0 source, 1 dark, 2 airglow, 3 image
  const yc = new Float64Array(nc);
  const disp: Array<Dispersion | undefined> = [];
  const lineLo = new Float64Array(nc);
  const lineSpan = new Float64Array(nc);
  components.forEach((c, k) => {
    kind[k] = c.kind === 'source' ? 0 : c.kind === 'dark' ? 1 : c.kind === 'airglow' ? 2 : 3;
    if (c.letter) {
      yc[k] = spec.keywords[c.letter]!.spLoc;
      disp[k] = mode.dispersion[c.letter];
    }
    if (c.line) {
      lineLo[k] = c.line.wavelength - c.line.halfWidth;
      lineSpan[k] = 2 * c.line.halfWidth;
    }
  });

  // Dark events: YCORR range, and (NUV) the stripe whose dispersion gives their wavelength.
  const darkLetters = fuv ? spec.fileLetters : mode.letters;
  const darkY = fuv ? yActiveOf(mode, spec.fileLetters[0]) : COS_NUV.yActive;
  const bandEdges: number[] = [];
  const bandDisp: Dispersion[] = [];
  if (!imaging) {
    const locs = darkLetters.map((L) => ({ y: spec.keywords[L]!.spLoc, d: mode.dispersion[L]! }));
    locs.sort((a, b) => a.y - b.y);
    for (let i = 0; i < locs.length; i++) {
      bandDisp.push(locs[i].d);
      if (i > 0) bandEdges.push((locs[i - 1].y + locs[i].y) / 2);
    }
  }

  const img = COS_NUV.imageSource;
  const dop = dopplerTable(spec, spec.gtis.length ? spec.gtis[spec.gtis.length - 1][1] : 0);
  const eps = epsilonGrid(fuv);
  const epsTable = eps.table;
  const epsShift = eps.shift;
  const epsNx = eps.nx;
  const epsMaxX = eps.nx - 1;
  const epsMaxY = eps.ny - 1;
  const U16 = 1 / 65536;
  const { shift1, shift2 } = spec;
  const { TIME, RAWX, RAWY, XCORR, YCORR, XDOPP, XFULL, YFULL, WAVELENGTH, EPSILON, DQ, PHA } = cols;
  const t64 = times.time;
  const comp = times.component;
  const step = COS_TIME_STEP;
  const gtis = spec.gtis;
  let g = 0;

  for (let i = 0; i < n; i++) {
    const t = t64[i];
    // Quantize to the TIME-TAG clock, never before the start of the event's GTI.
    while (t >= gtis[g][1]) g++;
    const tq = Math.floor(t / step) * step;
    const k = comp[i];
    const kk = kind[k];
    let xfull: number;
    let y: number;
    let w: number;
    let xcorr: number;
    let xdopp: number;
    if (kk === 3) {
      // Imaging: a point source on the MAMA; no dispersion, no Doppler correction.
      const r1 = rng.nextU32();
      const r2 = rng.nextU32();
      xcorr = img.x + img.halfWidth * (((r1 & 0xffff) + (r1 >>> 16)) * U16 - 1);
      y = img.y + img.halfWidth * (((r2 & 0xffff) + (r2 >>> 16)) * U16 - 1);
      xdopp = xcorr;
      xfull = xcorr;
      w = 0;
    } else if (kk === 1 && imaging) {
      xcorr = 1024 * rng.uniform();
      y = 1024 * rng.uniform();
      xdopp = xcorr;
      xfull = xcorr;
      w = 0;
    } else {
      let d: Dispersion;
      if (kk === 2) {
        d = disp[k]!;
        w = lineLo[k] + lineSpan[k] * rng.uniform();
        xfull = pixelAt(d, w);
        const r = rng.nextU32();
        y = yc[k] + hw * (((r & 0xffff) + (r >>> 16)) * U16 - 1);
      } else {
        xfull = xa0 + xspan * rng.uniform();
        if (kk === 0) {
          d = disp[k]!;
          const r = rng.nextU32();
          y = yc[k] + hw * (((r & 0xffff) + (r >>> 16)) * U16 - 1);
        } else {
          y = darkY[0] + (darkY[1] - darkY[0]) * rng.uniform();
          let b = 0;
          while (b < bandEdges.length && y >= bandEdges[b]) b++;
          d = bandDisp[b];
        }
        w = wavelengthAt(d, xfull);
      }
      const s0 = t | 0;
      const dopp = dop[s0] + (dop[s0 + 1] - dop[s0]) * (t - s0);
      xdopp = xfull - shift1;
      xcorr = xdopp + dopp;
    }
    TIME[i] = tq < gtis[g][0] ? gtis[g][0] : tq;
    XCORR[i] = xcorr;
    YCORR[i] = y;
    XDOPP[i] = xdopp;
    XFULL[i] = xfull;
    YFULL[i] = y + shift2;
    WAVELENGTH[i] = w;
    let ex = (xcorr | 0) >> epsShift;
    let ey = (y | 0) >> epsShift;
    ex = ex < 0 ? 0 : ex > epsMaxX ? epsMaxX : ex;
    ey = ey < 0 ? 0 : ey > epsMaxY ? epsMaxY : ey;
    EPSILON[i] = epsTable[ey * epsNx + ex];
    let rx = Math.round(xcorr + 2.7);
    let ry = Math.round(y - 1.6);
    rx = rx < 0 ? 0 : rx > detMax ? detMax : rx;
    ry = ry < 0 ? 0 : ry > 1023 ? 1023 : ry;
    RAWX[i] = rx;
    RAWY[i] = ry;
    const u = rng.uniform();
    if (u < pS) {
      let flag = serious[rng.int(0, serious.length - 1)];
      if (rng.uniform() < 0.3) flag |= benign[rng.int(0, benign.length - 1)];
      DQ[i] = flag;
    } else if (u < pSB) {
      DQ[i] = benign[rng.int(0, benign.length - 1)];
    }
    if (fuv) {
      // Pulse heights: sum of two uniform integers 0…8 from one draw (triangular around 12).
      const r = rng.nextU32();
      PHA[i] = 4 + ((r & 0xffff) % 9) + ((r >>> 16) % 9);
    }
  }
  return { columns: cols, component: comp, components, expected, count: n };
}

/**
 * The extraction boxes of a corrtag file, per §6.2/§6.4 defaults (IMAGING override included):
 * the file's segment (FUV) or every stripe with keywords (NUV, including G230L's unextracted C).
 */
export function corrtagBoxes(spec: Pick<CorrtagSpec, 'mode' | 'fileLetters' | 'keywords'>): RegionBox[] {
  const { mode } = spec;
  const imaging = mode.obstype === 'IMAGING';
  const xlim: [number, number] = imaging ? [0, 1024] : [0, 16384];
  const wlim: [number, number] = imaging ? [-1, 1] : mode.detector === 'FUV' ? [915, 1800] : [915, 3200];
  const ylim: [number, number] | undefined = imaging ? [0, 512] : undefined;
  const letters: CosLetter[] = mode.detector === 'FUV' ? spec.fileLetters : ['A', 'B', 'C'];
  return letters.flatMap((L) => regionBoxes(L, spec.keywords[L]!, xlim, wlim, ylim));
}

/**
 * For each box and component, the probability that one event of the component is selected:
 * P(y in box) × P(x in box) × P(wavelength passes) × P(DQ good).
 */
export function selectionProbabilities(spec: CorrtagSpec, components: readonly CosComponent[], boxes: readonly RegionBox[]): number[][] {
  const { mode } = spec;
  const fuv = mode.detector === 'FUV';
  const imaging = mode.obstype === 'IMAGING';
  const xActive = xActiveOf(mode);
  const hw = fuv ? COS_FUV.profileHalfWidth : COS_NUV.profileHalfWidth;
  const good = 1 - spec.dq.serious;
  const img = COS_NUV.imageSource;
  const darkLetters = fuv ? spec.fileLetters : mode.letters;
  const darkY = fuv ? yActiveOf(mode, spec.fileLetters[0]) : COS_NUV.yActive;
  return boxes.map((box) =>
    components.map((c) => {
      let p: number;
      if (c.kind === 'image') {
        p = triangularMass(img.x, img.halfWidth, box.x[0], box.x[1]) * triangularMass(img.y, img.halfWidth, box.y[0], box.y[1]);
      } else if (c.kind === 'dark' && imaging) {
        p = uniformMass(0, 1024, box.x[0], box.x[1]) * uniformMass(0, 1024, box.y[0], box.y[1]);
      } else if (c.kind === 'airglow') {
        p = 0; // every airglow event lies in an airglow window
      } else if (c.kind === 'source') {
        const kw = spec.keywords[c.letter!]!;
        p = triangularMass(kw.spLoc, hw, box.y[0], box.y[1]) * wavelengthPassFraction(mode.dispersion[c.letter!]!, xActive[0], xActive[1], box.wlim);
      } else {
        // Dark: uniform in y; wavelength from the stripe band containing the box centre.
        const yMid = (box.y[0] + box.y[1]) / 2;
        let best = darkLetters[0];
        let bestDist = Infinity;
        for (const L of darkLetters) {
          const dist = Math.abs(spec.keywords[L]!.spLoc - yMid);
          if (dist < bestDist) {
            bestDist = dist;
            best = L;
          }
        }
        p = uniformMass(darkY[0], darkY[1], box.y[0], box.y[1]) * wavelengthPassFraction(mode.dispersion[best]!, xActive[0], xActive[1], box.wlim);
      }
      return p * good;
    }),
  );
}

/** Analytic mean of `selected` for each box: Σ over components of E[N] × P(selected). */
export function expectedRegionCounts(spec: CorrtagSpec, components: readonly CosComponent[], expected: readonly number[], boxes: readonly RegionBox[]): number[] {
  return selectionProbabilities(spec, components, boxes).map((ps) => ps.reduce((a, p, k) => a + expected[k] * p, 0));
}
