/**
 * The lightcurve product format (src/lightcurve/product.ts): MEMBERnn written and read back, columns
 * as stored (float32 counts of the original's COS files stay float32), and the refusals.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { writeFits } from '../../src/fits/index.js';
import { asFloat64, datasetCount, memberCards, readLightcurveProduct } from '../../src/lightcurve/product.js';
import { tempDir } from '../helpers/tools.js';

const EXPECTED = fileURLToPath(new URL('../fixtures/golden/expected/', import.meta.url));
const tmp = tempDir('hstlc-product-');
after(() => tmp.cleanup());

describe('lightcurve product format (§8.2, §9.3)', () => {
  it('MEMBERnn names dataset k by its base name and reads back in order', async () => {
    const path = join(tmp.dir, 'members.fits');
    const dataset = Float64Array.from([1, 1, 2, 3]);
    await writeFits(path, [
      { type: 'PRIMARY', cards: [] },
      { type: 'BINTABLE', cards: memberCards(['/a/lb1_corrtag_a.fits', 'lb2_corrtag_a.fits', 'x/o3_corrtag.fits']), columns: [{ name: 'dataset', data: dataset, format: '1D' }] },
    ]);
    const p = await readLightcurveProduct(path, { columns: [], optional: ['dataset', 'counts'] });
    assert.deepEqual(p.members, ['lb1_corrtag_a.fits', 'lb2_corrtag_a.fits', 'o3_corrtag.fits']);
    assert.equal(p.table.number('NMEMBERS'), 3);
    assert.equal(datasetCount(p), 3);
    assert.equal(p.columns.has('counts'), false);
    await assert.rejects(readLightcurveProduct(path, { columns: ['counts'] }), /lightcurve has no 'counts' column/);
  });

  it("reads the original's individual lightcurve with its stored types", async () => {
    const p = await readLightcurveProduct(join(EXPECTED, 'individual', 'lb4k0105q_curve.fits'), { columns: ['counts', 'mjd', 'net'], optional: ['dataset'] });
    assert.equal(p.members, null);
    assert.ok(p.rows > 0);
    for (const c of p.columns.values()) assert.equal(c.length, p.rows);
    assert.ok(p.columns.get('mjd') instanceof Float64Array);
    const counts = p.columns.get('counts')!;
    const wide = asFloat64(counts);
    assert.ok(wide instanceof Float64Array);
    for (let i = 0; i < counts.length; i++) assert.equal(wide[i], counts[i]);
  });
});
