/**
 * The one place that decides what an HST file is (§1.2), from the column names of HDU 1 and a few
 * primary-header keywords. Unlike the original, lightcurves written by the library itself (12
 * columns) and by hstlc are recognized, and a superset of the corrtag columns (newer CALCOS adds
 * some) is still a corrtag; `originalType` says what the original's exact-set test would have said.
 */
import { FitsReader, type Header } from '../fits/index.js';

export type FileKind =
  | 'cos-fuv-corrtag'
  | 'cos-nuv-corrtag'
  | 'stis-tag'
  | 'stis-corrtag'
  | 'x1d'
  | 'lightcurve'
  | 'unknown';

/** The original's `check_filetype` names (written to FILETYPE), or null where it returned None. */
export type OriginalFiletype = 'cos_corrtag' | 'lightcurve' | 'stis_tag' | 'stis_corrtag' | null;

export interface Detection {
  kind: FileKind;
  originalType: OriginalFiletype;
  instrument: string;
  detector: string;
  /** Upper-cased HDU-1 column names, in file order. */
  columns: string[];
  /** Why the kind is 'unknown' (for error messages). */
  reason?: string;
}

const COS_CORRTAG = ['TIME', 'RAWX', 'RAWY', 'XCORR', 'YCORR', 'XDOPP', 'XFULL', 'YFULL', 'WAVELENGTH', 'EPSILON', 'DQ', 'PHA'];
const LIGHTCURVE = ['TIMES', 'MJD', 'GROSS', 'COUNTS', 'NET', 'FLUX', 'FLUX_ERROR', 'BACKGROUND', 'ERROR'];
const STIS_TAG = ['TIME', 'AXIS1', 'AXIS2', 'DETAXIS1'];
const STIS_CORRTAG = ['TIME', 'RAWX', 'RAWY', 'XCORR', 'YCORR', 'WAVELENGTH', 'EPSILON', 'DQ'];
const X1D = ['WAVELENGTH', 'FLUX', 'NET', 'GROSS'];

function sameSet(cols: Set<string>, names: readonly string[]): boolean {
  return cols.size === names.length && names.every((n) => cols.has(n));
}
function hasAll(cols: Set<string>, names: readonly string[]): boolean {
  return names.every((n) => cols.has(n));
}

/** Classify from already-read headers (no I/O). */
export function classify(primary: Header, columns: readonly string[]): Detection {
  const cols = new Set(columns.map((c) => c.toUpperCase()));
  const instrument = (primary.string('INSTRUME') ?? '').trim().toUpperCase();
  const detector = (primary.string('DETECTOR') ?? '').trim().toUpperCase();
  const base = { instrument, detector, columns: [...cols] };

  // §1.2, in the original's order, exact sets
  let originalType: OriginalFiletype = null;
  if (sameSet(cols, COS_CORRTAG)) originalType = 'cos_corrtag';
  else if (sameSet(cols, LIGHTCURVE)) originalType = 'lightcurve';
  else if (sameSet(cols, STIS_TAG)) originalType = 'stis_tag';
  else if (sameSet(cols, STIS_CORRTAG)) originalType = 'stis_corrtag';

  if (hasAll(cols, LIGHTCURVE)) return { ...base, kind: 'lightcurve', originalType };
  if (hasAll(cols, COS_CORRTAG) || (instrument === 'COS' && hasAll(cols, STIS_CORRTAG))) {
    if (detector === 'FUV') return { ...base, kind: 'cos-fuv-corrtag', originalType: originalType ?? 'cos_corrtag' };
    if (detector === 'NUV') return { ...base, kind: 'cos-nuv-corrtag', originalType: originalType ?? 'cos_corrtag' };
    // STIS corrtags written by the library share no column with PHA/XDOPP; a 12-column table with
    // another detector is still a COS-like event list the original would route to cos.extract.
    return { ...base, kind: 'unknown', originalType, reason: `corrtag columns but DETECTOR = '${detector}' (expected FUV or NUV)` };
  }
  if (hasAll(cols, STIS_TAG)) return { ...base, kind: 'stis-tag', originalType: originalType ?? 'stis_tag' };
  if (hasAll(cols, STIS_CORRTAG)) return { ...base, kind: 'stis-corrtag', originalType: originalType ?? 'stis_corrtag' };
  if (hasAll(cols, X1D)) return { ...base, kind: 'x1d', originalType };
  return { ...base, kind: 'unknown', originalType, reason: `HDU 1 columns ${[...cols].join(', ') || '(none)'} match no known product` };
}

/** Open `path`, read its headers only, and classify it. */
export async function detectFile(path: string): Promise<Detection> {
  const f = await FitsReader.open(path, { maxHdus: 2 });
  try {
    const primary = f.hdus[0].header;
    const hdu1 = f.hdus[1];
    if (hdu1 === undefined || hdu1.table === undefined) {
      return { kind: 'unknown', originalType: null, instrument: '', detector: '', columns: [], reason: 'HDU 1 is not a binary table' };
    }
    return classify(primary, hdu1.table.columns.map((c) => c.name));
  } finally {
    await f.close();
  }
}

/** True for the event-list kinds `extract` can turn into a lightcurve. */
export function isEventKind(kind: FileKind): boolean {
  return kind === 'cos-fuv-corrtag' || kind === 'cos-nuv-corrtag' || kind === 'stis-tag' || kind === 'stis-corrtag';
}
