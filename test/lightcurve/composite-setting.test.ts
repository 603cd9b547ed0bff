/**
 * §9.2 a composite is one target and one setting: `hstlc composite` of files whose headers differ in
 * TARGNAME or a setting keyword refuses (exit 2, the keyword and both values named, nothing written);
 * --force combines them; spellings of one target (the target rules) are one target. The expected
 * header values are read from the input files by astropy.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run as runCli, cleanupSandboxes, sandbox } from '../cli/helpers.js';
import { compositeFromFiles, CompositeSettingError } from '../../src/hst/extract.js';
import { astropy, skipUnlessAstropy, tempDir } from '../helpers/tools.js';
import { INPUTS } from './golden.js';

const tmp = tempDir('hstlc-composite-setting-');
after(async () => {
  tmp.cleanup();
  await cleanupSandboxes();
});
const env = { lref: `${INPUTS}lref`, oref: `${INPUTS}oref` };
const run = async (args: string[]) => runCli(args, { env, ...(await sandbox()) });

/** Primary-header keyword values as astropy reads them. */
function primary(file: string): Map<string, unknown> {
  const dump = astropy<Array<{ cards: Array<[string, unknown, string]> }>>('dump', join(INPUTS, file));
  return new Map(dump[0]!.cards.map(([k, v]) => [k, v]));
}

const GD71 = 'lb9y0102q_corrtag.fits'; // COS NUV G185M 1786 PSA
const GD153_G185M = 'ld0q0501q_corrtag.fits'; // COS NUV G185M 1786 PSA, another target
const GD153_G230L = 'ld0q0305q_corrtag.fits'; // same target as above, G230L 2950

describe('a composite of different targets or settings is refused (§9.2)', { skip: skipUnlessAstropy() }, () => {
  it('the inputs differ exactly as the test says (astropy)', () => {
    const [a, b, c] = [primary(GD71), primary(GD153_G185M), primary(GD153_G230L)];
    for (const k of ['INSTRUME', 'DETECTOR', 'OPT_ELEM', 'CENWAVE', 'APERTURE']) assert.equal(a.get(k), b.get(k), k);
    assert.equal(a.get('TARGNAME'), 'GD-71');
    assert.equal(b.get('TARGNAME'), 'GD153');
    assert.equal(c.get('TARGNAME'), 'GD153');
    assert.equal(b.get('OPT_ELEM'), 'G185M');
    assert.equal(c.get('OPT_ELEM'), 'G230L');
  });

  it('hstlc composite of GD-71 and GD153 exits 2 naming TARGNAME; nothing is written', async () => {
    const out = join(tmp.dir, 'mixed.fits');
    const r = await run(['composite', join(INPUTS, GD71), join(INPUTS, GD153_G185M), '-o', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /members differ in TARGNAME: "GD71" \(lb9y0102q_corrtag\.fits\) vs "GD153" \(ld0q0501q_corrtag\.fits\)/);
    assert.match(r.stderr, /--force/);
    assert.ok(!existsSync(out));
  });

  it('one target in two gratings: refused naming OPT_ELEM (the first differing keyword)', async () => {
    await assert.rejects(
      compositeFromFiles([join(INPUTS, GD153_G185M), join(INPUTS, GD153_G230L)], join(tmp.dir, 'x.fits')),
      (err: unknown) => err instanceof CompositeSettingError && /members differ in OPT_ELEM: "G185M" .* vs "G230L"/.test(err.message),
    );
  });

  it('--force combines them anyway', async () => {
    const out = join(tmp.dir, 'forced.fits');
    const r = await run(['--json', 'composite', join(INPUTS, GD71), join(INPUTS, GD153_G185M), '--step', '0.1', '--force', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { members: Array<{ kept: boolean }> };
    assert.equal(summary.members.length, 2);
    assert.ok(existsSync(out));
  });

  it('a caller that already resolved the target (ingest) compares only the setting', async () => {
    const out = join(tmp.dir, 'vouched.fits');
    const r = await compositeFromFiles([join(INPUTS, GD71), join(INPUTS, GD153_G185M)], out, { step: 0.1, refs: { env, refDir: INPUTS } }, { targname: 'GD71' });
    assert.equal(r.members.length, 2);
  });
});
