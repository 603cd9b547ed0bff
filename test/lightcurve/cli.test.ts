/**
 * `hstlc extract` and `hstlc composite` end to end: outputs pass fitsverify, read back identically in
 * astropy, carry the descriptive primary keywords; bad input exits non-zero with a clear message.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
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
    assert.match(r.stdout, /lc7a0101q_curve\.fits: 1142 bins, \d+ counts \([\d.]+ net\), [\d.]+ \w from MJD [\d.]+ to [\d.]+, wavelength 915-1800 Angstrom/);
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

  it('extract without -o writes <rootname>_curve.fits in the current folder; the one summary line agrees with astropy', async () => {
    const box = await sandbox();
    const r = await runCli(['extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '--step', '2', '--algorithm', 'compat'], { env, ...box });
    assert.equal(r.code, 0, r.stderr);
    const out = join(box.cwd, 'lc7a0101q_curve.fits');
    assert.ok(existsSync(out));
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    const m = /^lc7a0101q_curve\.fits: (\d+) bins, (\d+) counts \(([\d.]+) net\), ([\d.]+) ([shd]) from MJD ([\d.]+) to ([\d.]+), wavelength 915-1800 Angstrom$/.exec(lines[0]!);
    assert.ok(m, lines[0]);
    if (skipUnlessAstropy() === false) {
      const cols = astropy<Array<{ columns?: Record<string, number[]> }>>('dump', out)[1]!.columns!;
      const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
      assert.equal(Number(m[1]), cols['mjd']!.length);
      assert.equal(Number(m[2]), Math.round(total(cols['gross']!)));
      assert.equal(m[3], total(cols['counts']!).toFixed(1));
      const mjd = cols['mjd']!;
      assert.equal(m[6], mjd[0]!.toFixed(5));
      assert.equal(m[7], mjd.at(-1)!.toFixed(5));
      // first bin start to last bin end, in the unit printed (rounded to 2 decimals)
      const seconds = (mjd.at(-1)! - mjd[0]!) * 86400 + cols['bins']!.at(-1)!;
      const unit = { s: 1, h: 3600, d: 86400 }[m[5] as 's' | 'h' | 'd'];
      assert.ok(Math.abs(Number(m[4]) - seconds / unit) <= 0.005 + 1e-9, lines[0]);
    }
    // --quiet: nothing on stdout, the file still written.
    const q = await runCli(['--quiet', 'extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '--step', '2', '-o', 'again.fits'], { env, ...box });
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stdout, '');
    assert.ok(existsSync(join(box.cwd, 'again.fits')));
  });

  it('extract: -o in a missing folder or naming a folder is said plainly, before any work; nothing is left behind', async () => {
    const missing = join(tmp.dir, 'no-such-folder');
    const r1 = await run(['extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '-o', join(missing, 'x.fits')], { env });
    assert.equal(r1.code, 2);
    assert.equal(r1.stderr, `error: extract: the folder ${missing} does not exist (-o ${join(missing, 'x.fits')}); create it first or choose another place\n`);
    assert.ok(!existsSync(missing));
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    const r2 = await run(['extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '-o', folder], { env });
    assert.equal(r2.code, 2);
    assert.equal(r2.stderr, `error: extract: -o ${folder} is a folder; give the file to write, e.g. -o ${join(folder, 'lc7a0101q_curve.fits')}\n`);
    assert.deepEqual(readdirSync(folder), []);
    assert.ok(!readdirSync(tmp.dir).some((f) => f.endsWith('.part')));
    const r3 = await run(['composite', `${INPUTS}lc7a0101q_corrtag_a.fits`, '-o', join(missing, 'c.fits')], { env });
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /^error: composite: the folder .*no-such-folder does not exist/);
  });

  it('extract: a --wlim that selects no events warns; an error names the file once', async () => {
    const out = join(tmp.dir, 'empty_curve.fits');
    const r = await run(['extract', `${INPUTS}lc7a0101q_corrtag_b.fits`, '--wlim', '5000,6000', '-o', out], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^warning: --wlim 5000,6000 selects no events of lc7a0101q_corrtag_b\.fits: the lightcurve is empty/m);
    assert.match(r.stdout, / 0 counts \(0\.0 net\)/);
    const absent = join(tmp.dir, 'absent_corrtag.fits');
    const e = await run(['extract', absent, '-o', join(tmp.dir, 'z.fits')], { env });
    assert.equal(e.code, 1);
    assert.equal(e.stderr.split(absent).length, 2, `named once: ${e.stderr}`);
  });

  it('composite prints one summary line (a member left out is a warning); --quiet none', async () => {
    const out = join(tmp.dir, 'one-line.fits');
    const files = ['lc7a0101q_corrtag_a.fits', 'lc7a0202q_corrtag_a.fits'].map((f) => `${INPUTS}${f}`);
    const r = await run(['composite', ...files, '--step', '2', '--algorithm', 'compat', '-o', out], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1, r.stdout);
    assert.match(r.stdout, /^.*one-line\.fits: \d+ bins, \d+ counts \([\d.]+ net\), [\d.]+ [smhd] from MJD [\d.]+ to [\d.]+, wavelength [\d.]+-[\d.]+ Angstrom\n$/);
    const q = await run(['--quiet', 'composite', ...files, '--step', '2', '--algorithm', 'compat', '-o', out], { env });
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stdout, '');
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
