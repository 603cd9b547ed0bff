import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FitsReader, encodeFits, Header, formatHeader, BLOCK, type HduSpec } from '../../src/fits/index.js';

const N = 10_007;
const hdus: HduSpec[] = [
  { type: 'PRIMARY' },
  {
    type: 'BINTABLE',
    name: 'EVENTS',
    columns: [
      { name: 'TIME', data: Float32Array.from({ length: N }, (_, i) => i * 0.032) },
      { name: 'RAWX', data: Int16Array.from({ length: N }, (_, i) => (i * 37) % 16384) },
      { name: 'WAVELENGTH', data: Float32Array.from({ length: N }, (_, i) => 1100 + (i % 3000) * 0.1) },
      { name: 'DQ', data: Int16Array.from({ length: N }, (_, i) => (i % 50 === 0 ? 8192 : 0)) },
      { name: 'PHA', data: Uint8Array.from({ length: N }, (_, i) => i % 32) },
    ],
  },
];
const bytes = encodeFits(hdus);

test('row ranges and streamed chunks give the same values as a whole read', async () => {
  const f = await FitsReader.fromBytes(bytes);
  const whole = await f.readTable('EVENTS', { columns: ['time', 'dq'] });
  assert.equal(whole.rows, N);
  assert.deepEqual([...whole.columns.keys()], ['time', 'dq'], 'keys are the names asked for');
  const part = await f.readTable('EVENTS', { columns: ['TIME'], rows: [5000, 5100] });
  assert.deepEqual(part.columns.get('TIME')!.data, (whole.columns.get('time')!.data as Float32Array).subarray(5000, 5100));
  // Small chunks: decoding across chunk boundaries must not shift or drop rows.
  const small = await f.readTable('EVENTS', { columns: ['TIME', 'DQ'], chunkBytes: 1000 });
  assert.deepEqual(small.columns.get('TIME')!.data, whole.columns.get('time')!.data);
  let seen = 0;
  const times: number[] = [];
  for await (const chunk of f.iterTable('EVENTS', { columns: ['TIME'], chunkRows: 999 })) {
    assert.equal(chunk.startRow, seen);
    assert.ok(chunk.rows <= 999);
    seen += chunk.rows;
    times.push(...(chunk.columns.get('TIME')!.data as Float32Array));
  }
  assert.equal(seen, N);
  assert.deepEqual(Float32Array.from(times), whole.columns.get('time')!.data);
});

test('linear TSCAL/TZERO and TNULL follow the standard (hand-computed values)', async () => {
  // A table written by hand: raw J values [0, 3, -7, 10], TSCAL 0.5, TZERO 10, TNULL -7.
  const h = new Header();
  for (const [k, v] of [
    ['XTENSION', 'BINTABLE'], ['BITPIX', 8], ['NAXIS', 2], ['NAXIS1', 4], ['NAXIS2', 4], ['PCOUNT', 0], ['GCOUNT', 1],
    ['TFIELDS', 1], ['TTYPE1', 'FLUX'], ['TFORM1', '1J'], ['TSCAL1', 0.5], ['TZERO1', 10.0], ['TNULL1', -7],
  ] as const) h.set(k, v, undefined, typeof v === 'number' && (k === 'TSCAL1' || k === 'TZERO1') ? 'float' : undefined);
  const head = formatHeader(h);
  const data = new Uint8Array(BLOCK);
  const dv = new DataView(data.buffer);
  [0, 3, -7, 10].forEach((v, i) => dv.setInt32(4 * i, v, false));
  const primary = encodeFits([{ type: 'PRIMARY' }], { checksum: false });
  const file = new Uint8Array(primary.length + head.length + data.length);
  file.set(primary);
  file.set(head, primary.length);
  file.set(data, primary.length + head.length);
  const f = await FitsReader.fromBytes(file);
  const col = (await f.readTable(1)).columns.get('FLUX')!;
  assert.deepEqual(Array.from(col.data as Float64Array), [10, 11.5, NaN, 15]);
});

test('K columns as safe numbers on request, with an error beyond 2^53', async () => {
  const b = encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'K', data: BigInt64Array.from([1n, -(2n ** 53n - 1n), 42n]) }] }]);
  const f = await FitsReader.fromBytes(b);
  assert.deepEqual((await f.readTable(1, { int64AsNumber: true })).columns.get('K')!.data, Float64Array.from([1, -(2 ** 53 - 1), 42]));
  const big = encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'K', data: BigInt64Array.from([2n ** 60n]) }] }]);
  await assert.rejects((await FitsReader.fromBytes(big)).readTable(1, { int64AsNumber: true }), /exceeds 2\^53/);
});

test('writer refuses values that do not fit and rows that do not line up', () => {
  assert.throws(() => encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'A', data: new Float32Array(3) }, { name: 'B', data: new Float32Array(4) }] }]), /column B has 4 rows, the table has 3/);
  assert.throws(() => encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'S', data: ['toolong'], format: '3A' }] }]), /'toolong' is longer than 3 characters/);
  assert.throws(() => encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'V', data: new Float32Array(7), format: '2E' }] }]), /do not fill whole rows/);
  assert.throws(() => encodeFits([{ type: 'BINTABLE', columns: [] }]), /first HDU must be PRIMARY/);
  assert.throws(() => encodeFits([{ type: 'PRIMARY', cards: [{ key: 'BAD', value: NaN }] }]), /non-finite/);
});

test('an over-long keyword is written as a HIERARCH card, never truncated', async () => {
  const b = encodeFits([{ type: 'PRIMARY', cards: [{ key: 'TOOLONGKEY', value: 1 }] }]);
  assert.match(new TextDecoder().decode(b.subarray(0, 2880)), /HIERARCH TOOLONGKEY = 1 /);
  assert.equal((await FitsReader.fromBytes(b)).hdus[0].header.get('TOOLONGKEY'), 1);
});

test('a write that fails part-way leaves neither a partial file nor a temporary behind', async () => {
  const { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writeFits } = await import('../../src/fits/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'hstlc-atomic-'));
  try {
    const path = join(dir, 'lb4k0105q_curve.fits');
    writeFileSync(path, 'previous good content');
    // The first HDU is already written to the temporary file when the second fails to encode.
    await assert.rejects(
      writeFits(path, [{ type: 'PRIMARY' }, { type: 'BINTABLE', columns: [{ name: 'S', data: ['much too long'], format: '2A' }] }]),
      /lb4k0105q_curve\.fits.*longer than 2 characters/,
    );
    assert.equal(readFileSync(path, 'utf8'), 'previous good content', 'the old file is untouched');
    assert.deepEqual(readdirSync(dir), ['lb4k0105q_curve.fits'], 'no temporary left');
    await writeFits(path, hdus);
    assert.equal((await FitsReader.open(path)).hdus.length, 2, 'a successful write replaces it');
    assert.deepEqual(readdirSync(dir), ['lb4k0105q_curve.fits']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a primary HDU keeps an EXTNAME given as a card; extensions take theirs from the name', async () => {
  const b = encodeFits([
    { type: 'PRIMARY', cards: [{ key: 'EXTNAME', value: 'PRIMARY' }, { key: 'NAXIS', value: 5 }] },
    { type: 'BINTABLE', name: 'EVENTS', cards: [{ key: 'EXTNAME', value: 'IGNORED' }], columns: [{ name: 'T', data: new Float32Array(1) }] },
  ]);
  const f = await FitsReader.fromBytes(b);
  assert.equal(f.hdus[0].header.get('EXTNAME'), 'PRIMARY');
  assert.equal(f.hdus[0].header.get('NAXIS'), 0, 'structural keywords come from the data, not from given cards');
  assert.equal(f.hdus[1].name, 'EVENTS');
  assert.equal(f.hdus[1].header.cards.filter((c) => c.key === 'EXTNAME').length, 1);
});
