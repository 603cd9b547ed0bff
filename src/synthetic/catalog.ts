/**
 * The archive's contents per size preset: targets (some under alias spellings), proposals,
 * groups of exposures sharing a configuration (so composites get 2–5 members), the injected
 * signals, and one bad file per quality-check reason.
 */
import { Rng } from './random.js';
import { round } from './headers.js';
import type { Signal } from './signals.js';
import type { Gti } from './timing.js';
import type { ArchiveSize } from './manifest.js';
import type { BadKind, ExposureKind, ExposurePlan, Proposal, Rates, TargetInfo } from './plan.js';

export const PHASE_EPOCH_MJD = 55000;
/** The proposal id the configuration is meant to list as bad (named in a comment of the original). */
export const BAD_PROPOSAL = 13635;

export interface SizePreset {
  /** Exposure length range, seconds. */
  exposure: [number, number];
  /** Multiplier of every base rate. */
  rateScale: number;
  /** Up to this many extra good visits per multi-visit group (varied by group: 0…extraVisits+1). */
  extraVisits: number;
  /** Include the regular catalog. */
  catalog: boolean;
  /** Add one file with this many events (on average). */
  heavyEvents?: number;
  flatSize: number;
  fluxNelem: number;
  photNelem: number;
}

export const SIZE_PRESETS: Record<ArchiveSize, SizePreset> = {
  tiny: { exposure: [120, 300], rateScale: 1, extraVisits: 0, catalog: true, flatSize: 64, fluxNelem: 200, photNelem: 100 },
  small: { exposure: [300, 1500], rateScale: 1.5, extraVisits: 0, catalog: true, flatSize: 256, fluxNelem: 500, photNelem: 200 },
  medium: { exposure: [600, 2400], rateScale: 4, extraVisits: 2, catalog: true, flatSize: 256, fluxNelem: 1000, photNelem: 200 },
  large: { exposure: [600, 2400], rateScale: 4, extraVisits: 2, catalog: true, heavyEvents: 1e7, flatSize: 1024, fluxNelem: 1000, photNelem: 200 },
  // The benchmark archive: about the size of the archive the original was timed on (~15 M events,
  // COS FUV 1e5–1e6 events per segment, NUV 5e4–5e5, STIS 5e4–1e6).
  bench: { exposure: [600, 2400], rateScale: 16.5, extraVisits: 5, catalog: true, flatSize: 256, fluxNelem: 1000, photNelem: 200 },
  heavy: { exposure: [600, 2400], rateScale: 4, extraVisits: 0, catalog: false, heavyEvents: 1e7, flatSize: 256, fluxNelem: 1000, photNelem: 200 },
};

export const TARGETS: Record<string, TargetInfo> = {
  GD71: { canonical: 'GD71', ra: 88.115, dec: 15.8862, descr: 'STAR;WHITE DWARF' },
  WZSGE: { canonical: 'WZSGE', ra: 301.8958, dec: 17.7028, descr: 'STAR;CATACLYSMIC VARIABLE' },
  YZCMI: { canonical: 'YZCMI', ra: 116.1675, dec: 3.5525, descr: 'STAR;FLARE STAR' },
  HD209458: { canonical: 'HD209458', ra: 330.795, dec: 18.8843, descr: 'STAR;G V;EXTRA-SOLAR PLANETARY SYSTEM' },
  GWLIB: { canonical: 'GWLIB', ra: 233.9721, dec: -25.0086, descr: 'STAR;CATACLYSMIC VARIABLE' },
  AZV148: { canonical: 'AZV148', ra: 13.8842, dec: -72.5419, descr: 'STAR;O' },
  MRK421: { canonical: 'MRK421', ra: 166.1138, dec: 38.2088, descr: 'GALAXY;BL LAC' },
  SK6522: { canonical: 'SK6522', ra: 76.6338, dec: -65.8747, descr: 'STAR;O' },
  NGC6905: { canonical: 'NGC6905', ra: 305.5958, dec: 20.1047, descr: 'NEBULA;PLANETARY' },
  'XTEJ1118+480': { canonical: 'XTEJ1118+480', ra: 169.545, dec: 48.0367, descr: 'STAR;X-RAY BINARY' },
  'WD2359-324': { canonical: 'WD2359-324', ra: 0.5321, dec: -32.1672, descr: 'STAR;WHITE DWARF' },
  '1ES1028+511': { canonical: '1ES1028+511', ra: 157.8271, dec: 50.8933, descr: 'GALAXY;BL LAC' },
};

const PROPOSALS: Record<number, Omit<Proposal, 'id'>> = {
  11897: { program: 'b9y', piLast: 'Osten', piFirst: 'Rachel', piMiddle: 'A' },
  12228: { program: 'bn5', piLast: 'Szkody', piFirst: 'Paula', piMiddle: '' },
  12464: { program: 'c2j', piLast: 'France', piFirst: 'Kevin', piMiddle: '' },
  11576: { program: 'bxv', piLast: 'Linsky', piFirst: 'Jeffrey', piMiddle: 'L' },
  12869: { program: 'c9h', piLast: 'Gaensicke', piFirst: 'Boris', piMiddle: 'T' },
  11623: { program: 'bal', piLast: 'Lennon', piFirst: 'Daniel', piMiddle: 'J' },
  13227: { program: 'cah', piLast: 'Danforth', piFirst: 'Charles', piMiddle: 'W' },
  11692: { program: 'b6k', piLast: 'Massa', piFirst: 'Derck', piMiddle: '' },
  12188: { program: 'bp1', piLast: 'Kwitter', piFirst: 'Karen', piMiddle: 'B' },
  8648: { program: '6a5', piLast: 'Haswell', piFirst: 'Carole', piMiddle: 'A' },
  12177: { program: 'bw7', piLast: 'Bohlin', piFirst: 'Ralph', piMiddle: 'C' },
  [BAD_PROPOSAL]: { program: 'clf', piLast: 'Ely', piFirst: 'Justin', piMiddle: 'C' },
  13902: { program: 'cm4', piLast: 'Fleming', piFirst: 'Scott', piMiddle: 'W' },
};

interface MemberDef {
  name: string;
  kind: ExposureKind;
  bad?: BadKind;
  /** Split the exposure into two GTIs with a gap. */
  gap?: boolean;
  /** Per-member signal override. */
  signal?: 'flare' | 'dip' | 'constant';
}

interface GroupDef {
  instrument: 'COS' | 'STIS';
  mode: string;
  aperture: string;
  canonical: string;
  proposal: number;
  signal: 'constant' | 'flare' | 'dip' | { period: number; amplitude: number };
  members: MemberDef[];
  /** Base rates (scaled by the size preset). */
  rates: Rates;
}

const FUV_RATES: Rates = { source: 6, dark: 2, lya: 3, oi: 1 };
const NUV_RATES: Rates = { source: 4, dark: 3, lya: 0, oi: 0 };
const STIS_FUV_RATES: Rates = { source: 10, dark: 2, lya: 3, oi: 1 };
const STIS_NUV_RATES: Rates = { source: 10, dark: 4, lya: 0, oi: 0 };

/** The regular catalog: 13 configurations, 34 event files, six of them bad. */
export const GROUPS: GroupDef[] = [
  {
    instrument: 'COS', mode: 'G130M/1291', aperture: 'PSA', canonical: 'GD71', proposal: 11897, signal: 'constant', rates: FUV_RATES,
    members: [
      { name: 'GD-71', kind: 'cos_fuv_pair' },
      { name: 'GD71', kind: 'cos_fuv_pair' },
      { name: 'GD-71', kind: 'cos_fuv_pair', bad: 'expflag' },
      { name: 'GD71', kind: 'cos_fuv_pair' },
    ],
  },
  {
    instrument: 'COS', mode: 'G160M/1600', aperture: 'PSA', canonical: 'WZSGE', proposal: 12228, signal: { period: 4898, amplitude: 0.3 }, rates: FUV_RATES,
    members: [{ name: 'WZSGE', kind: 'cos_fuv_pair' }, { name: 'WZSGE', kind: 'cos_fuv_pair', gap: true }, { name: 'WZSGE', kind: 'cos_fuv_a', bad: 'single' }],
  },
  {
    instrument: 'COS', mode: 'G140L/1280', aperture: 'PSA', canonical: 'YZCMI', proposal: 12464, signal: 'flare', rates: FUV_RATES,
    members: [{ name: 'YZCMI', kind: 'cos_fuv_a' }, { name: 'YZCMI', kind: 'cos_fuv_a', signal: 'constant' }],
  },
  {
    instrument: 'COS', mode: 'G130M/1222', aperture: 'PSA', canonical: 'HD209458', proposal: 11576, signal: 'dip', rates: FUV_RATES,
    members: [{ name: 'HD-209458', kind: 'cos_fuv_pair' }, { name: 'HD209458', kind: 'cos_fuv_b' }],
  },
  {
    instrument: 'COS', mode: 'G230L/2950', aperture: 'PSA', canonical: 'GWLIB', proposal: 12869, signal: { period: 648, amplitude: 0.2 }, rates: NUV_RATES,
    members: [{ name: 'GW-LIB', kind: 'cos_nuv' }, { name: 'GW-LIB-COPY', kind: 'cos_nuv' }],
  },
  {
    instrument: 'COS', mode: 'G185M/1786', aperture: 'PSA', canonical: 'AZV148', proposal: 11623, signal: 'constant', rates: NUV_RATES,
    members: [{ name: 'AZV-148', kind: 'cos_nuv' }, { name: 'AZV148', kind: 'cos_nuv' }, { name: 'AZV-148', kind: 'cos_nuv', bad: 'empty' }],
  },
  {
    instrument: 'COS', mode: 'G225M/2250', aperture: 'PSA', canonical: 'MRK421', proposal: 13227, signal: { period: 10800, amplitude: 0.15 }, rates: NUV_RATES,
    members: [{ name: 'MRK421', kind: 'cos_nuv' }, { name: 'MRK421', kind: 'cos_nuv' }, { name: 'MRK421', kind: 'cos_nuv', bad: 'short' }],
  },
  {
    instrument: 'COS', mode: 'G285M/2850', aperture: 'PSA', canonical: 'SK6522', proposal: 11692, signal: { period: 47, amplitude: 0.3 }, rates: NUV_RATES,
    members: [{ name: 'SK-65-22', kind: 'cos_nuv' }],
  },
  {
    instrument: 'COS', mode: 'MIRRORA/0', aperture: 'PSA', canonical: 'NGC6905', proposal: 12188, signal: { period: 120, amplitude: 0.2 },
    rates: { source: 15, dark: 3, lya: 0, oi: 0 },
    members: [{ name: 'NGC-6905', kind: 'cos_imaging' }],
  },
  {
    instrument: 'STIS', mode: 'G140L/1425', aperture: '52X0.2', canonical: 'XTEJ1118+480', proposal: 8648, signal: { period: 7.3, amplitude: 0.35 }, rates: STIS_FUV_RATES,
    members: [{ name: 'XTE-J1118+480', kind: 'stis' }, { name: 'XTEJ1118+480', kind: 'stis' }, { name: 'XTE-J1118+480', kind: 'stis', bad: 'nonlinear' }],
  },
  {
    instrument: 'STIS', mode: 'G230L/2376', aperture: '52X2', canonical: 'WD2359-324', proposal: 12177, signal: { period: 1000, amplitude: 0.4 }, rates: STIS_NUV_RATES,
    members: [{ name: 'WD2359-324', kind: 'stis' }, { name: 'WD2359-324', kind: 'stis' }],
  },
  {
    instrument: 'STIS', mode: 'E140M/1425', aperture: '0.2X0.2', canonical: 'YZCMI', proposal: 12464, signal: 'flare', rates: STIS_FUV_RATES,
    members: [{ name: 'YZCMI', kind: 'stis' }],
  },
  {
    instrument: 'COS', mode: 'G130M/1309', aperture: 'BOA', canonical: '1ES1028+511', proposal: BAD_PROPOSAL, signal: 'constant', rates: FUV_RATES,
    members: [{ name: '1ES1028+511', kind: 'cos_fuv_pair', bad: 'proposal' }],
  },
];

function makeSignal(rng: Rng, def: GroupDef['signal'] | 'flare' | 'dip' | 'constant', exptime: number, groupPhase: number): Signal {
  if (def === 'constant') return { type: 'constant' };
  if (def === 'flare') {
    return { type: 'flare', t0: round(rng.range(0.2, 0.6) * exptime, 2), amplitude: 5, rise: round(0.02 * exptime, 2), decay: round(0.12 * exptime, 2) };
  }
  if (def === 'dip') {
    return { type: 'dip', tc: round(rng.range(0.4, 0.6) * exptime, 2), depth: 0.3, duration: round(0.45 * exptime, 2), ingress: round(0.08 * exptime, 2) };
  }
  return { type: 'sinusoid', period: def.period, amplitude: def.amplitude, phase: groupPhase, epoch_mjd: PHASE_EPOCH_MJD };
}

function scaleRates(r: Rates, s: number): Rates {
  return { source: r.source * s, dark: r.dark * s, lya: r.lya * s, oi: r.oi * s };
}

function gtisFor(rng: Rng, exptime: number, gap: boolean): Gti[] {
  if (!gap) return [[0, exptime]];
  const first = round(exptime * rng.range(0.4, 0.6), 3);
  const pause = round(rng.range(100, 300), 3);
  return [
    [0, first],
    [round(first + pause, 3), round(exptime + pause, 3)],
  ];
}

class Rootnames {
  private visits = new Map<number, number>();
  next(instrument: 'COS' | 'STIS', proposal: Proposal): { rootname: string; visit: number; exposure: number } {
    const visit = (this.visits.get(proposal.id) ?? 0) + 1;
    this.visits.set(proposal.id, visit);
    const exposure = ((visit * 7) % 9) + 1;
    const vv = String(visit).padStart(2, '0');
    const ee = String(exposure).padStart(2, '0');
    return instrument === 'COS'
      ? { rootname: `l${proposal.program}${vv}${ee}q`, visit, exposure }
      : { rootname: `o${proposal.program}${vv}${ee}0`, visit, exposure };
  }
}

export function proposalOf(id: number): Proposal {
  const p = PROPOSALS[id];
  if (!p) throw new Error(`unknown proposal ${id}`);
  return { id, ...p };
}

/** Every exposure of an archive, deterministic in (seed, size). */
export function planArchive(seed: number, size: ArchiveSize): ExposurePlan[] {
  const preset = SIZE_PRESETS[size];
  const rng = Rng.stream(seed, 'catalog', size);
  const names = new Rootnames();
  const plans: ExposurePlan[] = [];
  const usedStarts = new Set<number>();
  const expstart = (): number => {
    for (;;) {
      const mjd = round(rng.range(55100, 58400), 7);
      const day = Math.floor(mjd);
      if (!usedStarts.has(day)) {
        usedStarts.add(day);
        return mjd;
      }
    }
  };
  const exptimeOf = (): number => round(rng.range(preset.exposure[0], preset.exposure[1]), 1);

  if (preset.catalog) {
    GROUPS.forEach((g, gi) => {
      const groupPhase = round(rng.range(0, 2 * Math.PI), 6);
      const members: MemberDef[] = [...g.members];
      const good = members.filter((m) => !m.bad).length;
      if (good >= 2 && preset.extraVisits > 0) {
        // Vary composite sizes between groups, never beyond five good members.
        const extra = Math.min(gi % (preset.extraVisits + 2), 5 - good);
        const template = members.find((m) => !m.bad && !m.gap)!;
        for (let i = 0; i < extra; i++) members.push({ ...template });
      }
      for (const m of members) {
        const proposal = proposalOf(m.bad === 'proposal' ? BAD_PROPOSAL : g.proposal);
        const { rootname, visit, exposure } = names.next(g.instrument, proposal);
        let exptime = exptimeOf();
        let gtis = gtisFor(rng, exptime, m.gap === true);
        if (m.bad === 'short') {
          exptime = 0.5;
          gtis = [[0, 0.5]];
        }
        exptime = round(gtis.reduce((a, [s, e]) => a + e - s, 0), 3);
        const [optElem, cenwave] = g.mode.split('/');
        const rates = scaleRates(g.rates, preset.rateScale * (m.bad === 'short' ? 20 : 1));
        plans.push({
          rootname,
          kind: m.kind,
          instrument: g.instrument,
          optElem,
          cenwave: Number(cenwave),
          aperture: g.aperture,
          fppos: rng.int(1, 4),
          targname: m.name,
          target: TARGETS[g.canonical],
          proposal,
          expstart: expstart(),
          gtis,
          exptime,
          expflag: m.bad === 'expflag' ? 'INTERRUPTED' : 'NORMAL',
          signal: makeSignal(rng, m.signal ?? g.signal, exptime, groupPhase),
          rates: m.bad === 'empty' ? { source: 0, dark: 0, lya: 0, oi: 0 } : rates,
          dq: { serious: 0.02, benign: 0.03 },
          bad: m.bad,
          visit,
          exposure,
        });
      }
    });
  }
  if (preset.heavyEvents) {
    // One lone FUV segment with ~heavyEvents events: G130M/1291 (Lyman-α on B, O I on A).
    const proposal = proposalOf(13902);
    const { rootname, visit, exposure } = names.next('COS', proposal);
    const exptime = 2000;
    const total = preset.heavyEvents / exptime;
    const rates: Rates = { source: total * 0.88, dark: total * 0.06, lya: 0, oi: total * 0.06 };
    plans.push({
      rootname,
      kind: 'cos_fuv_a',
      instrument: 'COS',
      optElem: 'G130M',
      cenwave: 1291,
      aperture: 'PSA',
      fppos: 3,
      targname: 'MRK421',
      target: TARGETS.MRK421,
      proposal,
      expstart: expstart(),
      gtis: [[0, exptime]],
      exptime,
      expflag: 'NORMAL',
      signal: { type: 'sinusoid', period: 300, amplitude: 0.1, phase: 0, epoch_mjd: PHASE_EPOCH_MJD },
      rates,
      dq: { serious: 0.02, benign: 0.03 },
      visit,
      exposure,
    });
  }
  return plans;
}
