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
import type { ChunkView, EventTable } from './events.js';
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

/**
 * Whether event `e` (at y) lies in region r: by the region's y bounds, or — for events replayed from
 * a SelectionRecord, whose regions were decided when they were recorded — by bit r of its mask.
 */
function inRegion(yb: Float64Array, r: number, y: number, mask: Uint8Array | undefined, e: number): boolean {
  if (mask !== undefined) return ((mask[e]! >> r) & 1) !== 0;
  return y >= yb[2 * r] && y < yb[2 * r + 1];
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
  mask?: Uint8Array,
): void {
  const yb = b.yFlat;
  const nr = yb.length >> 1;
  for (let e = 0; e < rows; e++) {
    const x = X[e];
    const w = selectedWavelength(b, x, DQ[e], W[e]);
    if (w !== w) continue;
    const y = Y[e];
    for (let r = 0; r < nr; r++) {
      if (!inRegion(yb, r, y, mask, e)) continue;
      const j = at + r;
      cnt[j]++;
      if (w < wmin[j]) wmin[j] = w;
      if (w > wmax[j]) wmax[j] = w;
      if (x < xmin[j]) xmin[j] = x;
      if (x > xmax[j]) xmax[j] = x;
    }
  }
}

/** Pass 1's running stats per (plan, region), flat: count, wavelength and x extremes. */
function regionSums(n: number) {
  return {
    cnt: new Float64Array(n),
    wmin: new Float64Array(n).fill(Infinity),
    wmax: new Float64Array(n).fill(-Infinity),
    xmin: new Float64Array(n).fill(Infinity),
    xmax: new Float64Array(n).fill(-Infinity),
  };
}

type RegionSums = ReturnType<typeof regionSums>;

/** Plan i's `regions` stats, from `sums` at `base`, into the scan result. */
function storeRegionStats(res: ScanResult, i: number, regions: number, sums: RegionSums, base: number): void {
  for (let r = 0; r < regions; r++) {
    const j = base + r;
    const s = r === 0 ? res.spectrum[i] : res.backgrounds[i][r - 1];
    s.count = sums.cnt[j];
    s.wmin = sums.wmin[j];
    s.wmax = sums.wmax[j];
    s.xmin = sums.xmin[j];
    s.xmax = sums.xmax[j];
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
    const { cnt, wmin, wmax, xmin, xmax } = regionSums(nreg);
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
    const sums = { cnt, wmin, wmax, xmin, xmax };
    idx.forEach((i, k) => {
      res.tmin[i] = tmin;
      res.tmax[i] = tmax;
      storeRegionStats(res, i, regionsOf[k], sums, base[k]);
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
function accumulateChunk(plan: PlanPass, ch: ChunkColumns, mask?: Uint8Array): void {
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
      if (!inRegion(yb, r, y, mask, e)) continue;
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

/** One plan's share of one chunk in pass 2: its weights' dtype, its bounds, the columns and (replayed) region masks. */
interface PlanStep {
  i: number;
  f32: boolean;
  bounds: Bounds;
  cols: ChunkColumns;
  mask?: Uint8Array;
}

/** The columns pass 2 reads from one chunk of a plan's table (x and y as the plan names them). */
function chunkColumns(ch: ChunkView, plan: SegmentPlan, step: number, perEvent: boolean): ChunkColumns {
  return {
    rows: ch.rows,
    T: ch.col('TIME'),
    X: ch.col(plan.xColumn),
    Y: ch.col(plan.yColumn),
    W: ch.col('WAVELENGTH'),
    DQ: ch.col('DQ'),
    EPS: ch.col('EPSILON'),
    f32: ch.isFloat32('EPSILON'),
    step,
    perEvent,
  };
}

/** Pass 2 over the event tables, chunk by chunk as read. */
async function* tableSteps(plans: readonly SegmentPlan[], step: number, perEvent: boolean): AsyncGenerator<PlanStep[]> {
  for (const [table, idx] of byTable(plans)) {
    for await (const ch of table.chunks()) {
      const cols = chunkColumns(ch, plans[idx[0]], step, perEvent);
      const y32 = ch.isFloat32(plans[idx[0]].yColumn);
      yield idx.map((i) => ({ i, f32: cols.f32, bounds: boundsOf(plans[i], y32), cols }));
    }
  }
}

/** Pass 2: histograms per plan. `float32Weights` when EPSILON is float32 (COS), as numpy sums. */
export async function accumulate(
  plans: readonly SegmentPlan[],
  scan: ScanResult,
  cals: readonly PlanCalibration[],
  grid: TimeGrid,
  algorithm: AlgorithmParams,
  step: number,
  replay?: Replay,
): Promise<PlanSums[]> {
  const perEvent = algorithm.sourceSensitivity === 'per-event';
  const passes: PlanPass[] = [];
  let epsIsF32: boolean | undefined = replay?.record.lastEpsF32;

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

  const source = replay !== undefined ? replaySteps(replay, step, perEvent) : tableSteps(plans, step, perEvent);
  for await (const steps of source) {
    for (const st of steps) {
      // A replay's dtype is the recorded one (lastEpsF32 above); a read's is the chunk's.
      if (replay === undefined) epsIsF32 = st.f32;
      const pass = ensure(st.i, st.f32);
      pass.bounds = st.bounds;
      accumulateChunk(pass, st.cols, st.mask);
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

// ── A selection kept for a second extraction of the same file (§9.3: composite members) ──────────────
//
// Ingest extracts every file once on its own range; the composite step extracts each member again on
// the group's common range, which lies inside the member's valid-event range. The recorder keeps, per
// plan, every event of its regions that passes the selection on a window wide enough for any such range
// (time, x, selected λ, ε and a bit per region, in table order, with the chunk boundaries), so the later
// extraction replays exactly the loops above over those events — same order, same chunks, same sums —
// instead of decoding the table again.

/** The events a plan selected on the recorder's window, in table order. */
export interface PlanEvents {
  n: number;
  T: Float64Array;
  X: Float64Array;
  /** The selected wavelength (the column's, or the order's dispersion at the event's x1d pixel). */
  W: Float64Array;
  EPS: Float64Array;
  /** Bit r: the event lies in region r (0: spectrum, then the backgrounds). */
  mask: Uint8Array;
  /** Events recorded before each chunk of the table, and after the last (chunks + 1 values). */
  chunkEnds: number[];
}

/** A plan's bounds as the loops compare them (boundsOf), the recorded window, and a digest of its dispersion row. */
export interface RecordedBounds {
  x0: number;
  x1: number;
  w0: number;
  w1: number;
  yFlat: number[];
  airglow: boolean;
  sdq: number;
  wrow: string;
}

export interface SelectionRecord {
  /** Per plan, in plan order; `table` indexes `tables`. */
  plans: Array<{ label: string; table: number; rows: number; bounds: RecordedBounds; events: PlanEvents }>;
  /** Per distinct table, in the order the passes read them: chunks read and the dtypes they had. */
  tables: Array<{ chunks: number; epsF32: boolean; y32: boolean }>;
  tmin: number[];
  tmax: number[];
  nanTimes: number;
  negativeTimes: number;
  /** The EPSILON dtype of the last chunk read (the histograms' dtype for a plan that read none). */
  lastEpsF32?: boolean;
}

/** Regions a mask can hold. */
const MAX_MASK_REGIONS = 8;

function wrowDigest(w: Float64Array | undefined): string {
  if (w === undefined) return '';
  const u = new Uint32Array(w.buffer, w.byteOffset, w.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i]!, 0x01000193) >>> 0;
  return `${w.length}:${h.toString(16)}`;
}

function recordedBounds(b: Bounds, w0: number, w1: number): RecordedBounds {
  return { x0: b.x0, x1: b.x1, w0, w1, yFlat: [...b.yFlat], airglow: b.airglow, sdq: b.sdq, wrow: wrowDigest(b.wrow) };
}

/** Per-plan event arrays, grown chunk by chunk to what each chunk adds. */
class GrowingEvents {
  n = 0;
  T = new Float64Array(0);
  X = new Float64Array(0);
  W = new Float64Array(0);
  EPS = new Float64Array(0);
  mask = new Uint8Array(0);
  chunkEnds = [0];
  reserve(more: number): void {
    const need = this.n + more;
    if (need <= this.T.length) return;
    const c = Math.max(need, Math.ceil(this.T.length * 1.5));
    const grown = <A extends Float64Array | Uint8Array>(a: A, b: A): A => {
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.T = grown(this.T, new Float64Array(c));
    this.X = grown(this.X, new Float64Array(c));
    this.W = grown(this.W, new Float64Array(c));
    this.EPS = grown(this.EPS, new Float64Array(c));
    this.mask = grown(this.mask, new Uint8Array(c));
  }
  done(): PlanEvents {
    const n = this.n;
    return { n, T: this.T.subarray(0, n), X: this.X.subarray(0, n), W: this.W.subarray(0, n), EPS: this.EPS.subarray(0, n), mask: this.mask.subarray(0, n), chunkEnds: this.chunkEnds };
  }
}

/** Scratch of recordChunk, per chunk: each event's region mask and selected λ. */
let scratchMask = new Uint8Array(0);
let scratchW = new Float64Array(0);

/**
 * One chunk of one plan into its record: the selection of accumulateChunk on the wide bounds, every
 * region at once, into scratch; then the selected events appended (the arrays grown once per chunk).
 */
function recordChunk(b: Bounds, ch: ChunkColumns, ev: GrowingEvents): void {
  const yb = b.yFlat;
  const nr = yb.length >> 1;
  const { rows, T, X, Y, W, DQ, EPS } = ch;
  if (scratchMask.length < rows) {
    scratchMask = new Uint8Array(rows);
    scratchW = new Float64Array(rows);
  }
  const M = scratchMask;
  const SW = scratchW;
  let count = 0;
  for (let e = 0; e < rows; e++) {
    const w = selectedWavelength(b, X[e], DQ[e], W[e]);
    let m = 0;
    if (w === w) {
      const y = Y[e];
      for (let r = 0; r < nr; r++) if (y >= yb[2 * r] && y < yb[2 * r + 1]) m |= 1 << r;
    }
    M[e] = m;
    SW[e] = w;
    if (m !== 0) count++;
  }
  ev.reserve(count);
  const { T: t, X: x, W: wo, EPS: eps, mask } = ev;
  let k = ev.n;
  for (let e = 0; e < rows; e++) {
    const m = M[e];
    if (m === 0) continue;
    t[k] = T[e];
    x[k] = X[e];
    wo[k] = SW[e];
    eps[k] = EPS[e];
    mask[k] = m;
    k++;
  }
  ev.n = k;
  ev.chunkEnds.push(k);
}

/** Keeps what an extraction selects (see above); `onScan` sees every chunk whole (the valid range). */
export class SelectionRecorder {
  private readonly facts = new Map<EventTable, { chunks: number; epsF32: boolean; y32: boolean }>();
  private readonly events: GrowingEvents[] = [];
  private readonly bounds: RecordedBounds[] = [];
  private lastEpsF32: boolean | undefined;
  private usable = true;

  constructor(
    /** Every wavelength window a later extraction may ask for lies inside this one. */
    private readonly window: readonly [number, number],
    readonly onScan?: (table: EventTable, rows: number, X: Float64Array, Y: Float64Array, W: Float64Array, DQ: Float64Array) => void,
  ) {}

  onChunk(plans: readonly SegmentPlan[], table: EventTable, idx: readonly number[], cols: ChunkColumns, y32: boolean): void {
    const f = this.facts.get(table) ?? { chunks: 0, epsF32: cols.f32, y32 };
    f.chunks++;
    f.epsF32 = cols.f32;
    f.y32 = y32;
    this.facts.set(table, f);
    this.lastEpsF32 = cols.f32;
    for (const i of idx) {
      const b = boundsOf(plans[i], y32);
      if (b.yFlat.length >> 1 > MAX_MASK_REGIONS) this.usable = false;
      if (!this.usable) continue;
      const wide: Bounds = { ...b, w0: Math.min(b.w0, this.window[0]), w1: Math.max(b.w1, this.window[1]) };
      this.bounds[i] = recordedBounds(b, wide.w0, wide.w1);
      recordChunk(wide, cols, (this.events[i] ??= new GrowingEvents()));
    }
  }

  /** The record, once every chunk is seen (undefined when a plan has more regions than a mask holds). */
  finish(plans: readonly SegmentPlan[], scan: Pick<ScanResult, 'tmin' | 'tmax' | 'nanTimes' | 'negativeTimes'>): SelectionRecord | undefined {
    if (!this.usable) return undefined;
    const tables: SelectionRecord['tables'] = [];
    const tableOf: number[] = [];
    for (const [table, idx] of byTable(plans)) {
      const f = this.facts.get(table) ?? { chunks: 0, epsF32: false, y32: false };
      for (const i of idx) tableOf[i] = tables.length;
      tables.push(f);
    }
    return {
      plans: plans.map((p, i) => ({
        label: p.label,
        table: tableOf[i]!,
        rows: p.table.rows,
        bounds: this.bounds[i] ?? recordedBounds(boundsOf(p, tables[tableOf[i]!]!.y32), p.wlim[0], p.wlim[1]),
        events: (this.events[i] ?? new GrowingEvents()).done(),
      })),
      tables,
      tmin: [...scan.tmin],
      tmax: [...scan.tmax],
      nanTimes: scan.nanTimes,
      negativeTimes: scan.negativeTimes,
      ...(this.lastEpsF32 !== undefined ? { lastEpsF32: this.lastEpsF32 } : {}),
    };
  }
}

/** A record that can stand in for reading the tables of these plans, with the bounds to replay it on. */
export interface Replay {
  record: SelectionRecord;
  bounds: Bounds[];
}

const sameNumber = (a: number, b: number): boolean => Object.is(a, b);

/**
 * The replay of `record` for `plans`, when it holds every event they select: the same plans over the
 * same tables (labels, rows, x and y bounds, SDQFLAGS, airglow, dispersion) and a wavelength window
 * inside the recorded one. Undefined otherwise (read the tables).
 */
export function replayFor(record: SelectionRecord, plans: readonly SegmentPlan[]): Replay | undefined {
  if (record.plans.length !== plans.length) return undefined;
  const tableOf: number[] = [];
  let t = 0;
  for (const [, idx] of byTable(plans)) {
    for (const i of idx) tableOf[i] = t;
    t++;
  }
  if (t !== record.tables.length) return undefined;
  const bounds: Bounds[] = [];
  for (let i = 0; i < plans.length; i++) {
    const p = plans[i]!;
    const r = record.plans[i]!;
    const tbl = record.tables[r.table];
    if (tbl === undefined || r.table !== tableOf[i] || r.label !== p.label || r.rows !== p.table.rows) return undefined;
    const b = boundsOf(p, tbl.y32);
    const rb = r.bounds;
    if (!sameNumber(b.x0, rb.x0) || !sameNumber(b.x1, rb.x1) || b.airglow !== rb.airglow || b.sdq !== rb.sdq || wrowDigest(b.wrow) !== rb.wrow) return undefined;
    if (b.yFlat.length !== rb.yFlat.length || b.yFlat.some((v, k) => !sameNumber(v, rb.yFlat[k]!))) return undefined;
    if (!(b.w0 >= rb.w0 && b.w1 <= rb.w1)) return undefined;
    if (r.events.chunkEnds.length !== tbl.chunks + 1) return undefined;
    // The recorded λ is the selected one (dispersion applied), and its DQ and x passed already.
    bounds.push({ ...b, wrow: undefined });
  }
  return { record, bounds };
}

let zeros = new Float64Array(0);
function zeroDq(n: number): Float64Array {
  if (zeros.length < n) zeros = new Float64Array(n);
  return zeros.subarray(0, n);
}

/** Pass 1 from a record. */
export function replayScan(replay: Replay, plans: readonly SegmentPlan[]): ScanResult {
  const { record, bounds } = replay;
  const res: ScanResult = {
    spectrum: plans.map(emptyStats),
    backgrounds: plans.map((p) => p.backgrounds.map(emptyStats)),
    tmin: [...record.tmin],
    tmax: [...record.tmax],
    rows: plans.map((p) => p.table.rows),
    nanTimes: record.nanTimes,
    negativeTimes: record.negativeTimes,
  };
  plans.forEach((p, i) => {
    const ev = record.plans[i]!.events;
    const nreg = 1 + p.backgrounds.length;
    const sums = regionSums(nreg);
    scanChunk(bounds[i]!, 0, ev.n, ev.X, ev.X, ev.W, zeroDq(ev.n), sums.cnt, sums.wmin, sums.wmax, sums.xmin, sums.xmax, ev.mask);
    storeRegionStats(res, i, nreg, sums, 0);
  });
  return res;
}

/** Pass 2 from a record: the chunks as they were read, table by table, each plan's share of each. */
function* replaySteps(replay: Replay, step: number, perEvent: boolean): Generator<PlanStep[]> {
  const { record, bounds } = replay;
  for (let t = 0; t < record.tables.length; t++) {
    const tbl = record.tables[t]!;
    const idx = record.plans.flatMap((p, i) => (p.table === t ? [i] : []));
    for (let c = 0; c < tbl.chunks; c++) {
      yield idx.map((i) => {
        const ev = record.plans[i]!.events;
        const a = ev.chunkEnds[c]!;
        const z = ev.chunkEnds[c + 1]!;
        const X = ev.X.subarray(a, z);
        const cols: ChunkColumns = { rows: z - a, T: ev.T.subarray(a, z), X, Y: X, W: ev.W.subarray(a, z), DQ: zeroDq(z - a), EPS: ev.EPS.subarray(a, z), f32: tbl.epsF32, step, perEvent };
        return { i, f32: tbl.epsF32, bounds: bounds[i]!, cols, mask: ev.mask.subarray(a, z) };
      });
    }
  }
}

/**
 * Pass 1 of an extraction that keeps its selection: every table read once, each chunk recorded for
 * every plan on the recorder's window (and the time extremes taken); passes 1 and 2 then replay the
 * record (replayFor, replayScan, accumulate) — the same sums as reading the tables twice.
 */
export async function recordSelections(plans: readonly SegmentPlan[], recorder: SelectionRecorder): Promise<SelectionRecord | undefined> {
  const odd = { nan: 0, negative: 0 };
  const tmin = plans.map(() => Infinity);
  const tmax = plans.map(() => -Infinity);
  for (const [table, idx] of byTable(plans)) {
    let lo = Infinity;
    let hi = -Infinity;
    const p0 = plans[idx[0]];
    for await (const ch of table.chunks({ once: true })) {
      const rows = ch.rows;
      const cols = chunkColumns(ch, p0, 1, false);
      [lo, hi] = extremes(cols.T, rows, lo, hi, odd);
      recorder.onScan?.(table, rows, cols.X, cols.Y, cols.W, cols.DQ);
      recorder.onChunk(plans, table, idx, cols, ch.isFloat32(p0.yColumn));
    }
    for (const i of idx) {
      tmin[i] = lo;
      tmax[i] = hi;
    }
  }
  return recorder.finish(plans, { tmin, tmax, nanTimes: odd.nan, negativeTimes: odd.negative });
}
