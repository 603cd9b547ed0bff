import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FitsReader, FitsError, encodeFits, type FitsErrorCode, type HduSpec } from '../../src/fits/index.js';
import { tempDir } from '../helpers/tools.js';

const events: HduSpec[] = [
  { type: 'PRIMARY', cards: [{ key: 'ROOTNAME', value: 'lb4k0105q' }] },
  {
    type: 'BINTABLE',
    name: 'EVENTS',
    columns: [
      { name: 'TIME', data: Float32Array.from({ length: 100 }, (_, i) => i) },
      { name: 'DQ', data: new Int16Array(100) },
      { name: 'VLA', data: Array.from({ length: 100 }, (_, i) => Float32Array.from([i, i + 1])), format: '1PE' },
    ],
  },
];
const good = encodeFits(events, { checksum: false });

/** Replace the value of a header card in place (same length), returning new bytes. */
function patchCard(bytes: Uint8Array, key: string, image: string): Uint8Array {
  const out = bytes.slice();
  const text = new TextDecoder('latin1').decode(out);
  const at = text.indexOf(key.padEnd(8, ' ') + '=');
  assert.ok(at >= 0, key);
  const card = image.padEnd(80, ' ');
  for (let i = 0; i < 80; i++) out[at + i] = card.charCodeAt(i);
  return out;
}

async function expectError(bytes: Uint8Array, code: FitsErrorCode, pattern: RegExp, hdu?: number): Promise<void> {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'bad_corrtag_a.fits');
    writeFileSync(path, bytes);
    await assert.rejects(
      async () => {
        const f = await FitsReader.open(path);
        try {
          for (const h of f.hdus) if (h.table) await f.readTable(h);
        } finally {
          await f.close();
        }
      },
      (e: unknown) => {
        assert.ok(e instanceof FitsError, String(e));
        assert.equal(e.code, code, e.message);
        assert.match(e.message, pattern);
        assert.ok(e.message.includes('bad_corrtag_a.fits'), `names the file: ${e.message}`);
        if (hdu !== undefined) assert.equal(e.hdu, hdu, e.message);
        return true;
      },
    );
  } finally {
    cleanup();
  }
}

test('truncated inside the data, inside a header, and shorter than a block', async () => {
  await expectError(good.subarray(0, good.length - 2880 + 100), 'TRUNCATED', /file ends inside the data/, 1);
  await expectError(good.subarray(0, 2880 + 1000), 'TRUNCATED', /ends inside a header/, 1);
  await expectError(good.subarray(0, 1000), 'TRUNCATED', /shorter than one 2880-byte block/, 0);
});

test('header without END', async () => {
  const noEnd = good.slice(0, 2880);
  const text = new TextDecoder('latin1').decode(noEnd);
  const at = text.indexOf('END     ');
  noEnd.fill(0x20, at, at + 3);
  await expectError(noEnd, 'NO_END', /no END card/, 0);
});

test('bad TFORM, NAXIS1 that disagrees with the TFORMs, bad TDIM', async () => {
  await expectError(patchCard(good, 'TFORM1', "TFORM1  = '1Z      '"), 'BAD_TFORM', /column 1: cannot parse TFORM '1Z'/, 1);
  await expectError(patchCard(good, 'NAXIS1', 'NAXIS1  =                   20'), 'BAD_SIZE', /NAXIS1 = 20 but the TFORMs add up to 14/, 1);
  await expectError(patchCard(good, 'TFORM2', "TFORM2  = '2I      '"), 'BAD_SIZE', /TFORMs add up/, 1);
  const withDim = encodeFits([events[0], { type: 'BINTABLE', columns: [{ name: 'V', data: new Float32Array(12), dim: [2, 3] }] }]);
  await expectError(patchCard(withDim, 'TDIM1', "TDIM1   = '(4,2)   '"), 'BAD_TDIM', /TDIM '\(4,2\)' has 8 elements but TFORM '6E' has 6/, 1);
});

test('negative sizes and missing mandatory keywords', async () => {
  await expectError(patchCard(good, 'NAXIS2', 'NAXIS2  =                   -5'), 'BAD_SIZE', /NAXIS2 = -5 is negative/, 1);
  await expectError(patchCard(good, 'PCOUNT', 'PCOUNT  =                   -1'), 'BAD_SIZE', /negative/, 1);
  await expectError(patchCard(good, 'TFIELDS', "COMMENT   TFIELDS removed"), 'BAD_KEYWORD', /missing mandatory keyword TFIELDS/, 1);
  await expectError(patchCard(good, 'BITPIX', 'BITPIX  =                   12'), 'BAD_KEYWORD', /BITPIX = 12/, 0);
});

test('a heap descriptor pointing past the heap', async () => {
  const bad = good.slice();
  const f = await FitsReader.fromBytes(good);
  const ev = f.hdu('EVENTS');
  const vla = ev.table!.columns[2];
  // Row 3's descriptor offset: far past the heap.
  const p = ev.dataStart + 3 * ev.table!.rowBytes + vla.offset + 4;
  bad[p] = 0x7f;
  await expectError(bad, 'BAD_SIZE', /column VLA row 4: heap descriptor .* points past the heap/, 1);
});

test('not a FITS file; corrupt gzip', async () => {
  await expectError(new TextEncoder().encode('hello world'.repeat(400)), 'NOT_FITS', /not a FITS file/);
  const gz = gzipSync(good);
  await expectError(gz.subarray(0, gz.length - 200), 'TRUNCATED', /gzip data is corrupt or truncated/);
});

test('bad card values are located by keyword', async () => {
  await expectError(patchCard(good, 'ROOTNAME', "ROOTNAME= 'lb4k0105q"), 'BAD_CARD', /ROOTNAME: string value has no closing quote/, 0);
});

test('missing file and missing HDU/column errors name what is missing', async () => {
  await assert.rejects(FitsReader.open('/nonexistent/x_corrtag.fits'), (e: unknown) => e instanceof FitsError && e.code === 'NOT_FOUND' && /x_corrtag.fits: no such file/.test(e.message));
  const f = await FitsReader.fromBytes(good, 'mem.fits');
  assert.throws(() => f.hdu('GTI'), /mem.fits: no HDU named GTI/);
  await assert.rejects(f.readTable('EVENTS', { columns: ['WAVELENGTH'] }), /no column WAVELENGTH \(columns: TIME, DQ, VLA\)/);
  await assert.rejects(f.readTable('EVENTS', { rows: [50, 101] }), /row range \[50, 101\) outside the table's 100 rows/);
});
