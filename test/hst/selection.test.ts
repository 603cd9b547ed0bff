/** §6.3 event selection on hand-placed events: airglow windows as coded, SDQFLAGS, strict λ bounds. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { extractEvents } from '../../src/hst/extraction.js';
import { COMPAT, CORRECTED } from '../../src/lightcurve/algorithm.js';
import { groupFiles } from '../../src/lightcurve/composite.js';
import { tempDir } from '../helpers/tools.js';
import { buildCorrtag } from './corrtag-builder.js';
import { INPUTS } from '../lightcurve/golden.js';

const tmp = tempDir('hstlc-selection-');
after(() => tmp.cleanup());
const REGIONS = { A: { spectrum: { loc: 500, hgt: 20 }, bkg1: { loc: 300, hgt: 60 }, bkg2: { loc: 700, hgt: 60 } } };

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

describe('event selection (§6.3)', () => {
  it('airglow windows 1208–1225 and 1298–1312 are closed; SDQFLAGS bits reject; λ bounds are strict', async () => {
    // [wavelength, dq, counted with the filter?, counted without?]
    const table: Array<[number, number, boolean, boolean]> = [
      [1207.9, 0, true, true],
      [1208, 0, false, true],
      [1216, 0, false, true],
      [1225, 0, false, true],
      [1225.1, 0, true, true],
      [1297.9, 0, true, true],
      [1298, 0, false, true],
      [1312, 0, false, true],
      [1400, 8, false, false], // SDQFLAGS = 8 in the builder
      [1400, 4, true, true],
      [915, 0, false, false], // wlim (915, 1800) exclusive
      [1800, 0, false, false],
      [1799.5, 0, true, true],
    ];
    const events = table.map(([w, dq], i) => ({ t: 1 + i * 10, x: 5000, y: 500, w, dq }));
    events.push({ t: 0.5, x: 5000, y: 100, w: 1400, dq: 0 }, { t: 200, x: 5000, y: 100, w: 1400, dq: 0 });
    const path = await buildCorrtag({ dir: tmp.dir, name: 'ltst07slq_corrtag_a.fits', regions: REGIONS, events, exptime: 200 });
    for (const algorithm of [COMPAT, CORRECTED]) {
      const on = await extractEvents(path, { step: 2, algorithm });
      const off = await extractEvents(path, { step: 2, algorithm, filterAirglow: false });
      assert.equal(sum(on.columns.gross), table.filter((r) => r[2]).length);
      assert.equal(sum(off.columns.gross), table.filter((r) => r[3]).length);
      assert.equal(on.meta.sourceEvents, table.filter((r) => r[2]).length);
    }
  });
});

describe('composite groups (§9.2)', () => {
  it('groups the golden COS files by setting, members sorted, IMAGING as cenwave 0', async () => {
    const files = ['lc7a0302q_corrtag_a.fits', 'lc7a0101q_corrtag_a.fits', 'lc9h0103q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits'].map((f) => INPUTS + f);
    const g = await groupFiles(files, () => 'WD0308-565');
    const wd = g.get('hlsp_hstlc_hst_cos-fuv_wd0308-565_g130m_1291_psa_v1_sci.fits');
    assert.deepEqual(wd?.members.map((m) => m.split('/').pop()), ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits', 'lc7a0302q_corrtag_a.fits']);
    assert.equal(g.size, 2);
  });
});
