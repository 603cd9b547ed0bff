/**
 * COS corrtag → lightcurve (§6). One code path for both algorithms; `AlgorithmParams` switches the
 * background scale, source sensitivity, MJD constant, NUV imaging and NUV reference-row rules.
 */
import { CORRECTED, type AlgorithmParams } from '../../lightcurve/algorithm.js';
import { timeGrid } from '../../lightcurve/binning.js';
import { deriveColumns, pyFloat, pyInt, type CountArray, type Descriptive, type Lightcurve, type PyNumber } from '../../lightcurve/table.js';
import { cutWarning, droppedTimeWarnings, gridCut, keepBinsInsideGti, readGti } from '../../lightcurve/gti.js';
import type { Header } from '../../fits/index.js';
import { ProductError } from '../../fits/index.js';
import { EventTable, exposureStartMjd } from '../events.js';
import { RefLog, type RefContext } from '../reffiles.js';
import { accumulate, nPixels, scanSelections, type PlanCalibration, type SegmentPlan } from '../selection.js';
import { loadSensitivity, loadTds } from './calibration.js';
import { collectInputs, extractionRegion, type SegmentInput } from './inputs.js';
import { individualLightcurveName } from '../names.js';

export interface ExtractOptions {
  /** Bin width in seconds (the library's default is 1; the pipeline passes 2). */
  step?: number;
  /** Exclusive wavelength bounds (Å); default by detector (§6.2). */
  wlim?: readonly [number, number];
  xlim?: readonly [number, number];
  /** One y range for every segment instead of the header regions. */
  ylim?: readonly [number, number];
  filterAirglow?: boolean;
  algorithm?: AlgorithmParams;
  refs?: RefContext;
  chunkRows?: number;
  /** Override the number as Python saw it (composites pass float wavelength limits). */
  wlimFloat?: boolean;
}

/** Days per second of the original (§6.2: 1.15741e-5, not 1/86400). */
export const SECOND_PER_MJD = 1.15741e-5;

const COS_COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'DQ', 'EPSILON'];

export function describeFrom(primary: Header): Descriptive {
  const s = (k: string): string => (primary.string(k) ?? '').trim();
  const n = (k: string): number | undefined => {
    try {
      return primary.number(k);
    } catch {
      return undefined;
    }
  };
  const cen = primary.get('CENWAVE');
  return {
    TELESCOP: s('TELESCOP'),
    INSTRUME: s('INSTRUME'),
    DETECTOR: s('DETECTOR'),
    OPT_ELEM: s('OPT_ELEM'),
    CENWAVE: typeof cen === 'number' ? cen : s('CENWAVE'),
    APERTURE: s('APERTURE'),
    TARGNAME: s('TARGNAME'),
    RA_TARG: n('RA_TARG'),
    DEC_TARG: n('DEC_TARG'),
    EQUINOX: n('EQUINOX'),
    TARDESCR: s('TARDESCR'),
    TARDESC2: s('TARDESC2'),
    OBSTYPE: s('OBSTYPE'),
    ROOTNAME: s('ROOTNAME'),
  };
}

function num(v: number, float: boolean): PyNumber {
  return float ? pyFloat(v) : pyInt(v);
}

/** §6 extract + §8.1 derived columns and metadata. */
export async function extractCos(path: string, opts: ExtractOptions = {}): Promise<Lightcurve> {
  const algorithm = opts.algorithm ?? CORRECTED;
  const step = opts.step ?? 1;
  if (!(step > 0)) throw new Error(`step must be positive, got ${step}`);
  const inputs = await collectInputs(path);
  const log = new RefLog();
  try {
    const { primary, detector } = inputs;
    let wlim: [PyNumber, PyNumber] =
      opts.wlim !== undefined
        ? [num(opts.wlim[0], opts.wlimFloat ?? !Number.isInteger(opts.wlim[0])), num(opts.wlim[1], opts.wlimFloat ?? !Number.isInteger(opts.wlim[1]))]
        : detector === 'FUV'
          ? [pyInt(915), pyInt(1800)]
          : [pyInt(915), pyInt(3200)];
    let xlim: [PyNumber, PyNumber] = opts.xlim !== undefined ? [num(opts.xlim[0], !Number.isInteger(opts.xlim[0])), num(opts.xlim[1], !Number.isInteger(opts.xlim[1]))] : [pyInt(0), pyInt(16384)];
    let ylim: [PyNumber, PyNumber] | null = opts.ylim !== undefined ? [num(opts.ylim[0], true), num(opts.ylim[1], true)] : null;
    let segments: SegmentInput[] = inputs.segments;
    const imaging = (primary.string('OBSTYPE') ?? '').trim().toUpperCase() === 'IMAGING';
    if (imaging) {
      // §6.2 IMAGING override of any caller values
      xlim = [pyInt(0), pyInt(1024)];
      ylim = [pyInt(0), pyInt(512)];
      wlim = [pyInt(-1), pyInt(1)];
      // As built every NUV stripe counts the same forced region (×3, §15.14); corrected counts it once.
      if (algorithm.imagingOncePerFile) segments = segments.slice(0, 1);
    }
    if (segments.length === 0) throw new ProductError(`${path}: no segment files found`);
    const filterAirglow = opts.filterAirglow ?? true;

    const tables = new Map<string, EventTable>();
    const plans: SegmentPlan[] = segments.map((seg) => {
      let table = tables.get(seg.path);
      if (table === undefined) {
        table = new EventTable(seg.reader, 1, COS_COLUMNS, opts.chunkRows);
        tables.set(seg.path, table);
      }
      const spectrum = ylim !== null ? ([ylim[0].value, ylim[1].value] as const) : extractionRegion(seg.events, seg.letter, 'spectrum', seg.path);
      const sdq = seg.events.integer('SDQFLAGS');
      if (sdq === undefined) throw new ProductError(`${seg.path}: events header has no SDQFLAGS`);
      return {
        label: seg.letter,
        file: seg.path,
        table,
        sdqflags: sdq,
        xlim: [xlim[0].value, xlim[1].value],
        wlim: [wlim[0].value, wlim[1].value],
        filterAirglow,
        spectrum,
        // Corrected IMAGING has no spectroscopic background regions (the keywords describe spectra).
        backgrounds:
          imaging && algorithm.imagingOncePerFile
            ? []
            : [extractionRegion(seg.events, seg.letter, 'background1', seg.path), extractionRegion(seg.events, seg.letter, 'background2', seg.path)],
        xColumn: 'XCORR',
        yColumn: 'YCORR',
      };
    });

    const scan = await scanSelections(plans);
    // §6.5 time grid: anchored at the later first event (never below 0), cut at EXPTIME
    let start = 0;
    let end = 0;
    let exptime = 0;
    plans.forEach((p, i) => {
      if (scan.rows[i] === 0) throw new ProductError(`${p.file}: the events table is empty (no events in segment ${p.label})`);
      start = Math.max(start, scan.tmin[i]);
      end = Math.max(end, scan.tmax[i]);
      const e = segments[i].events.number('EXPTIME');
      if (e === undefined) throw new ProductError(`${p.file}: events header has no EXPTIME`);
      exptime = Math.max(exptime, e);
    });
    // Corrected: the grid runs to the last good time interval, so an exposure with a gap (where
    // EXPTIME, the live time, is shorter than the span) keeps its later events.
    const gti = algorithm.gridEndAtGti || algorithm.dropBinsOutsideGti ? await readGti(segments[0].path) : undefined;
    const cutAt = gridCut(exptime, gti, algorithm.gridEndAtGti);
    end = Math.min(end, cutAt);
    const grid = timeGrid(start, end, step, path);

    const cals: PlanCalibration[] = [];
    for (let i = 0; i < plans.length; i++) {
      const seg = segments[i];
      const p = plans[i];
      const optElem = (seg.primary.string('OPT_ELEM') ?? '').trim();
      const aperture = (seg.primary.string('APERTURE') ?? '').trim();
      const cenwave = seg.primary.get('CENWAVE');
      // §6.7/§15.15: the original matches the file's primary SEGMENT (NUV: 'N/A' → no row → unity)
      const segment =
        detector === 'NUV' && algorithm.nuvRowByStripe ? `NUV${seg.letter}` : (seg.primary.string('SEGMENT') ?? '').trim();
      const key = { segment, opt_elem: optElem, cenwave: typeof cenwave === 'number' || typeof cenwave === 'string' ? cenwave : '', aperture };
      const expstart = exposureStartMjd(seg.events, p.file);
      const src = scan.spectrum[i];
      const bks = scan.backgrounds[i];
      const bCount = bks.reduce((s, b) => s + b.count, 0);
      const needCal = src.count > 0 || bCount > 0;
      const sens = needCal ? await loadSensitivity(seg.primary, key, opts.refs ?? {}, log) : undefined;
      const tds = needCal ? await loadTds(seg.primary, key, expstart, opts.refs ?? {}, log) : undefined;
      const bwmin = Math.min(Infinity, ...bks.map((b) => b.wmin));
      const bwmax = Math.max(-Infinity, ...bks.map((b) => b.wmax));
      const [ys, ye] = p.spectrum;
      let backgroundScale = 0;
      if (p.backgrounds.length === 2) {
        const [b1s, b1e] = p.backgrounds[0];
        const [b2s, b2e] = p.backgrounds[1];
        backgroundScale =
          algorithm.backgroundScale === 'original'
            ? (b2e - b2s) / (ye - ys) / 2 // §6.6 as built: region 2 only, inverted
            : (ye - ys) / (b1e - b1s + (b2e - b2s));
      }
      cals.push({
        sourceSensitivity: sens !== undefined && src.count > 0 ? sens.stretched(src.wmin, src.wmax) : undefined,
        backgroundSensitivity: sens !== undefined && bCount > 0 ? sens.stretched(bwmin, bwmax) : undefined,
        tds,
        backgroundScale,
        nPix: nPixels(src, p.xlim),
      });
    }

    const sums = await accumulate(plans, scan, cals, grid, algorithm, step);
    const nb = Math.max(0, grid.edges.length - 1);
    const numpy = algorithm.summation === 'numpy';
    const r = numpy ? Math.fround : (v: number) => v;
    const gross64 = new Float64Array(nb);
    const bkg64 = new Float64Array(nb);
    const flux = new Float64Array(nb);
    const bflux = new Float64Array(nb);
    sums.forEach((s, i) => {
      const c = cals[i];
      // numpy: float32 array × Python float → the float is cast to float32 first
      const b = r(c.backgroundScale);
      for (let k = 0; k < nb; k++) {
        gross64[k] = r(gross64[k] + s.gross[k]);
        bkg64[k] = r(bkg64[k] + r(b * s.background[k]));
        flux[k] += s.fluxRaw[k] / s.meanSensitivity / c.nPix;
        bflux[k] += (c.backgroundScale * s.backgroundFluxRaw[k]) / c.nPix;
      }
    });
    for (let k = 0; k < nb; k++) flux[k] -= bflux[k];

    // §6.6 MJD from the EXPSTART of the last segment iterated
    const expstart = segments[segments.length - 1].events.number('EXPSTART') as number;
    const n = grid.truncate ? nb - 1 : nb;
    if (n <= 0) {
      // The original fails later on an empty table (min of nothing); say why here.
      throw new ProductError(`${path}: no complete ${step} s time bin between ${start} and ${end} s (EXPTIME ${exptime}); nothing to extract`);
    }
    const f32 = sums.length > 0 && sums[0].gross instanceof Float32Array;
    const cut = (a: Float64Array): Float64Array => a.slice(0, n);
    const counts = (a: Float64Array): CountArray => (f32 ? Float32Array.from(a.subarray(0, n)) : a.slice(0, n));
    const times = grid.edges.slice(0, n);
    const mjd = new Float64Array(n);
    for (let k = 0; k < n; k++) mjd[k] = expstart + times[k] * algorithm.daysPerSecond;
    let columns = deriveColumns({
      dataset: new Float64Array(n).fill(1),
      times,
      mjd,
      bins: new Float64Array(n).fill(step),
      gross: counts(gross64),
      background: counts(bkg64),
      flux: cut(flux),
    });
    if (algorithm.dropBinsOutsideGti && gti !== undefined && gti.length > 0) columns = keepBinsInsideGti(columns, step, gti, path);
    const refFiles = Object.fromEntries(log.used);
    return {
      columns,
      meta: {
        source: path,
        instrument: 'COS',
        sourceFiles: inputs.sourceFiles,
        step,
        wlim,
        xlim,
        ylim,
        segmentYlim: plans.map((p) => ({ letter: p.label, start: p.spectrum[0], end: p.spectrum[1] })),
        filetype: 'cos_corrtag',
        outname: individualLightcurveName(path),
        describe: describeFrom(primary),
        algorithm,
        refFiles,
        warnings: [...log.warnings, ...droppedTimeWarnings(scan.nanTimes, scan.negativeTimes, start), ...cutWarning(Math.max(...scan.tmax), cutAt, exptime)],
        sourceEvents: scan.spectrum.reduce((s, x) => s + x.count, 0),
      },
    };
  } finally {
    for (const r of inputs.readers) await r.close();
  }
}
