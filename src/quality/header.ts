/**
 * The primary-header values that name things (§5.3 metadata path, §9.2 composite name
 * `hlsp_hstlc_hst_<instrume>-<detector>_<targname>_<opt_elem>_<cenwave>_<aperture>_v1_sci.fits`) are
 * checked when a file is ingested, not when its composite is written: a value no COS or STIS file can
 * carry makes that one file bad data ("Bad header: OPT_ELEM"), instead of an unsafe composite name that
 * stops every later run at the same place.
 *
 * Known values are those of the COS and STIS instrument handbooks. STIS has dozens of apertures
 * (52X0.2, 0.2X0.09, F25SRF2, 31X0.05NDA, ...), so an aperture there is checked by its form: capital
 * letters, digits and '.', starting with a letter or digit. TARGNAME is made safe by src/targets
 * (sanitize.ts), so here it must only be text.
 */
import type { Header } from '../fits/index.js';
import type { BadDataReason, HeaderNameKeyword } from './reasons.js';

interface InstrumentValues {
  detectors: readonly string[];
  optElems: readonly string[];
  aperture: (value: string) => boolean;
}

const COS_APERTURES = ['PSA', 'BOA', 'WCA', 'FCA'];
const STIS_APERTURE = /^[0-9A-Z][0-9A-Z.]{0,29}$/;

export const KNOWN_HEADER_VALUES: Readonly<Record<'COS' | 'STIS', InstrumentValues>> = {
  COS: {
    detectors: ['FUV', 'NUV'],
    optElems: ['G130M', 'G160M', 'G140L', 'G185M', 'G225M', 'G285M', 'G230L', 'MIRRORA', 'MIRRORB'],
    aperture: (v) => COS_APERTURES.includes(v),
  },
  STIS: {
    detectors: ['FUV-MAMA', 'NUV-MAMA', 'CCD'],
    optElems: [
      'G140L', 'G140M', 'E140M', 'E140H', 'X140M', 'X140H',
      'G230L', 'G230M', 'E230M', 'E230H', 'X230M', 'X230H', 'G230LB', 'G230MB',
      'G430L', 'G430M', 'G750L', 'G750M', 'MIRROR', 'PRISM',
    ],
    aperture: (v) => STIS_APERTURE.test(v),
  },
};

/** Central wavelengths of COS and STIS spectroscopic modes lie within 800–10871 Å; this bound is looser. */
export const CENWAVE_RANGE = { min: 100, max: 20000 } as const;

export interface HeaderProblem {
  keyword: HeaderNameKeyword;
  reason: BadDataReason;
  detail: string;
}

function problem(keyword: HeaderNameKeyword, detail: string): HeaderProblem {
  return { keyword, reason: `Bad header: ${keyword}`, detail };
}

const shown = (v: unknown): string => (v === undefined ? 'missing' : JSON.stringify(v));

/**
 * The first header value that could not name an archive path or composite, in the order of the
 * composite name; undefined when all are fine. OBSTYPE decides whether CENWAVE is used (§5.3: imaging
 * rows carry 0); an OBSTYPE that is neither is left to the metadata step to report.
 */
export function nameHeaderProblem(primary: Header): HeaderProblem | undefined {
  const text = (k: string): string | undefined => {
    const v = primary.get(k);
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const instrume = text('INSTRUME');
  if (instrume !== 'COS' && instrume !== 'STIS') return problem('INSTRUME', `INSTRUME ${shown(primary.get('INSTRUME'))} is neither COS nor STIS`);
  const known = KNOWN_HEADER_VALUES[instrume];
  const detector = text('DETECTOR');
  if (detector === undefined || !known.detectors.includes(detector)) {
    return problem('DETECTOR', `DETECTOR ${shown(primary.get('DETECTOR'))} is not a ${instrume} detector (${known.detectors.join(', ')})`);
  }
  const targname = primary.get('TARGNAME');
  if (typeof targname !== 'string') return problem('TARGNAME', `TARGNAME ${shown(targname)} is not text`);
  const optElem = text('OPT_ELEM');
  if (optElem === undefined || !known.optElems.includes(optElem)) {
    return problem('OPT_ELEM', `OPT_ELEM ${shown(primary.get('OPT_ELEM'))} is not a ${instrume} optical element`);
  }
  if (text('OBSTYPE') === 'SPECTROSCOPIC') {
    const cenwave = primary.get('CENWAVE');
    if (typeof cenwave !== 'number' || !Number.isSafeInteger(cenwave) || cenwave < CENWAVE_RANGE.min || cenwave > CENWAVE_RANGE.max) {
      return problem('CENWAVE', `CENWAVE ${shown(cenwave)} is not a central wavelength in Å (an integer from ${CENWAVE_RANGE.min} to ${CENWAVE_RANGE.max})`);
    }
  }
  const aperture = text('APERTURE');
  if (aperture === undefined || !known.aperture(aperture)) return problem('APERTURE', `APERTURE ${shown(primary.get('APERTURE'))} is not a ${instrume} aperture`);
  return undefined;
}
