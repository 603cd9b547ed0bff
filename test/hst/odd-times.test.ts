/**
 * Events no time grid can hold are counted in a warning, not dropped without a word: NaN TIME
 * (COS and STIS) and negative TIME where the grid starts at 0 (COS, §6.5). Mutants of golden inputs
 * written by astropy; the expected counts are astropy's own (numpy isnan / < 0 on the written file).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { extractFile } from '../../src/hst/extract.js';
import { COMPAT, CORRECTED } from '../../src/lightcurve/algorithm.js';
import { INPUTS } from '../lightcurve/golden.js';
import { tempDir } from '../helpers/tools.js';

const tmp = tempDir('hstlc-odd-times-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };

/** Copy `name` with TIME set to NaN at `nan` rows and −5 s at `neg` rows; astropy's counts back. */
function mutant(name: string, nan: string, neg: string): { file: string; nan: number; negative: number } {
  const file = path.join(tmp.dir, name);
  const out = execFileSync('/usr/bin/python3', ['-c', `
import sys, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1]) as h:
    t = h[1].data['TIME']
    t[${nan}] = np.nan
    t[${neg}] = -5.0
    h.writeto(sys.argv[2])
with fits.open(sys.argv[2]) as h:
    t = h[1].data['TIME']
    print(int(np.isnan(t).sum()), int((t < 0).sum()))
`, path.join(INPUTS, name), file], { encoding: 'utf8' });
  const [n, m] = out.trim().split(' ').map(Number);
  return { file, nan: n!, negative: m! };
}

describe('NaN and negative event times', () => {
  it('COS: both are counted in warnings, in either mode', async () => {
    const m = mutant('lb9y0102q_corrtag.fits', '10:17', '20:25');
    assert.deepEqual([m.nan, m.negative], [7, 5]);
    for (const algorithm of [COMPAT, CORRECTED]) {
      const { lightcurve } = await extractFile(m.file, { step: 2, algorithm, refs });
      const w = lightcurve.meta.warnings;
      assert.ok(w.includes(`${m.nan} events with NaN TIME dropped`), w.join('\n'));
      assert.ok(w.some((x) => x.startsWith(`${m.negative} events with negative TIME dropped`)), w.join('\n'));
    }
  });

  it('an unmodified file has neither warning', async () => {
    const { lightcurve } = await extractFile(path.join(INPUTS, 'lb9y0102q_corrtag.fits'), { step: 2, algorithm: COMPAT, refs });
    assert.ok(!lightcurve.meta.warnings.some((x) => /TIME dropped/.test(x)), lightcurve.meta.warnings.join('\n'));
  });

  it('STIS: NaN TIME is counted through the corrtag made from the tag', async () => {
    const m = mutant('o6a501030_tag.fits', '100:103', '0:0');
    assert.deepEqual([m.nan, m.negative], [3, 0]);
    const { lightcurve } = await extractFile(m.file, { step: 2, algorithm: COMPAT, refs });
    assert.ok(lightcurve.meta.warnings.includes('3 events with NaN TIME dropped'), lightcurve.meta.warnings.join('\n'));
  });
});
