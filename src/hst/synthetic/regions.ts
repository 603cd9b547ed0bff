/**
 * Truth for COS extraction regions: the event-selection rule of the original (§6.3) applied to
 * generated columns, and the analytic mean of the same count from the simulation's rates.
 */
import { AIRGLOW_WINDOWS, type CosLetter, type CosStripeGeometry, type Dispersion } from './modes.js';

export type RegionName = 'spectrum' | 'background1' | 'background2';

/** A rectangle [x0,x1) × [y0,y1) in XCORR/YCORR with the wavelength bounds (w0,w1). */
export interface RegionBox {
  letter: CosLetter;
  name: RegionName;
  x: [number, number];
  y: [number, number];
  wlim: [number, number];
}

/** §6.4: y range = centre ∓ floor(height/2). */
export function regionRows(centre: number, height: number): [number, number] {
  const half = Math.floor(height / 2);
  return [centre - half, centre + half];
}

/** The header values of one segment/stripe: SP_LOC_<S>, SP_HGT_<S>, B_BKG1_<S>, … */
export interface RegionKeywords extends CosStripeGeometry {
  spLoc: number;
}

/** Spectrum and background boxes of one letter, exactly as the original derives them from keywords. */
export function regionBoxes(
  letter: CosLetter,
  kw: RegionKeywords,
  xlim: [number, number],
  wlim: [number, number],
  ylim?: [number, number],
): RegionBox[] {
  return [
    { letter, name: 'spectrum', x: xlim, y: ylim ?? regionRows(kw.spLoc, kw.spHgt), wlim },
    { letter, name: 'background1', x: xlim, y: regionRows(kw.bkg1, kw.bHgt1), wlim },
    { letter, name: 'background2', x: xlim, y: regionRows(kw.bkg2, kw.bHgt2), wlim },
  ];
}

export function inAirglowWindow(w: number): boolean {
  for (const [a, b] of AIRGLOW_WINDOWS) if (w >= a && w <= b) return true;
  return false;
}

export interface RegionCount {
  /** Events passing every rule of §6.3 (what the extraction sums). */
  selected: number;
  /** Events inside the x/y box, whatever their wavelength or DQ. */
  in_box: number;
  /** In the box, wavelength inside wlim and outside airglow windows, but DQ AND SDQFLAGS ≠ 0. */
  dq_rejected: number;
  /** In the box, DQ good, inside wlim, but in an airglow window. */
  airglow_rejected: number;
  /** In the box, DQ good, outside the exclusive wavelength bounds. */
  wavelength_rejected: number;
  /** `selected`, split by simulated component. */
  by_component: Record<string, number>;
}

export interface CountInput {
  xcorr: Float32Array;
  ycorr: Float32Array;
  wavelength: Float32Array;
  dq: Int16Array;
  /** Component index per event (absent when counting from a file). */
  component?: Uint8Array;
  componentNames?: readonly string[];
}

/** Apply §6.3 to every event for each region (filter_airglow = true). */
export function countRegions(input: CountInput, boxes: readonly RegionBox[], sdqflags: number): RegionCount[] {
  const { xcorr, ycorr, wavelength, dq, component } = input;
  const names = input.componentNames ?? [];
  const out: RegionCount[] = [];
  for (const box of boxes) {
    const [x0, x1] = box.x;
    const [y0, y1] = box.y;
    const [w0, w1] = box.wlim;
    let selected = 0;
    let inBox = 0;
    let dqRej = 0;
    let agRej = 0;
    let wlRej = 0;
    const perComp = new Float64Array(Math.max(1, names.length));
    const n = xcorr.length;
    for (let i = 0; i < n; i++) {
      const x = xcorr[i];
      const y = ycorr[i];
      if (!(x >= x0 && x < x1 && y >= y0 && y < y1)) continue;
      inBox++;
      const w = wavelength[i];
      const wlOk = w > w0 && w < w1;
      const ag = inAirglowWindow(w);
      const dqOk = (dq[i] & sdqflags) === 0;
      if (!dqOk) {
        if (wlOk && !ag) dqRej++;
        continue;
      }
      if (!wlOk) {
        wlRej++;
        continue;
      }
      if (ag) {
        agRej++;
        continue;
      }
      selected++;
      if (component) perComp[component[i]]++;
    }
    const byComponent: Record<string, number> = {};
    names.forEach((name, k) => (byComponent[name] = perComp[k]));
    out.push({ selected, in_box: inBox, dq_rejected: dqRej, airglow_rejected: agRej, wavelength_rejected: wlRej, by_component: byComponent });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Analytic expectations

/** Mass of a triangular distribution on [c−h, c+h] within [a, b). */
export function triangularMass(c: number, h: number, a: number, b: number): number {
  const F = (y: number): number => {
    if (y <= c - h) return 0;
    if (y >= c + h) return 1;
    if (y <= c) return (y - c + h) ** 2 / (2 * h * h);
    return 1 - (c + h - y) ** 2 / (2 * h * h);
  };
  return Math.max(0, F(b) - F(a));
}

/** Fraction of a uniform [lo, hi) inside [a, b). */
export function uniformMass(lo: number, hi: number, a: number, b: number): number {
  return Math.max(0, Math.min(hi, b) - Math.max(lo, a)) / (hi - lo);
}

/**
 * Fraction of XFULL uniform on [x0, x1) whose wavelength λ(x) lies strictly inside wlim and
 * outside the airglow windows (interval arithmetic on a linear dispersion).
 */
export function wavelengthPassFraction(d: Dispersion, x0: number, x1: number, wlim: [number, number]): number {
  const la = d.center + d.dispersion * (x0 - d.xRef);
  const lb = d.center + d.dispersion * (x1 - d.xRef);
  const lo = Math.min(la, lb);
  const hi = Math.max(la, lb);
  // Allowed set: (w0, w1) minus the closed windows.
  let allowed: Array<[number, number]> = [[wlim[0], wlim[1]]];
  for (const [a, b] of AIRGLOW_WINDOWS) {
    const next: Array<[number, number]> = [];
    for (const [p, q] of allowed) {
      if (b <= p || a >= q) next.push([p, q]);
      else {
        if (a > p) next.push([p, a]);
        if (b < q) next.push([b, q]);
      }
    }
    allowed = next;
  }
  let m = 0;
  for (const [p, q] of allowed) m += Math.max(0, Math.min(hi, q) - Math.max(lo, p));
  return m / (hi - lo);
}
