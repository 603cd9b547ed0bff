import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FitsReader, writeFits, encodeFits, columnToPlain, cardToPlain, type HduSpec, type Plain } from '../../src/fits/index.js';
import { astropy, fitsverify, skipUnlessAstropy, skipUnlessFitsverify, tempDir } from '../helpers/tools.js';

interface AstropyHdu {
  index: number;
  name: string;
  cards: Array<[string, Plain, string]>;
  columns?: Record<string, Plain[]>;
  dtypes?: Record<string, string>;
  image?: Plain[];
  dtype?: string;
  shape?: number[];
}

const ROWS = 6;
const f32 = Float32Array.from({ length: ROWS }, (_, i) => (i - 2.5) * 1.1e-3);
f32[5] = NaN;

/** One HDU list exercising every column type, shapes, unsigned conventions and header forms. */
function everything(): HduSpec[] {
  return [
    {
      type: 'PRIMARY',
      cards: [
        { key: 'TELESCOP', value: 'HST', comment: 'telescope used to acquire data' },
        { key: 'TARGNAME', value: "O'BRIEN-STAR", comment: "proposer's target name" },
        { key: 'EQUINOX', value: 2000, type: 'float' },
        { key: 'EXPSTART', value: 55501.9692841, comment: 'exposure start time (MJD)' },
        { key: 'BIGINT', value: 2n ** 62n + 5n },
        { key: 'TINY', value: 1.5e-300 },
        { key: 'CPLX', value: { re: 1.5, im: -2 } },
        { key: 'UNDEF', value: null, comment: 'undefined value' },
        { key: 'FLUXTAB', value: 'lref$' + 'x'.repeat(90) + '_phot.fits', comment: 'a long reference file name' },
        { key: 'HIERARCH HSTLC PIPELINE VERSION', value: '0.1.0' },
        { key: 'COMMENT', value: 'a comment card' },
        { key: 'HISTORY', value: 'a history card' },
      ],
      image: { data: Int16Array.from({ length: 12 }, (_, i) => i * 1000 - 6000), shape: [3, 4] },
    },
    {
      type: 'BINTABLE',
      name: 'EVENTS',
      cards: [{ key: 'SDQFLAGS', value: 8346, comment: 'serious data quality flags' }],
      columns: [
        { name: 'TIME', data: f32, unit: 's', disp: 'F8.3' },
        { name: 'DTIME', data: Float64Array.from({ length: ROWS }, (_, i) => 55501.9692841 + i / 86400) },
        { name: 'RAWX', data: Int16Array.from([-32768, -1, 0, 1, 32767, 16384]), unit: 'pixel' },
        { name: 'J', data: Int32Array.from([-2147483648, -1, 0, 1, 2147483647, 99]) },
        { name: 'K', data: BigInt64Array.from([-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n, 42n]) },
        { name: 'U8', data: Uint8Array.from([0, 1, 127, 128, 254, 255]) },
        { name: 'S8', data: Int8Array.from([-128, -1, 0, 1, 126, 127]) },
        { name: 'U16', data: Uint16Array.from([0, 1, 32767, 32768, 65534, 65535]) },
        { name: 'U32', data: Uint32Array.from([0, 1, 2147483647, 2147483648, 4294967294, 4294967295]) },
        { name: 'U64', data: BigUint64Array.from([0n, 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n]) },
        { name: 'WAVELENGTH', data: Float32Array.from({ length: ROWS * 5 }, (_, i) => 1100 + i * 0.5), format: '5E', unit: 'angstrom' },
        { name: 'SLOPE', data: Float64Array.from({ length: ROWS * 6 }, (_, i) => i / 7), dim: [2, 3] },
        { name: 'CUBE', data: Int32Array.from({ length: ROWS * 24 }, (_, i) => i - 50), dim: [2, 3, 4] },
        { name: 'NAME', data: ['HD-209458', "O'Brien", '', 'a b', 'WD0308-565', 'x'] },
        { name: 'PAIRS', data: ['ab', 'cd', 'e', '', 'gh', 'ij', 'kl', 'mn', 'o', 'p', 'q', 'r'], dim: [2, 2], format: '4A' },
        { name: 'FLAG', data: [true, false, true, true, false, true] },
        { name: 'BITS', data: Uint8Array.from({ length: ROWS * 11 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), format: '11X' },
        { name: 'C', data: Float32Array.from({ length: ROWS * 2 }, (_, i) => i * 0.25), format: '1C' },
        { name: 'M', data: Float64Array.from({ length: ROWS * 4 }, (_, i) => -i / 3), format: '2M' },
        { name: 'VLA', data: Array.from({ length: ROWS }, (_, r) => Float32Array.from({ length: r }, (_, i) => r + i / 10)), format: '1PE' },
        { name: 'VLAD', data: Array.from({ length: ROWS }, (_, r) => Float64Array.from({ length: 2 * r }, (_, i) => -r - i)), format: '1QD' },
      ],
    },
    { type: 'IMAGE', name: 'SCI', extver: 2, image: { data: Float32Array.from({ length: 20 }, (_, i) => i / 3), shape: [4, 5] } },
    { type: 'IMAGE', name: 'UINT', image: { data: Uint16Array.from([0, 65535, 32768, 1]), shape: [2, 2] } },
    { type: 'IMAGE', name: 'I64', image: { data: BigInt64Array.from([2n ** 62n, -5n, 7n]), shape: [3] } },
    { type: 'IMAGE', name: 'F64', image: { data: Float64Array.from([Math.PI, -1e-300, 0]), shape: [1, 3] } },
    { type: 'BINTABLE', name: 'EMPTY', columns: [{ name: 'TIME', data: new Float32Array(0) }, { name: 'DQ', data: new Int16Array(0) }] },
  ];
}

async function ourDump(path: string): Promise<AstropyHdu[]> {
  const f = await FitsReader.open(path);
  const out: AstropyHdu[] = [];
  for (const h of f.hdus) {
    const item: AstropyHdu = { index: h.index, name: h.name, cards: h.header.cards.map(cardToPlain) };
    if (h.table) {
      const t = await f.readTable(h);
      item.columns = Object.fromEntries([...t.columns].map(([k, c]) => [k, columnToPlain(c)]));
    } else if (h.axes.length > 0) {
      const img = await f.readImage(h);
      item.shape = img.shape;
      item.image = Array.from(img.data as ArrayLike<number | bigint>, (v) =>
        typeof v === 'bigint' ? (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString()) : Number.isNaN(v) ? null : v,
      );
    }
    out.push(item);
  }
  await f.close();
  return out;
}

test('round trip: every column type, shape and header form reads back identically', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'everything.fits');
    await writeFits(path, everything());
    const f = await FitsReader.open(path);
    assert.deepEqual(f.hdus.map((h) => [h.type, h.name]), [
      ['PRIMARY', 'PRIMARY'], ['BINTABLE', 'EVENTS'], ['IMAGE', 'SCI'], ['IMAGE', 'UINT'], ['IMAGE', 'I64'], ['IMAGE', 'F64'], ['BINTABLE', 'EMPTY'],
    ]);
    assert.equal(f.hdu('sci', 2).index, 2);
    const p = f.hdus[0].header;
    assert.equal(p.get('TARGNAME'), "O'BRIEN-STAR");
    assert.equal(p.get('BIGINT'), 2n ** 62n + 5n);
    assert.equal(p.get('TINY'), 1.5e-300);
    assert.equal(p.card('EQUINOX')!.type, 'float');
    assert.equal(p.get('FLUXTAB'), 'lref$' + 'x'.repeat(90) + '_phot.fits');
    assert.equal(p.get('HSTLC PIPELINE VERSION'), '0.1.0');
    assert.deepEqual(p.get('CPLX'), { re: 1.5, im: -2 });
    assert.equal(p.get('UNDEF'), null);
    const t = await f.readTable('EVENTS');
    const spec = everything()[1] as Extract<HduSpec, { type: 'BINTABLE' }>;
    for (const c of spec.columns) {
      const col = t.columns.get(c.name)!;
      if (col.kind === 'string' || col.kind === 'varlen') assert.deepEqual(col.data, c.data, c.name);
      else if (col.kind === 'logical') assert.deepEqual(Array.from(col.data, (v) => v === 1), c.data, c.name);
      else assert.deepEqual(col.data, c.data, c.name);
    }
    assert.deepEqual(t.columns.get('CUBE')!.info.shape, [2, 3, 4]);
    assert.equal(t.columns.get('TIME')!.info.unit, 's');
    assert.deepEqual((await f.readImage('UINT')).data, Uint16Array.from([0, 65535, 32768, 1]));
    assert.deepEqual((await f.readImage(0)).shape, [3, 4]);
    for (const h of f.hdus) assert.deepEqual(await f.verifyChecksum(h).then((r) => [r.datasum, r.checksum]), ['ok', 'ok'], `HDU ${h.index}`);
    assert.equal((await f.readTable('EMPTY')).rows, 0);
    await f.close();
    // The in-memory encoder writes the same bytes as the file writer.
    const { readFileSync } = await import('node:fs');
    assert.deepEqual(encodeFits(everything()), new Uint8Array(readFileSync(path)));
  } finally {
    cleanup();
  }
});

test('fitsverify: what we write has 0 errors and 0 warnings', { skip: skipUnlessFitsverify() }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'everything.fits');
    // fitsverify warns on any keyword with an undefined value, legal as it is: leave that one out.
    const hdus = everything();
    const primary = hdus[0] as Extract<HduSpec, { type: 'PRIMARY' }>;
    hdus[0] = { ...primary, cards: primary.cards!.filter((c) => c.key !== 'UNDEF') };
    await writeFits(path, hdus);
    const v = fitsverify(path);
    assert.equal(v.errors, 0, v.output);
    assert.equal(v.warnings, 0, v.output);
    const plain = join(dir, 'nochecksum.fits');
    await writeFits(plain, hdus, { checksum: false });
    assert.ok(fitsverify(plain).ok);
  } finally {
    cleanup();
  }
});

test('astropy reads what we write with identical values, and computes the same CHECKSUM/DATASUM', { skip: skipUnlessAstropy() }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'everything.fits');
    await writeFits(path, everything());
    const theirs = astropy<AstropyHdu[]>('dump', path);
    const ours = await ourDump(path);
    assert.equal(theirs.length, ours.length);
    for (let i = 0; i < ours.length; i++) {
      if (ours[i].columns) {
        for (const [name, values] of Object.entries(ours[i].columns!)) {
          assert.deepEqual(theirs[i].columns![name], values, `HDU ${i} column ${name}`);
        }
      }
      if (ours[i].image) {
        assert.deepEqual(theirs[i].image, ours[i].image, `HDU ${i} image`);
        assert.deepEqual(theirs[i].shape, ours[i].shape);
      }
    }
    assert.equal(theirs[1].dtypes!.U16, 'uint16');
    assert.equal(theirs[1].dtypes!.U32, 'uint32');
    assert.equal(theirs[1].dtypes!.U64, 'uint64');
    const primary = Object.fromEntries(theirs[0].cards.map(([k, v]) => [k, v]));
    assert.equal(primary.TARGNAME, "O'BRIEN-STAR");
    assert.equal(primary.BIGINT, '4611686018427387909');
    assert.equal(primary.FLUXTAB, 'lref$' + 'x'.repeat(90) + '_phot.fits');
    assert.equal(primary['HSTLC PIPELINE VERSION'], '0.1.0');
    const sums = astropy<Array<{ datasum: string; checksum: string; stored_checksum: string; stored_datasum: string }>>('checksum', path);
    for (const [i, s] of sums.entries()) {
      assert.equal(s.stored_datasum, s.datasum, `HDU ${i} DATASUM`);
      assert.equal(s.stored_checksum, s.checksum, `HDU ${i} CHECKSUM`);
    }
  } finally {
    cleanup();
  }
});

test('we read what astropy writes with identical values (plain and .fits.gz), checksums verified', { skip: skipUnlessAstropy() }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const files = astropy<string[]>('write', dir);
    for (const name of files) {
      const path = join(dir, name);
      const theirs = astropy<AstropyHdu[]>('dump', path);
      const ours = await ourDump(path);
      assert.equal(ours.length, theirs.length, name);
      for (let i = 0; i < ours.length; i++) {
        assert.deepEqual(ours[i].cards, theirs[i].cards, `${name} HDU ${i} cards`);
        for (const [col, values] of Object.entries(theirs[i].columns ?? {})) {
          assert.deepEqual(ours[i].columns![col], values, `${name} HDU ${i} column ${col}`);
        }
        if (theirs[i].image) {
          assert.deepEqual(ours[i].image, theirs[i].image, `${name} HDU ${i} image`);
          assert.deepEqual(ours[i].shape, theirs[i].shape);
        }
      }
      const f = await FitsReader.open(path);
      const t = await f.readTable('EVENTS', { columns: ['u16', 'vec'] });
      assert.ok(t.columns.get('u16')!.data instanceof Uint16Array, 'unsigned convention decoded as Uint16Array');
      assert.deepEqual(t.columns.get('vec')!.info.shape, [2, 3], 'TDIM (3,2) is C-order shape [2,3]');
      for (const h of f.hdus) {
        const r = await f.verifyChecksum(h);
        assert.deepEqual([r.datasum, r.checksum], ['ok', 'ok'], `${name} HDU ${h.index}`);
      }
      await f.close();
    }
  } finally {
    cleanup();
  }
});

test('a corrupted byte is caught by CHECKSUM/DATASUM verification', async () => {
  const bytes = encodeFits(everything());
  const f0 = await FitsReader.fromBytes(bytes);
  const ev = f0.hdu('EVENTS');
  const bad = bytes.slice();
  bad[ev.dataStart + 10] ^= 0x01;
  const f = await FitsReader.fromBytes(bad);
  const r = await f.verifyChecksum('EVENTS');
  assert.equal(r.datasum, 'bad');
  assert.equal(r.checksum, 'bad');
  const badHeader = bytes.slice();
  badHeader[ev.headerStart + 80 * 3 + 40] ^= 0x20; // a letter of a comment changes case
  const r2 = await (await FitsReader.fromBytes(badHeader)).verifyChecksum('EVENTS');
  assert.equal(r2.datasum, 'ok');
  assert.equal(r2.checksum, 'bad');
});
