/**
 * Event selection and the per-region sums shared by COS (§6.3–§6.6) and STIS (§7.4) extraction.
 * Two passes over each event table: the first finds the time range and, per region, the event count
 * and wavelength/x extremes (the FLUXTAB stretch and N_pix need them); the second fills the
 * histograms. A table is decoded once per pass (NUV stripes share one), and each chunk is tested
 * against every region of every segment read from it in tight, monomorphic float64 loops.
 */
import { makeHistogram, type EventHistogram, type TimeGrid } from '../lightcurve/binning.js';
import type { AlgorithmParams } from '../lightcurve/algorithm.js';
import type { CountArray } from '../lightcurve/table.js';
import type { Sensitivity, TdsCorrection } from './cos/calibration.js';
import type { EventTable } from './events.js';
import { x1dPixel } from './stis/corrtag.js';

/** §6.3 airglow windows as coded (not the docstring's). */
export const LYMAN_ALPHA: readonly [number, number] = [1208, 1225];
export const OXYGEN_I: readonly [number, number] = [1298, 1312];

export interface SegmentPlan {
  label: string;
  file: string;
  table: EventTable;
  sdqflags: number;
  xlim: readonly [number, number];
  wlim: readonly [number, number];
  filterAirglow: boolean;
  spectrum: readonly [number, number];
  /** Background regions, in order (their selections are concatenated, §6.6); may be empty. */
  backgrounds: ReadonlyArray<readonly [number, number]>;
  /** Column names (COS: XCORR/YCORR). */
  xColumn: string;
  yColumn: string;
  /**
   * Wavelengths by x1d pixel (`x1dPixel(x)`) used in place of the WAVELENGTH column for every region
   * of the plan: a STIS echelle order's box and its background regions share that order's dispersion.
   */
  wavelengthRow?: Float64Array;
}

export interface RegionStats {
  count: number;
  wmin: number;
  wmax: number;
  xmin: number;
  xmax: number;
}

export interface ScanResult {
  /** Per plan: spectrum stats and one per background region. */
  spectrum: RegionStats[];
  backgrounds: RegionStats[][];
  /** Per plan: TIME extremes of the plan's whole table (no selection), and its row count. */
  tmin: number[];
  tmax: number[];
  rows: number[];
  /**
   * Events whose TIME is NaN or negative, over the distinct tables: no time grid holds them (§6.5's
   * grid starts at 0 or later for COS; NaN compares with nothing), so the extraction says how many.
   */
  nanTimes: number;
  negativeTimes: number;
}

const [LA0, LA1] = LYMAN_ALPHA;
const [OI0, OI1] = OXYGEN_I;

const emptyStats = (): RegionStats => ({ count: 0, wmin: Infinity, wmax: -Infinity, xmin: Infinity, xmax: -Infinity });

/**
 * Bounds as numpy compares them with float32 columns: a Python float scalar is cast to float32 first
 * (value-based casting), so a region edge 468.4798 acts as float32(468.4798).
 */
interface Bounds {
  x0: number;
  x1: number;
  w0: number;
  w1: number;
  /** y0, y1 of the spectrum region, then of each background region. */
  yFlat: Float64Array;
  airglow: boolean;
  sdq: number;
  wrow: Float64Array | undefined;
}

function boundsOf(p: SegmentPlan, f32: boolean): Bounds {
  const r = f32 ? Math.fround : (v: number) => v;
  return {
    x0: r(p.xlim[0]),
    x1: r(p.xlim[1]),
    w0: r(p.wlim[0]),
    w1: r(p.wlim[1]),
    yFlat: Float64Array.from([p.spectrum, ...p.backgrounds].flatMap(([a, b]) => [r(a), r(b)])),
    airglow: p.filterAirglow,
    sdq: p.sdqflags,
    wrow: p.wavelengthRow,
  };
}

/**
 * §6.3 selection of one event, for both passes: XCORR in [x0, x1), (DQ & SDQFLAGS) = 0, w0 < λ < w1
 * and, with the airglow filter, λ outside LYMAN_ALPHA and OXYGEN_I (closed windows, as coded). The
 * event's wavelength λ (the column's, or the plan's order dispersion at its x1d pixel) when selected,
 * NaN when not (no selected λ is NaN: it fails w0 < λ). Small and monomorphic, so V8 inlines it.
 */
function selectedWavelength(b: Bounds, x: number, dq: number, wColumn: number): number {
  if (!(x >= b.x0 && x < b.x1)) return NaN;
  if ((dq & b.sdq) !== 0) return NaN;
  const w = b.wrow === undefined ? wColumn : b.wrow[x1dPixel(x)];
  if (!(w > b.w0 && w < b.w1)) return NaN;
  if (b.airglow && ((w >= LA0 && w <= LA1) || (w >= OI0 && w <= OI1))) return NaN;
  return w;
}

/** Group plans by the table they read, so a file shared by NUV stripes is read once per pass. */
function byTable(plans: readonly SegmentPlan[]): Map<EventTable, number[]> {
  const m = new Map<EventTable, number[]>();
  plans.forEach((p, i) => {
    const list = m.get(p.table) ?? [];
    list.push(i);
    m.set(p.table, list);
  });
  return m;
}

function extremes(a: Float64Array, rows: number, lo: number, hi: number, odd: { nan: number; negative: number }): [number, number] {
  for (let e = 0; e < rows; e++) {
    const t = a[e];
    if (t < lo) lo = t;
    if (t > hi) hi = t;
    if (!(t >= 0)) {
      if (t !== t) odd.nan++;
      else odd.negative++;
    }
  }
  return [lo, hi];
}

/** Stats of one chunk for one plan (a plain function so V8 optimizes the loop on its own). */
function scanChunk(
  b: Bounds,
  at: number,
  rows: number,
  X: Float64Array,
  Y: Float64Array,
  W: Float64Array,
  DQ: Float64Array,
  cnt: Float64Array,
  wmin: Float64Array,
  wmax: Float64Array,
  xmin: Float64Array,
  xmax: Float64Array,
): void {
  const yb = b.yFlat;
  const nr = yb.length >> 1;
  for (let e = 0; e < rows; e++) {
    const x = X[e];
    const w = selectedWavelength(b, x, DQ[e], W[e]);
    if (w !== w) continue;
    const y = Y[e];
    for (let r = 0; r < nr; r++) {
      if (!(y >= yb[2 * r] && y < yb[2 * r + 1])) continue;
      const j = at + r;
      cnt[j]++;
      if (w < wmin[j]) wmin[j] = w;
      if (w > wmax[j]) wmax[j] = w;
      if (x < xmin[j]) xmin[j] = x;
      if (x > xmax[j]) xmax[j] = x;
    }
  }
}

/** Pass 1. */
export async function scanSelections(plans: readonly SegmentPlan[]): Promise<ScanResult> {
  const res: ScanResult = {
    spectrum: plans.map(emptyStats),
    backgrounds: plans.map((p) => p.backgrounds.map(emptyStats)),
    tmin: plans.map(() => Infinity),
    tmax: plans.map(() => -Infinity),
    rows: plans.map((p) => p.table.rows),
    nanTimes: 0,
    negativeTimes: 0,
  };
  const odd = { nan: 0, negative: 0 };
  for (const [table, idx] of byTable(plans)) {
    let tmin = Infinity;
    let tmax = -Infinity;
    // stats per (plan, region) in flat typed arrays: count, wmin, wmax, xmin, xmax
    const regionsOf = idx.map((i) => 1 + plans[i].backgrounds.length);
    const base: number[] = [];
    let nreg = 0;
    for (const r of regionsOf) {
      base.push(nreg);
      nreg += r;
    }
    const cnt = new Float64Array(nreg);
    const wmin = new Float64Array(nreg).fill(Infinity);
    const wmax = new Float64Array(nreg).fill(-Infinity);
    const xmin = new Float64Array(nreg).fill(Infinity);
    const xmax = new Float64Array(nreg).fill(-Infinity);
    for await (const ch of table.chunks()) {
      const T = ch.col('TIME');
      const X = ch.col(plans[idx[0]].xColumn);
      const Y = ch.col(plans[idx[0]].yColumn);
      const W = ch.col('WAVELENGTH');
      const DQ = ch.col('DQ');
      const bounds = idx.map((i) => boundsOf(plans[i], ch.isFloat32(plans[idx[0]].yColumn)));
      const rows = ch.rows;
      [tmin, tmax] = extremes(T, rows, tmin, tmax, odd);
      for (let k = 0; k < idx.length; k++) {
        scanChunk(bounds[k], base[k], rows, X, Y, W, DQ, cnt, wmin, wmax, xmin, xmax);
      }
    }
    idx.forEach((i, k) => {
      res.tmin[i] = tmin;
      res.tmax[i] = tmax;
      for (let r = 0; r < regionsOf[k]; r++) {
        const j = base[k] + r;
        const s = r === 0 ? res.spectrum[i] : res.backgrounds[i][r - 1];
        s.count = cnt[j];
        s.wmin = wmin[j];
        s.wmax = wmax[j];
        s.xmin = xmin[j];
        s.xmax = xmax[j];
      }
    });
  }
  res.nanTimes = odd.nan;
  res.negativeTimes = odd.negative;
  return res;
}

/** Python 3 round(): half to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** §6.6 N_pix from the source selection's x extremes; 1 when nothing was selected. */
export function nPixels(s: RegionStats, xlim: readonly [number, number]): number {
  if (s.count === 0) return 1;
  return roundHalfEven(Math.min(s.xmax, xlim[1])) - roundHalfEven(Math.max(s.xmin, xlim[0])) + 1;
}

/** Per-plan calibration for pass 2 (curves already stretched to their selection). */
export interface PlanCalibration {
  /** Source-region sensitivity (undefined = unity). */
  sourceSensitivity?: Sensitivity;
  /** Background-selection sensitivity (stretched over the concatenated background selection). */
  backgroundSensitivity?: Sensitivity;
  tds?: TdsCorrection;
  /** Multiplies H(background ε) (§6.6 b_S). */
  backgroundScale: number;
  nPix: number;
}

export interface PlanSums {
  gross: CountArray;
  background: CountArray;
  /** Σ ε/(step·T[·R]) per bin, before division by R̄ (if mean) and N_pix. */
  fluxRaw: Float64Array;
  backgroundFluxRaw: Float64Array;
  /** Mean of R_e over the source selection (1 when unity or per-event). */
  meanSensitivity: number;
}

interface Hists {
  gross: EventHistogram;
  flux: EventHistogram;
  bkg: EventHistogram;
  bflux: EventHistogram;
}

/** One plan's state through pass 2: its bounds, calibration, histograms and where it has got to. */
interface PlanPass {
  bounds: Bounds;
  cal: PlanCalibration;
  hists: Hists;
  /** Next source-event position, and per background region the events placed so far and its first position. */
  src: number;
  bkgCount: number[];
  bkgOffset: number[];
  /** Σ R over the source selection so far (the mean sensitivity, §6.7). */
  sumR: number;
}

/** The columns of one chunk and how its weights are taken (§6.6). */
interface ChunkColumns {
  rows: number;
  T: Float64Array;
  X: Float64Array;
  Y: Float64Array;
  W: Float64Array;
  DQ: Float64Array;
  EPS: Float64Array;
  /** EPSILON is float32: ε/step stays float32, as numpy divides. */
  f32: boolean;
  step: number;
  perEvent: boolean;
}

/** One chunk of pass 2 for one plan: fills its histograms and moves its positions and Σ R on. */
function accumulateChunk(plan: PlanPass, ch: ChunkColumns): void {
  const b = plan.bounds;
  const yb = b.yFlat;
  const nr = yb.length >> 1;
  const { gross, flux, bkg, bflux } = plan.hists;
  const { rows, T, X, Y, W, DQ, EPS, f32, step, perEvent } = ch;
  const srcSens = plan.cal.sourceSensitivity;
  const bkgSens = plan.cal.backgroundSensitivity;
  const tdsCal = plan.cal.tds;
  const { bkgCount, bkgOffset } = plan;
  let src = plan.src;
  let sR = 0;
  for (let e = 0; e < rows; e++) {
    const w = selectedWavelength(b, X[e], DQ[e], W[e]);
    if (w !== w) continue;
    const y = Y[e];
    let tds = -1;
    for (let r = 0; r < nr; r++) {
      if (!(y >= yb[2 * r] && y < yb[2 * r + 1])) continue;
      const t = T[e];
      const eps = EPS[e];
      // numpy: float32 ε / int step stays float32 (§6.6 weights)
      const epsStep = f32 ? Math.fround(eps / step) : eps / step;
      if (tds < 0) tds = tdsCal !== undefined ? tdsCal.at(w) : 1;
      if (r === 0) {
        const R = srcSens !== undefined ? srcSens.at(w) : 1;
        gross.addAt(src, t, eps);
        flux.addAt(src, t, perEvent ? epsStep / tds / R : epsStep / tds);
        src++;
        sR += R;
      } else {
        const R = bkgSens !== undefined ? bkgSens.at(w) : 1;
        const pos = bkgOffset[r - 1] + bkgCount[r - 1]++;
        bkg.addAt(pos, t, eps);
        bflux.addAt(pos, t, epsStep / tds / R);
      }
    }
  }
  plan.src = src;
  plan.sumR += sR;
}

/** Pass 2: histograms per plan. `float32Weights` when EPSILON is float32 (COS), as numpy sums. */
export async function accumulate(
  plans: readonly SegmentPlan[],
  scan: ScanResult,
  cals: readonly PlanCalibration[],
  grid: TimeGrid,
  algorithm: AlgorithmParams,
  step: number,
): Promise<PlanSums[]> {
  const perEvent = algorithm.sourceSensitivity === 'per-event';
  const passes: PlanPass[] = [];
  let epsIsF32: boolean | undefined;

  // The histograms take the dtype of the first chunk's weights (numpy sums float32 ε in float32).
  const ensure = (i: number, f32: boolean): PlanPass => {
    const made = passes[i];
    if (made !== undefined) return made;
    const bkgOffset: number[] = [];
    let nBkg = 0;
    for (const s of scan.backgrounds[i]) {
      bkgOffset.push(nBkg);
      nBkg += s.count;
    }
    const nSrc = scan.spectrum[i].count;
    const hist = (n: number, weights32: boolean): EventHistogram => makeHistogram(grid.edges, n, weights32, algorithm.summation);
    const pass: PlanPass = {
      bounds: boundsOf(plans[i], false),
      cal: cals[i],
      hists: { gross: hist(nSrc, f32), flux: hist(nSrc, false), bkg: hist(nBkg, f32), bflux: hist(nBkg, false) },
      src: 0,
      bkgCount: plans[i].backgrounds.map(() => 0),
      bkgOffset,
      sumR: 0,
    };
    passes[i] = pass;
    return pass;
  };

  for (const [table, idx] of byTable(plans)) {
    for await (const ch of table.chunks()) {
      const f32 = ch.isFloat32('EPSILON');
      epsIsF32 = f32;
      const cols: ChunkColumns = {
        rows: ch.rows,
        T: ch.col('TIME'),
        X: ch.col(plans[idx[0]].xColumn),
        Y: ch.col(plans[idx[0]].yColumn),
        W: ch.col('WAVELENGTH'),
        DQ: ch.col('DQ'),
        EPS: ch.col('EPSILON'),
        f32,
        step,
        perEvent,
      };
      const y32 = ch.isFloat32(plans[idx[0]].yColumn);
      for (const i of idx) {
        const pass = ensure(i, f32);
        pass.bounds = boundsOf(plans[i], y32);
        accumulateChunk(pass, cols);
      }
    }
  }
  const nb = Math.max(0, grid.edges.length - 1);
  return plans.map((_, i) => {
    const pass = ensure(i, epsIsF32 ?? true);
    const h = pass.hists;
    const n = scan.spectrum[i].count;
    const mean = !perEvent && n > 0 ? pass.sumR / n : 1;
    const out: PlanSums = {
      gross: h.gross.finish(),
      background: h.bkg.finish(),
      fluxRaw: h.flux.finish() as Float64Array,
      backgroundFluxRaw: h.bflux.finish() as Float64Array,
      meanSensitivity: mean,
    };
    if (out.gross.length !== nb) throw new Error('internal: histogram length mismatch');
    return out;
  });
}
