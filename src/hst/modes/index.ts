/**
 * The instrument modes the extraction skeleton knows, in the order they are asked (the first that
 * accepts a file extracts it). A new mode is its file here and its line in MODES.
 */
import type { Header } from '../../fits/index.js';
import { ProductError } from '../../fits/index.js';
import type { Detection } from '../detect.js';
import type { ExtractionMode } from '../mode.js';
import { COS_FUV } from './cos-fuv.js';
import { COS_NUV } from './cos-nuv.js';
import { STIS_ECHELLE } from './stis-echelle.js';
import { STIS_FIRST_ORDER } from './stis-first-order.js';

export const MODES: readonly ExtractionMode[] = [COS_FUV, COS_NUV, STIS_FIRST_ORDER, STIS_ECHELLE];

/** The mode that extracts a detected event file, or a ProductError naming why none does. */
export function modeFor(detection: Detection, primary: Header, path: string): ExtractionMode {
  const mode = MODES.find((m) => m.accepts(detection, primary));
  if (mode === undefined) {
    const why = detection.reason ?? `a ${detection.kind} file (INSTRUME '${detection.instrument}', DETECTOR '${detection.detector}')`;
    throw new ProductError(`${path}: no extraction mode for ${why}; extract needs a COS corrtag or a STIS corrtag`);
  }
  return mode;
}
