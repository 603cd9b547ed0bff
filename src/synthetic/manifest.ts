/**
 * The truth manifest written next to every synthetic archive (`manifest.json`).
 *
 * Conventions: times are seconds from exposure start unless named `*_mjd`; rates are events per
 * second at signal factor 1; region counts follow the original's selection (§6.3 for COS with the
 * default limits of §6.2, §7.4 for STIS after the corrtag conversion of §7.1–7.3).
 */
import type { Signal } from './signals.js';
import type { Verdict } from './verdict.js';
import type { BadKind, ExposureKind } from './plan.js';

export type ArchiveSize = 'tiny' | 'small' | 'medium' | 'large' | 'bench' | 'heavy';

export type FileKind = 'cos_fuv_a' | 'cos_fuv_b' | 'cos_nuv' | 'cos_imaging' | 'stis_tag' | 'stis_x1d';

export interface ComponentTruth {
  name: string;
  kind: 'source' | 'dark' | 'airglow' | 'image';
  /** Segment/stripe letter (COS spectra and airglow). */
  letter?: string;
  /** Mean events/s at signal factor 1. */
  rate: number;
  /** Follows the injected signal. */
  variable: boolean;
  /** Expected (mean) and simulated number of events. */
  expected: number;
  events: number;
  /** Airglow line centre and half-width, Å. */
  line?: { wavelength: number; half_width: number };
}

export interface RegionTruth {
  /** COS segment/stripe letter; `null` for STIS. */
  letter: string | null;
  name: 'spectrum' | 'background1' | 'background2' | 'detector';
  x: [number, number];
  y: [number, number];
  /** Exclusive wavelength bounds. */
  wlim: [number, number];
  /** Used by the original extraction (G230L's stripe C is not). */
  extracted: boolean;
  selected: number;
  /** Analytic mean of `selected`; null where a file was truncated on purpose (single event). */
  expected: number | null;
  /**
   * Mean rate (events/s at signal factor 1) of selected events per component: a lightcurve bin
   * [t, t+Δ) expects Σ_c rate_c · ∫ m_c over the bin (m = 1 for non-variable components).
   */
  selected_rates: Record<string, number>;
  in_box: number;
  dq_rejected: number;
  airglow_rejected: number;
  wavelength_rejected: number;
  by_component: Record<string, number>;
}

/**
 * A region of the corrected STIS extraction (§7.4 corrected): per x1d order (`sporder`) its box
 * (`spectrum`) and background regions on the 2048-row grid, with that order's wavelengths for all
 * three. The extraction weighs each event by ε = 1/(P·L) (§7.2 corrected), so its gross (and
 * background) sums `weighted`; a bin [t, t+Δ) expects Σ_c weighted_rates[c] · ∫ m_c dt, with Poisson
 * variance Σ_c weighted_sq_rates[c] · ∫ m_c dt. `selected`, `expected`, `selected_rates` count events.
 */
export interface StisRegionTruth extends Omit<RegionTruth, 'name'> {
  name: 'spectrum' | 'background1' | 'background2';
  sporder: number;
  weighted: number;
  weighted_expected: number | null;
  weighted_rates: Record<string, number>;
  weighted_sq_rates: Record<string, number>;
}

export interface FileTruth {
  file: string;
  kind: FileKind;
  rootname: string;
  exposure_kind: ExposureKind;
  /** Other files of the exposure (FUV partner segment, STIS x1d or tag). */
  companions: string[];
  /** Whether ingest gathers it (§1.4: `*tag*.fits`, `_b` dropped when its `_a` exists). */
  ingested: boolean;
  instrument: 'COS' | 'STIS';
  detector: string;
  segment: string | null;
  opt_elem: string;
  cenwave: number;
  aperture: string;
  fppos: number;
  obstype: 'SPECTROSCOPIC' | 'IMAGING';
  targname: string;
  canonical_target: string;
  proposid: number;
  expstart: number;
  expend: number;
  exptime: number;
  expflag: string;
  good_time_intervals: Array<[number, number]>;
  signal: Signal;
  sdqflags: number;
  /** Reference-file keywords as written (`lref$…`). */
  reference_files: Record<string, string>;
  /** Events in the file, by component; DQ-flagged totals. */
  events: { total: number; dq_serious: number; dq_benign: number; components: ComponentTruth[] } | null;
  regions: RegionTruth[];
  /**
   * STIS event files: the corrected extraction's regions (COS extracts the `regions` boxes in
   * both algorithms; STIS as built takes the whole detector, `regions[0]`).
   */
  corrected_regions?: StisRegionTruth[];
  /** COS: SP_LOC, SP_HGT, B_BKGn, B_HGTn per letter as written. STIS: SHIFTA1/SHIFTA2. */
  geometry: Record<string, Record<string, number>>;
  /** Expected outcome of the quality checks (§3). */
  quality: Verdict | null;
  bad: BadKind | null;
  bytes: number;
}

export interface CompositeTruth {
  /** HLSP name the pipeline gives the group (§9.2). */
  name: string;
  instrume: string;
  detector: string;
  targname: string;
  opt_elem: string;
  cenwave: number;
  aperture: string;
  /** Ingested files of good exposures, sorted by name. */
  members: string[];
}

export interface ArchiveManifest {
  generator: 'hstlc synthetic archive';
  version: 1;
  seed: number;
  size: ArchiveSize;
  /** Sinusoid phases run on (EXPSTART − epoch)·86400 + TIME. */
  phase_epoch_mjd: number;
  /** Proposal ids the configuration should list as bad (§3.2 check_bad_proposal). */
  bad_proposals: number[];
  reference_files: { lref: string[]; oref: string[] };
  files: FileTruth[];
  composites: CompositeTruth[];
  /** Event files and x1d companions in ingest/ (count, events, bytes), and the reference files. */
  totals: { files: number; events: number; bytes: number; reference_files: number; reference_bytes: number };
}
