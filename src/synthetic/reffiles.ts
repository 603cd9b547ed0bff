/**
 * Calibration reference files the extraction reads, laid out like the CRDS originals:
 * COS FLUXTAB (`*_phot.fits`) and TDSTAB (`*_tds.fits`) under lref/, STIS pixel and low-order
 * flats (`*_pfl.fits`, `*_lfl.fits`), bad-pixel tables (`*_bpx.fits`) and the photometric table
 * (`*_pht.fits`) under oref/. Science headers name them `lref$<name>` / `oref$<name>`.
 */
import type { HduSpec } from '../fits/index.js';
import { refPrimaryCards, fcard } from './headers.js';
import { COS_MODES, STIS_MODES, wavelengthAt, type CosLetter } from './modes.js';
import type { Rng } from './random.js';
import type { BpixRow } from './stis.js';

export interface RefFile {
  dir: 'lref' | 'oref';
  name: string;
  hdus: HduSpec[];
}

/** The primary header of a reference file: FILETYPE, INSTRUME, DETECTOR, DESCRIP (refPrimaryCards). */
type RefPrimary = Parameters<typeof refPrimaryCards>;

/** A reference table as CRDS lays it out: its primary header, then one BINTABLE (FLUXTAB, TDSTAB, BPIXTAB, PHOTTAB). */
function refTable(dir: RefFile['dir'], name: string, primary: RefPrimary, table: Omit<Extract<HduSpec, { type: 'BINTABLE' }>, 'type'>): RefFile {
  return { dir, name, hdus: [{ type: 'PRIMARY', cards: refPrimaryCards(...primary) }, { type: 'BINTABLE', ...table }] };
}

/** Header value naming a reference file: `lref$x6q17586l_phot.fits`. */
export function refValue(f: Pick<RefFile, 'dir' | 'name'>): string {
  return `${f.dir}$${f.name}`;
}

/** A CRDS-like file root: 8 base-36 characters and the instrument letter (l = COS, o = STIS). */
export function refRoot(rng: Rng, letter: 'l' | 'o'): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  let s = String(rng.int(0, 9));
  for (let i = 0; i < 7; i++) s += alphabet[rng.int(0, 35)];
  return s + letter;
}

const APERTURES = ['PSA', 'BOA'] as const;
const BOA_THROUGHPUT = 0.55;

/** Smooth positive sensitivity curve (counts/s/pixel per erg/s/cm²/Å). */
function sensitivity(w: number, lo: number, hi: number, peak: number): number {
  const x = (w - lo) / (hi - lo);
  return peak * (0.35 + 0.65 * Math.sin(Math.PI * Math.min(1, Math.max(0, x))) ** 1.5) * (1 + 0.03 * Math.sin(w / 7.3));
}

/** COS FLUXTAB of one detector: a row per segment/stripe, grating, cenwave and aperture. */
export function cosFluxtab(name: string, detector: 'FUV' | 'NUV', nelem: number): RefFile {
  const rows: Array<{ seg: string; opt: string; cen: number; ap: string; wl: Float64Array; sens: Float32Array }> = [];
  const xMax = detector === 'FUV' ? 16384 : 1024;
  for (const mode of Object.values(COS_MODES)) {
    if (mode.detector !== detector || mode.obstype !== 'SPECTROSCOPIC') continue;
    for (const ap of APERTURES) {
      for (const L of mode.letters) {
        const d = mode.dispersion[L]!;
        const lo = wavelengthAt(d, 0);
        const hi = wavelengthAt(d, xMax);
        const wl = new Float64Array(nelem);
        const sens = new Float32Array(nelem);
        const peak = (detector === 'FUV' ? 1.2e13 : 2.2e12) * (ap === 'BOA' ? BOA_THROUGHPUT : 1) * (mode.weight[L] ?? 1);
        for (let i = 0; i < nelem; i++) {
          wl[i] = lo + ((hi - lo) * i) / (nelem - 1);
          sens[i] = sensitivity(wl[i], lo, hi, peak);
        }
        rows.push({ seg: detector === 'FUV' ? `FUV${L}` : `NUV${L}`, opt: mode.optElem, cen: mode.cenwave, ap, wl, sens });
      }
    }
  }
  const flat = <T extends Float64Array | Float32Array>(ctor: new (n: number) => T, pick: (r: (typeof rows)[number]) => T): T => {
    const out = new ctor(rows.length * nelem);
    rows.forEach((r, i) => out.set(pick(r), i * nelem));
    return out;
  };
  return refTable('lref', name, ['PHOTOMETRIC SENSITIVITY REFERENCE TABLE', 'COS', detector, `Synthetic ${detector} sensitivity curves`], {
    name: 'PHOT',
    columns: [
      { name: 'SEGMENT', data: rows.map((r) => r.seg), format: '4A', disp: 'A4' },
      { name: 'OPT_ELEM', data: rows.map((r) => r.opt), format: '5A', disp: 'A5' },
      { name: 'CENWAVE', data: Int32Array.from(rows.map((r) => r.cen)), format: '1J', unit: 'angstrom', disp: 'I5' },
      { name: 'APERTURE', data: rows.map((r) => r.ap), format: '3A', disp: 'A3' },
      { name: 'NELEM', data: Int32Array.from(rows.map(() => nelem)), format: '1J', disp: 'I6' },
      { name: 'WAVELENGTH', data: flat(Float64Array, (r) => r.wl), format: `${nelem}D`, unit: 'angstrom', disp: 'F10.4' },
      {
        name: 'SENSITIVITY',
        data: flat(Float32Array, (r) => r.sens),
        format: `${nelem}E`,
        unit: 'count /s /pixel / (erg /s /cm**2 /angstrom)',
        disp: 'G15.6',
      },
    ],
  });
}

/** TDSTAB reference time and the epochs of its piecewise-linear segments (MJD). */
export const TDS_REF_TIME = 54976.0;
export const TDS_TIMES = [54976.0, 55450.0, 56131.0, 56800.0, 57300.0];
const TDS_NT_MAX = 8;
const TDS_NWL = 30;

/** COS TDSTAB of one detector: a row per segment/stripe, grating and aperture (no cenwave). */
export function cosTdstab(name: string, detector: 'FUV' | 'NUV', rng: Rng): RefFile {
  const [wlo, whi] = detector === 'FUV' ? [900, 2200] : [1300, 3400];
  const letters: CosLetter[] = detector === 'FUV' ? ['A', 'B'] : ['A', 'B', 'C'];
  const gratings = [...new Set(Object.values(COS_MODES).filter((m) => m.detector === detector && m.obstype === 'SPECTROSCOPIC').map((m) => m.optElem))];
  const rows: Array<{ seg: string; opt: string; ap: string }> = [];
  for (const opt of gratings) for (const ap of APERTURES) for (const L of letters) rows.push({ seg: `${detector}${L}`, opt, ap });
  const nr = rows.length;
  const wave = new Float64Array(nr * TDS_NWL);
  const time = new Float64Array(nr * TDS_NT_MAX);
  const slope = new Float64Array(nr * TDS_NT_MAX * TDS_NWL);
  const intercept = new Float64Array(nr * TDS_NT_MAX * TDS_NWL);
  for (let r = 0; r < nr; r++) {
    for (let j = 0; j < TDS_NWL; j++) wave[r * TDS_NWL + j] = wlo + ((whi - wlo) * j) / (TDS_NWL - 1);
    TDS_TIMES.forEach((t, i) => (time[r * TDS_NT_MAX + i] = t));
    for (let i = 0; i < TDS_TIMES.length; i++) {
      for (let j = 0; j < TDS_NWL; j++) {
        const k = (r * TDS_NT_MAX + i) * TDS_NWL + j;
        slope[k] = -(1 + 2 * rng.uniform());
        intercept[k] = 1 - 0.01 * i - 0.0001 * j;
      }
    }
  }
  return refTable('lref', name, ['TIME DEPENDENT SENSITIVITY TABLE', 'COS', detector, `Synthetic ${detector} TDS table`], {
    name: 'TDS',
    cards: [fcard('REF_TIME', TDS_REF_TIME, 'reference time (MJD) for slopes')],
    columns: [
      { name: 'SEGMENT', data: rows.map((r) => r.seg), format: '4A', disp: 'A4' },
      { name: 'OPT_ELEM', data: rows.map((r) => r.opt), format: '5A', disp: 'A5' },
      { name: 'APERTURE', data: rows.map((r) => r.ap), format: '3A', disp: 'A3' },
      { name: 'NWL', data: Int32Array.from(rows.map(() => TDS_NWL)), format: '1J', disp: 'I4' },
      { name: 'NT', data: Int32Array.from(rows.map(() => TDS_TIMES.length)), format: '1J', disp: 'I4' },
      { name: 'WAVELENGTH', data: wave, format: `${TDS_NWL}D`, unit: 'angstrom', disp: 'F9.3' },
      { name: 'TIME', data: time, format: `${TDS_NT_MAX}D`, unit: 'd', disp: 'F10.3' },
      { name: 'SLOPE', data: slope, format: `${TDS_NT_MAX * TDS_NWL}D`, dim: [TDS_NT_MAX, TDS_NWL], unit: 'percent /yr', disp: 'G12.6' },
      { name: 'INTERCEPT', data: intercept, format: `${TDS_NT_MAX * TDS_NWL}D`, dim: [TDS_NT_MAX, TDS_NWL], disp: 'G12.6' },
    ],
  });
}

/** STIS MAMA flat (P-flat: pixel-to-pixel noise; L-flat: smooth low-order shape), SCI/ERR/DQ. */
export function stisFlat(name: string, kind: 'pfl' | 'lfl', detector: string, size: number, rng: Rng): RefFile {
  const n = size * size;
  const sci = new Float32Array(n);
  const err = new Float32Array(n);
  const dq = new Int16Array(n);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const u = i / (size - 1) - 0.5;
      const v = j / (size - 1) - 0.5;
      sci[j * size + i] = kind === 'pfl' ? 1 + 0.03 * rng.normal() : 1.01 - 0.05 * (u * u + v * v) + 0.01 * u;
      err[j * size + i] = 0.01;
    }
  }
  return {
    dir: 'oref',
    name,
    hdus: [
      {
        type: 'PRIMARY',
        cards: refPrimaryCards(kind === 'pfl' ? 'PIXEL-TO-PIXEL FLAT' : 'LOW-ORDER FLAT', 'STIS', detector, `Synthetic MAMA ${kind === 'pfl' ? 'P' : 'L'}-flat`),
      },
      { type: 'IMAGE', name: 'SCI', extver: 1, image: { data: sci, shape: [size, size] } },
      { type: 'IMAGE', name: 'ERR', extver: 1, image: { data: err, shape: [size, size] } },
      { type: 'IMAGE', name: 'DQ', extver: 1, image: { data: dq, shape: [size, size] } },
    ],
  };
}

/**
 * STIS bad-pixel rows (low-res 1024² coordinates, 1-based). The first rows are defects crossing
 * the first-order spectra and echelle orders, so some source events are DQ-rejected; the rest are
 * random, with values in and out of SDQFLAGS (1024 is not in 31743).
 */
export function stisBpixRows(rng: Rng, count: number): BpixRow[] {
  const rows: BpixRow[] = [
    { PIX1: 300, PIX2: 400, LENGTH: 300, AXIS: 2, VALUE: 4 },
    // Row defects on the first-order spectra (AXIS2 ≈ 1017–1027) and on echelle order 119 (≈ 474).
    { PIX1: 420, PIX2: 511, LENGTH: 150, AXIS: 1, VALUE: 16 },
    { PIX1: 600, PIX2: 513, LENGTH: 80, AXIS: 1, VALUE: 64 },
    { PIX1: 150, PIX2: 237, LENGTH: 100, AXIS: 1, VALUE: 4 },
    { PIX1: 700, PIX2: 512, LENGTH: 60, AXIS: 1, VALUE: 1024 },
  ];
  const values = [4, 16, 64, 1024];
  for (let i = rows.length; i < count; i++) {
    rows.push({ PIX1: rng.int(1, 1000), PIX2: rng.int(1, 1000), LENGTH: rng.int(4, 40), AXIS: rng.int(1, 2), VALUE: rng.pick(values) });
  }
  return rows;
}

export function stisBpixtab(name: string, detector: string, rows: readonly BpixRow[]): RefFile {
  const col = (k: keyof BpixRow): Int16Array => Int16Array.from(rows.map((r) => r[k]));
  return refTable('oref', name, ['BAD PIXELS', 'STIS', detector, 'Synthetic MAMA bad pixel table'], {
    name: 'BPIX',
    columns: [
      { name: 'PIX1', data: col('PIX1'), format: '1I' },
      { name: 'PIX2', data: col('PIX2'), format: '1I' },
      { name: 'LENGTH', data: col('LENGTH'), format: '1I' },
      { name: 'AXIS', data: col('AXIS'), format: '1I' },
      { name: 'VALUE', data: col('VALUE'), format: '1I' },
    ],
  });
}

/** STIS photometric throughput table: one row per first-order mode and per echelle order. */
export function stisPhottab(name: string, nelem: number): RefFile {
  const rows: Array<{ opt: string; cen: number; order: number; wl: Float64Array; thr: Float32Array }> = [];
  for (const mode of Object.values(STIS_MODES)) {
    for (const o of mode.orders) {
      const lo = o.wave0;
      const hi = o.wave0 + 1023 * o.dwave;
      const wl = new Float64Array(nelem);
      const thr = new Float32Array(nelem);
      for (let i = 0; i < nelem; i++) {
        wl[i] = lo + ((hi - lo) * i) / (nelem - 1);
        thr[i] = sensitivity(wl[i], lo, hi, 0.02);
      }
      rows.push({ opt: mode.optElem, cen: mode.cenwave, order: o.sporder, wl, thr });
    }
  }
  const wl = new Float64Array(rows.length * nelem);
  const thr = new Float32Array(rows.length * nelem);
  rows.forEach((r, i) => {
    wl.set(r.wl, i * nelem);
    thr.set(r.thr, i * nelem);
  });
  return refTable('oref', name, ['PHOTOMETRIC CONVERSION TABLE', 'STIS', 'ANY', 'Synthetic STIS PHOTTAB'], {
    name: 'PHT',
    columns: [
      { name: 'OPT_ELEM', data: rows.map((r) => r.opt), format: '8A' },
      { name: 'CENWAVE', data: Int16Array.from(rows.map((r) => r.cen)), format: '1I', unit: 'angstrom' },
      { name: 'SPORDER', data: Int16Array.from(rows.map((r) => r.order)), format: '1I' },
      { name: 'NELEM', data: Int16Array.from(rows.map(() => nelem)), format: '1I' },
      { name: 'WAVELENGTH', data: wl, format: `${nelem}D`, unit: 'angstrom' },
      { name: 'THROUGHPUT', data: thr, format: `${nelem}E` },
    ],
  });
}
