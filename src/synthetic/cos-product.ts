/**
 * COS products of an exposure plan: `_corrtag_a`/`_corrtag_b` (FUV), `_corrtag` (NUV spectra and
 * imaging), as HDU specifications with their truth. The random stream is derived from
 * (seed, rootname, segment), so every file is independent of the others.
 */
import type { ColumnSpec } from '../fits/index.js';
import { Rng } from './random.js';
import { compileSignal } from './signals.js';
import { COS_FUV, COS_NUV, cosMode, wavelengthAt, type CosLetter, type CosMode } from './modes.js';
import { corrtagBoxes, selectionProbabilities, simulateCorrtag, type CorrtagColumns, type CorrtagSpec, type CorrtagSimulation } from './cos.js';
import { countRegions, type RegionKeywords } from './regions.js';
import { cosEventsCards, cosPrimaryCards, round, type RefNames } from './headers.js';
import { evaluateChecks } from './verdict.js';
import { BAD_PROPOSAL } from './catalog.js';
import { applyBad, baseTruth, componentTruth, dopplerFor, dqTotals, gtiHdu, type AnyColumns, type ExposureRefs, type ProductFile } from './product.js';
import type { ExposurePlan } from './plan.js';
import type { FileKind, FileTruth, RegionTruth } from './manifest.js';

/** Column names, formats, units and display formats as calcos writes them. */
const CORRTAG_LAYOUT: ReadonlyArray<{ name: keyof CorrtagColumns; format: string; unit?: string; disp?: string }> = [
  { name: 'TIME', format: '1E', unit: 's', disp: 'F8.3' },
  { name: 'RAWX', format: '1I', unit: 'pixel' },
  { name: 'RAWY', format: '1I', unit: 'pixel' },
  { name: 'XCORR', format: '1E', unit: 'pixel', disp: 'F8.3' },
  { name: 'YCORR', format: '1E', unit: 'pixel', disp: 'F8.3' },
  { name: 'XDOPP', format: '1E', unit: 'pixel', disp: 'F8.3' },
  { name: 'XFULL', format: '1E', unit: 'pixel', disp: 'F8.3' },
  { name: 'YFULL', format: '1E', unit: 'pixel', disp: 'F8.3' },
  { name: 'WAVELENGTH', format: '1E', unit: 'angstrom', disp: 'F9.4' },
  { name: 'EPSILON', format: '1E', disp: 'F6.3' },
  { name: 'DQ', format: '1I', disp: 'I5' },
  { name: 'PHA', format: '1B', disp: 'I3' },
];

export function corrtagColumnSpecs(cols: CorrtagColumns): ColumnSpec[] {
  return CORRTAG_LAYOUT.map((c) => ({ name: c.name, data: cols[c.name], format: c.format, ...(c.unit ? { unit: c.unit } : {}), ...(c.disp ? { disp: c.disp } : {}) }));
}

function cosKeywords(rng: Rng, mode: CosMode): Partial<Record<CosLetter, RegionKeywords>> {
  const out: Partial<Record<CosLetter, RegionKeywords>> = {};
  if (mode.detector === 'FUV') {
    for (const L of ['A', 'B'] as const) {
      const g = COS_FUV.geometry[L];
      out[L] = { ...g, spLoc: round(g.spNom + rng.range(-2, 2), 4) };
    }
  } else {
    for (const L of ['A', 'B', 'C'] as const) {
      const g = COS_NUV.geometry[L];
      out[L] = { ...g, spLoc: round(g.spNom + rng.range(-1, 1), 4) };
    }
  }
  return out;
}

function cosWaveRange(mode: CosMode): { min: number; max: number } {
  if (mode.obstype === 'IMAGING') return { min: 0, max: 0 };
  const xa = mode.detector === 'FUV' ? COS_FUV.xActive : COS_NUV.xActive;
  let min = Infinity;
  let max = -Infinity;
  for (const L of mode.letters) {
    const d = mode.dispersion[L]!;
    min = Math.min(min, wavelengthAt(d, xa[0]), wavelengthAt(d, xa[1]));
    max = Math.max(max, wavelengthAt(d, xa[0]), wavelengthAt(d, xa[1]));
  }
  return { min, max };
}

export function buildCosExposure(plan: ExposurePlan, refs: ExposureRefs, seed: number): ProductFile[] {
  const rng = Rng.stream(seed, 'exposure', plan.rootname);
  const mode = cosMode(plan.optElem, plan.cenwave);
  const fuv = mode.detector === 'FUV';
  const imaging = mode.obstype === 'IMAGING';
  const keywords = cosKeywords(rng, mode);
  const shift1 = imaging ? 0 : round(rng.range(-1, 1) * (fuv ? 20 : 8), 4);
  const shift2 = imaging ? 0 : round(rng.range(-1.5, 1.5), 4);
  const doppler = dopplerFor(rng, plan, fuv ? 4.2 : 3.5);
  const vHelio = round(rng.range(-30, 30), 4);
  const signal = compileSignal(plan.signal, { expstart: plan.expstart });
  const expend = round(plan.expstart + plan.gtis[plan.gtis.length - 1][1] / 86400, 7);
  const sdqflags = fuv ? COS_FUV.sdqflags : COS_NUV.sdqflags;
  const refNames: RefNames = refs.cos[mode.detector];
  const letters: CosLetter[] = fuv ? ['A', 'B'] : ['A', 'B', 'C'];

  const segments: Array<{ file: string; kind: FileKind; fileLetters: CosLetter[]; segment: string }> = [];
  if (plan.kind === 'cos_fuv_pair' || plan.kind === 'cos_fuv_a') segments.push({ file: `${plan.rootname}_corrtag_a.fits`, kind: 'cos_fuv_a', fileLetters: ['A'], segment: 'FUVA' });
  if (plan.kind === 'cos_fuv_pair' || plan.kind === 'cos_fuv_b') segments.push({ file: `${plan.rootname}_corrtag_b.fits`, kind: 'cos_fuv_b', fileLetters: ['B'], segment: 'FUVB' });
  if (plan.kind === 'cos_nuv' || plan.kind === 'cos_imaging') {
    segments.push({ file: `${plan.rootname}_corrtag.fits`, kind: imaging ? 'cos_imaging' : 'cos_nuv', fileLetters: ['A', 'B', 'C'], segment: 'N/A' });
  }
  const files = segments.map((s) => s.file);

  return segments.map((seg) => {
    const spec: CorrtagSpec = {
      mode,
      fileLetters: seg.fileLetters,
      gtis: plan.gtis,
      expstart: plan.expstart,
      signal,
      rates: plan.rates,
      dq: plan.dq,
      keywords,
      shift1,
      shift2,
      doppler,
    };
    const sim: CorrtagSimulation = simulateCorrtag(Rng.stream(seed, 'exposure', plan.rootname, seg.segment), spec);
    const { cols, component } = applyBad(plan, sim.columns as unknown as AnyColumns, sim.component);
    const columns = cols as unknown as CorrtagColumns;
    const n = columns.TIME.length;

    const boxes = corrtagBoxes(spec);
    const counts = countRegions(
      { xcorr: columns.XCORR, ycorr: columns.YCORR, wavelength: columns.WAVELENGTH, dq: columns.DQ, component, componentNames: sim.components.map((c) => c.name) },
      boxes,
      sdqflags,
    );
    const truncated = plan.bad === 'single';
    const probabilities = selectionProbabilities(spec, sim.components, boxes);
    const regions: RegionTruth[] = boxes.map((b, i) => ({
      letter: b.letter,
      name: b.name,
      x: b.x,
      y: b.y,
      wlim: b.wlim,
      extracted: mode.detector === 'FUV' || mode.extracted.includes(b.letter),
      ...counts[i],
      expected: truncated ? null : probabilities[i].reduce((a, p, k) => a + sim.expected[k] * p, 0),
      selected_rates: Object.fromEntries(sim.components.map((c, k) => [c.name, c.rate * probabilities[i][k]])),
    }));
    const dq = dqTotals(columns.DQ, sdqflags);
    const wcsLetter: CosLetter = fuv ? seg.fileLetters[0] : 'B';
    const d = mode.dispersion[wcsLetter];
    const primary = cosPrimaryCards(plan, mode, seg.file, seg.segment, refNames, cosWaveRange(mode));
    const events = cosEventsCards(plan, {
      mode,
      letters,
      keywords,
      shift1,
      shift2,
      doppler,
      nevents: n,
      sdqflags,
      expend,
      vHelio,
      ...(d ? { wcs: { crpix: d.xRef + 1, crval: round(d.center, 4), cdelt: d.dispersion, yref: round(keywords[wcsLetter]!.spLoc + 1, 4) } } : {}),
    });
    const truth: Omit<FileTruth, 'bytes'> = {
      ...baseTruth(plan, seg.kind, seg.file, expend),
      companions: files.filter((f) => f !== seg.file),
      // §1.4: a `_b` file is dropped from the ingest list when its `_a` partner exists.
      ingested: !(seg.kind === 'cos_fuv_b' && plan.kind === 'cos_fuv_pair'),
      detector: mode.detector,
      segment: seg.segment,
      obstype: mode.obstype,
      sdqflags,
      reference_files: imaging ? {} : { FLUXTAB: refNames.fluxtab!, TDSTAB: refNames.tdstab! },
      events: { total: n, dq_serious: dq.serious, dq_benign: dq.benign, components: componentTruth(sim.components, sim.expected, component) },
      regions,
      geometry: Object.fromEntries(
        letters.map((L) => {
          const k = keywords[L]!;
          return [L, { SP_LOC: k.spLoc, SP_NOM: k.spNom, SP_HGT: k.spHgt, B_BKG1: k.bkg1, B_BKG2: k.bkg2, B_HGT1: k.bHgt1, B_HGT2: k.bHgt2, SHIFT1: shift1, SHIFT2: shift2 }];
        }),
      ),
      quality: evaluateChecks({ time: columns.TIME, expflag: plan.expflag, exptime: plan.exptime, proposid: plan.proposal.id, badProposals: [BAD_PROPOSAL] }),
    };
    return {
      name: seg.file,
      events: n,
      truth,
      hdus: [
        { type: 'PRIMARY', cards: primary },
        { type: 'BINTABLE', name: 'EVENTS', extver: 1, cards: events, columns: corrtagColumnSpecs(columns), rows: n },
        gtiHdu(plan.gtis),
      ],
    };
  });
}
