/**
 * A STIS x1d whose table has no rows (NAXIS2 = 0, written by astropy from a golden x1d): the warning
 * says so instead of "no x1d file"; in corrected mode, whose extraction box comes from the x1d (§7.1),
 * the file is bad data ("Empty x1d"), and ingest records it as such (the database accepts the reason).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extractFile } from '../../src/hst/extract.js';
import { COMPAT, CORRECTED } from '../../src/lightcurve/algorithm.js';
import { badDataErrorIn } from '../../src/quality/index.js';
import { prepareFile } from '../../src/pipeline/units.js';
import { connectDatabase, listBadData, recordBadData } from '../../src/db/index.js';
import { INPUTS } from '../lightcurve/golden.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir('hstlc-empty-x1d-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };
let tag = '';

before(() => {
  tag = path.join(tmp.dir, 'o6a501030_tag.fits');
  copyFileSync(path.join(INPUTS, 'o6a501030_tag.fits'), tag);
  execFileSync('/usr/bin/python3', ['-c', `
from astropy.io import fits
import sys
with fits.open(sys.argv[1]) as h:
    h[1].data = h[1].data[:0]
    h.writeto(sys.argv[2])
print(fits.getheader(sys.argv[2], 1)['NAXIS2'])
`, path.join(INPUTS, 'o6a501030_x1d.fits'), path.join(tmp.dir, 'o6a501030_x1d.fits')]);
});

describe('an x1d with no rows', () => {
  it('compat: whole detector as built, and the warning says the x1d has no rows', async () => {
    const dir = path.join(tmp.dir, 'compat');
    mkdirSync(dir);
    const { lightcurve } = await extractFile(tag, { step: 2, algorithm: COMPAT, refs }, { corrtagDir: dir });
    assert.ok(lightcurve.meta.warnings.some((w) => /x1d has no rows; every event gets CENTRWV/.test(w)), lightcurve.meta.warnings.join('\n'));
    assert.ok(!lightcurve.meta.warnings.some((w) => /no x1d file/.test(w)));
  });

  it('corrected: bad data "Empty x1d", naming the x1d', async () => {
    const err = await extractFile(tag, { step: 2, algorithm: CORRECTED, refs }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof Error, 'extraction refused');
    assert.match(err.message, /o6a501030_x1d\.fits: x1d has no rows \(NAXIS2 = 0\)/);
    assert.equal(badDataErrorIn(err)?.reason, 'Empty x1d');
  });

  it('ingest (corrected) marks the file bad with that reason, and the database takes it', async () => {
    const r = await prepareFile({
      file: tag,
      stagingDir: path.join(tmp.dir, 'staging'),
      corrtagExtract: false,
      quicklook: false,
      options: { algorithm: 'corrected', step: 2, badProposals: [], refDir: INPUTS, env: {} },
    });
    assert.equal(r.status, 'bad', JSON.stringify(r));
    assert.ok(r.status === 'bad' && r.reason === 'Empty x1d' && /x1d has no rows/.test(r.detail));
    const handle = await connectDatabase({ dialect: 'sqlite', path: path.join(tmp.dir, 'db.sqlite'), params: {} });
    try {
      await recordBadData(handle.db, handle.dialect, { filename: 'o6a501030_tag.fits', reason: 'Empty x1d', ingest_date: '2026-12-03' });
      await recordBadData(handle.db, handle.dialect, { filename: 'x_corrtag.fits', reason: 'Bad checksum', ingest_date: '2026-12-03' });
      assert.deepEqual((await listBadData(handle.db)).map((b) => b.reason), ['Empty x1d', 'Bad checksum']);
    } finally {
      await handle.close();
    }
  });
});
