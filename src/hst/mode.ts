/**
 * What an instrument mode tells the one extraction skeleton (extraction.ts): which files it reads, its
 * default and IMAGING limits (§6.2, §7.4), its region plans (§6.4, §7.1), each plan's calibration
 * (§6.6–§6.8, §7.4), how its time grid is spanned (§6.5) and what its header metadata says (§8.1).
 * The skeleton does the rest — scan, grid, accumulate, combine, MJD, the product — the same way for
 * every mode. A mode is one file in modes/ and its line in modes/index.ts.
 */
import type { AlgorithmParams } from '../lightcurve/algorithm.js';
import { pyFloat, pyInt, type Descriptive, type PyNumber } from '../lightcurve/table.js';
import type { FitsReader, Header } from '../fits/index.js';
import type { Detection } from './detect.js';
import type { MemberEventsOption } from './member-events.js';
import type { RefContext, RefLog } from './reffiles.js';
import type { PlanCalibration, ScanResult, SegmentPlan } from './selection.js';

export interface ExtractOptions {
  /** Bin width in seconds (the library's default is 1; the pipeline passes 2). */
  step?: number;
  /** Exclusive wavelength bounds (Å); default by mode (§6.2, §7.4). */
  wlim?: readonly [number, number];
  xlim?: readonly [number, number];
  /** One y range for every segment instead of the header regions. */
  ylim?: readonly [number, number];
  filterAirglow?: boolean;
  algorithm?: AlgorithmParams;
  refs?: RefContext;
  chunkRows?: number;
  /** Override the number as Python saw it (composites pass float wavelength limits). */
  wlimFloat?: boolean;
  /** Keep what the extraction selects for a later one of the same files, or use what an earlier one kept (member-events.ts). */
  memberEvents?: MemberEventsOption;
}

/** One event file a mode reads, with its headers (COS: a segment or NUV stripe; STIS: the corrtag). */
export interface SegmentInput {
  /** Segment or stripe letter (COS), '1' for STIS. */
  letter: string;
  path: string;
  reader: FitsReader;
  primary: Header;
  events: Header;
}

export interface ModeInputs {
  primary: Header;
  segments: SegmentInput[];
  /** Distinct open files (NUV stripes share one); the skeleton closes them. */
  readers: FitsReader[];
  /** §6.6 source_files, when the mode records them (COS: base names, `_a` first). */
  sourceFiles?: string[];
}

export type Limit = [PyNumber, PyNumber];

export interface Limits {
  wlim: Limit;
  xlim: Limit;
  /** null: every plan takes its own y range from the header regions (COS). */
  ylim: Limit | null;
}

/** A region plan and what the mode's calibration needs of it: its file, and the spectral order (STIS). */
export interface ModePlan extends SegmentPlan {
  input: SegmentInput;
  sporder?: number;
}

export interface ModeContext {
  path: string;
  opts: ExtractOptions;
  algorithm: AlgorithmParams;
  refs: RefContext;
  log: RefLog;
  imaging: boolean;
}

export interface ModePlans {
  plans: ModePlan[];
  /** §6.6 `ylim<s>`: the spectrum region per segment or stripe (COS), none for STIS. */
  segmentYlim: Array<{ letter: string; start: number; end: number }>;
  /** A remark recorded once the sums are made (after any calibration fallback, as the original's order). */
  closingNote?: string;
}

/** §6.5: the time span of the grid before its cut, the EXPTIME it is cut at, the last event (for the cut warning). */
export interface ModeSpan {
  start: number;
  end: number;
  exptime: number;
  /** The last event time to compare with the cut; undefined: the mode does not warn of a cut. */
  lastEvent?: number;
}

export interface ExtractionMode {
  /** 'cos-fuv', 'cos-nuv', 'stis-first-order', 'stis-echelle'. */
  readonly name: string;
  /** Whether a detected file (§1.2) with this primary header is this mode's. */
  accepts(detection: Detection, primary: Header): boolean;
  /** §8.1 header metadata: INSTRUME and FILETYPE of the product. */
  readonly instrument: 'COS' | 'STIS';
  readonly filetype: 'cos_corrtag' | 'stis_corrtag';
  /**
   * Counts are summed into float64 arrays (STIS: the original adds its orders into float64 zeros);
   * otherwise they keep the dtype of the event weights, and numpy summation rounds each sum to float32 (COS).
   */
  readonly float64Counts: boolean;
  /** The files it reads, from the opened first one (which it keeps in `readers`). */
  open(path: string, first: FitsReader): Promise<ModeInputs>;
  limits(opts: ExtractOptions, imaging: boolean): Limits;
  plans(inputs: ModeInputs, limits: Limits, ctx: ModeContext): Promise<ModePlans>;
  span(inputs: ModeInputs, plans: readonly ModePlan[], scan: ScanResult, ctx: ModeContext): ModeSpan;
  /** Plan `i`'s calibration: sensitivity curves stretched to its selections, TDS, background scale, N_pix. */
  calibrate(inputs: ModeInputs, plans: readonly ModePlan[], i: number, scan: ScanResult, ctx: ModeContext): Promise<PlanCalibration>;
}

/** §6.2: a limit as Python held it — an int, unless `float` (default: whether it is not an integer). */
export function limitOf(v: readonly [number, number], float?: boolean): Limit {
  const one = (x: number): PyNumber => ((float ?? !Number.isInteger(x)) ? pyFloat(x) : pyInt(x));
  return [one(v[0]), one(v[1])];
}

/** Integer limits (defaults and the IMAGING overrides). */
export function intLimit(a: number, b: number): Limit {
  return [pyInt(a), pyInt(b)];
}

export const values = (l: Limit): readonly [number, number] => [l[0].value, l[1].value];

/** §6.2 OBSTYPE IMAGING: forced limits, no spectral regions. */
export function isImaging(primary: Header): boolean {
  return (primary.string('OBSTYPE') ?? '').trim().toUpperCase() === 'IMAGING';
}

/** §8.1 descriptive header values copied into the product. */
export function describeFrom(primary: Header): Descriptive {
  const s = (k: string): string => (primary.string(k) ?? '').trim();
  const n = (k: string): number | undefined => {
    try {
      return primary.number(k);
    } catch {
      return undefined;
    }
  };
  const cen = primary.get('CENWAVE');
  return {
    TELESCOP: s('TELESCOP'),
    INSTRUME: s('INSTRUME'),
    DETECTOR: s('DETECTOR'),
    OPT_ELEM: s('OPT_ELEM'),
    CENWAVE: typeof cen === 'number' ? cen : s('CENWAVE'),
    APERTURE: s('APERTURE'),
    TARGNAME: s('TARGNAME'),
    RA_TARG: n('RA_TARG'),
    DEC_TARG: n('DEC_TARG'),
    EQUINOX: n('EQUINOX'),
    TARDESCR: s('TARDESCR'),
    TARDESC2: s('TARDESC2'),
    OBSTYPE: s('OBSTYPE'),
    ROOTNAME: s('ROOTNAME'),
  };
}
