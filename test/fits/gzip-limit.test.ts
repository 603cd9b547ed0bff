/**
 * A `.fits.gz` inflates as a stream bounded by what its headers declare: a gzip bomb (a valid
 * header for a small table, then hundreds of MB of zeros, a few hundred KB compressed) is refused
 * with a FitsError naming the file, without ever holding the inflated bytes; a good file still
 * reads the same values as the plain file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { FitsReader, FitsError, encodeFits, type HduSpec } from '../../src/fits/index.js';
import { tempDir } from '../helpers/tools.js';

const ROWS = 100;
const table: HduSpec[] = [
  { type: 'PRIMARY', cards: [{ key: 'ROOTNAME', value: 'lb4k0105q' }] },
  { type: 'BINTABLE', name: 'EVENTS', columns: [{ name: 'TIME', data: Float64Array.from({ length: ROWS }, (_, i) => i * 0.5) }] },
];
const good = encodeFits(table, { checksum: false });
const ZEROS_MIB = 512;

/** `head` followed by `mib` MiB of zeros, gzip-compressed as a stream (never whole in memory). */
async function writeBomb(path: string, head: Uint8Array, mib: number): Promise<void> {
  const zeros = new Uint8Array(1 << 20);
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield head;
    for (let i = 0; i < mib; i++) yield zeros;
  }
  await pipeline(Readable.from(bytes()), createGzip({ level: 9 }), createWriteStream(path));
}

function refusal(path: string, pattern: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof FitsError, String(e));
    assert.equal(e.code, 'BAD_SIZE', e.message);
    assert.ok(e.message.startsWith(`${path}: `), `names the file: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  };
}

test('a gzip bomb is refused by name, and inflating it stays small in memory', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'bomb_corrtag_a.fits.gz');
    await writeBomb(path, good, ZEROS_MIB);
    assert.ok(statSync(path).size < 2 << 20, `the bomb is small compressed: ${statSync(path).size} bytes`);
    await assert.rejects(FitsReader.open(path), refusal(path, new RegExp(`inflates to more than the ${good.length} bytes its FITS headers declare`)));

    // Peak memory in a fresh process (VmHWM: getrusage's maxrss would hold this process's peak
    // through exec): the 512 MiB inflated size is never held (bound generous).
    const script = `
      import { readFileSync } from 'node:fs';
      import { FitsReader } from './src/fits/index.ts';
      const before = process.memoryUsage().rss;
      let message = '';
      try { await FitsReader.open(${JSON.stringify(path)}); } catch (e) { message = e.message; }
      console.log(JSON.stringify({ before, peak: Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024, message }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const { before, peak, message } = JSON.parse(out.trim().split('\n').pop()!) as { before: number; peak: number; message: string };
    assert.match(message, /its FITS headers declare; refused/);
    const grew = (peak - before) / 2 ** 20;
    assert.ok(grew < ZEROS_MIB / 4, `peak RSS grew by ${grew.toFixed(0)} MiB while refusing a ${ZEROS_MIB} MiB bomb`);
  } finally {
    cleanup();
  }
});

test('a header that never ends, or that declares more than the limit, is refused', async () => {
  const { dir, cleanup } = tempDir();
  try {
    // A primary header of blank cards with no END: 17 MiB of spaces.
    const endless = join(dir, 'endless_x1d.fits.gz');
    const start = new TextEncoder().encode('SIMPLE  =                    T'.padEnd(80, ' '));
    const blanks = new Uint8Array(17 << 20).fill(0x20);
    writeFileSync(endless, gzipSync(Buffer.concat([start, blanks])));
    await assert.rejects(FitsReader.open(endless), refusal(endless, /header of HDU 0 has no END card in its first 16777216 bytes/));

    // NAXIS2 declaring 4 GiB of rows: refused at the header, before any data is inflated.
    const huge = join(dir, 'huge_corrtag_a.fits.gz');
    const text = new TextDecoder('latin1').decode(good);
    const at = text.indexOf('NAXIS2  =', 2880);
    const patched = good.slice();
    const card = `NAXIS2  = ${String(2 ** 29).padStart(20)}`.padEnd(80, ' ');
    for (let i = 0; i < 80; i++) patched[at + i] = card.charCodeAt(i);
    writeFileSync(huge, gzipSync(patched));
    await assert.rejects(FitsReader.open(huge), refusal(huge, /HDU 1 declares 4294967296 bytes of data, beyond the 2147483648-byte limit/));
  } finally {
    cleanup();
  }
});

test('a good .fits.gz reads as the plain file does; one block of trailing bytes is tolerated', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const trailing = new Uint8Array(good.length + 2880);
    trailing.set(good);
    const path = join(dir, 'good_corrtag_a.fits.gz');
    writeFileSync(path, gzipSync(trailing));
    const f = await FitsReader.open(path);
    try {
      const t = await f.readTable('EVENTS', { columns: ['TIME'] });
      assert.deepEqual(Array.from(t.columns.get('TIME')!.data as Float64Array), Array.from({ length: ROWS }, (_, i) => i * 0.5));
      assert.match(f.warnings.join('\n'), /2880 bytes after HDU 1 are not a FITS extension/);
    } finally {
      await f.close();
    }
    const more = new Uint8Array(good.length + 2881);
    more.set(good);
    writeFileSync(path, gzipSync(more));
    await assert.rejects(FitsReader.open(path), refusal(path, /refused \(data after the last HDU\)/));
  } finally {
    cleanup();
  }
});
