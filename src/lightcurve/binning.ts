/**
 * The time grid and the weighted event histograms of §6.5.
 *
 * Two summations behind one interface: `numpy` reproduces `np.histogram(t, edges, weights=w)` bit for
 * bit (numpy sorts blocks of 65536 events, takes a running sum in the weights' dtype — float32 for
 * COS EPSILON — and differences it at the edges), `float64` sums each event straight into its bin in
 * double precision. Both use numpy's bin rule: [e_k, e_k+1), the last bin closed.
 */
import { npArgsortInto } from './npsort.js';

export interface TimeGrid {
  /** Bin edges e_0 … e_{n-1} (numpy `arange(start, end + step, step)`). */
  edges: Float64Array;
  start: number;
  end: number;
  step: number;
  /** The last edge lies beyond `end`: the last (partial) bin is dropped from the output (§6.5). */
  truncate: boolean;
}

/** numpy `arange(start, stop, step)` for float64: e_0 = start, e_1 = start + step, e_i = start + i·(e_1 − e_0). */
export function npArange(start: number, stop: number, step: number): Float64Array {
  const len = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(len);
  if (len === 0) return out;
  out[0] = start;
  if (len > 1) out[1] = start + step;
  const delta = len > 1 ? out[1] - out[0] : step;
  for (let i = 2; i < len; i++) out[i] = start + i * delta;
  return out;
}

/**
 * The most bins one lightcurve may have. A single HST exposure lasts hours at most, so even a step at
 * the detectors' time resolution stays below this; a grid beyond it comes from a corrupt TIME, EXPTIME
 * or GTI (a last event at 1e8 s) or an absurd step (1e-300 s), and allocating it would take the
 * machine (each bin holds a dozen float64 columns: 10^7 bins are about 1 GB).
 */
export const MAX_BINS = 10_000_000;

/** A time grid that would exceed MAX_BINS (or whose ends are not finite): what and where. */
export class BinLimitError extends Error {
  constructor(
    message: string,
    readonly bins: number,
    readonly source?: string,
  ) {
    super(message);
    this.name = 'BinLimitError';
  }
}

/**
 * §6.5: edges from `start` to `end` inclusive-ish, and whether the last bin must be dropped. Refuses
 * (BinLimitError) a grid of more than MAX_BINS bins before allocating it; `source` names the file.
 */
export function timeGrid(start: number, end: number, step: number, source?: string): TimeGrid {
  const where = source !== undefined ? `${source}: ` : '';
  if (!(step > 0) || !Number.isFinite(step)) throw new BinLimitError(`${where}the time step must be a positive number of seconds, got ${step}`, NaN, source);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new BinLimitError(`${where}the time grid runs from ${start} to ${end} s; both ends must be finite`, NaN, source);
  const bins = Math.ceil((end + step - start) / step) - 1;
  if (!(bins <= MAX_BINS)) {
    throw new BinLimitError(
      `${where}a ${step} s step from ${start} to ${end} s makes ${bins.toPrecision(3)} bins, more than the limit of ${MAX_BINS.toExponential(0).replace('e+', 'e')} (MAX_BINS); choose a larger step, or check the file's TIME, EXPTIME and GTI values`,
      bins,
      source,
    );
  }
  const edges = npArange(start, end + step, step);
  const truncate = edges.length > 0 && edges[edges.length - 1] > end;
  return { edges, start, end, step, truncate };
}

export type Summation = 'numpy' | 'float64';

/**
 * A histogram of an ordered list of (time, weight) pairs. Events are given with their position in
 * the list (`addAt`), so a list made of two sub-lists (background 1 then background 2, §6.6) can be
 * filled in one pass over the file.
 */
export interface EventHistogram {
  addAt(position: number, time: number, weight: number): void;
  /** Counts per bin (edges.length − 1 values); float32 when built for float32 weights. */
  finish(): Float32Array | Float64Array;
}

export function makeHistogram(edges: Float64Array, listLength: number, float32: boolean, summation: Summation): EventHistogram {
  return summation === 'numpy' ? new NumpyHistogram(edges, listLength, float32) : new DirectHistogram(edges, float32);
}

// The same event time is looked up for several histograms in a row (gross, then flux): remember it.
let lastEdges: Float64Array | undefined;
let lastT = NaN;
let lastK = -1;

/** Bin of `t` under numpy's rule, or −1 outside [e_0, e_last]. */
export function binIndex(edges: Float64Array, t: number): number {
  if (t === lastT && edges === lastEdges) return lastK;
  const k = findBin(edges, t);
  lastEdges = edges;
  lastT = t;
  lastK = k;
  return k;
}

function findBin(edges: Float64Array, t: number): number {
  const nb = edges.length - 1;
  if (nb < 1 || !(t >= edges[0]) || t > edges[nb]) return -1;
  const step = edges.length > 1 ? edges[1] - edges[0] : 1;
  let k = Math.floor((t - edges[0]) / step);
  if (k < 0) k = 0;
  if (k > nb - 1) k = nb - 1;
  while (k > 0 && t < edges[k]) k--;
  while (k < nb - 1 && t >= edges[k + 1]) k++;
  return k;
}

class DirectHistogram implements EventHistogram {
  private readonly sums: Float64Array;
  constructor(
    private readonly edges: Float64Array,
    private readonly float32: boolean,
  ) {
    this.sums = new Float64Array(Math.max(0, edges.length - 1));
  }
  addAt(_position: number, time: number, weight: number): void {
    const k = binIndex(this.edges, time);
    if (k >= 0) this.sums[k] += weight;
  }
  finish(): Float32Array | Float64Array {
    return this.float32 ? Float32Array.from(this.sums) : this.sums;
  }
}

const NP_BLOCK = 65536;

interface Block {
  times: Float64Array;
  weights: Float64Array;
  filled: number;
  size: number;
}

/**
 * Events arrive in time order (TIME-TAG files are written sorted). numpy's quicksort still permutes
 * tied times, but the running sum only sees the sequence of weights, and a permutation inside a run
 * of equal times whose weights are all equal leaves that sequence unchanged: then the input order
 * sums exactly as numpy's order does, and the O(n log n) argsort can be skipped. NaN times (sorted
 * last by numpy) or any descent, or unequal weights on tied times, take the argsort.
 */
function inOrderIsNumpyOrder(times: Float64Array, weights: Float64Array, n: number): boolean {
  if (n > 0 && times[0] !== times[0]) return false;
  for (let i = 1; i < n; i++) {
    const t = times[i];
    const prev = times[i - 1];
    if (t > prev) continue;
    if (t !== prev || !Object.is(weights[i], weights[i - 1])) return false;
  }
  return true;
}

/**
 * Block buffers, reused: a 15 M-event archive fills thousands of blocks, and allocating two 512 kB
 * arrays for each kept the garbage collector busy for a tenth of the run.
 */
const freeBuffers: Float64Array[] = [];
const MAX_FREE_BUFFERS = 64;
function takeBuffer(): Float64Array {
  return freeBuffers.pop() ?? new Float64Array(NP_BLOCK);
}
function giveBuffer(b: Float64Array): void {
  if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(b);
}

/**
 * The order numpy sorts one block's times in, remembered for the next block: the gross and flux
 * histograms of a region (and their background pair) hold the same times at the same positions, and
 * argsort's order depends on the values alone, so the second of them reuses the first's sort.
 */
const sortMemo = { n: -1, times: new Float64Array(NP_BLOCK), order: new Int32Array(NP_BLOCK) };
function numpyOrder(times: Float64Array, n: number): Int32Array {
  const m = sortMemo;
  if (m.n === n) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (times[i] !== m.times[i]) {
        same = false;
        break;
      }
    }
    if (same) return m.order;
  }
  m.n = -1;
  npArgsortInto(times, n, m.order);
  // NaN never equals itself, so a block with NaN times is never taken for a remembered one.
  m.times.set(times.subarray(0, n));
  m.n = n;
  return m.order;
}
const scratchSums = { cw: new Float64Array(NP_BLOCK + 1), sorted: new Float64Array(NP_BLOCK) };

/** numpy ≥1.? `histogram` with array bins and weights: the cumulative-sum path, block by block. */
class NumpyHistogram implements EventHistogram {
  /** Blocks being filled, by block number. */
  private readonly open: Array<Block | undefined> = [];
  private openCount = 0;
  private readonly contributions = new Map<number, Float64Array>();
  private readonly round: (x: number) => number;
  constructor(
    private readonly edges: Float64Array,
    private readonly length: number,
    private readonly float32: boolean,
  ) {
    this.round = float32 ? Math.fround : (x: number) => x;
  }

  addAt(position: number, time: number, weight: number): void {
    const b = Math.floor(position / NP_BLOCK);
    let block = this.open[b];
    if (block === undefined) {
      const size = Math.min(NP_BLOCK, this.length - b * NP_BLOCK);
      if (size <= 0) throw new RangeError(`histogram position ${position} beyond list length ${this.length}`);
      block = { times: takeBuffer(), weights: takeBuffer(), filled: 0, size };
      this.open[b] = block;
      this.openCount++;
    }
    const i = position - b * NP_BLOCK;
    block.times[i] = time;
    block.weights[i] = weight;
    if (++block.filled === block.size) {
      this.open[b] = undefined;
      this.openCount--;
      this.contributions.set(b, this.reduce(block));
      giveBuffer(block.times);
      giveBuffer(block.weights);
    }
  }

  /** cw[searchsorted(sorted times, edges)] for one block. */
  private reduce(block: Block): Float64Array {
    const n = block.size;
    const { times, weights } = block;
    const { cw, sorted } = scratchSums;
    let acc = 0;
    cw[0] = 0;
    if (inOrderIsNumpyOrder(times, weights, n)) {
      for (let i = 0; i < n; i++) {
        sorted[i] = times[i];
        acc = this.round(acc + weights[i]);
        cw[i + 1] = acc;
      }
    } else {
      const order = numpyOrder(times, n);
      for (let i = 0; i < n; i++) {
        const j = order[i];
        sorted[i] = times[j];
        acc = this.round(acc + weights[j]);
        cw[i + 1] = acc;
      }
    }
    const ne = this.edges.length;
    const out = new Float64Array(ne);
    // edges ascend, so one merge walk finds every insertion point
    let p = 0;
    for (let e = 0; e < ne - 1; e++) {
      const x = this.edges[e];
      while (p < n && sorted[p] < x) p++;
      out[e] = cw[p];
    }
    if (ne > 0) {
      const x = this.edges[ne - 1];
      while (p < n && sorted[p] <= x) p++;
      out[ne - 1] = cw[p];
    }
    return out;
  }

  finish(): Float32Array | Float64Array {
    if (this.openCount > 0) throw new RangeError(`histogram finished with ${this.openCount} incomplete block(s)`);
    const ne = this.edges.length;
    const cum = new Float64Array(ne);
    const blocks = [...this.contributions.keys()].sort((a, b) => a - b);
    for (const b of blocks) {
      const c = this.contributions.get(b) as Float64Array;
      for (let i = 0; i < ne; i++) cum[i] = this.round(cum[i] + c[i]);
    }
    const nb = Math.max(0, ne - 1);
    const out = this.float32 ? new Float32Array(nb) : new Float64Array(nb);
    for (let i = 0; i < nb; i++) out[i] = this.round(cum[i + 1] - cum[i]);
    return out;
  }
}
