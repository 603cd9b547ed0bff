/**
 * Non-uniform fast Fourier sums for the fast periodogram:
 *
 *   S(ω) = Σ_j w_j · exp(i·ω·(t_j − t0))   for arbitrary times t_j and arbitrary target frequencies ω
 *
 * (a "type-3" NUFFT), built from two Gaussian steps (Greengard & Lee 2004, SIAM Rev. 46, 443;
 * Lee & Greengard 2005, J. Comput. Phys. 206, 1):
 *
 *  1. type 1 — the sums on a uniform frequency grid ω_m = ω_a + m·Δ, by spreading w_j·e^{β s_j²} onto a
 *     2×-oversampled grid with a Gaussian kernel, one FFT, and deconvolution;
 *  2. interpolation — S(ω) = Δ/√(4πβ) · Σ_m e^{−(ω−ω_m)²/(4β)} · S̃(ω_m), which is the Gaussian identity
 *     e^{iωs} = e^{βs²}/√(4πβ) ∫ e^{−(ω'−ω)²/(4β)} e^{iω's} dω' evaluated by the trapezoid rule.
 *
 * Times are split into blocks of bounded span (each block its own centre s = t − c_b, results rotated
 * back by e^{iω(c_b − t0)}), so grids stay small even for composites spanning years.
 *
 * Error: with b = β·h² = 3.2, Δ = π/(2h) (h = block half-span), 13 interpolation points each side and a
 * 12-point spreading kernel, |S − S_true| ≤ ~3·10^-11 · Σ|w_j| (aliasing e^{−8b}, truncation
 * e^{b − q²π²/(16b)}, type-1 ~1e-12·e^{b}); `NUFFT_RELATIVE_ERROR` is the bound used downstream, and
 * test/analysis/nufft.test.ts checks it against direct sums.
 */
import { fftBitReversedInPlace, fftPlan } from './fft.js';

/** Documented bound on |S − S_true| / Σ|w_j| (measured ≤ 1e-11 in tests; kept with margin). */
export const NUFFT_RELATIVE_ERROR = 1e-10;

const B = 3.2; // β·h²: Gaussian deconvolution strength
const Q = 13; // interpolation half-width, grid points
const MSP = 12; // type-1 spreading half-width, fine-grid points
const R = 2; // type-1 oversampling
const MAX_GRID = 1 << 20; // uniform-grid points per block (fine FFT is 2× this)
/**
 * Fine grid of one band of the uniform path: 2^16 complex cells (1 MiB, one core's L2), 2^15 modes.
 * The FFT runs ~5× faster per point at this size than at 2^21 (out of cache), so a 2^20-point grid is
 * summed as 32 bands of 2^15 frequencies, each one spreading of the N points and one small FFT.
 */
const BAND_FINE = 1 << 17;

/**
 * Reusable work arrays by name (a thread runs one transform at a time): the 2^20-long arrays of a
 * composite's spaces are not allocated, zeroed and collected per call. Contents are garbage on return.
 */
const buffers = new Map<string, Float64Array>();
export function scratch(name: string, length: number): Float64Array {
  let b = buffers.get(name);
  if (b === undefined || b.length < length) {
    b = new Float64Array(length);
    buffers.set(name, b);
  }
  return b.subarray(0, length);
}
let cellBuffer = new Int32Array(0);

function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

/**
 * The Gaussian spreading of points x_j ∈ [−π, π) onto a fine grid of mr cells (mr a power of 2), for
 * modes |k| ≤ mr/(2R): per point its 2·MSP cells (as bit-reversed complex offsets, ready for
 * fftBitReversedInPlace) and weights. Independent of the coefficients, so one spreading serves any
 * number of coefficient vectors (the bands of the uniform path).
 */
interface Spreading {
  mr: number;
  /** Modes −m/2 … m/2−1 are the ones deconvolved. */
  m: number;
  cells: Int32Array;
  weights: Float64Array;
}

function tauOf(m: number): number {
  return (Math.PI * MSP) / (m * m * R * (R - 0.5));
}

function spreadingOf(x: Float64Array, mr: number): Spreading {
  const m = mr / R;
  const h = (2 * Math.PI) / mr;
  const inv4tau = 1 / (4 * tauOf(m));
  const { bitrev } = fftPlan(mr);
  const n = x.length;
  const width = 2 * MSP;
  if (cellBuffer.length < n * width) cellBuffer = new Int32Array(n * width);
  const cells = cellBuffer.subarray(0, n * width);
  const weights = scratch('nufft.weights', n * width);
  // e^{−(ξ − l·h)²/4τ} = e^{−ξ²/4τ} · (e^{ξh/2τ})^l · e^{−l²h²/4τ} (fast Gaussian gridding): 2 exps a point.
  const tail = new Float64Array(width);
  for (let l = -MSP + 1; l <= MSP; l++) tail[l + MSP - 1] = Math.exp(-l * l * h * h * inv4tau);
  for (let j = 0; j < n; j++) {
    const m0 = Math.floor(x[j] / h);
    const xi = x[j] - m0 * h;
    const g0 = Math.exp(-xi * xi * inv4tau);
    const ratio = Math.exp(2 * xi * h * inv4tau);
    let pow = Math.pow(ratio, -MSP + 1);
    const o = j * width;
    for (let l = 0; l < width; l++) {
      const mm = m0 + l - MSP + 1;
      cells[o + l] = 2 * bitrev[((mm % mr) + mr) % mr];
      weights[o + l] = g0 * pow * tail[l];
      pow *= ratio;
    }
  }
  return { mr, m, cells, weights };
}

/** Spread the coefficients into `grid` (zeroed here) and transform it: grid = FFT of the fine grid. */
function spreadAndTransform(sp: Spreading, cRe: Float64Array, cIm: Float64Array, grid: Float64Array): void {
  grid.fill(0);
  const { cells, weights } = sp;
  const width = 2 * MSP;
  const n = cRe.length;
  for (let j = 0; j < n; j++) {
    const re = cRe[j];
    const im = cIm[j];
    const o = j * width;
    for (let l = o; l < o + width; l++) {
      const idx = cells[l];
      const g = weights[l];
      grid[idx] += re * g;
      grid[idx + 1] += im * g;
    }
  }
  fftBitReversedInPlace(grid, sp.mr);
}

/**
 * Type-1 NUFFT: F(k) = Σ_j (cRe_j + i·cIm_j)·e^{i·k·x_j} for k = −M/2 … M/2−1 (M a power of 2),
 * x_j ∈ [−π, π). Returns interleaved (re, im) of length 2M, index k + M/2.
 */
export function nufftType1(x: Float64Array, cRe: Float64Array, cIm: Float64Array, m: number): Float64Array {
  const mr = R * m;
  const sp = spreadingOf(x, mr);
  const spectrum = new Float64Array(2 * mr);
  spreadAndTransform(sp, cRe, cIm, spectrum);
  const out = new Float64Array(2 * m);
  const deconv = deconvolutionOf(m);
  for (let k = -m / 2; k < m / 2; k++) {
    // Σ_m f_m e^{+ik·m·h} is the forward FFT (e^{−2πi q m/Mr}) read at q = −k.
    const q = k <= 0 ? -k : mr - k;
    const o = 2 * (k + m / 2);
    const d = deconv[k + m / 2];
    out[o] = d * spectrum[2 * q];
    out[o + 1] = d * spectrum[2 * q + 1];
  }
  return out;
}

// The Gaussian's deconvolution factors depend on M alone: computed once per size, like the FFT tables.
const deconvolutions = new Map<number, Float64Array>();
function deconvolutionOf(m: number): Float64Array {
  let d = deconvolutions.get(m);
  if (d === undefined) {
    const tau = tauOf(m);
    const mr = R * m;
    d = new Float64Array(m);
    const scale = Math.sqrt(Math.PI / tau) / mr;
    for (let k = -m / 2; k < m / 2; k++) d[k + m / 2] = scale * Math.exp(k * k * tau);
    deconvolutions.set(m, d);
  }
  return d;
}

export interface TrigSums {
  /** Re S(ω) per target. */
  re: Float64Array;
  /** Im S(ω) per target. */
  im: Float64Array;
  /** Uniform grid: per target, the phase (rad) its rounding moves it off the progression summed on. */
  phaseShift?: Float64Array;
}

/** Sort order of t (the blocks need contiguous times; sums do not care about order). */
function sortedIndex(t: Float64Array): Uint32Array {
  const idx = new Uint32Array(t.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  let sorted = true;
  for (let i = 1; i < t.length; i++) if (t[i] < t[i - 1]) sorted = false;
  if (!sorted) idx.sort((a, b) => t[a] - t[b]);
  return idx;
}

/**
 * The spacing of ω when it is an arithmetic progression ω_0 + k·d to within 2^-40 of the range (the
 * corrected grid: uniform in frequency, its ends set exactly), else undefined.
 */
export function uniformSpacing(omega: Float64Array): number | undefined {
  const k = omega.length;
  if (k < 3) return undefined;
  const d = (omega[k - 1] - omega[0]) / (k - 1);
  if (!(d !== 0 && Number.isFinite(d))) return undefined;
  const tol = Math.abs(omega[k - 1] - omega[0]) * 2 ** -40;
  for (let i = 1; i < k - 1; i++) if (!(Math.abs(omega[i] - (omega[0] + i * d)) <= tol)) return undefined;
  return d;
}

/**
 * S at ω_q = ω_0 + q·d, q = 0…K−1, by type-1 NUFFTs over bands of consecutive q (Press & Rybicki's
 * observation, astropy's `assume_regular_frequency`): with s = t − t0 and x = d·s wrapped into [−π, π),
 * e^{iω_q s} = e^{iω_0 s}·e^{iqx} since q is an integer. A band of M modes centred on q_c gives
 * e^{iω_q s} = e^{i(ω_0 s + q_c·x)}·e^{i(q − q_c)x}: one spreading of the points serves every band (only
 * the coefficients' rotation e^{iq_c·x} changes, by e^{iM·x} from one band to the next; M a power of 2,
 * so M·x is exact), and each band's FFT stays in cache. Also returns, per target,
 * |ω_q − (ω_0 + q·d)|·max|s|: the phase by which the grid's own rounding moves the target off the
 * progression the sums are taken on.
 */
function uniformSums(
  t: Float64Array,
  w: Float64Array,
  omega: Float64Array,
  scale: number,
  d: number,
  t0: number,
  re: Float64Array,
  im: Float64Array,
  shift: Float64Array,
): Float64Array {
  const k = omega.length;
  const n = t.length;
  const mr = Math.min(BAND_FINE, nextPow2(R * k));
  const band = mr / R; // modes per band
  const half = band / 2;
  const w0 = scale * omega[0];
  const twoPi = 2 * Math.PI;
  const x = scratch('nufft.x', n);
  const cRe = scratch('nufft.cRe', n);
  const cIm = scratch('nufft.cIm', n);
  const rotRe = scratch('nufft.rotRe', n);
  const rotIm = scratch('nufft.rotIm', n);
  let sMax = 0;
  for (let j = 0; j < n; j++) {
    const s = t[j] - t0;
    sMax = Math.max(sMax, Math.abs(s));
    let xj = d * s;
    xj -= twoPi * Math.round(xj / twoPi);
    if (xj >= Math.PI) xj -= twoPi;
    if (xj < -Math.PI) xj += twoPi;
    x[j] = xj;
    // First band: modes −half … half−1 are q = 0 … band−1, centre q_c = half.
    const ph = w0 * s + half * xj;
    cRe[j] = w[j] * Math.cos(ph);
    cIm[j] = w[j] * Math.sin(ph);
    rotRe[j] = Math.cos(band * xj);
    rotIm[j] = Math.sin(band * xj);
  }
  const sp = spreadingOf(x, mr);
  const deconv = deconvolutionOf(band);
  const grid = scratch('nufft.grid', 2 * mr);
  for (let qb = 0; qb < k; qb += band) {
    if (qb > 0) {
      for (let j = 0; j < n; j++) {
        const a = cRe[j];
        const b = cIm[j];
        cRe[j] = a * rotRe[j] - b * rotIm[j];
        cIm[j] = a * rotIm[j] + b * rotRe[j];
      }
    }
    spreadAndTransform(sp, cRe, cIm, grid);
    const qEnd = Math.min(k, qb + band);
    for (let q = qb; q < qEnd; q++) {
      // Mode q − q_c reads the forward FFT at −(q − q_c) mod mr.
      const mode = q - qb - half;
      const cell = mode <= 0 ? -mode : mr - mode;
      const f = deconv[mode + half];
      re[q] = f * grid[2 * cell];
      im[q] = f * grid[2 * cell + 1];
    }
  }
  for (let q = 0; q < k; q++) shift[q] = Math.abs(scale * omega[q] - (w0 + q * d)) * sMax;
  return shift;
}

/**
 * S(scale·ω_k) = Σ_j w_j·e^{i·scale·ω_k(t_j − t0)} for every target ω_k (any order, any spacing), to
 * NUFFT_RELATIVE_ERROR·Σ|w| plus, for a uniform grid, `phaseShift[k]`·Σ|w|. Cost O(N·(2·MSP) +
 * K log K) on a uniform grid; otherwise O(N·(2·MSP) + blocks·(M log M + K·2Q)).
 */
export function trigSums(
  t: Float64Array,
  w: Float64Array,
  omegaIn: Float64Array,
  t0: number,
  scale: 1 | 2 = 1,
  out?: { re: Float64Array; im: Float64Array; shift: Float64Array },
): TrigSums {
  const k = omegaIn.length;
  const re = out?.re.fill(0) ?? new Float64Array(k);
  const im = out?.im.fill(0) ?? new Float64Array(k);
  if (t.length === 0 || k === 0) return { re, im };
  const d = uniformSpacing(omegaIn);
  // scale·ω is exact (a power of 2), so the progression and its rounding offsets scale exactly too.
  if (d !== undefined) return { re, im, phaseShift: uniformSums(t, w, omegaIn, scale, d * scale, t0, re, im, out?.shift ?? new Float64Array(k)) };
  const omega = scale === 1 ? omegaIn : Float64Array.from(omegaIn, (x) => scale * x);
  let wlo = Infinity;
  let whi = -Infinity;
  for (let i = 0; i < k; i++) {
    if (omega[i] < wlo) wlo = omega[i];
    if (omega[i] > whi) whi = omega[i];
  }
  const range = Math.max(whi - wlo, 0);
  // Largest block half-span whose uniform grid fits MAX_GRID: M ≈ range·2h/π + 2Q + 4.
  const hMax = range > 0 ? (Math.PI * (MAX_GRID / 2 - 2 * Q - 8)) / (2 * range) : Infinity;
  // A gap inside a block costs grid points (≈ 2·range·gap/π of them, FFT'd), a new block costs one
  // interpolation pass over the K targets (2Q terms each): split where the gap's points cost more.
  // Visits of a composite days apart become blocks of their own instead of one grid spanning them.
  const gapLimit = range > 0 ? (2 * Math.PI * Math.max(k, 64)) / range : Infinity;
  const order = sortedIndex(t);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    const first = t[order[start]];
    while (end < order.length && t[order[end]] - first <= 2 * hMax && t[order[end]] - t[order[end - 1]] <= gapLimit) end++;
    addBlock(t, w, order, start, end, omega, wlo, whi, t0, re, im);
    start = end;
  }
  return { re, im };
}

function addBlock(
  t: Float64Array,
  w: Float64Array,
  order: Uint32Array,
  start: number,
  end: number,
  omega: Float64Array,
  wlo: number,
  whi: number,
  t0: number,
  re: Float64Array,
  im: Float64Array,
): void {
  const n = end - start;
  const tFirst = t[order[start]];
  const tLast = t[order[end - 1]];
  const centre = tFirst + (tLast - tFirst) / 2;
  // A zero span would make β infinite; any positive half-span works, so use a nominal one.
  const h = Math.max((tLast - tFirst) / 2, 1e-9 * Math.max(1, Math.abs(centre)), 1e-12);
  const beta = B / (h * h);
  const delta = Math.PI / (2 * h);
  const mNeeded = Math.ceil((whi - wlo) / delta) + 2 * Q + 6;
  const m = nextPow2(mNeeded);
  // Grid ω_m = ωa + m·Δ, m = 0…M−1, placed so every target has Q points on each side.
  const wa = wlo - (Q + 2) * delta;
  const wc = wa + (m / 2) * delta; // the type-1 mode k = 0
  const x = new Float64Array(n);
  const cRe = new Float64Array(n);
  const cIm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[start + i];
    const s = t[j] - centre;
    x[i] = delta * s; // ∈ [−π/2, π/2]
    const a = w[j] * Math.exp(beta * s * s);
    const ph = wc * s;
    cRe[i] = a * Math.cos(ph);
    cIm[i] = a * Math.sin(ph);
  }
  const uniform = nufftType1(x, cRe, cIm, m);
  const norm = delta / Math.sqrt(4 * Math.PI * beta);
  const inv4beta = 1 / (4 * beta);
  const shift = centre - t0;
  // e^{−(d0 − lΔ)²/4β} = e^{−d0²/4β} · (e^{d0Δ/2β})^l · e^{−l²Δ²/4β}: two exps per target, not 2Q
  // (the "fast Gaussian gridding" factorization of Greengard & Lee).
  const tail = new Float64Array(2 * Q + 1);
  for (let l = -Q; l <= Q; l++) tail[l + Q] = Math.exp(-l * l * delta * delta * inv4beta);
  for (let q = 0; q < omega.length; q++) {
    const wq = omega[q];
    const m0 = Math.floor((wq - wa) / delta);
    const d0 = wq - (wa + m0 * delta); // ∈ [0, Δ)
    const g0 = Math.exp(-d0 * d0 * inv4beta);
    const ratio = Math.exp((d0 * delta) / (2 * beta));
    // l runs −Q+1 … Q; start from the power ratio^(−Q+1).
    let pow = Math.pow(ratio, -Q + 1);
    let sr = 0;
    let si = 0;
    for (let l = -Q + 1; l <= Q; l++) {
      const g = g0 * pow * tail[l + Q];
      const idx = 2 * (m0 + l);
      sr += g * uniform[idx];
      si += g * uniform[idx + 1];
      pow *= ratio;
    }
    sr *= norm;
    si *= norm;
    // Back to the common origin t0.
    const rot = wq * shift;
    const c = Math.cos(rot);
    const s = Math.sin(rot);
    re[q] += sr * c - si * s;
    im[q] += sr * s + si * c;
  }
}
