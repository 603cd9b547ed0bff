/**
 * What building an exposure's products shares between COS and STIS: the product type, the
 * reference files an exposure names, GTI tables, the §3 bad-file transformations and the common
 * parts of a file's truth.
 */
import type { HduSpec } from '../fits/index.js';
import type { Rng } from './random.js';
import { round, type DopplerInfo } from './headers.js';
import type { ExposurePlan } from './plan.js';
import type { ComponentTruth, FileKind, FileTruth } from './manifest.js';
import type { StisFlats } from './stis.js';

export interface ProductFile {
  name: string;
  hdus: HduSpec[];
  truth: Omit<FileTruth, 'bytes'>;
  /** Number of event rows (0 for x1d files). */
  events: number;
}

/** Reference files an exposure names, and the STIS bad-pixel images its truth needs. */
export interface ExposureRefs {
  cos: Record<'FUV' | 'NUV', { fluxtab: string; tdstab: string }>;
  stis: Record<'FUV-MAMA' | 'NUV-MAMA', { bpixtab: string; pfltfile: string; lfltfile: string; bpix: Int32Array; flats: StisFlats }>;
  phottab: string;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

export function gtiHdu(gtis: ReadonlyArray<readonly [number, number]>): HduSpec {
  return {
    type: 'BINTABLE',
    name: 'GTI',
    extver: 1,
    columns: [
      { name: 'START', data: Float64Array.from(gtis.map((g) => g[0])), format: '1D', unit: 's' },
      { name: 'STOP', data: Float64Array.from(gtis.map((g) => g[1])), format: '1D', unit: 's' },
    ],
  };
}

export type AnyColumns = Record<string, Float32Array | Float64Array | Int16Array | Uint8Array>;

/** §3 bad-file transformations applied to simulated columns (in place or by copy). */
export function applyBad<T extends AnyColumns>(plan: ExposurePlan, cols: T, component: Uint8Array): { cols: T; component: Uint8Array } {
  const timeKey = 'TIME';
  const time = cols[timeKey];
  const n = time.length;
  if (plan.bad === 'single' && n > 1) {
    const out = {} as Record<string, T[keyof T]>;
    for (const [k, v] of Object.entries(cols)) out[k] = v.slice(0, 1) as T[keyof T];
    return { cols: out as unknown as T, component: component.slice(0, 1) };
  }
  if (plan.bad === 'nonlinear' && n > 2) {
    // Swap two whole rows in the middle so TIME decreases once (every row stays a real event).
    let j = n >> 1;
    while (j < n - 1 && !(time[j] < time[j + 1])) j++;
    if (j >= n - 1) throw new Error(`${plan.rootname}: cannot make TIME non-monotonic`);
    for (const v of Object.values(cols)) {
      const a = v[j];
      v[j] = v[j + 1];
      v[j + 1] = a;
    }
    const c = component[j];
    component[j] = component[j + 1];
    component[j + 1] = c;
  }
  return { cols, component };
}

export function dopplerFor(rng: Rng, plan: ExposurePlan, maxMagnitude: number): DopplerInfo {
  return { magnitude: round(rng.range(0.6, 1) * maxMagnitude, 4), zeroMjd: round(plan.expstart - rng.range(0, 0.066), 6), period: 5760 };
}

export function componentTruth(
  comps: ReadonlyArray<{ name: string; kind: ComponentTruth['kind']; letter?: string; rate: number; variable: boolean; line?: { wavelength: number; halfWidth: number } }>,
  expected: readonly number[],
  component: Uint8Array,
): ComponentTruth[] {
  const counts = new Float64Array(comps.length);
  for (let i = 0; i < component.length; i++) counts[component[i]]++;
  return comps.map((c, k) => ({
    name: c.name,
    kind: c.kind,
    ...(c.letter ? { letter: c.letter } : {}),
    rate: c.rate,
    variable: c.variable,
    expected: expected[k],
    events: counts[k],
    ...(c.line ? { line: { wavelength: c.line.wavelength, half_width: c.line.halfWidth } } : {}),
  }));
}

export function dqTotals(dq: Int16Array | Int32Array, sdq: number): { serious: number; benign: number } {
  let serious = 0;
  let benign = 0;
  for (let i = 0; i < dq.length; i++) {
    if (dq[i] & sdq) serious++;
    else if (dq[i] !== 0) benign++;
  }
  return { serious, benign };
}

export function baseTruth(plan: ExposurePlan, kind: FileKind, file: string, expend: number) {
  return {
    file,
    kind,
    rootname: plan.rootname,
    exposure_kind: plan.kind,
    instrument: plan.instrument,
    opt_elem: plan.optElem,
    cenwave: plan.cenwave,
    aperture: plan.aperture,
    fppos: plan.fppos,
    targname: plan.targname,
    canonical_target: plan.target.canonical,
    proposid: plan.proposal.id,
    expstart: plan.expstart,
    expend,
    exptime: plan.exptime,
    expflag: plan.expflag,
    good_time_intervals: plan.gtis.map((g) => [g[0], g[1]] as [number, number]),
    signal: plan.signal,
    bad: plan.bad ?? null,
  };
}
