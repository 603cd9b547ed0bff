/**
 * Composite product headers in corrected mode, checked with astropy/numpy reading the written file:
 * HDU-1 (and primary) EXPSTART/EXPEND/EXPTIME describe every member (§9.3(c): the original kept the
 * last member's, which compat still does — see composite-golden.test.ts).
 */
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compositeFromFiles } from '../../src/hst/extract.js';
import { CORRECTED } from '../../src/lightcurve/algorithm.js';
import { execFileSync, PYTHON, skipUnlessAstropy, tempDir } from '../helpers/tools.js';
import { INPUTS } from './golden.js';

const tmp = tempDir('hstlc-composite-headers-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };

/** numpy's view of a written composite: the span of its mjd/bins columns and its header values. */
const SPAN = `
import sys, json, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    d = h[1].data
    mjd = np.asarray(d['mjd'], dtype=float); bins = np.asarray(d['bins'], dtype=float); ds = np.asarray(d['dataset'])
    first = [float(mjd[ds == k].min()) for k in sorted(set(ds.tolist()))]
    print(json.dumps({'start': float(mjd.min()), 'end': float((mjd + bins / 86400.0).max()), 'exptime': float(bins.sum()),
        'firstOfEach': first,
        'hdu1': [h[1].header['EXPSTART'], h[1].header['EXPEND'], h[1].header['EXPTIME']],
        'hdu0': [h[0].header['EXPSTART'], h[0].header['EXPEND'], h[0].header['EXPTIME']]}))
`;

interface Span {
  start: number;
  end: number;
  exptime: number;
  firstOfEach: number[];
  hdu1: [number, number, number];
  hdu0: [number, number, number];
}

describe('corrected composite headers (astropy)', { skip: skipUnlessAstropy() }, () => {
  const out = join(tmp.dir, 'wd0308.fits');
  const members = ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits', 'lc7a0302q_corrtag_a.fits'].map((f) => join(INPUTS, f));
  before(async () => {
    await compositeFromFiles(members, out, { step: 2, algorithm: CORRECTED, refs });
  });

  it('EXPSTART/EXPEND/EXPTIME: first bin start, last bin end, summed bins of all members', () => {
    const s = JSON.parse(execFileSync(PYTHON, ['-W', 'ignore', '-c', SPAN, out], { encoding: 'utf8' })) as Span;
    assert.equal(s.firstOfEach.length, 3, 'three members kept');
    for (const hdr of [s.hdu1, s.hdu0]) {
      assert.ok(Math.abs(hdr[0] - s.start) < 1e-9, `EXPSTART ${hdr[0]} vs ${s.start}`);
      assert.ok(Math.abs(hdr[1] - s.end) < 1e-9, `EXPEND ${hdr[1]} vs ${s.end}`);
      assert.ok(Math.abs(hdr[2] - s.exptime) < 1e-6, `EXPTIME ${hdr[2]} vs ${s.exptime}`);
    }
    // not the last member's values (what the original wrote)
    assert.ok(s.hdu1[0] < s.firstOfEach[2]! - 1e-3);
  });
});
