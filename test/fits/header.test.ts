import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Header, formatCard, formatFloat, formatHeader, makeCard, parseCard, parseHeader, FitsError } from '../../src/fits/index.js';

const card80 = (s: string): string => s.padEnd(80, ' ');

test('value types: logical, integers beyond 2^53, D exponents, complex, undefined', () => {
  assert.deepEqual(parseCard(card80('SIMPLE  =                    T / conforms')), { key: 'SIMPLE', type: 'logical', value: true, comment: 'conforms' });
  assert.equal(parseCard(card80('EXTEND  =                    F'))!.value, false);
  assert.equal(parseCard(card80('NAXIS1  =                  -39'))!.value, -39);
  const big = parseCard(card80('BIGINT  =  9223372036854775807 / max int64'))!;
  assert.equal(big.type, 'integer');
  assert.equal(big.value, 9223372036854775807n);
  const d = parseCard(card80('DVAL    =            1.5D-300 / a double'))!;
  assert.equal(d.type, 'float');
  assert.equal(d.value, 1.5e-300);
  assert.equal(parseCard(card80('F1      =                 .5E2'))!.value, 50);
  assert.equal(parseCard(card80('F2      =                  -3.'))!.value, -3);
  assert.equal(parseCard(card80('F2      =                  -3.'))!.type, 'float');
  assert.deepEqual(parseCard(card80('CPLX    = (1.5, -2E3) / complex'))!.value, { re: 1.5, im: -2000 });
  const u = parseCard(card80('UNDEF   =                      / no value'))!;
  assert.equal(u.type, 'undefined');
  assert.equal(u.value, null);
  assert.equal(u.comment, 'no value');
});

test("strings: '' escapes, leading blanks kept, trailing blanks dropped, slashes inside", () => {
  assert.equal(parseCard(card80("OBSERVER= 'O''Brien '           / who"))!.value, "O'Brien");
  assert.equal(parseCard(card80("S       = '  lead'"))!.value, '  lead');
  assert.equal(parseCard(card80("S       = 'a/b / c' / comment / more"))!.value, 'a/b / c');
  assert.equal(parseCard(card80("S       = 'a/b / c' / comment / more"))!.comment, 'comment / more');
  assert.equal(parseCard(card80("FLUXTAB = 'lref$x6q17586l_phot.fits' / flux table"))!.value, 'lref$x6q17586l_phot.fits');
  assert.equal(parseCard(card80("EMPTY   = ''"))!.value, '');
  assert.throws(() => parseCard(card80("BAD     = 'unterminated")), (e: unknown) => e instanceof FitsError && e.code === 'BAD_CARD');
  assert.throws(() => parseCard(card80('BAD     = 12abc')), (e: unknown) => e instanceof FitsError && /BAD/.test(e.message));
});

test('commentary cards, HIERARCH, and case-insensitive look-up in order', () => {
  const text = [
    "TARGNAME= 'HD-209458'          / proposer's target name",
    'COMMENT   first comment',
    'HISTORY   processed',
    '',
    'HIERARCH ESO DET CHIP NAME = \'chip1\' / hierarch',
    "TARGNAME= 'second'",
    'END',
  ].map(card80).join('');
  const bytes = new TextEncoder().encode(text.padEnd(2880, ' '));
  const parsed = parseHeader(bytes)!;
  assert.equal(parsed.byteLength, 2880);
  const h = parsed.header;
  assert.deepEqual(h.cards.map((c) => c.key), ['TARGNAME', 'COMMENT', 'HISTORY', '', 'ESO DET CHIP NAME', 'TARGNAME']);
  assert.equal(h.get('targname'), 'HD-209458', 'first occurrence, any case');
  assert.deepEqual(h.commentary('COMMENT'), ['  first comment']);
  assert.deepEqual(h.commentary('HISTORY'), ['  processed']);
  assert.equal(h.get('HIERARCH ESO DET CHIP NAME'), 'chip1');
  assert.equal(h.get('eso det chip name'), 'chip1');
});

test('CONTINUE long strings are joined, and written back the same way', () => {
  const long = "The quick brown fox's long string ".repeat(6).trim();
  const images = formatCard(makeCard({ key: 'LONGSTR', value: long, comment: 'a comment' }));
  assert.ok(images.length > 1);
  assert.ok(images.every((s) => s.length === 80));
  assert.ok(images.slice(1).every((s) => s.startsWith('CONTINUE  ')));
  const bytes = new TextEncoder().encode((images.join('') + card80('END')).padEnd(2880, ' '));
  const h = parseHeader(bytes)!.header;
  assert.equal(h.get('LONGSTR'), long);
  assert.equal(h.card('LONGSTR')!.comment, 'a comment');
});

test('fixed format: values right-justified to column 30, strings from column 11, comments at 32', () => {
  const [i] = formatCard(makeCard({ key: 'NAXIS1', value: 39, comment: 'length of dimension 1' }));
  assert.equal(i, card80('NAXIS1  =                   39 / length of dimension 1'));
  assert.equal(i.indexOf('39') + 2, 30);
  const [s] = formatCard(makeCard({ key: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' }));
  assert.equal(s, card80("XTENSION= 'BINTABLE'           / binary table extension"));
  assert.equal(s[10], "'");
  const [short] = formatCard(makeCard({ key: 'SEGMENT', value: 'A' }));
  assert.equal(short, card80("SEGMENT = 'A       '"), 'strings padded to at least 8 characters');
  const [f] = formatCard(makeCard({ key: 'EQUINOX', value: 2000, type: 'float' }));
  assert.equal(f, card80('EQUINOX =               2000.0'));
  const [l] = formatCard(makeCard({ key: 'SIMPLE', value: true }));
  assert.equal(l, card80('SIMPLE  =                    T'));
  const [b] = formatCard(makeCard({ key: 'BIG', value: 2n ** 62n + 5n }));
  assert.equal(b, card80('BIG     =  4611686018427387909'));
  const [q] = formatCard(makeCard({ key: 'Q', value: "it's" }));
  assert.equal(q, card80("Q       = 'it''s   '"), 'closing quote in column 20 at the earliest, as astropy writes');
});

test('formatFloat gives the shortest text that reads back exactly', () => {
  const values = [0, -0.5, 1, 1e-7, 123.456, 55501.9692841, 2.777778e-5, 1e21, -1.2345678901234567e-300, Number.MAX_VALUE, Number.MIN_VALUE, 1e19, 1 / 3];
  let seed = 12345;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    values.push((seed / 2147483648 - 0.5) * 10 ** ((seed % 600) - 300));
  }
  for (const x of values) {
    const s = formatFloat(x);
    assert.ok(s.length <= 24, s);
    assert.ok(/[.E]/.test(s), `${s} must read as a float`);
    const img = formatCard(makeCard({ key: 'X', value: x, type: 'float' }))[0];
    const back = parseCard(img)!;
    assert.equal(back.type, 'float');
    assert.equal(back.value, x, `${x} -> ${s}`);
  }
  assert.throws(() => formatFloat(NaN), FitsError);
});

test('header edits: set replaces in place, add appends, delete removes; END and padding on format', () => {
  const h = new Header();
  h.set('A', 1).set('B', 'x').set('A', 2, 'new');
  h.add({ key: 'HISTORY', value: 'one' });
  assert.deepEqual(h.cards.map((c) => [c.key, c.value]), [['A', 2], ['B', 'x'], ['HISTORY', 'one']]);
  assert.equal(h.delete('b'), true);
  const bytes = formatHeader(h);
  assert.equal(bytes.length, 2880);
  const text = new TextDecoder().decode(bytes);
  assert.equal(text.slice(160, 163), 'END');
  assert.equal(parseHeader(bytes)!.header.get('A'), 2);
});

test('typed getters say what is wrong', () => {
  const h = new Header().set('S', 'abc').set('N', 3).set('F', 1.5);
  assert.equal(h.number('N'), 3);
  assert.equal(h.integer('N'), 3);
  assert.throws(() => h.integer('F'), /expected an integer/);
  assert.throws(() => h.boolean('S'), /expected a logical/);
  assert.equal(h.number('MISSING'), undefined);
  assert.equal(parseHeader(new Uint8Array(2880).fill(0x20)), undefined, 'no END yet');
});
