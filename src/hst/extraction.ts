/**
 * The one extraction skeleton (§6, §7.4): corrtag → lightcurve for every instrument mode. The mode
 * (modes/) answers for its files, limits, region plans, calibration and header metadata; the steps
 * are the same for all: limits → plans → scan → grid → calibrate → accumulate → combine → MJD → meta.
 * One code path for both algorithms; `AlgorithmParams` switches the rules that differ (§15).
 */
import { CORRECTED } from '../lightcurve/algorithm.js';
import { timeGrid } from '../lightcurve/binning.js';
import { cutWarning, droppedTimeWarnings, gridCut, keepBinsInsideGti, readGti } from '../lightcurve/gti.js';
import { deriveColumns, type CountArray, type Lightcurve } from '../lightcurve/table.js';
import { FitsReader, ProductError } from '../fits/index.js';
import { classify } from './detect.js';
import { exposureStartMjd } from './events.js';
import { describeFrom, isImaging, type ExtractionMode, type ExtractOptions, type ModeContext, type ModeInputs } from './mode.js';
import { modeFor } from './modes/index.js';
import { individualLightcurveName } from './names.js';
import { RefLog } from './reffiles.js';
import { accumulate, scanSelections, type PlanCalibration, type PlanSums } from './selection.js';

export type { ExtractOptions } from './mode.js';

/** Extract the lightcurve of a COS or STIS corrtag by the mode that accepts it (COS: with its FUV partner). */
export async function extractEvents(path: string, opts: ExtractOptions = {}): Promise<Lightcurve> {
  const step = opts.step ?? 1;
  if (!(step > 0)) throw new Error(`step must be positive, got ${step}`);
  const first = await FitsReader.open(path);
  let inputs: ModeInputs | undefined;
  try {
    const primary = first.hdus[0].header;
    const columns = first.hdus[1]?.table?.columns.map((c) => c.name) ?? [];
    const mode = modeFor(classify(primary, columns), primary, path);
    inputs = await mode.open(path, first);
    return await extractWith(mode, inputs, path, opts, step);
  } finally {
    const readers = inputs?.readers ?? [first];
    for (const r of readers) await r.close();
    if (!readers.includes(first)) await first.close();
  }
}

/**
 * §6.6 the plans' sums into one lightcurve: counts add up in the dtype of the event weights (numpy
 * rounds each float32 sum, and casts the Python-float background scale to float32 first) unless the
 * mode sums into float64; flux is Σ source flux − Σ scaled background flux, in float64.
 */
function combine(mode: ExtractionMode, sums: readonly PlanSums[], cals: readonly PlanCalibration[], nb: number, numpy: boolean) {
  const r = numpy && !mode.float64Counts ? Math.fround : (v: number) => v;
  const gross = new Float64Array(nb);
  const background = new Float64Array(nb);
  const flux = new Float64Array(nb);
  const bflux = new Float64Array(nb);
  sums.forEach((s, i) => {
    const c = cals[i];
    const b = r(c.backgroundScale);
    for (let k = 0; k < nb; k++) {
      gross[k] = r(gross[k] + s.gross[k]);
      background[k] = r(background[k] + r(b * s.background[k]));
      flux[k] += s.fluxRaw[k] / s.meanSensitivity / c.nPix;
      bflux[k] += (c.backgroundScale * s.backgroundFluxRaw[k]) / c.nPix;
    }
  });
  for (let k = 0; k < nb; k++) flux[k] -= bflux[k];
  const f32 = !mode.float64Counts && sums.length > 0 && sums[0].gross instanceof Float32Array;
  return { gross, background, flux, f32 };
}

async function extractWith(mode: ExtractionMode, inputs: ModeInputs, path: string, opts: ExtractOptions, step: number): Promise<Lightcurve> {
  const algorithm = opts.algorithm ?? CORRECTED;
  const log = new RefLog();
  const ctx: ModeContext = { path, opts, algorithm, refs: opts.refs ?? {}, log, imaging: isImaging(inputs.primary) };
  const limits = mode.limits(opts, ctx.imaging);
  const { plans, segmentYlim, closingNote } = await mode.plans(inputs, limits, ctx);
  const scan = await scanSelections(plans);

  // §6.5 time grid over the mode's span, cut at EXPTIME as built; corrected runs it to the last good
  // time interval, so an exposure with a gap (EXPTIME, the live time, shorter than the span) keeps its later events.
  const span = mode.span(inputs, plans, scan, ctx);
  const gti = algorithm.gridEndAtGti || algorithm.dropBinsOutsideGti ? await readGti(plans[0].input.path) : undefined;
  const cutAt = gridCut(span.exptime, gti, algorithm.gridEndAtGti);
  const { start, exptime } = span;
  const end = Math.min(span.end, cutAt);
  const grid = timeGrid(start, end, step, path);

  const cals: PlanCalibration[] = [];
  for (let i = 0; i < plans.length; i++) cals.push(await mode.calibrate(inputs, plans, i, scan, ctx));
  const sums = await accumulate(plans, scan, cals, grid, algorithm, step);
  if (closingNote !== undefined) log.note(closingNote);
  const nb = Math.max(0, grid.edges.length - 1);
  const { gross, background, flux, f32 } = combine(mode, sums, cals, nb, algorithm.summation === 'numpy');

  const n = grid.truncate ? nb - 1 : nb;
  if (n <= 0) {
    // The original fails later on an empty table (min of nothing); say why here.
    throw new ProductError(`${path}: no complete ${step} s time bin between ${start} and ${end} s (EXPTIME ${exptime}); nothing to extract`);
  }
  // §6.6 MJD from the EXPSTART of the last segment iterated
  const last = plans[plans.length - 1].input;
  const expstart = exposureStartMjd(last.events, last.path);
  const counts = (a: Float64Array): CountArray => (f32 ? Float32Array.from(a.subarray(0, n)) : a.slice(0, n));
  const times = grid.edges.slice(0, n);
  const mjd = new Float64Array(n);
  for (let k = 0; k < n; k++) mjd[k] = expstart + times[k] * algorithm.daysPerSecond;
  let columns = deriveColumns({
    dataset: new Float64Array(n).fill(1),
    times,
    mjd,
    bins: new Float64Array(n).fill(step),
    gross: counts(gross),
    background: counts(background),
    flux: flux.slice(0, n),
  });
  if (algorithm.dropBinsOutsideGti && gti !== undefined && gti.length > 0) columns = keepBinsInsideGti(columns, step, gti, path);
  return {
    columns,
    meta: {
      source: path,
      instrument: mode.instrument,
      ...(inputs.sourceFiles !== undefined ? { sourceFiles: inputs.sourceFiles } : {}),
      step,
      ...limits,
      segmentYlim,
      filetype: mode.filetype,
      outname: individualLightcurveName(path),
      describe: describeFrom(inputs.primary),
      algorithm,
      refFiles: Object.fromEntries(log.used),
      warnings: [
        ...log.warnings,
        ...droppedTimeWarnings(scan.nanTimes, scan.negativeTimes, start),
        ...(span.lastEvent !== undefined ? cutWarning(span.lastEvent, cutAt, exptime) : []),
      ],
      sourceEvents: scan.spectrum.reduce((s, x) => s + x.count, 0),
    },
  };
}
