/**
 * §9.3 compat composites against the original's (golden): every group it built, members in sorted
 * order, the same kept/dropped members and failures, rows, columns and keywords of both HDUs.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compositeFromFiles } from '../../src/hst/extract.js';
import { COMPAT } from '../../src/lightcurve/algorithm.js';
import { hlspName, mjdToIso } from '../../src/lightcurve/composite.js';
import { fitsverify, skipUnlessFitsverify, tempDir } from '../helpers/tools.js';
import { compareLightcurves, EXPECTED, INPUTS, results } from './golden.js';

const tmp = tempDir('hstlc-composite-golden-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };
const opts = { step: 2, algorithm: COMPAT, refs };

/** The golden members are the library's STIS corrtags; our inputs are the tag files they came from. */
const inputFor = (m: string): string => join(INPUTS, m.replace('_corrtag.fits', m.startsWith('o') ? '_tag.fits' : '_corrtag.fits'));

describe('compat composites reproduce the original (golden)', () => {
  for (const c of results().composites) {
    it(`${c.output}${c.ok ? '' : ' (failed in the original)'}`, async () => {
      const out = join(tmp.dir, c.output);
      const run = compositeFromFiles(c.members.map(inputFor), out, opts);
      if (!c.ok) {
        // §15.9: every member has an empty bin, so the original had nothing to write
        await assert.rejects(run, /no member of the composite is usable/);
        return;
      }
      const res = await run;
      assert.deepEqual(
        res.members.map((m) => m.kept),
        (c.member_reads ?? []).map((m) => m.kept_in_composite),
      );
      const { problems } = await compareLightcurves(out, join(EXPECTED, 'composite', c.output), {
        primary: true,
        // DATE-OBS uses the FITS 'T' separator because the original's space fails fitsverify
        expect: (key, v) => (key === 'DATE-OBS' && typeof v === 'string' ? v.replace(' ', 'T') : v),
      });
      assert.deepEqual(problems, []);
      const skip = skipUnlessFitsverify();
      if (skip === false) assert.equal(fitsverify(out).errors, 0, fitsverify(out).output);
    });
  }

  it('replaces an existing composite (the original could not, §15.8)', async () => {
    const out = join(tmp.dir, 'again.fits');
    const files = [join(INPUTS, 'lb4k0105q_corrtag_a.fits')];
    const go = () => compositeFromFiles(files, out, opts);
    const first = await go();
    const second = await go();
    assert.equal(second.rows, first.rows);
  });

  it('names HLSP products as §9.2', () => {
    assert.equal(
      hlspName({ instrume: 'STIS', detector: 'FUV-MAMA', targname: 'XTEJ1118+480', opt_elem: 'G140L', cenwave: 1425, aperture: '52X0.2' }),
      'hlsp_hstlc_hst_stis-fuv-mama_xtej1118+480_g140l_1425_52x0.2_v1_sci.fits',
    );
  });

  it('DATE-OBS is the ISO time of the first MJD (astropy: 55501.96928447037 → 2010-11-01 23:15:46.178)', () => {
    assert.equal(mjdToIso(55501.96928447037), '2010-11-01T23:15:46.178');
    assert.equal(mjdToIso(51544), '2000-01-01T00:00:00.000');
  });
});
