/**
 * STIS's answers to the extraction skeleton (§7.4), shared by the first-order and echelle modes. As
 * built the whole detector inside xlim×ylim is one region, with no background and no TDS; corrected
 * uses the x1d's extraction box and background regions per order (on the 2048-pixel grid:
 * 2 × (A2CENTER + SHIFTA2) ± EXTRSIZE), sums the orders, takes per-event sensitivity, and, as COS,
 * ends the grid at the last GTI stop and drops bins outside the GTIs.
 */
import { existsSync } from 'node:fs';
import { ProductError, type FitsReader, type Header } from '../../fits/index.js';
import { BadDataError } from '../../quality/reasons.js';
import { keywordRefTable, matchRows, numericCell, Sensitivity } from '../cos/calibration.js';
import { EventTable } from '../events.js';
import { intLimit, limitOf, values, type ExtractionMode, type ExtractOptions, type Limits, type ModeContext, type ModeInputs, type ModePlan, type ModePlans, type ModeSpan } from '../mode.js';
import { stisX1dOf } from '../names.js';
import type { RefContext, RefLog } from '../reffiles.js';
import { nPixels, type PlanCalibration, type ScanResult } from '../selection.js';
import { readX1d, type X1dOrder } from './corrtag.js';

const STIS_COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'DQ', 'EPSILON'];

/** An echelle grating (OPT_ELEM E…): one box per order, each with its own dispersion. */
export const isEchelle = (primary: Header): boolean => (primary.string('OPT_ELEM') ?? '').trim().toUpperCase().startsWith('E');

/** The one corrtag (our own or the library's); HDU 1 its events. */
export async function openStis(path: string, first: FitsReader): Promise<ModeInputs> {
  const primary = first.hdus[0].header;
  const h1 = first.hdus[1];
  if (h1 === undefined || h1.table === undefined) throw new ProductError(`${path}: HDU 1 is not an events table`);
  return { primary, segments: [{ letter: '1', path, reader: first, primary, events: h1.header }], readers: [first] };
}

/** §7.4 limits: the caller's, else 2–10000 Å on the whole 2048² detector; IMAGING overrides any. */
export function stisLimits(opts: ExtractOptions, imaging: boolean): Limits {
  if (imaging) return { xlim: intLimit(0, 2048), ylim: intLimit(0, 2048), wlim: intLimit(-1, 1) };
  return {
    wlim: opts.wlim !== undefined ? limitOf(opts.wlim, opts.wlimFloat) : intLimit(2, 10000),
    xlim: opts.xlim !== undefined ? limitOf(opts.xlim) : intLimit(0, 2048),
    ylim: opts.ylim !== undefined ? limitOf(opts.ylim) : intLimit(0, 2048),
  };
}

/** Corrected: the orders of the x1d beside the corrtag that have a box (undefined: none, the whole detector). */
async function x1dOrders(path: string, log: RefLog): Promise<X1dOrder[] | undefined> {
  let x1d: string | undefined;
  try {
    x1d = stisX1dOf(path);
  } catch {
    x1d = undefined;
  }
  let orders: X1dOrder[] | undefined;
  if (x1d !== undefined && existsSync(x1d)) {
    const rows = await readX1d(x1d);
    // An x1d that is there but empty is a broken product, not a missing one: corrected mode takes
    // its extraction box from it (§7.1), so the whole-detector fallback would be a different lightcurve.
    if (rows.length === 0) throw new BadDataError('Empty x1d', `${x1d}: x1d has no rows (NAXIS2 = 0), so there is no extraction box for ${path}`, { file: path });
    orders = rows.filter((o) => Number.isFinite(o.a2center) && Number.isFinite(o.extrsize));
  }
  if (orders === undefined || orders.length === 0) {
    log.note('no x1d extraction box beside the corrtag: whole detector extracted, no background');
    return undefined;
  }
  return orders;
}

/**
 * §7.4 plans: the whole detector (as built, IMAGING, or no x1d box), else one box and its two
 * backgrounds per x1d order. `orderDispersion`: each order's regions take the order's own wavelengths
 * (echelle: inter-order background events lie in no box, so the corrtag gives them none, §7.1).
 */
export async function stisPlans(inputs: ModeInputs, limits: Limits, ctx: ModeContext, orderDispersion: boolean): Promise<ModePlans> {
  const { path, algorithm, opts, log } = ctx;
  const input = inputs.segments[0];
  const events = input.events;
  const base = {
    file: path,
    input,
    table: new EventTable(input.reader, 1, STIS_COLUMNS, opts.chunkRows),
    sdqflags: events.integer('SDQFLAGS') ?? 0,
    xlim: values(limits.xlim),
    wlim: values(limits.wlim),
    filterAirglow: opts.filterAirglow ?? true,
    xColumn: 'XCORR',
    yColumn: 'YCORR',
  };
  const orders = algorithm.stisUseX1dBox && !ctx.imaging ? await x1dOrders(path, log) : undefined;
  const shift = events.number('SHIFTA2') ?? 0;
  const ylim = limits.ylim ?? intLimit(0, 2048);
  const plans: ModePlan[] =
    orders === undefined
      ? [{ ...base, label: '1', spectrum: values(ylim), backgrounds: [] }]
      : orders.map((o) => {
          // x1d geometry is in 1024-pixel units: centre and offsets double on the 2048 grid, and a
          // full height of 2·size makes a half-height of `size` there
          const c = 2 * (o.a2center + shift);
          const box = (centre: number, size: number): readonly [number, number] => [centre - size, centre + size];
          const bks =
            Number.isFinite(o.bk1size) && Number.isFinite(o.bk1offst) && Number.isFinite(o.bk2size) && Number.isFinite(o.bk2offst)
              ? [box(c + 2 * o.bk1offst, o.bk1size), box(c + 2 * o.bk2offst, o.bk2size)]
              : [];
          return { ...base, label: String(o.sporder), sporder: o.sporder, spectrum: box(c, o.extrsize), backgrounds: bks, ...(orderDispersion ? { wavelengthRow: o.wavelength } : {}) };
        });
  return {
    plans,
    segmentYlim: [],
    ...(orders === undefined ? { closingNote: 'STIS whole-detector extraction: no background subtracted (as the original, §7.4)' } : {}),
  };
}

/** §6.5 grid as COS over the one events table (an empty table: an empty grid); the cut is warned of when corrected. */
export function stisSpan(inputs: ModeInputs, _plans: readonly ModePlan[], scan: ScanResult, ctx: ModeContext): ModeSpan {
  const empty = scan.rows[0] === 0;
  const exptime = inputs.segments[0].events.number('EXPTIME');
  if (exptime === undefined) throw new ProductError(`${ctx.path}: events header has no EXPTIME`);
  return {
    start: empty ? 0 : scan.tmin[0],
    end: empty ? 0 : scan.tmax[0],
    exptime,
    ...(empty || !ctx.algorithm.gridEndAtGti ? {} : { lastEvent: scan.tmax[0] }),
  };
}

/**
 * §7.4 FLUXTAB look-up. The original matches SPORDER against a primary SEGMENT keyword STIS does not
 * have, so it crashes whenever a FLUXTAB exists; the evidently intended row — SPORDER of the order,
 * OPT_ELEM, CENWAVE — is used instead (both algorithms).
 */
async function stisSensitivity(primary: Header, sporder: number, refs: RefContext, log: RefLog): Promise<Sensitivity | undefined> {
  const ref = await keywordRefTable(primary, 'FLUXTAB', refs, log);
  if (ref === undefined) return undefined;
  const { name, table } = ref;
  const key = { SPORDER: sporder, OPT_ELEM: (primary.string('OPT_ELEM') ?? '').trim(), CENWAVE: primary.get('CENWAVE') as number };
  const rows = matchRows(table, key);
  if (rows.length === 0 || !table.columns.has('SENSITIVITY')) {
    log.fallback('FLUXTAB', `no SENSITIVITY row in ${name} for SPORDER ${sporder}/${key.OPT_ELEM}/${key.CENWAVE}`);
    return undefined;
  }
  if (rows.length > 1) throw new Error(`FLUXTAB ${ref.path}: too many rows found: ${rows.length}`);
  return new Sensitivity(numericCell(table, 'WAVELENGTH', rows[0]), numericCell(table, 'SENSITIVITY', rows[0]));
}

/** §7.4 one plan's calibration: the order's FLUXTAB row, no TDS, the background scale by region heights. */
export async function stisCalibration(inputs: ModeInputs, plans: readonly ModePlan[], i: number, scan: ScanResult, ctx: ModeContext): Promise<PlanCalibration> {
  const src = scan.spectrum[i];
  const bks = scan.backgrounds[i];
  const p = plans[i];
  const sens = src.count > 0 ? await stisSensitivity(inputs.primary, p.sporder ?? 1, ctx.refs, ctx.log) : undefined;
  const h = p.spectrum[1] - p.spectrum[0];
  const hb = p.backgrounds.reduce((s, b) => s + (b[1] - b[0]), 0);
  return {
    sourceSensitivity: sens?.stretched(src.wmin, src.wmax),
    backgroundSensitivity: sens !== undefined && bks.some((b) => b.count > 0) ? sens.stretched(Math.min(...bks.map((b) => b.wmin)), Math.max(...bks.map((b) => b.wmax))) : undefined,
    tds: undefined, // §7.4 no TDS correction for STIS (neither algorithm has a STIS TDS model here)
    backgroundScale: hb > 0 ? h / hb : 0,
    nPix: nPixels(src, p.xlim),
  };
}

/**
 * A STIS mode: first order or echelle (`orderDispersion`: each order's own wavelengths). Counts are
 * summed in float64, as the original adds its orders into float64 zeros.
 */
export function stisMode(name: string, echelle: boolean): ExtractionMode {
  return {
    name,
    accepts: (d, primary) => d.kind === 'stis-corrtag' && isEchelle(primary) === echelle,
    instrument: 'STIS',
    filetype: 'stis_corrtag',
    float64Counts: true,
    open: openStis,
    limits: stisLimits,
    plans: (inputs, limits, ctx) => stisPlans(inputs, limits, ctx, echelle),
    span: stisSpan,
    calibrate: stisCalibration,
  };
}
