/**
 * STIS first-order gratings (§7.4): the whole detector as built; corrected, the x1d's box and
 * backgrounds with the corrtag's WAVELENGTH column, each order's FLUXTAB row by SPORDER.
 */
import { stisMode } from '../stis/segments.js';

export const STIS_FIRST_ORDER = stisMode('stis-first-order', false);
