/**
 * STIS echelle gratings (OPT_ELEM E…; §7.4): as first order, but when corrected each x1d order's box and
 * backgrounds take that order's own dispersion: inter-order background events lie in no box, so the
 * corrtag gives them no wavelength (§7.1).
 */
import { stisMode } from '../stis/segments.js';

export const STIS_ECHELLE = stisMode('stis-echelle', true);
