import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { positiveInteger, positiveNumber, wavelengthRange } from '../../src/cli/parsers.js';

describe('option parsers', () => {
  it('wavelengthRange reads A,B with A < B', () => {
    assert.deepEqual(wavelengthRange('915,1800'), [915, 1800]);
    assert.deepEqual(wavelengthRange(' 1200.5 , 1700 '), [1200.5, 1700]);
    for (const bad of ['1800,915', ',1800', '915,', '915', '1,2,3', 'a,b']) {
      assert.throws(() => wavelengthRange(bad), InvalidArgumentError, bad);
    }
  });

  it('positiveNumber and positiveInteger refuse zero, negatives and words', () => {
    assert.equal(positiveNumber('0.5'), 0.5);
    assert.equal(positiveInteger('50'), 50);
    for (const bad of ['0', '-1', 'ten', '']) assert.throws(() => positiveNumber(bad), InvalidArgumentError, bad);
    for (const bad of ['0', '1.5', '-2', 'x']) assert.throws(() => positiveInteger(bad), InvalidArgumentError, bad);
  });
});
