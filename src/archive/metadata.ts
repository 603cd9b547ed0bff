/**
 * `make_file_dicts` (§5.3) as a pure function of the primary header: the metadata row and the outputs
 * columns of one ingested file. The target name is resolved by the caller (src/targets) and must
 * already be safe; the individual lightcurve goes under outputs_dir/<targname> (§15.19 fixed).
 */
import type { Header } from '../fits/index.js';
import type { IndividualOutput, MetadataInput } from '../db/metadata.js';
import { individualDir, targetDir, type ArchiveLayout } from './layout.js';
import { individualLightcurveName } from '../hst/names.js';

export class MetadataError extends Error {
  constructor(
    message: string,
    readonly missing: readonly string[],
  ) {
    super(message);
    this.name = 'MetadataError';
  }
}

export interface FileDictsInput {
  /** Base name of the file as it will be archived (for a STIS tag: its corrtag). */
  filename: string;
  /** Base name the file arrived with; its rootname names the lightcurve. Default: `filename`. */
  originalFilename?: string;
  /** The resolved, safe target name. */
  targname: string;
  /** 'YYYY-MM-DD'. */
  ingestDate: string;
}

export interface FileDicts {
  metadata: MetadataInput;
  output: IndividualOutput;
}

/** Header text as astropy gives it: trailing blanks are not significant in FITS strings. */
function text(h: Header, key: string, missing: string[]): string {
  const v = h.get(key);
  if (v === undefined || v === null) {
    missing.push(key);
    return '';
  }
  return String(v).trim();
}

function integer(h: Header, key: string, missing: string[], bad: string[]): number {
  const v = h.get(key);
  if (v === undefined || v === null) {
    missing.push(key);
    return 0;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    bad.push(`${key} = ${JSON.stringify(v)} is not an integer`);
    return 0;
  }
  return v;
}

export function fileDicts(primary: Header, layout: ArchiveLayout, input: FileDictsInput): FileDicts {
  const missing: string[] = [];
  const bad: string[] = [];
  const instrume = text(primary, 'INSTRUME', missing);
  const obstype = text(primary, 'OBSTYPE', missing);
  const row = {
    telescop: text(primary, 'TELESCOP', missing),
    instrume,
    cal_ver: text(primary, 'CAL_VER', missing),
    obstype,
    aperture: text(primary, 'APERTURE', missing),
    detector: text(primary, 'DETECTOR', missing),
    opt_elem: text(primary, 'OPT_ELEM', missing),
  };
  // §5.3: CENWAVE only means something for spectra; imaging rows carry 0.
  let cenwave = 0;
  if (obstype === 'SPECTROSCOPIC') cenwave = integer(primary, 'CENWAVE', missing, bad);
  else if (obstype !== 'IMAGING' && !missing.includes('OBSTYPE')) bad.push(`OBSTYPE '${obstype}' is neither SPECTROSCOPIC nor IMAGING`);
  // FP-POS is a COS notion; STIS rows carry 0.
  let fppos = 0;
  if (instrume === 'COS') fppos = integer(primary, 'FPPOS', missing, bad);
  else if (instrume !== 'STIS' && !missing.includes('INSTRUME')) bad.push(`INSTRUME '${instrume}' is neither COS nor STIS`);
  if (missing.length > 0 || bad.length > 0) {
    const parts = [...(missing.length ? [`missing keyword${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in HDU 0`] : []), ...bad];
    throw new MetadataError(parts.join('; '), missing);
  }
  return {
    metadata: {
      ...row,
      targname: input.targname,
      cenwave,
      fppos,
      filename: input.filename,
      path: targetDir(layout, input.targname),
      ingest_date: input.ingestDate,
    },
    output: {
      individual_path: individualDir(layout, input.targname),
      individual_filename: individualLightcurveName(input.originalFilename ?? input.filename),
    },
  };
}
