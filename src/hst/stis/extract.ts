/**
 * STIS corrtag → lightcurve (§7.4). As built the whole detector inside xlim×ylim is one region, with
 * no background and no TDS; corrected uses the x1d's extraction box and background regions per order
 * (on the 2048-pixel grid: 2 × (A2CENTER + SHIFTA2) ± EXTRSIZE), sums the orders, takes per-event
 * sensitivity, and, as COS, ends the grid at the last GTI stop and drops bins outside the GTIs.
 */
import { existsSync } from 'node:fs';
import { CORRECTED } from '../../lightcurve/algorithm.js';
import { timeGrid } from '../../lightcurve/binning.js';
import { cutWarning, droppedTimeWarnings, gridCut, keepBinsInsideGti, readGti } from '../../lightcurve/gti.js';
import { deriveColumns, pyInt, pyFloat, type Lightcurve, type PyNumber } from '../../lightcurve/table.js';
import { FitsReader, type Header, ProductError } from '../../fits/index.js';
import { matchRows, readRefTable, Sensitivity } from '../cos/calibration.js';
import { describeFrom, type ExtractOptions } from '../mode.js';
import { individualLightcurveName, stisX1dOf } from '../names.js';
import { BadDataError } from '../../quality/reasons.js';
import { EventTable, exposureStartMjd } from '../events.js';
import { RefLog, resolveRefFile, type RefContext } from '../reffiles.js';
import { accumulate, nPixels, scanSelections, type PlanCalibration, type SegmentPlan } from '../selection.js';
import { readX1d, type X1dOrder } from './corrtag.js';

const STIS_COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'DQ', 'EPSILON'];

/**
 * §7.4 FLUXTAB look-up. The original matches SPORDER against a primary SEGMENT keyword STIS does not
 * have, so it crashes whenever a FLUXTAB exists; the evidently intended row — SPORDER of the order,
 * OPT_ELEM, CENWAVE — is used instead (both algorithms).
 */
async function stisSensitivity(primary: Header, sporder: number, refs: RefContext, log: RefLog): Promise<Sensitivity | undefined> {
  const name = primary.string('FLUXTAB') ?? '';
  const ref = resolveRefFile(name, refs);
  if (!ref.exists) {
    log.fallback('FLUXTAB', name === '' ? 'no FLUXTAB keyword' : `reference file ${name} not found (tried ${ref.path})`);
    return undefined;
  }
  log.use('FLUXTAB', ref.path);
  const { table } = await readRefTable(ref.path);
  const key = { SPORDER: sporder, OPT_ELEM: (primary.string('OPT_ELEM') ?? '').trim(), CENWAVE: primary.get('CENWAVE') as number };
  const rows = matchRows(table, key);
  if (rows.length === 0 || !table.columns.has('SENSITIVITY')) {
    log.fallback('FLUXTAB', `no SENSITIVITY row in ${name} for SPORDER ${sporder}/${key.OPT_ELEM}/${key.CENWAVE}`);
    return undefined;
  }
  if (rows.length > 1) throw new Error(`FLUXTAB ${ref.path}: too many rows found: ${rows.length}`);
  const w = table.columns.get('WAVELENGTH');
  const s = table.columns.get('SENSITIVITY');
  if (w === undefined || s === undefined || w.kind !== 'numeric' || s.kind !== 'numeric') throw new Error(`FLUXTAB ${ref.path}: bad columns`);
  const r = rows[0];
  const cell = (c: typeof w): Float64Array => Float64Array.from((c.data as Float64Array).subarray(r * c.cellSize, (r + 1) * c.cellSize));
  return new Sensitivity(cell(w), cell(s));
}

/** §7.4 extract from a STIS corrtag (our own or the library's). */
export async function extractStis(path: string, opts: ExtractOptions = {}): Promise<Lightcurve> {
  const algorithm = opts.algorithm ?? CORRECTED;
  const step = opts.step ?? 1;
  const refs = opts.refs ?? {};
  const log = new RefLog();
  const reader = await FitsReader.open(path);
  try {
    const primary = reader.hdus[0].header;
    const h1 = reader.hdus[1];
    if (h1 === undefined || h1.table === undefined) throw new ProductError(`${path}: HDU 1 is not an events table`);
    const events = h1.header;
    const num = (v: number, float?: boolean): PyNumber => ((float ?? !Number.isInteger(v)) ? pyFloat(v) : pyInt(v));
    let wlim: [PyNumber, PyNumber] = opts.wlim !== undefined ? [num(opts.wlim[0], opts.wlimFloat), num(opts.wlim[1], opts.wlimFloat)] : [pyInt(2), pyInt(10000)];
    let xlim: [PyNumber, PyNumber] = opts.xlim !== undefined ? [num(opts.xlim[0]), num(opts.xlim[1])] : [pyInt(0), pyInt(2048)];
    let ylim: [PyNumber, PyNumber] = opts.ylim !== undefined ? [num(opts.ylim[0]), num(opts.ylim[1])] : [pyInt(0), pyInt(2048)];
    const imaging = (primary.string('OBSTYPE') ?? '').trim().toUpperCase() === 'IMAGING';
    if (imaging) {
      xlim = [pyInt(0), pyInt(2048)];
      ylim = [pyInt(0), pyInt(2048)];
      wlim = [pyInt(-1), pyInt(1)];
    }
    const sdq = events.integer('SDQFLAGS') ?? 0;
    const table = new EventTable(reader, 1, STIS_COLUMNS, opts.chunkRows);
    const base = {
      file: path,
      table,
      sdqflags: sdq,
      xlim: [xlim[0].value, xlim[1].value] as const,
      wlim: [wlim[0].value, wlim[1].value] as const,
      filterAirglow: opts.filterAirglow ?? true,
      xColumn: 'XCORR',
      yColumn: 'YCORR',
    };
    // Corrected: one region (and its two backgrounds) per x1d order; as built: the whole detector.
    let orders: X1dOrder[] | undefined;
    if (algorithm.stisUseX1dBox && !imaging) {
      let x1d: string | undefined;
      try {
        x1d = stisX1dOf(path);
      } catch {
        x1d = undefined;
      }
      if (x1d !== undefined && existsSync(x1d)) {
        const rows = await readX1d(x1d);
        // An x1d that is there but empty is a broken product, not a missing one: corrected mode takes
        // its extraction box from it (§7.1), so the whole-detector fallback would be a different lightcurve.
        if (rows.length === 0) throw new BadDataError('Empty x1d', `${x1d}: x1d has no rows (NAXIS2 = 0), so there is no extraction box for ${path}`, { file: path });
        orders = rows.filter((o) => Number.isFinite(o.a2center) && Number.isFinite(o.extrsize));
      }
      if (orders === undefined || orders.length === 0) {
        log.note('no x1d extraction box beside the corrtag: whole detector extracted, no background');
        orders = undefined;
      }
    }
    const shift = events.number('SHIFTA2') ?? 0;
    const echelle = (primary.string('OPT_ELEM') ?? '').trim().toUpperCase().startsWith('E');
    const plans: SegmentPlan[] =
      orders === undefined
        ? [{ ...base, label: '1', spectrum: [ylim[0].value, ylim[1].value] as const, backgrounds: [] }]
        : orders.map((o) => {
            // x1d geometry is in 1024-pixel units: centre and offsets double on the 2048 grid, and a
            // full height of 2·size makes a half-height of `size` there
            const c = 2 * (o.a2center + shift);
            const box = (centre: number, size: number): readonly [number, number] => [centre - size, centre + size];
            const bks = Number.isFinite(o.bk1size) && Number.isFinite(o.bk1offst) && Number.isFinite(o.bk2size) && Number.isFinite(o.bk2offst)
              ? [box(c + 2 * o.bk1offst, o.bk1size), box(c + 2 * o.bk2offst, o.bk2size)]
              : [];
            // An echelle order's box and backgrounds take the order's own dispersion: inter-order
            // background events lie in no box, so the corrtag gives them no wavelength (§7.1)
            return { ...base, label: String(o.sporder), spectrum: box(c, o.extrsize), backgrounds: bks, ...(echelle ? { wavelengthRow: o.wavelength } : {}) };
          });
    const scan = await scanSelections(plans);
    const empty = scan.rows[0] === 0;
    const exptime = events.number('EXPTIME');
    if (exptime === undefined) throw new ProductError(`${path}: events header has no EXPTIME`);
    // §6.5 grid as COS: cut at EXPTIME as built, at the last GTI stop when corrected
    const gti = algorithm.gridEndAtGti || algorithm.dropBinsOutsideGti ? await readGti(path) : undefined;
    const cutAt = gridCut(exptime, gti, algorithm.gridEndAtGti);
    const start = empty ? 0 : scan.tmin[0];
    const end = empty ? 0 : Math.min(scan.tmax[0], cutAt);
    const grid = timeGrid(start, end, step, path);
    const cals: PlanCalibration[] = [];
    for (let i = 0; i < plans.length; i++) {
      const src = scan.spectrum[i];
      const bks = scan.backgrounds[i];
      const sporder = orders?.[i].sporder ?? 1;
      const sens = src.count > 0 ? await stisSensitivity(primary, sporder, refs, log) : undefined;
      const p = plans[i];
      const h = p.spectrum[1] - p.spectrum[0];
      const hb = p.backgrounds.reduce((s, b) => s + (b[1] - b[0]), 0);
      cals.push({
        sourceSensitivity: sens?.stretched(src.wmin, src.wmax),
        backgroundSensitivity: sens !== undefined && bks.some((b) => b.count > 0) ? sens.stretched(Math.min(...bks.map((b) => b.wmin)), Math.max(...bks.map((b) => b.wmax))) : undefined,
        tds: undefined, // §7.4 no TDS correction for STIS (neither algorithm has a STIS TDS model here)
        backgroundScale: hb > 0 ? h / hb : 0,
        nPix: nPixels(src, p.xlim),
      });
    }
    const sums = await accumulate(plans, scan, cals, grid, algorithm, step);
    const nb = Math.max(0, grid.edges.length - 1);
    const n = grid.truncate ? nb - 1 : nb;
    if (n <= 0) throw new ProductError(`${path}: no complete ${step} s time bin between ${start} and ${end} s; nothing to extract`);
    const gross = new Float64Array(nb);
    const background = new Float64Array(nb);
    const flux = new Float64Array(nb);
    sums.forEach((s, i) => {
      const c = cals[i];
      for (let k = 0; k < nb; k++) {
        gross[k] += s.gross[k];
        background[k] += c.backgroundScale * s.background[k];
        flux[k] += s.fluxRaw[k] / s.meanSensitivity / c.nPix - (c.backgroundScale * s.backgroundFluxRaw[k]) / c.nPix;
      }
    });
    if (orders === undefined) log.note('STIS whole-detector extraction: no background subtracted (as the original, §7.4)');
    const expstart = exposureStartMjd(events, path);
    const times = grid.edges.slice(0, n);
    const mjd = times.map((t) => expstart + t * algorithm.daysPerSecond);
    let columns = deriveColumns({
      dataset: new Float64Array(n).fill(1),
      times,
      mjd,
      bins: new Float64Array(n).fill(step),
      gross: gross.slice(0, n),
      background: background.slice(0, n),
      flux: flux.slice(0, n),
    });
    if (algorithm.dropBinsOutsideGti && gti !== undefined && gti.length > 0) columns = keepBinsInsideGti(columns, step, gti, path);
    return {
      columns,
      meta: {
        source: path,
        instrument: 'STIS',
        step,
        wlim,
        xlim,
        ylim,
        segmentYlim: [],
        filetype: 'stis_corrtag',
        outname: individualLightcurveName(path),
        describe: describeFrom(primary),
        algorithm,
        refFiles: Object.fromEntries(log.used),
        warnings: [...log.warnings, ...droppedTimeWarnings(scan.nanTimes, scan.negativeTimes, start), ...(empty || !algorithm.gridEndAtGti ? [] : cutWarning(scan.tmax[0], cutAt, exptime))],
        sourceEvents: scan.spectrum.reduce((s, x) => s + x.count, 0),
      },
    };
  } finally {
    await reader.close();
  }
}
