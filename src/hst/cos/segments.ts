/**
 * COS's answers to the extraction skeleton (§6), shared by the FUV and NUV modes: the segment files
 * (§6.1), the limits (§6.2), a plan per segment or NUV stripe from the events-header regions (§6.4), the
 * grid span over the segments (§6.5) and each plan's FLUXTAB/TDSTAB calibration and background scale
 * (§6.6–§6.8). `AlgorithmParams` switches the background scale, NUV imaging and NUV reference-row rules.
 */
import type { FitsReader } from '../../fits/index.js';
import type { AlgorithmParams } from '../../lightcurve/algorithm.js';
import type { FileKind } from '../detect.js';
import { ProductError } from '../../fits/index.js';
import { EventTable, exposureStartMjd } from '../events.js';
import { intLimit, limitOf, values, type ExtractionMode, type ExtractOptions, type Limit, type Limits, type ModeContext, type ModeInputs, type ModePlan, type ModePlans, type ModeSpan, type SegmentInput } from '../mode.js';
import { nPixels, type PlanCalibration, type ScanResult } from '../selection.js';
import { loadSensitivity, loadTds } from './calibration.js';
import { collectInputs, extractionRegion } from './inputs.js';

const COS_COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'DQ', 'EPSILON'];

/** §6.1: the segment files (NUV stripes of one file, or the FUV a/b pair). */
export const openCos = (path: string, first: FitsReader): Promise<ModeInputs> => collectInputs(path, first);

/** §6.2 limits: the caller's, else `wlim` of the detector, x over the whole detector, y from the header regions; IMAGING overrides any. */
export function cosLimits(opts: ExtractOptions, imaging: boolean, wlim: Limit): Limits {
  // §6.2 IMAGING override of any caller values
  if (imaging) return { xlim: intLimit(0, 1024), ylim: intLimit(0, 512), wlim: intLimit(-1, 1) };
  return {
    wlim: opts.wlim !== undefined ? limitOf(opts.wlim, opts.wlimFloat) : wlim,
    xlim: opts.xlim !== undefined ? limitOf(opts.xlim) : intLimit(0, 16384),
    ylim: opts.ylim !== undefined ? limitOf(opts.ylim, true) : null,
  };
}

/** §6.4: one plan per segment (FUV) or stripe (NUV), the spectrum region and two backgrounds from the events header. */
export async function cosPlans(inputs: ModeInputs, limits: Limits, ctx: ModeContext): Promise<ModePlans> {
  const { algorithm, imaging, opts } = ctx;
  // As built every NUV stripe counts the same forced region (×3, §15.14); corrected counts it once.
  const segments = imaging && algorithm.imagingOncePerFile ? inputs.segments.slice(0, 1) : inputs.segments;
  if (segments.length === 0) throw new ProductError(`${ctx.path}: no segment files found`);
  const { ylim } = limits;
  const tables = new Map<string, EventTable>();
  const plans = segments.map((seg): ModePlan => {
    let table = tables.get(seg.path);
    if (table === undefined) {
      table = new EventTable(seg.reader, 1, COS_COLUMNS, opts.chunkRows);
      tables.set(seg.path, table);
    }
    const spectrum = ylim !== null ? values(ylim) : extractionRegion(seg.events, seg.letter, 'spectrum', seg.path);
    const sdq = seg.events.integer('SDQFLAGS');
    if (sdq === undefined) throw new ProductError(`${seg.path}: events header has no SDQFLAGS`);
    return {
      label: seg.letter,
      file: seg.path,
      input: seg,
      table,
      sdqflags: sdq,
      xlim: values(limits.xlim),
      wlim: values(limits.wlim),
      filterAirglow: opts.filterAirglow ?? true,
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
  return { plans, segmentYlim: plans.map((p) => ({ letter: p.label, start: p.spectrum[0], end: p.spectrum[1] })) };
}

/** §6.5: anchored at the later first event (never below 0), to the later last event, cut at the largest EXPTIME. */
export function cosSpan(_inputs: ModeInputs, plans: readonly ModePlan[], scan: ScanResult): ModeSpan {
  let start = 0;
  let end = 0;
  let exptime = 0;
  plans.forEach((p, i) => {
    if (scan.rows[i] === 0) throw new ProductError(`${p.file}: the events table is empty (no events in segment ${p.label})`);
    start = Math.max(start, scan.tmin[i]);
    end = Math.max(end, scan.tmax[i]);
    const e = p.input.events.number('EXPTIME');
    if (e === undefined) throw new ProductError(`${p.file}: events header has no EXPTIME`);
    exptime = Math.max(exptime, e);
  });
  return { start, end, exptime, lastEvent: Math.max(...scan.tmax) };
}

/**
 * §6.6–§6.8 one plan's calibration: the FLUXTAB row of `rowSegment` (the SEGMENT the mode matches,
 * §6.7/§15.15), TDS at the exposure start, and the background scale.
 */
export async function cosCalibration(
  plans: readonly ModePlan[],
  i: number,
  scan: ScanResult,
  ctx: ModeContext,
  rowSegment: (seg: SegmentInput) => string,
): Promise<PlanCalibration> {
  const p = plans[i];
  const seg = p.input;
  const optElem = (seg.primary.string('OPT_ELEM') ?? '').trim();
  const aperture = (seg.primary.string('APERTURE') ?? '').trim();
  const cenwave = seg.primary.get('CENWAVE');
  const key = { segment: rowSegment(seg), opt_elem: optElem, cenwave: typeof cenwave === 'number' || typeof cenwave === 'string' ? cenwave : '', aperture };
  const expstart = exposureStartMjd(seg.events, p.file);
  const src = scan.spectrum[i];
  const bks = scan.backgrounds[i];
  const bCount = bks.reduce((s, b) => s + b.count, 0);
  const needCal = src.count > 0 || bCount > 0;
  const sens = needCal ? await loadSensitivity(seg.primary, key, ctx.refs, ctx.log) : undefined;
  const tds = needCal ? await loadTds(seg.primary, key, expstart, ctx.refs, ctx.log) : undefined;
  const bwmin = Math.min(Infinity, ...bks.map((b) => b.wmin));
  const bwmax = Math.max(-Infinity, ...bks.map((b) => b.wmax));
  const [ys, ye] = p.spectrum;
  let backgroundScale = 0;
  if (p.backgrounds.length === 2) {
    const [b1s, b1e] = p.backgrounds[0];
    const [b2s, b2e] = p.backgrounds[1];
    backgroundScale =
      ctx.algorithm.backgroundScale === 'original'
        ? (b2e - b2s) / (ye - ys) / 2 // §6.6 as built: region 2 only, inverted
        : (ye - ys) / (b1e - b1s + (b2e - b2s));
  }
  return {
    sourceSensitivity: sens !== undefined && src.count > 0 ? sens.stretched(src.wmin, src.wmax) : undefined,
    backgroundSensitivity: sens !== undefined && bCount > 0 ? sens.stretched(bwmin, bwmax) : undefined,
    tds,
    backgroundScale,
    nPix: nPixels(src, p.xlim),
  };
}

/** §6.7: the primary header's SEGMENT keyword, as the original matches it. */
export const primarySegment = (seg: SegmentInput): string => (seg.primary.string('SEGMENT') ?? '').trim();

/** What makes a COS mode: its detected kind, its default wavelength range, and the FLUXTAB/TDSTAB SEGMENT it matches. */
export interface CosModeSpec {
  name: string;
  kind: FileKind;
  wlim: Limit;
  rowSegment(seg: SegmentInput, algorithm: AlgorithmParams): string;
}

/** A COS mode: the COS answers above with the mode's own range and reference rows. */
export function cosMode(spec: CosModeSpec): ExtractionMode {
  return {
    name: spec.name,
    accepts: (d) => d.kind === spec.kind,
    instrument: 'COS',
    filetype: 'cos_corrtag',
    float64Counts: false,
    open: openCos,
    limits: (opts, imaging) => cosLimits(opts, imaging, spec.wlim),
    plans: cosPlans,
    span: cosSpan,
    calibrate: (_inputs, plans, i, scan, ctx) => cosCalibration(plans, i, scan, ctx, (seg) => spec.rowSegment(seg, ctx.algorithm)),
  };
}
