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
import { describeFrom, isImaging, type ExtractionMode, type ExtractOptions, type ModeContext, type ModeInputs, type ModePlan } from './mode.js';
import { modeFor } from './modes/index.js';
import { individualLightcurveName } from './names.js';
import { RefLog } from './reffiles.js';
import { accumulate, recordSelections, replayFor, replayScan, scanSelections, SelectionRecorder, type PlanCalibration, type PlanSums, type SelectionRecord } from './selection.js';
import { memberEventsCount, readMemberRecord, writeMemberEvents } from './member-events.js';
import { addValidExtremes, VALID_WAVELENGTH_MIN, validWavelengthMax, type ValidExtremes } from './wavelength-range.js';
import type { WavelengthRange } from '../lightcurve/composite.js';

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
    const memory = opts.memberEvents;
    if (memory === undefined) return await extractWith(mode, inputs, path, opts, step);
    // member-events.ts: keep what this extraction selects, or replay what an earlier one kept.
    const files = [...new Set(inputs.segments.map((s) => s.path))];
    const record = memory.role === 'replay' ? await readMemberRecord(memory.dir, files) : undefined;
    const kept: Kept = {};
    const lc = await extractWith(mode, inputs, path, opts, step, { ...(record !== undefined ? { record } : {}), ...(memory.role === 'record' ? { keep: kept } : {}) });
    if (memory.role === 'record') await writeMemberEvents(memory.dir, files, kept.record, kept.range).catch(() => undefined);
    return lc;
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

/** What a recording extraction kept: its selection, and the valid-event range of its files (null: none). */
interface Kept {
  record?: SelectionRecord;
  range?: WavelengthRange | null;
}

/**
 * Pass 1 recorded (selection.ts recordSelections) on a window holding every composite range (§9.3a),
 * with the valid range of the files taken on the way; `kept` receives both.
 */
async function recordFor(inputs: ModeInputs, plans: readonly ModePlan[], kept: Kept): Promise<SelectionRecord | undefined> {
  const hardMax = validWavelengthMax(inputs.primary);
  let sdq = 0;
  for (const s of inputs.segments) sdq |= s.events.integer('SDQFLAGS') ?? 0;
  const acc: ValidExtremes = { wmin: Infinity, wmax: -Infinity };
  const recorder = new SelectionRecorder([VALID_WAVELENGTH_MIN, hardMax], (_table, rows, X, Y, W, DQ) => addValidExtremes(acc, rows, DQ, W, X, Y, sdq, hardMax));
  kept.record = await recordSelections(plans, recorder);
  // The range is the files' only when the plans read every one of them, each through one table.
  const files = new Set(inputs.segments.map((s) => s.path));
  const read = new Set(plans.map((p) => p.input.path));
  const tables = new Set(plans.map((p) => p.table));
  if (read.size === files.size && [...files].every((f) => read.has(f)) && tables.size === files.size) {
    kept.range = acc.wmin <= acc.wmax ? { wmin: acc.wmin, wmax: acc.wmax } : null;
  }
  return kept.record;
}

async function extractWith(
  mode: ExtractionMode,
  inputs: ModeInputs,
  path: string,
  opts: ExtractOptions,
  step: number,
  memory: { record?: SelectionRecord; keep?: Kept } = {},
): Promise<Lightcurve> {
  const algorithm = opts.algorithm ?? CORRECTED;
  const log = new RefLog();
  const ctx: ModeContext = { path, opts, algorithm, refs: opts.refs ?? {}, log, imaging: isImaging(inputs.primary) };
  const limits = mode.limits(opts, ctx.imaging);
  const { plans, segmentYlim, closingNote } = await mode.plans(inputs, limits, ctx);
  // A kept selection (member-events.ts) stands in for reading the tables; recording reads them once.
  const record = memory.record ?? (memory.keep !== undefined ? await recordFor(inputs, plans, memory.keep) : undefined);
  const replay = record !== undefined ? replayFor(record, plans) : undefined;
  const scan = replay !== undefined ? replayScan(replay, plans) : await scanSelections(plans);
  if (replay !== undefined && memory.record !== undefined) memberEventsCount.replayed++;

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
  const sums = await accumulate(plans, scan, cals, grid, algorithm, step, replay);
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
