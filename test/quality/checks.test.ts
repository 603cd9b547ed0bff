import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeFits, type CardInput } from '../../src/fits/index.js';
import { CHECKS, checkFile, checkFiles, runChecks, verdictOf, type QualityInput } from '../../src/quality/index.js';
import { tempDir } from '../helpers/tools.js';

const INPUTS = new URL('../fixtures/golden/inputs/', import.meta.url).pathname;
const results = JSON.parse(readFileSync(new URL('../fixtures/golden/expected/results.json', import.meta.url), 'utf8')) as {
  check_order: string[];
  files: Array<{ file: string; dataset_ok: string; checks: Array<{ check: string; success?: boolean; reason?: string; error?: string }> }>;
};
const manifest = JSON.parse(readFileSync(path.join(INPUTS, 'manifest.json'), 'utf8')) as {
  datasets: Array<{ files: string[]; bad_reason: string | null; proposid: number }>;
};

const good: QualityInput = { expflag: 'NORMAL', exptime: 100, proposid: 12345, times: Float64Array.of(0, 1, 1, 2) };

describe('quality checks (§3.2)', () => {
  it('run in the documented order, the same as the order the golden harness recorded', () => {
    assert.deepEqual(CHECKS.map((c) => c.original), results.check_order);
  });

  it('pass a normal exposure', () => {
    assert.equal(verdictOf(good).status, 'good');
    assert.ok(runChecks(good).every((c) => c.passed));
  });

  it('apply each rule at its edge', () => {
    const reason = (input: Partial<QualityInput>, badProposals?: number[]) => {
      const v = verdictOf({ ...good, ...input }, { badProposals });
      return v.status === 'bad' ? v.reason : v.status;
    };
    assert.equal(reason({ expflag: 'INTERRUPTED' }), 'Bad EXPFLAG');
    assert.equal(reason({ expflag: 'normal' }), 'Bad EXPFLAG');
    assert.equal(reason({ times: Float64Array.of(0, 2, 1) }), 'Non-linear time');
    assert.equal(reason({ times: Float64Array.of(0, Number.NaN, 3) }), 'Non-linear time');
    assert.equal(reason({ times: new Float64Array(0) }), 'No events');
    assert.equal(reason({ times: Float64Array.of(5) }), 'Singular event');
    assert.equal(reason({ times: Float32Array.of(5, 5, 5) }), 'Singular event');
    assert.equal(reason({}, [12345]), 'Bad Proposal');
    assert.equal(reason({}, [1]), 'good');
    assert.equal(reason({ exptime: 0.999 }), 'Short Exposure');
    assert.equal(reason({ exptime: 1 }), 'good');
    assert.equal(reason({ exptime: Number.NaN }), 'Short Exposure');
    // the first failure in order decides: empty + short exposure is "No events"
    assert.equal(reason({ times: new Float64Array(0), exptime: 0.1, expflag: 'NORMAL' }), 'No events');
  });

  it('say which check failed and why', () => {
    const v = verdictOf({ ...good, times: Float64Array.of(1, 3, 2) });
    assert.equal(v.status, 'bad');
    if (v.status !== 'bad') return;
    assert.equal(v.check, 'linear');
    assert.equal(v.detail, 'TIME[2] = 2 follows TIME[1] = 3');
  });
});

describe('quality checks on the golden archive, against the original', () => {
  for (const file of results.files) {
    it(`${file.file}: ${file.dataset_ok}`, async () => {
      const verdict = await checkFile(path.join(INPUTS, file.file));
      assert.notEqual(verdict.status, 'error', verdict.status === 'error' ? verdict.message : '');
      if (verdict.status === 'error') return;
      // every check agrees with the original's own result for it ...
      for (const [i, original] of file.checks.entries()) {
        if (original.error !== undefined) {
          // ... except where the original crashed: its check_linear indexed element 0 of an empty table.
          // Ours passes (nothing is out of order) and "No events" says what is wrong.
          assert.match(original.error, /IndexError/);
          assert.equal(verdict.checks[i]!.passed, true);
          continue;
        }
        assert.equal(verdict.checks[i]!.passed, original.success, `${original.check}`);
        if (!original.success) assert.equal((verdict.checks[i] as { reason: string }).reason, original.reason);
      }
      if (file.dataset_ok === 'pass') assert.equal(verdict.status, 'good');
      else if (file.dataset_ok.startsWith('exception')) assert.equal(verdict.status === 'bad' && verdict.reason, 'No events');
      else assert.equal(verdict.status === 'bad' && verdict.reason, file.dataset_ok);
    });
  }

  it('checks the whole archive as a batch, one verdict per file, quickly', async (t) => {
    const files = results.files.map((f) => path.join(INPUTS, f.file));
    const t0 = performance.now();
    const verdicts = await checkFiles([...files, path.join(INPUTS, 'missing_corrtag.fits')]);
    const seconds = (performance.now() - t0) / 1000;
    assert.deepEqual(verdicts.map((v) => v.verdict.status).slice(0, -1), results.files.map((f) => (f.dataset_ok === 'pass' ? 'good' : 'bad')));
    assert.equal(verdicts.at(-1)!.verdict.status, 'error');
    t.diagnostic(`quality checks: ${(files.length / seconds).toFixed(0)} files/s on the golden archive`);
  });

  it("gives every file the manifest's bad-data reason when the bad proposal is configured", async () => {
    // The manifest's truth includes a "Bad Proposal" dataset, which needs its proposal in bad_proposals.
    const badProposals = manifest.datasets.filter((d) => d.bad_reason === 'Bad Proposal').map((d) => d.proposid);
    assert.equal(badProposals.length, 1);
    for (const d of manifest.datasets) {
      const event = d.files.find((f) => /_(corrtag_a|corrtag|tag)\.fits$/.test(f))!;
      const verdict = await checkFile(path.join(INPUTS, event), { badProposals });
      assert.equal(verdict.status === 'bad' ? verdict.reason : null, d.bad_reason, event);
    }
  });
});

describe('quality checks on hostile files', () => {
  const tmp = tempDir();
  after(tmp.cleanup);
  const primary = (cards: CardInput[] = [{ key: 'PROPOSID', value: 13000 }]) => ({ type: 'PRIMARY' as const, cards });
  const events = (cards: CardInput[], times: Float64Array) => ({ type: 'BINTABLE' as const, name: 'EVENTS', cards, columns: [{ name: 'TIME', data: times }] });
  const normal: CardInput[] = [{ key: 'EXPFLAG', value: 'NORMAL' }, { key: 'EXPTIME', value: 10.0, type: 'float' }];

  it('report a missing keyword as an error, not bad data', async () => {
    const f = path.join(tmp.dir, 'nokey_corrtag.fits');
    await writeFits(f, [primary(), events([{ key: 'EXPTIME', value: 10.0, type: 'float' }], Float64Array.of(1, 2))]);
    const v = await checkFile(f);
    assert.equal(v.status, 'error');
    assert.match(v.status === 'error' ? v.message : '', /EXPFLAG missing/);
    const g = path.join(tmp.dir, 'noprop_corrtag.fits');
    await writeFits(g, [primary([]), events(normal, Float64Array.of(1, 2))]);
    assert.match((await checkFile(g) as { message: string }).message, /PROPOSID missing/);
  });

  it('report a truncated, empty or non-FITS file as an error', async () => {
    const f = path.join(tmp.dir, 'ok_corrtag.fits');
    await writeFits(f, [primary(), events(normal, Float64Array.from({ length: 2000 }, (_, i) => i))]);
    assert.equal((await checkFile(f)).status, 'good');
    const bytes = readFileSync(f);
    const cut = path.join(tmp.dir, 'cut_corrtag.fits');
    writeFileSync(cut, bytes.subarray(0, 2880 + 1000));
    assert.equal((await checkFile(cut)).status, 'error');
    const junk = path.join(tmp.dir, 'junk_corrtag.fits');
    writeFileSync(junk, '<script>alert(1)</script>');
    assert.equal((await checkFile(junk)).status, 'error');
    const empty = path.join(tmp.dir, 'empty_corrtag.fits');
    writeFileSync(empty, '');
    assert.equal((await checkFile(empty)).status, 'error');
    assert.equal((await checkFile(path.join(tmp.dir, 'absent_corrtag.fits'))).status, 'error');
    const noTable = path.join(tmp.dir, 'primaryonly_corrtag.fits');
    await writeFits(noTable, [primary()]);
    assert.equal((await checkFile(noTable)).status, 'error');
  });

  it('record No events for an empty table', async () => {
    const f = path.join(tmp.dir, 'none_corrtag.fits');
    await writeFits(f, [primary(), events(normal, new Float64Array(0))]);
    const v = await checkFile(f);
    assert.equal(v.status === 'bad' && v.reason, 'No events');
  });
});
