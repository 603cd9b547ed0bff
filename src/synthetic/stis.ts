/**
 * STIS MAMA TIME-TAG simulation (`_tag.fits`: TIME, AXIS1, AXIS2, DETAXIS1) with the `_x1d.fits`
 * rows the library uses to give events wavelengths (§7.1), and the exact truth of the original's
 * STIS selection (§7.4: whole detector, wavelengths from the x1d, DQ from BPIXTAB, airglow cut).
 */
import type { Rng } from './random.js';
import type { RateModel } from './signals.js';
import { drawComponentTimes, type Gti } from './timing.js';
import { AIRGLOW, STIS_MAMA, type StisMode, type StisOrder } from './modes.js';
import { inAirglowWindow, tallyBoxEvent, type RegionCount } from './regions.js';

/** STIS MAMA TIME-TAG resolution, seconds. */
export const STIS_TIME_STEP = 0.000125;
const N = STIS_MAMA.size;

export interface TagColumns {
  TIME: Float64Array;
  AXIS1: Int16Array;
  AXIS2: Int16Array;
  DETAXIS1: Int16Array;
}

export interface StisComponent {
  name: string;
  kind: 'source' | 'dark' | 'airglow';
  rate: number;
  variable: boolean;
  line?: { wavelength: number; halfWidth: number };
}

export interface StisSpec {
  mode: StisMode;
  gtis: Gti[];
  expstart: number;
  signal: RateModel;
  rates: { source: number; dark: number; lya: number; oi: number };
  /** SHIFTA2 as written in the events header. */
  shifta2: number;
  doppler: { magnitude: number; zeroMjd: number; period: number };
}

export interface StisSimulation {
  columns: TagColumns;
  component: Uint8Array;
  components: StisComponent[];
  expected: number[];
  count: number;
}

/** The x1d WAVELENGTH row of an order, as the file stores it (float64). */
export function orderWavelengths(order: StisOrder): Float64Array {
  const w = new Float64Array(1024);
  for (let p = 0; p < 1024; p++) w[p] = order.wave0 + order.dwave * p;
  return w;
}

function orderCovers(order: StisOrder, wl: number): boolean {
  return wl >= order.wave0 && wl <= order.wave0 + order.dwave * 1023;
}

/** The order an airglow line lands in: the one whose centre is nearest (orders overlap a little). */
function orderForWavelength(orders: readonly StisOrder[], wl: number): number {
  let best = -1;
  let dist = Infinity;
  orders.forEach((o, i) => {
    const c = o.wave0 + o.dwave * 511.5;
    if (orderCovers(o, wl) && Math.abs(c - wl) < dist) {
      dist = Math.abs(c - wl);
      best = i;
    }
  });
  return best;
}

export function stisComponents(spec: StisSpec): StisComponent[] {
  const comps: StisComponent[] = [
    { name: 'source', kind: 'source', rate: spec.rates.source, variable: true },
    { name: 'dark', kind: 'dark', rate: spec.rates.dark, variable: false },
  ];
  for (const [key, line] of [['lya', AIRGLOW.lya], ['oi', AIRGLOW.oi]] as const) {
    const rate = spec.rates[key];
    const lo = line.wavelength - line.halfWidth;
    const hi = line.wavelength + line.halfWidth;
    if (rate > 0 && orderForWavelength(spec.mode.orders, lo) >= 0 && orderForWavelength(spec.mode.orders, hi) >= 0) {
      comps.push({ name: `airglow_${key}`, kind: 'airglow', rate, variable: false, line });
    }
  }
  return comps;
}

/**
 * Centre row (AXIS2, 2048-row grid) of an order's events: the x1d's low-res A2CENTER (as stored,
 * float32) plus SHIFTA2, doubled, rounded — where the corrected extraction centres its box (§7.4).
 */
function orderRow(order: StisOrder, shifta2: number): number {
  return Math.round(2 * (Math.fround(order.a2center) + shifta2));
}

export function simulateTag(rng: Rng, spec: StisSpec): StisSimulation {
  const { mode } = spec;
  const components = stisComponents(spec);
  const { expected, times } = drawComponentTimes(rng, spec.gtis, spec.signal, components);
  const n = times.count;
  const cols: TagColumns = {
    TIME: new Float64Array(n),
    AXIS1: new Int16Array(n),
    AXIS2: new Int16Array(n),
    DETAXIS1: new Int16Array(n),
  };
  const orders = mode.orders;
  const cumWeight = new Float64Array(orders.length);
  let acc = 0;
  orders.forEach((o, i) => {
    acc += o.weight;
    cumWeight[i] = acc;
  });
  const rows = orders.map((o) => orderRow(o, spec.shifta2));
  const h = STIS_MAMA.profileHalfWidth;
  const kinds = components.map((c) => c.kind);
  const lines = components.map((c) => c.line);
  const dopW = (2 * Math.PI) / spec.doppler.period;
  const dopPhase = ((spec.expstart - spec.doppler.zeroMjd) * 86400 * dopW) % (2 * Math.PI);
  const step = STIS_TIME_STEP;
  const { TIME, AXIS1, AXIS2, DETAXIS1 } = cols;
  const gtis = spec.gtis;
  let g = 0;

  for (let i = 0; i < n; i++) {
    const t = times.time[i];
    while (t >= gtis[g][1]) g++;
    const kind = kinds[times.component[i]];
    let x: number;
    let y: number;
    if (kind === 'dark') {
      x = 1 + ((rng.uniform() * N) | 0);
      y = 1 + ((rng.uniform() * N) | 0);
    } else {
      let o: number;
      if (kind === 'source') {
        const u = rng.uniform() * acc;
        o = 0;
        while (o < orders.length - 1 && u >= cumWeight[o]) o++;
        x = 1 + ((rng.uniform() * N) | 0);
      } else {
        const line = lines[times.component[i]]!;
        const wl = line.wavelength - line.halfWidth + 2 * line.halfWidth * rng.uniform();
        o = orderForWavelength(orders, wl);
        const p = Math.min(1023, Math.max(0, Math.round((wl - orders[o].wave0) / orders[o].dwave)));
        x = Math.max(1, 2 * p + (rng.uniform() < 0.5 ? 0 : 1));
      }
      // Discrete triangular profile: i + j − h with i, j uniform on 0…h.
      y = rows[o] + ((rng.uniform() * (h + 1)) | 0) + ((rng.uniform() * (h + 1)) | 0) - h;
    }
    const tq = Math.floor(t / step) * step;
    TIME[i] = tq < gtis[g][0] ? gtis[g][0] : tq;
    AXIS1[i] = x;
    AXIS2[i] = y;
    const dx = Math.round(spec.doppler.magnitude * Math.sin(dopW * t + dopPhase));
    const det = x + dx;
    DETAXIS1[i] = det < 1 ? 1 : det > N ? N : det;
  }
  return { columns: cols, component: times.component, components, expected, count: n };
}

// ---------------------------------------------------------------------------------------------
// Bad pixels (§7.3) and the truth of the selection

export interface BpixRow {
  PIX1: number;
  PIX2: number;
  LENGTH: number;
  AXIS: number;
  VALUE: number;
}

/** The 1024 × 1024 low-res flag image the original builds from BPIXTAB rows (§7.3). */
export function bpixImage(rows: readonly BpixRow[]): Int32Array {
  const img = new Int32Array(1024 * 1024);
  for (const r of rows) {
    const x = r.PIX1 - 1;
    const y = r.PIX2 - 1;
    if (r.AXIS === 1) {
      if (y < 0 || y >= 1024) continue;
      for (let i = Math.max(0, x); i < Math.min(1024, x + r.LENGTH); i++) img[y * 1024 + i] |= r.VALUE;
    } else if (r.AXIS === 2) {
      if (x < 0 || x >= 1024) continue;
      for (let j = Math.max(0, y); j < Math.min(1024, y + r.LENGTH); j++) img[j * 1024 + x] |= r.VALUE;
    }
  }
  return img;
}

/** DQ of an event at (AXIS1, AXIS2): the flag image enlarged ×2, looked up at (AXIS−1). */
export function eventDq(img: Int32Array, axis1: number, axis2: number): number {
  const x = axis1 - 1;
  const y = axis2 - 1;
  if (x < 0 || x >= N || y < 0 || y >= N) return 0;
  return img[(y >> 1) * 1024 + (x >> 1)];
}

/** What the x1d tells the corrtag conversion: per-order wavelengths and boxes. */
export interface X1dTruth {
  echelle: boolean;
  wavelengths: Float64Array[];
  /** A2CENTER and EXTRSIZE as stored (float32). */
  a2center: number[];
  extrsize: number[];
  shifta2: number;
}

export function x1dTruth(mode: StisMode, shifta2: number): X1dTruth {
  return {
    echelle: mode.echelle,
    wavelengths: mode.orders.map(orderWavelengths),
    a2center: mode.orders.map((o) => Math.fround(o.a2center)),
    extrsize: mode.orders.map((o) => Math.fround(o.extrsize)),
    shifta2,
  };
}

/** `integerize_pixels` of §7.1: round half to even, clip to [0, 2047], halve. */
function pix(x: number): number {
  let r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
  r = r < 0 ? 0 : r > 2047 ? 2047 : r;
  return r >> 1;
}

/** Index of the x1d row whose box gives an event at AXIS2 = y its wavelength (last match wins), or −1. */
export function rowForY(t: X1dTruth, y: number): number {
  if (!t.echelle) return 0;
  let found = -1;
  for (let k = 0; k < t.a2center.length; k++) {
    const c = t.a2center[k] + t.shifta2;
    const half = t.extrsize[k];
    if (c - half < y && y < c + half) found = k;
  }
  return found;
}

/** Wavelength §7.1 assigns to an event. */
export function eventWavelength(t: X1dTruth, axis1: number, axis2: number): number {
  const k = rowForY(t, axis2);
  return k < 0 ? 0 : t.wavelengths[k][pix(axis1)];
}

export const STIS_LIMITS = { xlim: [0, 2048] as [number, number], ylim: [0, 2048] as [number, number], wlim: [2, 10000] as [number, number] };

/** What the §7.4 selection does with a STIS exposure's events: the same tallies as a COS region's. */
export type StisCount = RegionCount;

/** §7.4 selection on tag columns: AXIS1/AXIS2 as XCORR/YCORR, x1d wavelengths, BPIXTAB DQ. */
export function countStis(
  cols: Pick<TagColumns, 'AXIS1' | 'AXIS2'>,
  x1d: X1dTruth,
  bpix: Int32Array,
  sdqflags: number,
  component?: Uint8Array,
  componentNames: readonly string[] = [],
): StisCount {
  const [x0, x1] = STIS_LIMITS.xlim;
  const [y0, y1] = STIS_LIMITS.ylim;
  const c: StisCount = { selected: 0, in_box: 0, dq_rejected: 0, airglow_rejected: 0, wavelength_rejected: 0, by_component: {} };
  const per = new Float64Array(Math.max(1, componentNames.length));
  for (let i = 0; i < cols.AXIS1.length; i++) {
    const x = cols.AXIS1[i];
    const y = cols.AXIS2[i];
    if (!(x >= x0 && x < x1 && y >= y0 && y < y1)) continue;
    if (tallyBoxEvent(c, eventWavelength(x1d, x, y), STIS_LIMITS.wlim, (eventDq(bpix, x, y) & sdqflags) !== 0) && component) per[component[i]]++;
  }
  componentNames.forEach((name, k) => (c.by_component[name] = per[k]));
  return c;
}

/** Number of x in 1…2048 with pass(x, y), for every row y (index y, 0 unused). */
function passPerRow(x1d: X1dTruth, bpix: Int32Array, sdqflags: number): Float64Array {
  const [x0, x1] = STIS_LIMITS.xlim;
  const [y0, y1] = STIS_LIMITS.ylim;
  const [w0, w1] = STIS_LIMITS.wlim;
  const rows = new Float64Array(N + 1);
  // Wavelength pass per (x1d row, x), computed once.
  const okCache = new Map<number, Uint8Array>();
  const okFor = (k: number): Uint8Array => {
    let ok = okCache.get(k);
    if (!ok) {
      ok = new Uint8Array(N + 1);
      for (let x = 1; x <= N; x++) {
        const w = x1d.wavelengths[k][pix(x)];
        ok[x] = x >= x0 && x < x1 && w > w0 && w < w1 && !inAirglowWindow(w) ? 1 : 0;
      }
      okCache.set(k, ok);
    }
    return ok;
  };
  for (let y = 1; y <= N; y++) {
    if (!(y >= y0 && y < y1)) continue;
    const k = rowForY(x1d, y);
    if (k < 0) continue;
    const ok = okFor(k);
    // eventDq inlined: low-res row of (y − 1), column (x − 1) >> 1.
    const base = ((y - 1) >> 1) * 1024;
    let s = 0;
    for (let x = 1; x <= N; x++) if (ok[x] === 1 && (bpix[base + ((x - 1) >> 1)] & sdqflags) === 0) s++;
    rows[y] = s;
  }
  return rows;
}

/** Per component, the probability that one event is selected (enumerating the pixel distributions). */
export function stisSelectionProbabilities(spec: StisSpec, components: readonly StisComponent[], x1d: X1dTruth, bpix: Int32Array, sdqflags: number): number[] {
  const rows = passPerRow(x1d, bpix, sdqflags);
  const h = STIS_MAMA.profileHalfWidth;
  let darkPass = 0;
  for (let y = 1; y <= N; y++) darkPass += rows[y];
  darkPass /= N * N;
  // Source: order by weight, profile rows, x uniform on 1…2048.
  const orders = spec.mode.orders;
  const totalWeight = orders.reduce((a, o) => a + o.weight, 0);
  let sourcePass = 0;
  orders.forEach((o) => {
    const centre = orderRow(o, spec.shifta2);
    for (let k = -h; k <= h; k++) {
      const p = profileWeight(k);
      const y = centre + k;
      if (y >= 1 && y <= N) sourcePass += (o.weight / totalWeight) * p * (rows[y] / N);
    }
  });
  // Airglow: in its own order an event's wavelength lies in an airglow window, but the unscaled
  // boxes (§7.1) can give it another order's wavelength, which passes.
  const [x0, x1] = STIS_LIMITS.xlim;
  const [w0, w1] = STIS_LIMITS.wlim;
  const pass = (x: number, y: number): boolean => {
    if (!(x >= x0 && x < x1 && y >= STIS_LIMITS.ylim[0] && y < STIS_LIMITS.ylim[1])) return false;
    const k = rowForY(x1d, y);
    if (k < 0 || (eventDq(bpix, x, y) & sdqflags) !== 0) return false;
    const w = x1d.wavelengths[k][pix(x)];
    return w > w0 && w < w1 && !inAirglowWindow(w);
  };
  const centres = orders.map((o) => orderRow(o, spec.shifta2));
  return components.map((c) => {
    if (c.kind === 'dark') return darkPass;
    if (c.kind === 'source') return sourcePass;
    return airglowPass(orders, c.line!, centres, pass).count;
  });
}

/** Discrete triangular profile weight of row offset d (AXIS2 pixels). */
function profileWeight(d: number): number {
  const h = STIS_MAMA.profileHalfWidth;
  return (h + 1 - Math.abs(d)) / ((h + 1) * (h + 1));
}

/**
 * P(selected) of an airglow line's events (and the same weighted by ε, ε²): the generator's order and
 * x1d pixel of each wavelength (midpoint quadrature of the uniform line), x = max(1, 2p + {0, 1}),
 * rows of that order's profile.
 */
function airglowPass(
  orders: readonly StisOrder[],
  line: { wavelength: number; halfWidth: number },
  centres: readonly number[],
  pass: (x: number, y: number) => boolean,
  epsilon: (x: number, y: number) => number = () => 1,
): { count: number; weighted: number; weightedSq: number } {
  const h = STIS_MAMA.profileHalfWidth;
  const steps = 8192;
  const cells = new Map<number, number>();
  for (let s = 0; s < steps; s++) {
    const wl = line.wavelength - line.halfWidth + (2 * line.halfWidth * (s + 0.5)) / steps;
    const o = orderForWavelength(orders, wl);
    const p = Math.min(1023, Math.max(0, Math.round((wl - orders[o].wave0) / orders[o].dwave)));
    cells.set(o * 1024 + p, (cells.get(o * 1024 + p) ?? 0) + 1 / steps);
  }
  const acc = { count: 0, weighted: 0, weightedSq: 0 };
  for (const [key, pw] of cells) {
    const k = Math.floor(key / 1024);
    const p = key % 1024;
    for (let d = -h; d <= h; d++) {
      const y = centres[k] + d;
      for (const x of [Math.max(1, 2 * p), Math.max(1, 2 * p + 1)]) {
        if (!pass(x, y)) continue;
        const e = epsilon(x, y);
        const q = pw * profileWeight(d) * 0.5;
        acc.count += q;
        acc.weighted += q * e;
        acc.weightedSq += q * e * e;
      }
    }
  }
  return acc;
}

/** Analytic mean of `selected`: Σ components E[N] × P(selected). */
export function expectedStisSelected(spec: StisSpec, sim: Pick<StisSimulation, 'components' | 'expected'>, x1d: X1dTruth, bpix: Int32Array, sdqflags: number): number {
  return stisSelectionProbabilities(spec, sim.components, x1d, bpix, sdqflags).reduce((a, p, k) => a + sim.expected[k] * p, 0);
}

// ---------------------------------------------------------------------------------------------
// Corrected extraction (§7.4 corrected): per x1d order a box and two background regions on the
// 2048-row grid, each order's own dispersion for its regions, events weighted ε = 1/(P·L) (§7.2)

/** The P- and L-flats as written (square float32 images, enlarged by replication to 2048²). */
export interface StisFlats {
  pfl: Float32Array;
  lfl: Float32Array;
  size: number;
}

/** Corrected ε of an event at (AXIS1, AXIS2): 1/(P·L), computed in the extractor's order; 0 off the flat. */
export function correctedEpsilon(f: StisFlats, axis1: number, axis2: number): number {
  const fx = Math.floor(N / f.size);
  const x = axis1 - 1;
  const y = axis2 - 1;
  if (x < 0 || y < 0 || x >= f.size * fx || y >= f.size * fx) return 0;
  const k = Math.floor(y / fx) * f.size + Math.floor(x / fx);
  const pl = 1 * f.pfl[k] * f.lfl[k];
  return pl === 0 ? 0 : 1 / pl;
}

export interface StisBox {
  /** Index of the x1d row (order) and its SPORDER. */
  order: number;
  sporder: number;
  name: 'spectrum' | 'background1' | 'background2';
  /** AXIS2 range [y0, y1) on the 2048-row grid. */
  y: [number, number];
}

/**
 * The corrected extraction's regions, as it computes them from the x1d (float32 values) and
 * SHIFTA2: centre c = 2·(A2CENTER + SHIFTA2), box c ± EXTRSIZE, backgrounds c + 2·BKnOFFST ± BKnSIZE.
 */
export function correctedBoxes(mode: StisMode, shifta2: number): StisBox[] {
  return mode.orders.flatMap((o, k): StisBox[] => {
    const c = 2 * (Math.fround(o.a2center) + shifta2);
    const box = (centre: number, size: number): [number, number] => [centre - size, centre + size];
    const bs = Math.fround(o.bksize);
    return [
      { order: k, sporder: o.sporder, name: 'spectrum', y: box(c, Math.fround(o.extrsize)) },
      { order: k, sporder: o.sporder, name: 'background1', y: box(c + 2 * Math.fround(o.bk1offst), bs) },
      { order: k, sporder: o.sporder, name: 'background2', y: box(c + 2 * Math.fround(o.bk2offst), bs) },
    ];
  });
}

export interface StisWeightedCount extends StisCount {
  /** Σ ε over the selected events: what the region's gross (or background) sums. */
  weighted: number;
}

/** Integer rows y (1…2048) with y0 ≤ y < y1. */
function rowsOf(b: StisBox): number[] {
  const out: number[] = [];
  for (let y = Math.max(1, Math.ceil(b.y[0])); y <= N && y < b.y[1]; y++) if (y >= b.y[0]) out.push(y);
  return out;
}

/** Exact counts of the corrected selection per region, from the written columns. */
export function countCorrected(
  cols: Pick<TagColumns, 'AXIS1' | 'AXIS2'>,
  x1d: X1dTruth,
  boxes: readonly StisBox[],
  bpix: Int32Array,
  sdqflags: number,
  flats: StisFlats,
  component: Uint8Array,
  componentNames: readonly string[],
): StisWeightedCount[] {
  const [x0, x1] = STIS_LIMITS.xlim;
  const out = boxes.map(() => ({ selected: 0, weighted: 0, in_box: 0, dq_rejected: 0, airglow_rejected: 0, wavelength_rejected: 0, by_component: {} as Record<string, number>, per: new Float64Array(Math.max(1, componentNames.length)) }));
  // Regions by row, so each event is tested only against the regions that contain its row.
  const byRow: number[][] = Array.from({ length: N + 1 }, () => []);
  boxes.forEach((b, r) => rowsOf(b).forEach((y) => byRow[y].push(r)));
  for (let i = 0; i < cols.AXIS1.length; i++) {
    const x = cols.AXIS1[i];
    const y = cols.AXIS2[i];
    if (!(x >= x0 && x < x1) || y < 1 || y > N) continue;
    for (const r of byRow[y]) {
      const c = out[r];
      if (tallyBoxEvent(c, x1d.wavelengths[boxes[r].order][pix(x)], STIS_LIMITS.wlim, (eventDq(bpix, x, y) & sdqflags) !== 0)) {
        c.weighted += correctedEpsilon(flats, x, y);
        c.per[component[i]]++;
      }
    }
  }
  return out.map(({ per, ...c }) => {
    componentNames.forEach((name, k) => (c.by_component[name] = per[k]));
    return c;
  });
}

/** Per component, the probability that an event is selected in the region, unweighted, ×ε and ×ε². */
export interface RegionProbabilities {
  count: number[];
  weighted: number[];
  weightedSq: number[];
}

/** Enumerating the pixel distributions of every component over each corrected region. */
export function correctedProbabilities(
  spec: StisSpec,
  components: readonly StisComponent[],
  x1d: X1dTruth,
  boxes: readonly StisBox[],
  bpix: Int32Array,
  sdqflags: number,
  flats: StisFlats,
): RegionProbabilities[] {
  const [x0, x1] = STIS_LIMITS.xlim;
  const [w0, w1] = STIS_LIMITS.wlim;
  const orders = spec.mode.orders;
  const totalWeight = orders.reduce((a, o) => a + o.weight, 0);
  const h = STIS_MAMA.profileHalfWidth;
  const centres = orders.map((o) => orderRow(o, spec.shifta2));
  return boxes.map((b) => {
    const wl = x1d.wavelengths[b.order];
    const pass = (x: number, y: number): boolean => {
      if (!(x >= x0 && x < x1)) return false;
      if ((eventDq(bpix, x, y) & sdqflags) !== 0) return false;
      const w = wl[pix(x)];
      return w > w0 && w < w1 && !inAirglowWindow(w);
    };
    const inRegion = (x: number, y: number): boolean => y >= b.y[0] && y < b.y[1] && pass(x, y);
    // Per row: Σ_x pass, Σ_x pass·ε, Σ_x pass·ε² (x uniform on 1…2048 for dark and source).
    const rowSums = new Map<number, [number, number, number]>();
    for (const y of rowsOf(b)) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      for (let x = 1; x <= N; x++) {
        if (!pass(x, y)) continue;
        const e = correctedEpsilon(flats, x, y);
        s0++;
        s1 += e;
        s2 += e * e;
      }
      rowSums.set(y, [s0, s1, s2]);
    }
    const res: RegionProbabilities = { count: [], weighted: [], weightedSq: [] };
    components.forEach((c, ci) => {
      const acc = [0, 0, 0];
      if (c.kind === 'dark') {
        for (const [s0, s1, s2] of rowSums.values()) {
          acc[0] += s0 / (N * N);
          acc[1] += s1 / (N * N);
          acc[2] += s2 / (N * N);
        }
      } else if (c.kind === 'source') {
        orders.forEach((o, k) => {
          for (let d = -h; d <= h; d++) {
            const sums = rowSums.get(centres[k] + d);
            if (sums === undefined) continue;
            const p = ((o.weight / totalWeight) * profileWeight(d)) / N;
            for (let j = 0; j < 3; j++) acc[j] += p * sums[j];
          }
        });
      } else {
        const a = airglowPass(orders, c.line!, centres, inRegion, (x, y) => correctedEpsilon(flats, x, y));
        acc[0] = a.count;
        acc[1] = a.weighted;
        acc[2] = a.weightedSq;
      }
      res.count.push(acc[0]);
      res.weighted.push(acc[1]);
      res.weightedSq.push(acc[2]);
    });
    return res;
  });
}
