/** §1.2 file kinds and §6.9 reference-file names. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { detectFile } from '../../src/hst/detect.js';
import { expandRefname, resolveRefFile } from '../../src/hst/reffiles.js';
import { tempDir } from '../helpers/tools.js';
import { EXPECTED, INPUTS } from '../lightcurve/golden.js';

const tmp = tempDir('hstlc-detect-');
after(() => tmp.cleanup());

describe('detect (§1.2)', () => {
  const cases: Array<[string, string, string | null]> = [
    [`${INPUTS}lc7a0101q_corrtag_a.fits`, 'cos-fuv-corrtag', 'cos_corrtag'],
    [`${INPUTS}lc7a0101q_corrtag_b.fits`, 'cos-fuv-corrtag', 'cos_corrtag'],
    [`${INPUTS}lcah0107q_corrtag.fits`, 'cos-nuv-corrtag', 'cos_corrtag'],
    [`${INPUTS}o6a501030_tag.fits`, 'stis-tag', 'stis_tag'],
    [`${EXPECTED}stis_corrtag/o6a501030_corrtag.fits`, 'stis-corrtag', 'stis_corrtag'],
    [`${INPUTS}o6a501030_x1d.fits`, 'x1d', null],
    // the library's own 12-column lightcurves: the original's exact-set test said None (§15.12)
    [`${EXPECTED}individual/lc7a0101q_curve.fits`, 'lightcurve', null],
    [`${EXPECTED}composite/hlsp_hstlc_hst_cos-fuv_wd0308-565_g130m_1291_psa_v1_sci.fits`, 'lightcurve', null],
  ];
  for (const [path, kind, original] of cases) {
    it(`${path.split('/').pop()} is ${kind}`, async () => {
      const d = await detectFile(path);
      assert.equal(d.kind, kind);
      assert.equal(d.originalType, original);
    });
  }
  it('a reference table is unknown, with the reason', async () => {
    const d = await detectFile(`${INPUTS}lref/x6q17586l_phot.fits`);
    assert.equal(d.kind, 'unknown');
    assert.match(d.reason ?? '', /match no known product/);
  });
});

describe('reference files (§6.9)', () => {
  it('expands as the original (its test examples)', () => {
    assert.equal(expandRefname('lref$something_tds.fits', {}), 'something_tds.fits');
    assert.equal(expandRefname('lref$something_tds.fits', { lref: '/grp/hst/cdbs/lref/' }), '/grp/hst/cdbs/lref/something_tds.fits');
    assert.equal(expandRefname('', {}), '');
    assert.throws(() => expandRefname('a$b$c', {}), /more than one/);
  });
  it('finds files through $lref first, then ref_dir/lref, and reports a missing one', () => {
    const envDir = join(tmp.dir, 'env');
    const refDir = join(tmp.dir, 'ref');
    mkdirSync(envDir);
    mkdirSync(join(refDir, 'lref'), { recursive: true });
    writeFileSync(join(envDir, 'a_phot.fits'), '');
    writeFileSync(join(refDir, 'lref', 'b_phot.fits'), '');
    assert.deepEqual(resolveRefFile('lref$a_phot.fits', { env: { lref: envDir }, refDir }), { name: 'lref$a_phot.fits', path: join(envDir, 'a_phot.fits'), exists: true });
    assert.equal(resolveRefFile('lref$b_phot.fits', { env: { lref: envDir }, refDir }).path, join(refDir, 'lref', 'b_phot.fits'));
    const missing = resolveRefFile('lref$c_phot.fits', { env: {}, refDir });
    assert.equal(missing.exists, false);
    assert.equal(resolveRefFile('N/A', {}).exists, false);
  });
});
