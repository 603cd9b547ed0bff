/**
 * What an archive contains before anything is simulated: targets, proposals and exposures.
 */
import type { Signal } from './signals.js';
import type { Gti } from './timing.js';

export interface TargetInfo {
  /** Canonical (resolved) name, as the target dictionary gives it. */
  canonical: string;
  ra: number;
  dec: number;
  descr: string;
}

export interface Proposal {
  id: number;
  /** Three-character program code used in rootnames. */
  program: string;
  piLast: string;
  piFirst: string;
  piMiddle: string;
}

export type ExposureKind = 'cos_fuv_pair' | 'cos_fuv_a' | 'cos_fuv_b' | 'cos_nuv' | 'cos_imaging' | 'stis';

/** One bad file per quality-check reason (§3.2). */
export type BadKind = 'expflag' | 'nonlinear' | 'empty' | 'single' | 'short' | 'proposal';

export interface Rates {
  /** Source events/s per unit segment/stripe weight (at signal factor 1). */
  source: number;
  /** Detector background events/s over the active area of one file. */
  dark: number;
  /** Geocoronal Lyman-α and O I 1304 events/s, where the line falls on the detector. */
  lya: number;
  oi: number;
}

export interface ExposurePlan {
  rootname: string;
  kind: ExposureKind;
  instrument: 'COS' | 'STIS';
  optElem: string;
  cenwave: number;
  aperture: string;
  fppos: number;
  /** TARGNAME as written in the header (possibly an alias spelling). */
  targname: string;
  target: TargetInfo;
  proposal: Proposal;
  /** MJD. */
  expstart: number;
  gtis: Gti[];
  /** Sum of the GTI lengths (EXPTIME). */
  exptime: number;
  expflag: string;
  signal: Signal;
  rates: Rates;
  dq: { serious: number; benign: number };
  bad?: BadKind;
  /** Visit/exposure numbers inside the program (rootname parts). */
  visit: number;
  exposure: number;
}
