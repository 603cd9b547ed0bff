/**
 * COS NUV (§6): the three stripes (two for G230L) of one corrtag, 915–3200 Å by default. As built the
 * FLUXTAB/TDSTAB row is the primary SEGMENT ('N/A' for NUV: no row, unity); corrected takes the
 * stripe's row, NUVA/NUVB/NUVC (§6.7, §15.15).
 */
import { cosMode, primarySegment } from '../cos/segments.js';
import { intLimit } from '../mode.js';

export const COS_NUV = cosMode({
  name: 'cos-nuv',
  kind: 'cos-nuv-corrtag',
  wlim: intLimit(915, 3200),
  rowSegment: (seg, algorithm) => (algorithm.nuvRowByStripe ? `NUV${seg.letter}` : primarySegment(seg)),
});
