/**
 * DATASUM/CHECKSUM at ingest and extract. Files are written with checksums by astropy, then one data
 * byte of the events table is flipped; astropy's verify_datasum()/verify_checksum() on each file are the
 * truth the test checks against before asking ours.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyInputChecksums } from '../../src/hst/checksums.js';
import { prepareFile } from '../../src/pipeline/units.js';
import { badDataErrorIn } from '../../src/quality/index.js';
import { INPUTS } from '../lightcurve/golden.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir('hstlc-checksums-');
after(() => tmp.cleanup());
const good = path.join(tmp.dir, 'good');
const flipped = path.join(tmp.dir, 'flipped');
/** astropy's verdicts: name → [DATASUM ok, CHECKSUM ok] of HDU 1 (1 = ok, 0 = bad). */
let truth: Record<string, [number, number]> = {};

before(() => {
  mkdirSync(good);
  mkdirSync(flipped);
  const out = execFileSync('/usr/bin/python3', ['-c', `
import sys, os, json
from astropy.io import fits
src, good, flipped = sys.argv[1:4]
names = ['lb9y0102q_corrtag.fits', 'lc7a0101q_corrtag_a.fits', 'lc7a0101q_corrtag_b.fits']
for n in names:
    with fits.open(os.path.join(src, n)) as h:
        h.writeto(os.path.join(good, n), checksum=True)
for n in ['lb9y0102q_corrtag.fits', 'lc7a0101q_corrtag_b.fits']:
    data = bytearray(open(os.path.join(good, n), 'rb').read())
    with fits.open(os.path.join(good, n)) as h:
        at = h.fileinfo(1)['datLoc'] + 1001
    data[at] ^= 0x10
    open(os.path.join(flipped, n), 'wb').write(data)
open(os.path.join(flipped, 'lc7a0101q_corrtag_a.fits'), 'wb').write(open(os.path.join(good, 'lc7a0101q_corrtag_a.fits'), 'rb').read())
truth = {}
for d in (good, flipped):
    for n in names:
        with fits.open(os.path.join(d, n), checksum=False) as h:
            truth[os.path.basename(d) + '/' + n] = [h[1].verify_datasum(), h[1].verify_checksum()]
print(json.dumps(truth))
`, INPUTS, good, flipped], { encoding: 'utf8' });
  truth = JSON.parse(out) as typeof truth;
});

describe('DATASUM/CHECKSUM of the inputs', () => {
  it('astropy: the written files verify, the flipped ones do not', () => {
    assert.deepEqual(truth['good/lb9y0102q_corrtag.fits'], [1, 1]);
    assert.deepEqual(truth['flipped/lb9y0102q_corrtag.fits'], [0, 0]);
    assert.deepEqual(truth['flipped/lc7a0101q_corrtag_a.fits'], [1, 1]);
    assert.deepEqual(truth['flipped/lc7a0101q_corrtag_b.fits'], [0, 0]);
  });

  it('a file as written passes; a flipped byte is "Bad checksum", or a warning with warn', async () => {
    assert.deepEqual(await verifyInputChecksums(path.join(good, 'lb9y0102q_corrtag.fits'), 'bad'), []);
    const bad = path.join(flipped, 'lb9y0102q_corrtag.fits');
    const err = await verifyInputChecksums(bad, 'bad').then(() => undefined, (e: unknown) => e);
    assert.equal(badDataErrorIn(err)?.reason, 'Bad checksum');
    assert.match((err as Error).message, /HDU 1 \(EVENTS\): DATASUM does not match the data/);
    const w = await verifyInputChecksums(bad, 'warn');
    assert.deepEqual(w.map((x) => x.replace(/\(computed \d+\)/, '(computed N)')), [
      `${bad} HDU 1 (EVENTS): DATASUM does not match the data (computed N)`,
      `${bad} HDU 1 (EVENTS): CHECKSUM does not match the HDU`,
    ]);
  });

  it('the FUV partner segment is verified with the segment given', async () => {
    const err = await verifyInputChecksums(path.join(flipped, 'lc7a0101q_corrtag_a.fits'), 'bad').then(() => undefined, (e: unknown) => e);
    assert.match((err as Error).message, /lc7a0101q_corrtag_b\.fits HDU 1/);
  });

  it('ingest: bad data by default, a warning on the lightcurve with verify_checksums: warn', async () => {
    const input = (verifyChecksums: 'bad' | 'warn') => ({
      file: path.join(flipped, 'lb9y0102q_corrtag.fits'),
      stagingDir: path.join(tmp.dir, `staging-${verifyChecksums}`),
      corrtagExtract: false,
      quicklook: false,
      options: { algorithm: 'corrected' as const, step: 2, badProposals: [], verifyChecksums, refDir: INPUTS, env: {} },
    });
    const r = await prepareFile(input('bad'));
    assert.ok(r.status === 'bad' && r.reason === 'Bad checksum', JSON.stringify(r));
    const w = await prepareFile(input('warn'));
    assert.ok(w.status === 'done' && w.warnings.some((x) => /DATASUM does not match/.test(x)), JSON.stringify(w));
  });
});
