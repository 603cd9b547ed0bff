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

const [[AG0, AG1], [AG2, AG3]] = AIRGLOW_WINDOWS;

export function inAirglowWindow(w: number): boolean {
  return (w >= AG0 && w <= AG1) || (w >= AG2 && w <= AG3);
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

/** Apply §6.3 to every event for each region (filter_airglow = true), in one pass over the events. */
export function countRegions(input: CountInput, boxes: readonly RegionBox[], sdqflags: number): RegionCount[] {
  const { xcorr, ycorr, wavelength, dq, component } = input;
  const names = input.componentNames ?? [];
  const nb = boxes.length;
  const nc = Math.max(1, names.length);
  const lim = new Float64Array(nb * 6);
  boxes.forEach((b, k) => lim.set([b.x[0], b.x[1], b.y[0], b.y[1], b.wlim[0], b.wlim[1]], k * 6));
  // Per box: selected, in_box, dq_rejected, airglow_rejected, wavelength_rejected.
  const acc = new Float64Array(nb * 5);
  const perComp = new Float64Array(nb * nc);
  const n = xcorr.length;
  for (let i = 0; i < n; i++) {
    const x = xcorr[i];
    const y = ycorr[i];
    for (let k = 0; k < nb; k++) {
      const o = k * 6;
      if (!(x >= lim[o] && x < lim[o + 1] && y >= lim[o + 2] && y < lim[o + 3])) continue;
      const a = k * 5;
      acc[a + 1]++;
      const w = wavelength[i];
      const wlOk = w > lim[o + 4] && w < lim[o + 5];
      const ag = (w >= AG0 && w <= AG1) || (w >= AG2 && w <= AG3);
      if ((dq[i] & sdqflags) !== 0) {
        if (wlOk && !ag) acc[a + 2]++;
      } else if (!wlOk) acc[a + 4]++;
      else if (ag) acc[a + 3]++;
      else {
        acc[a]++;
        if (component) perComp[k * nc + component[i]]++;
      }
    }
  }
  return boxes.map((_, k) => {
    const byComponent: Record<string, number> = {};
    names.forEach((name, c) => (byComponent[name] = perComp[k * nc + c]));
    const a = k * 5;
    return { selected: acc[a], in_box: acc[a + 1], dq_rejected: acc[a + 2], airglow_rejected: acc[a + 3], wavelength_rejected: acc[a + 4], by_component: byComponent };
  });
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

/** The tallies of RegionCount that one event can move. */
export type RegionTally = Omit<RegionCount, 'by_component'>;

/**
 * §6.3 for one event inside a region's x/y box: counted in the box, then under the first rule it fails
 * (DQ, wavelength bounds, airglow) or as selected. Returns whether it was selected.
 */
export function tallyBoxEvent(c: RegionTally, wavelength: number, wlim: readonly [number, number], dqRejected: boolean): boolean {
  c.in_box++;
  const wlOk = wavelength > wlim[0] && wavelength < wlim[1];
  const airglow = inAirglowWindow(wavelength);
  if (dqRejected) {
    // A DQ-flagged event is counted as such only where it would otherwise have been selected.
    if (wlOk && !airglow) c.dq_rejected++;
    return false;
  }
  if (!wlOk) c.wavelength_rejected++;
  else if (airglow) c.airglow_rejected++;
  else {
    c.selected++;
    return true;
  }
  return false;
}

