/**
 * §7 STIS: tag → corrtag conversion against the original's corrtags, and compat extraction against
 * its individual lightcurves (golden, step = 2 s).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stisCorrtag, x1dPixel } from '../../src/hst/stis/corrtag.js';
import { extractEvents } from '../../src/hst/extraction.js';
import { extractFile } from '../../src/hst/extract.js';
import { detectFile } from '../../src/hst/detect.js';
import { writeIndividual } from '../../src/lightcurve/individual.js';
import { COMPAT } from '../../src/lightcurve/algorithm.js';
import { FitsReader } from '../../src/fits/index.js';
import { fitsverify, skipUnlessFitsverify, tempDir } from '../helpers/tools.js';
import { compareLightcurves, EXPECTED, INPUTS } from '../lightcurve/golden.js';

const tmp = tempDir('hstlc-stis-golden-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };
const ROOTS = ['o6a501030', 'o6a502040', 'o8k401050', 'oc2j01060'];

async function table(path: string): Promise<Map<string, ArrayLike<number>>> {
  const f = await FitsReader.open(path);
  try {
    const t = await f.readTable(1);
    return new Map([...t.columns].map(([k, c]) => [k.toLowerCase(), c.data as ArrayLike<number>]));
  } finally {
    await f.close();
  }
}

describe('STIS tag → corrtag reproduces the original (golden)', () => {
  for (const r of ROOTS) {
    it(`${r}_tag.fits`, async () => {
      const out = join(tmp.dir, `${r}_corrtag.fits`);
      const res = await stisCorrtag(join(INPUTS, `${r}_tag.fits`), { refs, output: out });
      assert.equal(res.x1d, join(INPUTS, `${r}_x1d.fits`));
      const ours = await table(out);
      const theirs = await table(join(EXPECTED, 'stis_corrtag', `${r}_corrtag.fits`));
      for (const col of ['time', 'rawx', 'rawy', 'xcorr', 'ycorr', 'epsilon', 'wavelength', 'dq']) {
        assert.deepEqual(Array.from(ours.get(col) ?? []), Array.from(theirs.get(col) ?? []), `column ${col}`);
      }
      assert.equal((await detectFile(out)).kind, 'stis-corrtag');
      if (skipUnlessFitsverify() === false) assert.equal(fitsverify(out).errors, 0);
    });
  }
  it('never modifies the tag file and refuses to overwrite it', async () => {
    const tag = join(tmp.dir, 'o6a501030_tag.fits');
    copyFileSync(join(INPUTS, 'o6a501030_tag.fits'), tag);
    await assert.rejects(stisCorrtag(tag, { refs, output: tag }), /refusing to overwrite/);
  });
  it('x1d pixel index: numpy round-half-even, clip, halve (§7.1)', () => {
    assert.deepEqual([0.5, 1.5, 2.5, 2047.9, -3, 5000].map(x1dPixel), [0, 1, 1, 1023, 0, 1023]);
  });
});

describe('STIS compat extraction reproduces the original (golden)', () => {
  for (const r of ROOTS) {
    it(`${r}`, async () => {
      const corrtag = join(tmp.dir, `${r}_corrtag.fits`);
      await stisCorrtag(join(INPUTS, `${r}_tag.fits`), { refs, output: corrtag });
      const lc = await extractEvents(corrtag, { step: 2, algorithm: COMPAT, refs });
      const out = join(tmp.dir, `${r}_curve.fits`);
      await writeIndividual(out, lc);
      const { problems } = await compareLightcurves(out, join(EXPECTED, 'individual', `${r}_curve.fits`));
      assert.deepEqual(problems, []);
    });
  }
  it('extract on a tag file converts on the way, in a scratch directory', async () => {
    const tag = join(INPUTS, 'o8k401050_tag.fits');
    const before = statSync(tag).mtimeMs;
    const { lightcurve, detection } = await extractFile(tag, { step: 2, algorithm: COMPAT, refs });
    assert.equal(detection.kind, 'stis-tag');
    assert.equal(lightcurve.columns.times.length, 989);
    assert.equal(statSync(tag).mtimeMs, before);
    assert.equal(existsSync(join(INPUTS, 'o8k401050_corrtag.fits')), false);
  });
});
