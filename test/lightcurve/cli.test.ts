/**
 * `hstlc extract` and `hstlc composite` end to end: outputs pass fitsverify, read back identically in
 * astropy, carry the descriptive primary keywords; bad input exits non-zero with a clear message.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { run as runCli, cleanupSandboxes, sandbox } from '../cli/helpers.js';
import { astropy, fitsverify, skipUnlessAstropy, skipUnlessFitsverify, tempDir } from '../helpers/tools.js';
import { compareLightcurves, EXPECTED, INPUTS, readLc } from './golden.js';

const tmp = tempDir('hstlc-cli-lc-');
after(async () => {
  tmp.cleanup();
  await cleanupSandboxes();
});
const env = { lref: `${INPUTS}lref`, oref: `${INPUTS}oref` };
/** The CLI with an empty home and working directory, so no config file changes the defaults. */
async function run(args: string[], io: { env: Record<string, string> }) {
  return runCli(args, { ...io, ...(await sandbox()) });
}

describe('hstlc extract / composite', () => {
  it('extract --algorithm compat from a _b file reproduces the golden pair lightcurve', async () => {
    const out = join(tmp.dir, 'lc7a0101q_curve.fits');
    const r = await run(['extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '--step', '2', '--algorithm', 'compat', '-o', out], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /lc7a0101q_curve\.fits: 1142 bins, [\d.]+ net counts, wavelength 915-1800 Angstrom/);
    assert.deepEqual((await compareLightcurves(out, `${EXPECTED}individual/lc7a0101q_curve.fits`)).problems, []);
    const lc = await readLc(out);
    for (const [k, v] of [['INSTRUME', 'COS'], ['DETECTOR', 'FUV'], ['OPT_ELEM', 'G130M'], ['TARGNAME', 'WD-0308-565'], ['ALGORITH', 'compat']] as const) {
      assert.equal(lc.header0.string(k), v);
    }
    assert.equal(lc.header0.number('STEPSIZE'), 2);
    assert.equal(lc.header0.string('SRCFIL02'), 'lc7a0101q_corrtag_b.fits');
    if (skipUnlessFitsverify() === false) assert.equal(fitsverify(out).errors, 0, fitsverify(out).output);
  });

  it('extract (corrected default) of a STIS tag file: fitsverify clean, astropy reads the same values', async () => {
    const out = join(tmp.dir, 'o8k401050_curve.fits');
    const tag = `${INPUTS}o8k401050_tag.fits`;
    const before = statSync(tag).mtimeMs;
    const r = await run(['--json', 'extract', tag, '--step', '5', '--wlim', '1700,3000', '-o', out], { env });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { bins: number; algorithm: string; wavelength: number[] };
    assert.equal(summary.algorithm, 'corrected');
    assert.deepEqual(summary.wavelength, [1700, 3000]);
    assert.equal(statSync(tag).mtimeMs, before, 'the tag file is untouched');
    assert.ok(!existsSync(`${INPUTS}o8k401050_corrtag.fits`), 'no corrtag left beside the tag');
    if (skipUnlessFitsverify() === false) assert.equal(fitsverify(out).errors, 0, fitsverify(out).output);
    if (skipUnlessAstropy() === false) {
      const dump = astropy<Array<{ name: string; cards: Array<[string, unknown, string]>; columns?: Record<string, Array<number | null>>; dtypes?: Record<string, string> }>>('dump', out);
      const ours = await readLc(out);
      assert.equal(dump.length, 2);
      const cols = dump[1].columns ?? {};
      assert.deepEqual(Object.keys(cols), ['dataset', 'times', 'mjd', 'bins', 'gross', 'background', 'flux', 'counts', 'error', 'flux_error', 'net', 'signal_to_noise']);
      for (const name of ['times', 'mjd', 'gross', 'background', 'flux', 'net']) {
        assert.deepEqual(cols[name], Array.from(ours.columns.get(name) ?? [], (v) => (Number.isNaN(v) ? null : v)), name);
      }
      assert.equal(dump[1].dtypes?.gross, '>f8', 'STIS epsilon is float64, so gross is D');
      assert.ok(dump[0].cards.some(([k, v]) => k === 'INSTRUME' && v === 'STIS'));
      assert.equal(ours.rows, summary.bins);
    }
  });

  it('composite of a group, existing output replaced; fitsverify clean', async () => {
    const out = join(tmp.dir, 'hlsp.fits');
    // lc7a0202q's _b is listed too: the same exposure as its _a, used once
    const files = ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits', 'lc7a0202q_corrtag_b.fits', 'lc7a0302q_corrtag_a.fits'].map((f) => `${INPUTS}${f}`);
    for (let i = 0; i < 2; i++) {
      const r = await run(['composite', ...files, '--step', '2', '--algorithm', 'compat', '-o', out], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /3239 bins/);
      assert.doesNotMatch(r.stdout, /lc7a0202q_corrtag_b/);
    }
    if (skipUnlessFitsverify() === false) assert.equal(fitsverify(out).errors, 0, fitsverify(out).output);
  });

  it('bad input: a clear message and a non-zero exit', async () => {
    const r1 = await run(['extract', `${INPUTS}manifest.json`, '-o', join(tmp.dir, 'x.fits')], { env });
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /not a FITS file/);
    const r2 = await run(['extract', `${INPUTS}lref/x6q17586l_phot.fits`, '-o', join(tmp.dir, 'x.fits')], { env });
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /not an event file/);
    const r3 = await run(['extract', `${INPUTS}lc7a0101q_corrtag_a.fits`, '--algorithm', 'best', '-o', join(tmp.dir, 'x.fits')], { env });
    assert.equal(r3.code, 2);
    const r4 = await run(['composite', `${INPUTS}lclf0107q_corrtag_a.fits`, '--algorithm', 'compat', '-o', join(tmp.dir, 'y.fits')], { env });
    assert.equal(r4.code, 1);
    assert.match(r4.stderr, /no member of the composite is usable/);
  });
});
