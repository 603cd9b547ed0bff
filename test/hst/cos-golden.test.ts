/**
 * §6/§8 compat COS extraction against the ORIGINAL library's outputs on the golden archive: every
 * individual lightcurve it produced from a COS file, step = 2 s, same rows, columns to 1e-9 (float64)
 * / 1e-6 (float32) relative, same HDU-1 keywords.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractEvents } from '../../src/hst/extraction.js';
import { writeIndividual } from '../../src/lightcurve/individual.js';
import { COMPAT } from '../../src/lightcurve/algorithm.js';
import { tempDir } from '../helpers/tools.js';
import { compareLightcurves, EXPECTED, INPUTS, readLc, results } from '../lightcurve/golden.js';

const tmp = tempDir('hstlc-cos-golden-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };

const cosFiles = results().files.filter((f) => f.individual_ok === true && f.file.includes('_corrtag'));

describe('COS compat extraction reproduces the original (golden)', () => {
  it('covers the golden COS inputs', () => {
    assert.ok(cosFiles.length >= 13, `only ${cosFiles.length} COS golden lightcurves`);
  });
  for (const f of cosFiles) {
    it(`${f.file} → ${f.individual_filename}`, async () => {
      const lc = await extractEvents(join(INPUTS, f.extracted_from ?? f.file), { step: 2, algorithm: COMPAT, refs });
      const out = join(tmp.dir, `${lc.meta.outname}`);
      await writeIndividual(out, lc);
      const { problems } = await compareLightcurves(out, join(EXPECTED, 'individual', f.individual_filename as string));
      assert.deepEqual(problems, []);
      // the float32 sums are reproduced bit for bit (numpy's sorted-block float32 cumsum)
      const ours = await readLc(out);
      const theirs = await readLc(join(EXPECTED, 'individual', f.individual_filename as string));
      assert.deepEqual(ours.columns.get('gross'), theirs.columns.get('gross'));
      assert.deepEqual(ours.columns.get('background'), theirs.columns.get('background'));
    });
  }

  it('a _b file extracts the same pair as its _a file (§1.3)', async () => {
    const a = await extractEvents(join(INPUTS, 'lc7a0101q_corrtag_a.fits'), { step: 2, algorithm: COMPAT, refs });
    const b = await extractEvents(join(INPUTS, 'lc7a0101q_corrtag_b.fits'), { step: 2, algorithm: COMPAT, refs });
    assert.deepEqual(b.meta.sourceFiles, ['lc7a0101q_corrtag_a.fits', 'lc7a0101q_corrtag_b.fits']);
    assert.deepEqual(b.columns.gross, a.columns.gross);
  });

  it('a pair with one segment gzipped reads both segments (§1.3 pairs by name, not by compression)', async () => {
    const expected = results().files.find((f) => f.file === 'lc7a0101q_corrtag_a.fits')!;
    for (const gz of ['a', 'b'] as const) {
      const dir = join(tmp.dir, `mixed-${gz}`);
      mkdirSync(dir);
      for (const seg of ['a', 'b'] as const) {
        const src = readFileSync(join(INPUTS, `lc7a0101q_corrtag_${seg}.fits`));
        if (seg === gz) writeFileSync(join(dir, `lc7a0101q_corrtag_${seg}.fits.gz`), gzipSync(src));
        else writeFileSync(join(dir, `lc7a0101q_corrtag_${seg}.fits`), src);
      }
      const first = join(dir, gz === 'a' ? 'lc7a0101q_corrtag_a.fits.gz' : 'lc7a0101q_corrtag_a.fits');
      const lc = await extractEvents(first, { step: 2, algorithm: COMPAT, refs });
      assert.equal(lc.meta.sourceFiles?.length, 2, `${gz} gzipped: ${lc.meta.sourceFiles?.join(', ')}`);
      const out = join(dir, 'curve.fits');
      await writeIndividual(out, lc);
      // the original's lightcurve of the uncompressed pair: same gross counts, both segments in
      const ours = await readLc(out);
      const theirs = await readLc(join(EXPECTED, 'individual', expected.individual_filename as string));
      assert.deepEqual(ours.columns.get('gross'), theirs.columns.get('gross'));
      assert.deepEqual(ours.columns.get('net'), theirs.columns.get('net'));
    }
  });

  it('empty and single-event files fail with a clear message (the original raised too)', async () => {
    await assert.rejects(extractEvents(join(INPUTS, 'ld0q0305q_corrtag.fits'), { step: 2, algorithm: COMPAT, refs }), /events table is empty/);
    await assert.rejects(extractEvents(join(INPUTS, 'ld0q0406q_corrtag_a.fits'), { step: 2, algorithm: COMPAT, refs }), /no complete 2 s time bin/);
  });

  it('a missing reference file is a recorded unity fallback, not silent', async () => {
    const lc = await extractEvents(join(INPUTS, 'lc7a0101q_corrtag_a.fits'), { step: 2, algorithm: COMPAT, refs: { env: {} } });
    assert.ok(lc.meta.warnings.some((w) => /FLUXTAB: reference file lref\$x6q17586l_phot.fits not found/.test(w)), lc.meta.warnings.join('\n'));
    assert.ok(lc.meta.warnings.some((w) => /TDSTAB/.test(w)));
    const out = join(tmp.dir, 'unity.fits');
    await writeIndividual(out, lc);
    const back = await readLc(out);
    const h = back.header0.cards.filter((c) => c.key === 'HISTORY').map((c) => String(c.value));
    assert.ok(h.some((x) => x.includes('FLUXTAB')), 'fallback written as HISTORY');
  });
});
