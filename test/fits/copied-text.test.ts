/** Header text copied from input files (src/fits/copied-text.ts): ASCII as it is, anything else transliterated and kept. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiTransliteration, copiedTextCards, formatCard, makeCard } from '../../src/fits/index.js';

describe('copiedTextCards', () => {
  it('leaves ASCII text alone, one card', () => {
    assert.deepEqual(copiedTextCards('TARGNAME', 'WD2359-324', 'target'), [{ key: 'TARGNAME', value: 'WD2359-324', comment: 'target' }]);
    assert.deepEqual(copiedTextCards('TARGNAME', ''), [{ key: 'TARGNAME', value: '' }]);
  });

  it('transliterates other text and keeps the original escaped in HISTORY, all writable', () => {
    const cards = copiedTextCards('TARGNAME', 'CAFÉ-ÅNGSTRÖM ß Ω\u0007', 'naïve');
    assert.deepEqual(cards, [
      { key: 'TARGNAME', value: 'CAFE-ANGSTROM ss ??', comment: 'naive' },
      { key: 'HISTORY', value: "TARGNAME in the source header: 'CAF\\u00c9-\\u00c5NGSTR\\u00d6M \\u00df \\u03a9\\u0007'" },
    ]);
    for (const c of cards) assert.ok(formatCard(makeCard(c)).length >= 1);
    assert.equal(asciiTransliteration('ﬁle Łódź'), 'file Lodz');
  });
});
