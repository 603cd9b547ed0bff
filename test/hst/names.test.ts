import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  corrtagOf,
  fuvPartnerOf,
  fuvSegmentPair,
  hasHstSuffix,
  individualLightcurveName,
  isFuvSegmentB,
  isIngestDirProduct,
  isListedThroughPartner,
  rootnameOf,
  stisX1dOf,
  suffixOf,
  tagNameOfCorrtag,
  x1dOf,
} from '../../src/hst/names.js';

describe('HST file names (§1.1, §1.3, §7.1)', () => {
  it('rootname and suffix from the base name', () => {
    assert.equal(rootnameOf('/x/lb4m01a1q_corrtag_a.fits'), 'lb4m01a1q');
    assert.equal(rootnameOf('/x_y/plain.fits'), 'plain.fits');
    assert.equal(suffixOf('/x/lb4m01a1q_corrtag_a.fits'), 'corrtag_a');
    assert.equal(suffixOf('/x/o6a501030_corrtag.fits'), 'corrtag');
    assert.equal(suffixOf('/x/o6a501030_tag.fits'), 'tag');
    assert.equal(suffixOf('/x/o6a501030_x1d.fits'), 'x1d');
    assert.equal(suffixOf('/run_tag.fits/o6a501030_curve.fits'), undefined);
    assert.equal(hasHstSuffix('LB4M01A1Q_CORRTAG_B.FITS'), true);
    assert.equal(hasHstSuffix('lb4m01a1q_rawtag_a.fits'), false);
    assert.equal(individualLightcurveName('/d/lb4m01a1q_corrtag_a.fits'), 'lb4m01a1q_curve.fits');
  });

  it('FUV pair from either segment, sorted; the base name only', () => {
    assert.deepEqual(fuvSegmentPair('/x/root_corrtag_b.fits'), ['/x/root_corrtag_a.fits', '/x/root_corrtag_b.fits']);
    assert.deepEqual(fuvSegmentPair('/x/root_corrtag_a.fits'), ['/x/root_corrtag_a.fits', '/x/root_corrtag_b.fits']);
    assert.deepEqual(fuvSegmentPair('/odd_a.fits/root_corrtag_b.fits'), ['/odd_a.fits/root_corrtag_a.fits', '/odd_a.fits/root_corrtag_b.fits']);
    assert.throws(() => fuvSegmentPair('/x/root_corrtag.fits'), /FUV convention/);
    assert.throws(() => fuvSegmentPair('/odd_a.fits/root_corrtag.fits'), /FUV convention/);
    assert.equal(fuvPartnerOf('/x/root_corrtag_b.fits'), '/x/root_corrtag_a.fits');
    assert.equal(fuvPartnerOf('/odd_a.fits/root_corrtag_a.fits'), '/odd_a.fits/root_corrtag_b.fits');
    assert.equal(fuvPartnerOf('/x/root_corrtag.fits'), undefined);
    assert.equal(isFuvSegmentB('root_corrtag_b.fits'), true);
    assert.equal(isFuvSegmentB('root_corrtag_a.fits'), false);
    const listed = new Set(['/x/r_corrtag_a.fits', '/x/r_corrtag_b.fits', '/x/s_corrtag_b.fits']);
    assert.equal(isListedThroughPartner('/x/r_corrtag_b.fits', listed), true);
    assert.equal(isListedThroughPartner('/x/s_corrtag_b.fits', listed), false);
    assert.equal(isListedThroughPartner('/x/r_corrtag_a.fits', listed), false);
  });

  it('an FUV pair pairs whatever each segment\'s compression (one rule, the file system asked through `exists`)', () => {
    const on = (...present: string[]) => (f: string) => present.includes(f);
    assert.equal(fuvPartnerOf('/x/r_corrtag_a.fits.gz'), '/x/r_corrtag_b.fits.gz', 'unasked: compressed like the file');
    assert.equal(fuvPartnerOf('/x/r_corrtag_a.fits.gz', on('/x/r_corrtag_b.fits')), '/x/r_corrtag_b.fits');
    assert.equal(fuvPartnerOf('/x/r_corrtag_b.fits', on('/x/r_corrtag_a.fits.gz')), '/x/r_corrtag_a.fits.gz');
    assert.equal(fuvPartnerOf('/x/r_corrtag_b.fits', on('/x/r_corrtag_a.fits', '/x/r_corrtag_a.fits.gz')), '/x/r_corrtag_a.fits', 'same compression first');
    assert.equal(fuvPartnerOf('/x/r_corrtag_b.fits', on()), '/x/r_corrtag_a.fits', 'neither there: the name it would have');
    assert.deepEqual(fuvSegmentPair('/x/r_corrtag_b.fits', on('/x/r_corrtag_a.fits.gz')), ['/x/r_corrtag_a.fits.gz', '/x/r_corrtag_b.fits']);
    assert.deepEqual(fuvSegmentPair('/x/r_corrtag_a.fits.gz', on('/x/r_corrtag_b.fits')), ['/x/r_corrtag_a.fits.gz', '/x/r_corrtag_b.fits']);
    assert.equal(isListedThroughPartner('/x/r_corrtag_b.fits', new Set(['/x/r_corrtag_a.fits.gz'])), true);
    assert.equal(isListedThroughPartner('/x/r_corrtag_b.fits.gz', new Set(['/x/r_corrtag_a.fits'])), true);
  });

  it('STIS companions change the base name only, never a directory that looks like one', () => {
    assert.equal(stisX1dOf('/data/run_tag.fits/o6a501030_tag.fits'), '/data/run_tag.fits/o6a501030_x1d.fits');
    assert.equal(stisX1dOf('o6a501030_corrtag.fits'), 'o6a501030_x1d.fits');
    assert.throws(() => stisX1dOf('/x/o6a501030_x1d.fits'), /not a STIS _tag\.fits or _corrtag\.fits name/);
    assert.equal(corrtagOf('/x_tag.fits/o6a501030_tag.fits'), '/x_tag.fits/o6a501030_corrtag.fits');
    assert.throws(() => corrtagOf('/x_tag.fits/o6a501030_x1d.fits'), /not a STIS _tag\.fits name/);
    assert.equal(tagNameOfCorrtag('/in/o6a501030_corrtag.fits'), 'o6a501030_tag.fits');
    assert.equal(tagNameOfCorrtag('/in/lb4m01a1q_corrtag_a.fits'), undefined);
    assert.equal(x1dOf('/x/lb4m01a1q_corrtag_b.fits'), '/x/lb4m01a1q_x1d.fits');
  });

  it('ingest_dir products for the downloader (§14.1 step 5)', () => {
    for (const n of ['a_corrtag.fits', 'a_corrtag_c.fits', 'A_TAG.FITS', 'a_x1d.fits.gz']) assert.equal(isIngestDirProduct(n), true, n);
    for (const n of ['.a_tag.fits', 'a_rawtag.fits', 'a_corrtag_ab.fits', 'a_curve.fits']) assert.equal(isIngestDirProduct(n), false, n);
  });
});
