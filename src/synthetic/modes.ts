/**
 * Instrument configurations the generator can simulate: COS FUV/NUV gratings and NUV imaging,
 * STIS MAMA first-order and echelle modes. Wavelength ranges, dispersions and extraction-box
 * positions follow the COS and STIS instrument handbooks closely enough to look real; exact
 * calibration is not the point — internal consistency is (every region keyword matches where
 * the events were put).
 */

/** Linear dispersion λ(x) = center + dispersion·(x − xRef). */
export interface Dispersion {
  center: number;
  dispersion: number;
  xRef: number;
}

export function wavelengthAt(d: Dispersion, x: number): number {
  return d.center + d.dispersion * (x - d.xRef);
}

/** Inverse of `wavelengthAt`. */
export function pixelAt(d: Dispersion, wavelength: number): number {
  return d.xRef + (wavelength - d.center) / d.dispersion;
}

/** Where one COS segment (FUV) or stripe (NUV) puts its spectrum and backgrounds, YCORR pixels. */
export interface CosStripeGeometry {
  spNom: number;
  spHgt: number;
  bkg1: number;
  bkg2: number;
  bHgt1: number;
  bHgt2: number;
}

export type CosLetter = 'A' | 'B' | 'C';

export interface CosMode {
  detector: 'FUV' | 'NUV';
  obstype: 'SPECTROSCOPIC' | 'IMAGING';
  optElem: string;
  cenwave: number;
  /** FUV: per segment; NUV: per stripe (imaging: nominal stripes, for the region keywords). */
  dispersion: Partial<Record<CosLetter, Dispersion>>;
  /** Letters that carry a spectrum (G230L's stripe C is its weak second order). */
  letters: CosLetter[];
  /** Stripes the original extraction uses (§6.1: A, B for G230L; A, B, C otherwise). */
  extracted: CosLetter[];
  specres: number;
  platesc: number;
  /** Relative strength of each letter's spectrum (source rate multiplier). */
  weight: Partial<Record<CosLetter, number>>;
}

/** COS FUV detector (per segment): XFULL range of the active area and its YCORR extent. */
export const COS_FUV = {
  xActive: [1200, 15200] as const,
  yActive: { A: [340, 640] as const, B: [400, 700] as const },
  geometry: {
    A: { spNom: 483.6, spHgt: 35, bkg1: 395.6, bkg2: 571.6, bHgt1: 59, bHgt2: 59 },
    B: { spNom: 544.2, spHgt: 35, bkg1: 456.2, bkg2: 632.2, bHgt1: 59, bHgt2: 59 },
  } satisfies Record<'A' | 'B', CosStripeGeometry>,
  /** Source cross-dispersion profile: triangular, this half-width (< floor(SP_HGT/2)). */
  profileHalfWidth: 14,
  sdqflags: 8346,
  /** SDQFLAGS bits (hot spot, poorly calibrated, low response, out of bounds, gain-sag hole). */
  seriousBits: [2, 8, 16, 128, 8192],
  /** Bits outside SDQFLAGS (grid-wire shadow, low-response region, low-PHA feature). */
  benignBits: [4, 1024, 4096],
};

/** COS NUV MAMA: 1024 × 1024; the spectrum's XFULL range keeps XCORR inside the detector. */
export const COS_NUV = {
  xActive: [16, 1008] as const,
  yActive: [0, 1024] as const,
  geometry: {
    A: { spNom: 187.5, spHgt: 8, bkg1: 132.5, bkg2: 242.5, bHgt1: 20, bHgt2: 20 },
    B: { spNom: 289.2, spHgt: 8, bkg1: 234.2, bkg2: 344.2, bHgt1: 20, bHgt2: 20 },
    C: { spNom: 424.8, spHgt: 8, bkg1: 369.8, bkg2: 479.8, bHgt1: 20, bHgt2: 20 },
  } satisfies Record<CosLetter, CosStripeGeometry>,
  profileHalfWidth: 3,
  sdqflags: 184,
  seriousBits: [8, 16, 32, 128],
  benignBits: [2, 4, 1024],
  /** NUV imaging: the point source (XCORR, YCORR) and its PSF half-width, pixels. */
  imageSource: { x: 471.3, y: 301.6, halfWidth: 9 },
};

const fuv = (
  optElem: string,
  cenwave: number,
  a: number,
  b: number,
  dispersion: number,
  specres: number,
): CosMode => ({
  detector: 'FUV',
  obstype: 'SPECTROSCOPIC',
  optElem,
  cenwave,
  dispersion: { A: { center: a, dispersion, xRef: 8192 }, B: { center: b, dispersion, xRef: 8192 } },
  letters: ['A', 'B'],
  extracted: ['A', 'B'],
  specres,
  platesc: 0.1,
  weight: { A: 1, B: 0.8 },
});

const nuv = (optElem: string, cenwave: number, centers: [number, number, number], dispersion: number, specres: number): CosMode => ({
  detector: 'NUV',
  obstype: 'SPECTROSCOPIC',
  optElem,
  cenwave,
  dispersion: {
    A: { center: centers[0], dispersion, xRef: 512 },
    B: { center: centers[1], dispersion, xRef: 512 },
    C: { center: centers[2], dispersion: optElem === 'G230L' ? dispersion / 2 : dispersion, xRef: 512 },
  },
  letters: ['A', 'B', 'C'],
  extracted: optElem === 'G230L' ? ['A', 'B'] : ['A', 'B', 'C'],
  specres,
  platesc: 0.024,
  weight: optElem === 'G230L' ? { A: 1, B: 1, C: 0.2 } : { A: 1, B: 1, C: 1 },
});

/** An NUV imaging exposure (a mirror, OBSTYPE IMAGING): no dispersion; all three stripes are extracted (§6.2). */
const nuvImaging = (optElem: string): CosMode => ({
  detector: 'NUV',
  obstype: 'IMAGING',
  optElem,
  cenwave: 0,
  dispersion: {},
  letters: [],
  extracted: ['A', 'B', 'C'],
  specres: 0,
  platesc: 0.0235,
  weight: {},
});

/** The COS modes by `OPT_ELEM/CENWAVE`. */
export const COS_MODES: Record<string, CosMode> = {
  'G130M/1291': fuv('G130M', 1291, 1362.0, 1204.2, 0.00997, 18000),
  'G130M/1222': fuv('G130M', 1222, 1293.1, 1135.2, 0.00997, 18000),
  'G130M/1309': fuv('G130M', 1309, 1380.0, 1222.3, 0.00997, 18000),
  'G160M/1600': fuv('G160M', 1600, 1689.1, 1514.3, 0.01223, 20000),
  'G140L/1280': fuv('G140L', 1280, 1844.0, 640.0, 0.0803, 2500),
  'G185M/1786': nuv('G185M', 1786, [1688.5, 1786.8, 1885.1], 0.037, 20000),
  'G225M/2250': nuv('G225M', 2250, [2150.2, 2250.0, 2349.8], 0.033, 30000),
  'G285M/2850': nuv('G285M', 2850, [2760.1, 2850.0, 2949.9], 0.04, 30000),
  'G230L/2950': nuv('G230L', 2950, [1850.0, 2950.0, 1475.0], 0.39, 2500),
  'MIRRORA/0': nuvImaging('MIRRORA'),
  'MIRRORB/0': nuvImaging('MIRRORB'),
};

export function cosMode(optElem: string, cenwave: number): CosMode {
  const m = COS_MODES[`${optElem}/${cenwave}`];
  if (!m) throw new Error(`no COS mode ${optElem}/${cenwave}`);
  return m;
}

// ---------------------------------------------------------------------------------------------
// STIS

export interface StisOrder {
  sporder: number;
  /** x1d wavelength of low-res pixel 0 and the step per low-res pixel (1024 pixels). */
  wave0: number;
  dwave: number;
  /**
   * The x1d box as real files give it, in low-res (1024-row) image rows: A2CENTER, EXTRSIZE (full
   * height), BK1OFFST/BK2OFFST (background centres relative to A2CENTER) and BK1SIZE/BK2SIZE. The
   * events lie around 2 × (A2CENTER + SHIFTA2) on the 2048-row grid (§7.4 corrected).
   */
  a2center: number;
  extrsize: number;
  bk1offst: number;
  bk2offst: number;
  bksize: number;
  /** Relative source strength. */
  weight: number;
}

export interface StisMode {
  detector: 'FUV-MAMA' | 'NUV-MAMA';
  optElem: string;
  cenwave: number;
  echelle: boolean;
  orders: StisOrder[];
  specres: number;
  platesc: number;
}

export const STIS_MAMA = {
  /** Hi-res pixels per axis (AXIS1/AXIS2 run 1…2048). */
  size: 2048,
  sdqflags: 31743,
  /** Source cross-dispersion profile: discrete triangular of this half-width (AXIS2 pixels). */
  profileHalfWidth: 3,
};

/**
 * Echelle orders `first` … `last` (x1d rows in that order). A cross-disperser grating separates
 * orders by Δλ ∝ λ/m ∝ 1/m², so the spacing shrinks from `topSpacing` low-res rows at the lowest
 * order (placed at `topCenter`) towards the highest; each order's backgrounds lie half-way to its
 * neighbours (±16 rows where the orders are 32 apart), clear of every order's source profile.
 */
function echelleOrders(first: number, last: number, k: number, topCenter: number, topSpacing: number): StisOrder[] {
  const spacing = (m: number): number => topSpacing * (last / m) ** 2;
  const orders: StisOrder[] = [];
  for (let m = first; m >= last; m--) {
    let a2 = topCenter;
    for (let j = last; j < m; j++) a2 -= spacing(j + 0.5);
    const center = k / m;
    const width = (1.1 * center) / m;
    const half = Math.round(spacing(m) / 2);
    orders.push({
      sporder: m,
      wave0: center - width / 2,
      dwave: width / 1023,
      a2center: Math.round(a2 * 100) / 100,
      extrsize: 7,
      bk1offst: -half,
      bk2offst: half,
      bksize: 5,
      weight: 1,
    });
  }
  return orders;
}

/** A first-order spectrum at the slit centre: A2CENTER ≈ 507–514 low-res rows in real x1d files. */
const firstOrder = (wave0: number, dwave: number, a2center: number): StisOrder[] => [
  { sporder: 1, wave0, dwave, a2center, extrsize: 7, bk1offst: -300, bk2offst: 300, bksize: 5, weight: 1 },
];

export const STIS_MODES: Record<string, StisMode> = {
  'G140L/1425': {
    detector: 'FUV-MAMA',
    optElem: 'G140L',
    cenwave: 1425,
    echelle: false,
    orders: firstOrder(1126.284, 0.584, 511.75),
    specres: 1000,
    platesc: 0.0246,
  },
  'G230L/2376': {
    detector: 'NUV-MAMA',
    optElem: 'G230L',
    cenwave: 2376,
    echelle: false,
    orders: firstOrder(1568.0, 1.58, 509.5),
    specres: 500,
    platesc: 0.0248,
  },
  'E140M/1425': {
    detector: 'FUV-MAMA',
    optElem: 'E140M',
    cenwave: 1425,
    echelle: true,
    orders: echelleOrders(129, 86, 152470, 1000, 32),
    specres: 45800,
    platesc: 0.036,
  },
};

export function stisMode(optElem: string, cenwave: number): StisMode {
  const m = STIS_MODES[`${optElem}/${cenwave}`];
  if (!m) throw new Error(`no STIS mode ${optElem}/${cenwave}`);
  return m;
}

/** Airglow lines (Å) and the half-width of the simulated line (filled aperture), Å. */
export const AIRGLOW = {
  lya: { wavelength: 1215.67, halfWidth: 3 },
  oi: { wavelength: 1304.0, halfWidth: 2.5 },
} as const;

/** §6.3 airglow windows of the original (inclusive). */
export const AIRGLOW_WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [1208, 1225],
  [1298, 1312],
];
