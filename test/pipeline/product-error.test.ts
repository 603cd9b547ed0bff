/**
 * Bad data and bugs are told apart: a defect of the input (ProductError, FitsError among them) says why
 * the file failed, while a programming error is reported as one and never quarantines the file — it stays
 * in ingest_dir, unrecorded, for the next run once the bug is fixed.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FitsError, ProductError, isProductError } from '../../src/fits/index.js';
import { failureOf, prepareFile, type PrepareInput } from '../../src/pipeline/units.js';

const INPUTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden', 'inputs');
let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hstlc-product-error-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function input(file: string, badProposals: readonly number[]): PrepareInput {
  return {
    file,
    stagingDir: path.join(dir, 'staging', path.basename(file)),
    corrtagExtract: false,
    quicklook: false,
    options: { algorithm: 'compat', step: 2, badProposals, refDir: path.join(dir, 'ref'), env: {} },
  };
}

describe('ProductError versus programming errors', () => {
  it('a FitsError is a ProductError; a TypeError is not', () => {
    assert.equal(isProductError(new FitsError('TRUNCATED', 'ends early', { file: 'x.fits' })), true);
    assert.equal(isProductError(new ProductError('no events')), true);
    assert.equal(isProductError(new TypeError('x is undefined')), false);
    assert.equal(isProductError(new Error('plain')), false);
  });

  it('failureOf: a product or system error gives its reason, anything else is internal', () => {
    assert.deepEqual(failureOf('a.fits', new ProductError('a.fits: events header has no EXPTIME')), { status: 'failed', file: 'a.fits', reason: 'a.fits: events header has no EXPTIME' });
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    assert.equal(failureOf('a.fits', enoent).internal, undefined);
    const bug = failureOf('a.fits', new TypeError("Cannot read properties of undefined (reading 'length')"));
    assert.equal(bug.internal, true);
    assert.match(bug.reason, /^internal error \(not a defect of the file\): Cannot read properties/);
    assert.match(bug.stack ?? '', /TypeError/);
  });

  it('a programming error while preparing a good file fails it as internal and never marks it bad', async () => {
    const file = path.join(dir, 'lb9y0102q_corrtag.fits');
    copyFileSync(path.join(INPUTS, 'lb9y0102q_corrtag.fits'), file);
    // A caller bug: the bad-proposal list is not a list, so the quality check throws a TypeError.
    const r = await prepareFile(input(file, 42 as unknown as readonly number[]));
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && r.internal === true, JSON.stringify(r));
    assert.ok(existsSync(file), 'the file is left where it was');
  });

  it('a malformed file fails as bad input, not as internal', async () => {
    const file = path.join(dir, 'lzzz0101q_corrtag.fits');
    writeFileSync(file, 'SIMPLE  =                    T'.padEnd(80, ' ')); // no END card, cut short
    const r = await prepareFile(input(file, []));
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && r.internal === undefined, JSON.stringify(r));
  });
});
