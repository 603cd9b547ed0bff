import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lightcurveOutputs, periodogramName, pngBeside, stem } from '../../src/plots/layout.js';
import { readManifest, RENDER_VERSION, hashParts } from '../../src/plots/manifest.js';
import { tempDir } from '../helpers/tools.js';

test('§12.7 periodogram names, fixed per §15.25: no `.fits` left in composite names', () => {
  assert.equal(periodogramName('lb4k0105q_curve.fits'), 'lb4k0105q_periodogram.png');
  assert.equal(periodogramName('hlsp_hstlc_hst_cos-fuv_gd71_g130m_1291_psa_v1_sci.fits'), 'hlsp_hstlc_hst_cos-fuv_gd71_g130m_1291_psa_v1_sci_periodogram.png');
  assert.equal(stem('x_curve.fits.gz'), 'x_curve');
  assert.equal(pngBeside('/a/b/lb4k0105q_curve.fits'), '/a/b/lb4k0105q_curve.png');
});

test('each lightcurve has its outputs in the site folder; only composites get a dashboard', () => {
  // A target name with `_` cannot shift anything: nothing is parsed from the name (§12, issue 7).
  assert.deepEqual(lightcurveOutputs('composite', 'hlsp_hstlc_hst_cos-fuv_my_star_g130m_1291_psa_v1_sci.fits'), {
    png: 'composite/hlsp_hstlc_hst_cos-fuv_my_star_g130m_1291_psa_v1_sci.png',
    dashboard: 'composite/hlsp_hstlc_hst_cos-fuv_my_star_g130m_1291_psa_v1_sci.html',
    periodogram: 'periodograms/hlsp_hstlc_hst_cos-fuv_my_star_g130m_1291_psa_v1_sci_periodogram.png',
    subset: 'periodogram_subset/hlsp_hstlc_hst_cos-fuv_my_star_g130m_1291_psa_v1_sci_periodogram.png',
  });
  assert.equal(lightcurveOutputs('individual', 'lb4k0105q_curve.fits').dashboard, null);
});

test('a corrupt or older manifest means nothing is known to be current', () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'm.json');
    writeFileSync(path, '{not json');
    assert.deepEqual(readManifest(path).outputs, {});
    writeFileSync(path, JSON.stringify({ version: 'hstlc-plots-0', outputs: { 'a.png': 'x' } }));
    assert.deepEqual(readManifest(path).outputs, {});
    writeFileSync(path, JSON.stringify({ version: RENDER_VERSION, outputs: { 'a.png': 'x' } }));
    assert.deepEqual(readManifest(path).outputs, { 'a.png': 'x' });
  } finally {
    cleanup();
  }
});

test('hashParts hashes typed arrays by content and separates parts', () => {
  assert.equal(hashParts(new Float64Array([1, 2])), hashParts(new Float64Array([1, 2])));
  assert.notEqual(hashParts(new Float64Array([1, 2])), hashParts(new Float64Array([1, 3])));
  assert.notEqual(hashParts('ab', 'c'), hashParts('a', 'bc'));
  assert.notEqual(hashParts({ p: new Float64Array([1]) }), hashParts({ p: new Float64Array([2]) }));
});
