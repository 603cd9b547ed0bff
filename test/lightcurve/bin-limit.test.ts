/** The bound on the number of time bins (MAX_BINS): refused before anything is allocated, naming the file. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BinLimitError, MAX_BINS, timeGrid } from '../../src/lightcurve/binning.js';
import { extractFile } from '../../src/hst/extract.js';
import { algorithmParams } from '../../src/lightcurve/algorithm.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

const INPUTS = fileURLToPath(new URL('../fixtures/golden/inputs/', import.meta.url));

describe('MAX_BINS', () => {
  it('allows a grid of exactly MAX_BINS bins and refuses one more', () => {
    assert.equal(timeGrid(0, MAX_BINS, 1).edges.length, MAX_BINS + 1);
    assert.throws(() => timeGrid(0, MAX_BINS + 1, 1), BinLimitError);
  });

  it('refuses corrupt times and absurd steps with a message that says what to change', () => {
    // A last event, EXPTIME and GTI stop at 1e8 s with the pipeline's 2 s step: 5e7 bins.
    assert.throws(() => timeGrid(0, 1e8, 2, 'x_corrtag.fits'), (e: unknown) => e instanceof BinLimitError && e.bins === 5e7 && /^x_corrtag\.fits: a 2 s step from 0 to 100000000 s makes 5\.00e\+7 bins, more than the limit of 1e7/.test(e.message));
    assert.throws(() => timeGrid(0, 1200, 1e-300), /makes 1\.20e\+303 bins, more than the limit of 1e7 \(MAX_BINS\); choose a larger step/);
    assert.throws(() => timeGrid(0, Infinity, 1), /both ends must be finite/);
    assert.throws(() => timeGrid(0, Number.NaN, 1), BinLimitError);
    assert.throws(() => timeGrid(0, 10, 0), /positive number of seconds/);
  });

  it('stops an extraction with a tiny step at once, naming the file (COS and STIS)', async () => {
    for (const file of ['lb9y0102q_corrtag.fits', 'o6a501030_tag.fits']) {
      const started = Date.now();
      await assert.rejects(
        extractFile(INPUTS + file, { step: 1e-300, algorithm: algorithmParams('corrected'), refs: { env: {}, refDir: INPUTS } }),
        (e: unknown) => e instanceof BinLimitError && e.message.includes(file.split('_')[0]!) && /limit of 1e7/.test(e.message),
      );
      assert.ok(Date.now() - started < 10_000, `${file} took ${Date.now() - started} ms`);
    }
  });

  it('makes `hstlc extract --step 1e-300` a clear error, exit 1', async () => {
    const dirs = await sandbox();
    const r = await run(['extract', INPUTS + 'lb9y0102q_corrtag.fits', '--step', '1e-300', '-o', path.join(dirs.cwd, 'x.fits')], dirs);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /lb9y0102q_corrtag\.fits: a 1e-300 s step from .* makes 6\.10e\+302 bins, more than the limit of 1e7/);
  });
});
