/**
 * COS FUV (§6): the a/b segment pair of a corrtag, 915–1800 Å by default, each segment's FLUXTAB and
 * TDSTAB row by the primary SEGMENT keyword (§6.7).
 */
import { cosMode, primarySegment } from '../cos/segments.js';
import { intLimit } from '../mode.js';

export const COS_FUV = cosMode({ name: 'cos-fuv', kind: 'cos-fuv-corrtag', wlim: intLimit(915, 1800), rowSegment: primarySegment });
