import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lightcurvePng, periodogramPng, writeQuicklookPng } from '../../src/plots/draw.js';
import { pngSize, renderPng } from '../../src/plots/render.js';
import { readLightcurve } from '../../src/plots/read.js';
import { LIGHTCURVE_SIZE } from '../../src/plots/charts/lightcurve.js';
import { PERIODOGRAM_SIZE } from '../../src/plots/charts/periodogram.js';
import { lightcurveChart } from '../../src/plots/charts/lightcurve.js';
import { existsSync, readFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/tools.js';
import { skipUnlessFonts, syntheticLightcurve } from './helpers.js';
import { EXPECTED, goldenPeriodogram } from './golden.js';

const fonts = skipUnlessFonts();

test('readLightcurve takes metadata from a composite header and the caller, never the file name', async () => {
  const path = join(EXPECTED, 'composite', 'hlsp_hstlc_hst_stis-fuv-mama_xtej1118+480_g140l_1425_52x0.2_v1_sci.fits');
  const lc = await readLightcurve(path, { meta: { cenwave: 1425, aperture: '52X0.2' } });
  assert.equal(lc.mjd.length, 1603);
  // The raw header name (§9.3d); the resolved one comes from the database through options.meta.
  assert.equal(lc.meta.targname, 'XTE-J1118+480');
  assert.equal(lc.meta.instrument, 'STIS');
  assert.equal(lc.meta.detector, 'FUV-MAMA');
  assert.equal(lc.meta.opt_elem, 'G140L');
  assert.equal(lc.meta.cenwave, 1425);
  assert.ok(lc.meta.exptime !== null && lc.meta.exptime > 0);
  assert.deepEqual(lc.datasetNames, ['dataset 1', 'dataset 2']);
  assert.ok(lc.gross instanceof Float64Array);
  // An individual lightcurve has no primary metadata (§8.2): instrument comes from HDU 1.
  const ind = await readLightcurve(join(EXPECTED, 'individual', 'lb4k0105q_curve.fits'));
  assert.equal(ind.meta.instrument, 'COS');
  assert.equal(ind.meta.targname, '');
  assert.deepEqual([...new Set(ind.dataset)], [1]);
});

test('PNGs decode to the stated size and are byte-identical across renders', { skip: fonts }, async () => {
  const lc = syntheticLightcurve();
  const png = lightcurvePng(lc);
  assert.deepEqual(pngSize(png), LIGHTCURVE_SIZE);
  assert.deepEqual(Buffer.from(lightcurvePng(lc)), Buffer.from(png));
  assert.deepEqual(pngSize(renderPng(lightcurveChart(lc), LIGHTCURVE_SIZE, { scale: 2 })), { width: 2000, height: 600 });
  const golden = await readLightcurve(join(EXPECTED, 'composite', 'hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci.fits'));
  const pg = goldenPeriodogram('hlsp_hstlc_hst_cos-fuv_ex-hya_g160m_1600_psa_v1_sci.fits');
  assert.ok(pg);
  assert.deepEqual(pngSize(periodogramPng(golden, pg)), PERIODOGRAM_SIZE);
});

test('the ingest quicklook is written beside the lightcurve FITS file', { skip: fonts }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const fits = join(dir, 'lb4k0105q_curve.fits');
    copyFileSync(join(EXPECTED, 'individual', 'lb4k0105q_curve.fits'), fits);
    const written = writeQuicklookPng(await readLightcurve(fits), fits);
    assert.equal(written, join(dir, 'lb4k0105q_curve.png'));
    assert.ok(existsSync(written));
    assert.deepEqual(pngSize(readFileSync(written)), LIGHTCURVE_SIZE);
  } finally {
    cleanup();
  }
});
