/**
 * STIS products of an exposure plan: `_tag.fits` (TIME, AXIS1, AXIS2, DETAXIS1 + GTI) and the
 * `_x1d.fits` whose rows give events their wavelengths, with the truth of §7.
 */
import type { ColumnSpec, HduSpec } from '../fits/index.js';
import { Rng } from './random.js';
import { compileSignal } from './signals.js';
import { STIS_MAMA, stisMode, type StisMode } from './modes.js';
import {
  STIS_LIMITS,
  correctedBoxes,
  correctedProbabilities,
  countCorrected,
  countStis,
  orderWavelengths,
  simulateTag,
  stisSelectionProbabilities,
  x1dTruth,
  type StisSpec,
  type TagColumns,
} from './stis.js';
import { round, stisEventsCards, stisPrimaryCards, x1dSciCards, type RefNames } from './headers.js';
import { evaluateChecks } from './verdict.js';
import { BAD_PROPOSAL } from './catalog.js';
import { applyBad, baseTruth, componentTruth, dopplerFor, gtiHdu, type AnyColumns, type ExposureRefs, type ProductFile } from './product.js';
import type { ExposurePlan } from './plan.js';
import type { FileTruth, StisRegionTruth } from './manifest.js';

function tagColumnSpecs(cols: TagColumns): ColumnSpec[] {
  return [
    { name: 'TIME', data: cols.TIME, format: '1D', unit: 's', disp: 'F13.6' },
    { name: 'AXIS1', data: cols.AXIS1, format: '1I', unit: 'pixel', disp: 'I4' },
    { name: 'AXIS2', data: cols.AXIS2, format: '1I', unit: 'pixel', disp: 'I4' },
    { name: 'DETAXIS1', data: cols.DETAXIS1, format: '1I', unit: 'pixel', disp: 'I4' },
  ];
}

/** x1d rows consistent with the simulated rates (counts/s per low-res pixel). */
function x1dHdu(plan: ExposurePlan, mode: StisMode, info: { shifta1: number; shifta2: number; expend: number }): HduSpec {
  const orders = mode.orders;
  const nr = orders.length;
  const totalWeight = orders.reduce((a, o) => a + o.weight, 0);
  const wl = new Float64Array(nr * 1024);
  const gross = new Float32Array(nr * 1024);
  const back = new Float32Array(nr * 1024);
  const net = new Float32Array(nr * 1024);
  const flux = new Float32Array(nr * 1024);
  const err = new Float32Array(nr * 1024);
  const neterr = new Float32Array(nr * 1024);
  const dq = new Int16Array(nr * 1024);
  const extrlocy = new Float32Array(nr * 1024);
  const t = Math.max(plan.exptime, 1);
  orders.forEach((o, r) => {
    const w = orderWavelengths(o);
    wl.set(w, r * 1024);
    const netRate = (plan.rates.source * o.weight) / totalWeight / 1024;
    const bkgRate = (plan.rates.dark * 2 * o.extrsize * 2) / (2048 * 2048);
    for (let p = 0; p < 1024; p++) {
      const k = r * 1024 + p;
      const sens = 1e12 * (0.5 + 0.5 * Math.sin((Math.PI * (p + 0.5)) / 1024));
      net[k] = netRate;
      back[k] = bkgRate;
      gross[k] = netRate + bkgRate;
      flux[k] = netRate / sens;
      neterr[k] = Math.sqrt((netRate + bkgRate) / t);
      err[k] = neterr[k] / sens;
      extrlocy[k] = o.a2center + info.shifta2;
    }
  });
  const i16 = (f: (o: (typeof orders)[number]) => number): Int16Array => Int16Array.from(orders.map(f));
  const f32 = (f: (o: (typeof orders)[number]) => number): Float32Array => Float32Array.from(orders.map(f));
  return {
    type: 'BINTABLE',
    name: 'SCI',
    extver: 1,
    cards: x1dSciCards(plan, info),
    columns: [
      { name: 'SPORDER', data: i16((o) => o.sporder), format: '1I', disp: 'I3' },
      { name: 'NELEM', data: i16(() => 1024), format: '1I', disp: 'I6' },
      { name: 'WAVELENGTH', data: wl, format: '1024D', unit: 'Angstroms', disp: 'G15.7' },
      { name: 'GROSS', data: gross, format: '1024E', unit: 'Counts/s', disp: 'G15.7' },
      { name: 'BACKGROUND', data: back, format: '1024E', unit: 'Counts/s', disp: 'G15.7' },
      { name: 'NET', data: net, format: '1024E', unit: 'Counts/s', disp: 'G15.7' },
      { name: 'FLUX', data: flux, format: '1024E', unit: 'erg/s/cm**2/Angstrom', disp: 'G15.7' },
      { name: 'ERROR', data: err, format: '1024E', unit: 'erg/s/cm**2/Angstrom', disp: 'G15.7' },
      { name: 'NET_ERROR', data: neterr, format: '1024E', unit: 'Counts/s', disp: 'G15.7' },
      { name: 'DQ', data: dq, format: '1024I', disp: 'I5' },
      { name: 'A2CENTER', data: f32((o) => o.a2center), format: '1E', unit: 'pixel', disp: 'F8.2' },
      { name: 'EXTRSIZE', data: f32((o) => o.extrsize), format: '1E', unit: 'pixel', disp: 'F6.2' },
      { name: 'MAXSRCH', data: i16(() => (mode.echelle ? 0 : 20)), format: '1I', unit: 'pixel', disp: 'I3' },
      { name: 'BK1SIZE', data: f32((o) => o.bksize), format: '1E', unit: 'pixel', disp: 'F6.2' },
      { name: 'BK2SIZE', data: f32((o) => o.bksize), format: '1E', unit: 'pixel', disp: 'F6.2' },
      { name: 'BK1OFFST', data: f32((o) => o.bk1offst), format: '1E', unit: 'pixel', disp: 'F8.2' },
      { name: 'BK2OFFST', data: f32((o) => o.bk2offst), format: '1E', unit: 'pixel', disp: 'F8.2' },
      { name: 'EXTRLOCY', data: extrlocy, format: '1024E', unit: 'pixel', disp: 'F8.2' },
      { name: 'OFFSET', data: f32(() => 0), format: '1E', unit: 'pixel', disp: 'F8.2' },
    ],
  };
}

export function buildStisExposure(plan: ExposurePlan, refs: ExposureRefs, seed: number): ProductFile[] {
  const rng = Rng.stream(seed, 'exposure', plan.rootname);
  const mode = stisMode(plan.optElem, plan.cenwave);
  const shifta1 = round(rng.range(-3, 3), 4);
  const shifta2 = round(rng.range(-2, 2), 4);
  const doppler = dopplerFor(rng, plan, 5);
  const expend = round(plan.expstart + plan.gtis[plan.gtis.length - 1][1] / 86400, 7);
  const sdqflags = STIS_MAMA.sdqflags;
  const det = refs.stis[mode.detector];
  const refNames: RefNames = { bpixtab: det.bpixtab, pfltfile: det.pfltfile, lfltfile: det.lfltfile, phottab: refs.phottab };
  const spec: StisSpec = {
    mode,
    gtis: plan.gtis,
    expstart: plan.expstart,
    signal: compileSignal(plan.signal, { expstart: plan.expstart }),
    rates: plan.rates,
    shifta2,
    doppler,
  };
  const sim = simulateTag(Rng.stream(seed, 'exposure', plan.rootname, 'tag'), spec);
  const { cols, component } = applyBad(plan, sim.columns as unknown as AnyColumns, sim.component);
  const columns = cols as unknown as TagColumns;
  const n = columns.TIME.length;
  const x1d = x1dTruth(mode, shifta2);
  const names = sim.components.map((c) => c.name);
  const count = countStis(columns, x1d, det.bpix, sdqflags, component, names);
  const probabilities = stisSelectionProbabilities(spec, sim.components, x1d, det.bpix, sdqflags);
  const truncated = plan.bad === 'single';
  const expected = truncated ? null : probabilities.reduce((a, p, k) => a + sim.expected[k] * p, 0);
  const boxes = correctedBoxes(mode, shifta2);
  const corrected = countCorrected(columns, x1d, boxes, det.bpix, sdqflags, det.flats, component, names);
  const correctedP = correctedProbabilities(spec, sim.components, x1d, boxes, det.bpix, sdqflags, det.flats);
  const perSecond = (p: number[]): Record<string, number> => Object.fromEntries(sim.components.map((c, k) => [c.name, c.rate * p[k]]));
  const mean = (p: number[]): number | null => (truncated ? null : p.reduce((a, q, k) => a + sim.expected[k] * q, 0));
  const correctedRegions: StisRegionTruth[] = boxes.map((b, i) => ({
    letter: null,
    name: b.name,
    sporder: b.sporder,
    x: STIS_LIMITS.xlim,
    y: b.y,
    wlim: STIS_LIMITS.wlim,
    extracted: true,
    ...corrected[i],
    expected: mean(correctedP[i].count),
    selected_rates: perSecond(correctedP[i].count),
    weighted_expected: mean(correctedP[i].weighted),
    weighted_rates: perSecond(correctedP[i].weighted),
    weighted_sq_rates: perSecond(correctedP[i].weightedSq),
  }));
  let dqSerious = 0;
  let dqBenign = 0;
  for (let i = 0; i < n; i++) {
    const x = columns.AXIS1[i] - 1;
    const y = columns.AXIS2[i] - 1;
    const f = x >= 0 && x < 2048 && y >= 0 && y < 2048 ? det.bpix[(y >> 1) * 1024 + (x >> 1)] : 0;
    if (f & sdqflags) dqSerious++;
    else if (f) dqBenign++;
  }
  const tagFile = `${plan.rootname}_tag.fits`;
  const x1dFile = `${plan.rootname}_x1d.fits`;
  const stisBase = {
    detector: mode.detector,
    segment: null,
    obstype: 'SPECTROSCOPIC' as const,
    sdqflags,
    reference_files: { BPIXTAB: det.bpixtab, PFLTFILE: det.pfltfile, LFLTFILE: det.lfltfile, PHOTTAB: refs.phottab },
    geometry: { x1d: { SHIFTA1: shifta1, SHIFTA2: shifta2, ORDERS: mode.orders.length } },
  };
  const tagTruth: Omit<FileTruth, 'bytes'> = {
    ...baseTruth(plan, 'stis_tag', tagFile, expend),
    ...stisBase,
    companions: [x1dFile],
    ingested: true,
    events: { total: n, dq_serious: dqSerious, dq_benign: dqBenign, components: componentTruth(sim.components, sim.expected, component) },
    regions: [
      {
        letter: null,
        name: 'detector',
        x: STIS_LIMITS.xlim,
        y: STIS_LIMITS.ylim,
        wlim: STIS_LIMITS.wlim,
        extracted: true,
        ...count,
        expected,
        selected_rates: Object.fromEntries(sim.components.map((c, k) => [c.name, c.rate * probabilities[k]])),
      },
    ],
    corrected_regions: correctedRegions,
    quality: evaluateChecks({ time: columns.TIME, expflag: plan.expflag, exptime: plan.exptime, proposid: plan.proposal.id, badProposals: [BAD_PROPOSAL] }),
  };
  const x1dTruthEntry: Omit<FileTruth, 'bytes'> = {
    ...baseTruth(plan, 'stis_x1d', x1dFile, expend),
    ...stisBase,
    companions: [tagFile],
    ingested: false,
    events: null,
    regions: [],
    quality: null,
  };
  const info = { shifta1, shifta2, expend };
  return [
    {
      name: tagFile,
      events: n,
      truth: tagTruth,
      hdus: [
        { type: 'PRIMARY', cards: stisPrimaryCards(plan, mode, tagFile, refNames) },
        {
          type: 'BINTABLE',
          name: 'EVENTS',
          extver: 1,
          cards: stisEventsCards(plan, { ...info, doppler, nevents: n, sdqflags }),
          columns: tagColumnSpecs(columns),
          rows: n,
        },
        gtiHdu(plan.gtis),
      ],
    },
    {
      name: x1dFile,
      events: 0,
      truth: x1dTruthEntry,
      hdus: [{ type: 'PRIMARY', cards: stisPrimaryCards(plan, mode, x1dFile, refNames) }, x1dHdu(plan, mode, info)],
    },
  ];
}
