/**
 * FITS BINTABLE decode throughput on a COS-corrtag-like table: 4 million rows, 12 columns
 * (39 bytes/row, 156 MB), reading the 6 columns extraction needs (TIME, XCORR, YCORR,
 * WAVELENGTH, EPSILON, DQ). Reported as GB/s of table bytes next to a plain memory copy of the
 * same bytes measured in the same run, from memory and from a file in the page cache.
 *
 *   node --import tsx bench/fits-decode.ts [--rows N] [--repeat R]
 */
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { allocColumn, decodeRowsInto, encodeFits, FitsReader, findColumn, type HduSpec } from '../src/fits/index.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const rows = arg('rows', 4_000_000);
const repeat = arg('repeat', 5);
const COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'EPSILON', 'DQ'];

function corrtag(n: number): HduSpec[] {
  const f = (g: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => g(i));
  return [
    { type: 'PRIMARY', cards: [{ key: 'INSTRUME', value: 'COS' }] },
    {
      type: 'BINTABLE',
      name: 'EVENTS',
      columns: [
        { name: 'TIME', data: f((i) => i * 5e-4) },
        { name: 'RAWX', data: Int16Array.from({ length: n }, (_, i) => i % 16384) },
        { name: 'RAWY', data: Int16Array.from({ length: n }, (_, i) => i % 1024) },
        { name: 'XCORR', data: f((i) => (i * 7) % 16384) },
        { name: 'YCORR', data: f((i) => (i * 3) % 1024) },
        { name: 'XDOPP', data: f((i) => (i * 7) % 16384 + 0.5) },
        { name: 'XFULL', data: f((i) => (i * 7) % 16384 + 0.25) },
        { name: 'YFULL', data: f((i) => (i * 3) % 1024 + 0.25) },
        { name: 'WAVELENGTH', data: f((i) => 1100 + (i % 40000) * 0.01) },
        { name: 'EPSILON', data: f(() => 1.02) },
        { name: 'DQ', data: Int16Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 8192 : 0)) },
        { name: 'PHA', data: Uint8Array.from({ length: n }, (_, i) => i % 32) },
      ],
    },
  ];
}

function best(label: string, fn: () => Promise<void> | void): Promise<number> {
  return (async () => {
    let min = Infinity;
    for (let r = 0; r < repeat; r++) {
      const t0 = performance.now();
      await fn();
      min = Math.min(min, performance.now() - t0);
    }
    void label;
    return min / 1000;
  })();
}

const hdus = corrtag(rows);
const t0 = performance.now();
const bytes = encodeFits(hdus);
const encodeS = (performance.now() - t0) / 1000;
const probe = await FitsReader.fromBytes(bytes);
const ev = probe.hdu('EVENTS');
const tableBytes = ev.table!.rowBytes * ev.table!.rows;
const table = bytes.subarray(ev.dataStart, ev.dataStart + tableBytes);

const dst = new Uint8Array(tableBytes);
const copyS = await best('copy', () => {
  dst.set(table);
});
// The same copy into a new buffer each time: the fair partner of a read that allocates its outputs.
let fresh: Uint8Array | undefined;
const copyFreshS = await best('copy (fresh)', () => {
  fresh = table.slice();
});
void fresh;
// The kernel alone: decode into arrays allocated once, as the copy writes into a buffer allocated once.
const infos = COLUMNS.map((c) => findColumn(ev.table!, c)!);
const reused = infos.map((info) => allocColumn(info, rows));
const kernelS = await best('decode (kernel)', () => {
  decodeRowsInto(infos, reused, 0, table, ev.table!.rowBytes, rows);
});
const memS = await best('decode (memory)', async () => {
  const t = await probe.readTable(ev, { columns: COLUMNS });
  if (t.rows !== rows) throw new Error('row count');
});
const dir = mkdtempSync(join(tmpdir(), 'hstlc-bench-'));
const file = join(dir, 'bench_corrtag_a.fits');
writeFileSync(file, bytes);
const fileS = await best('decode (file)', async () => {
  const f = await FitsReader.open(file);
  const t = await f.readTable('EVENTS', { columns: COLUMNS });
  await f.close();
  if (t.rows !== rows) throw new Error('row count');
});
const fullS = await best('decode all 12 (memory)', async () => {
  await probe.readTable(ev);
});
rmSync(dir, { recursive: true, force: true });

const gb = tableBytes / 1e9;
const line = (name: string, s: number) => `${name.padEnd(38)} ${(s * 1000).toFixed(1).padStart(8)} ms  ${(gb / s).toFixed(2).padStart(6)} GB/s`;
console.log(`FITS decode: ${rows} rows x 12 columns, ${ev.table!.rowBytes} B/row, ${(tableBytes / 1e6).toFixed(0)} MB of table; best of ${repeat}`);
console.log(`encode (writer, 12 columns + CHECKSUM): ${(encodeS * 1000).toFixed(0)} ms, ${(bytes.length / 1e9 / encodeS).toFixed(2)} GB/s`);
console.log(line('memory copy (Uint8Array.set)', copyS));
console.log(line('memory copy into a new buffer (slice)', copyFreshS));
console.log(line('decode 6 columns into reused arrays', kernelS));
console.log(line('decode 6 columns, from memory', memS));
console.log(line('decode 6 columns, from file', fileS));
console.log(line('decode all 12 columns, from memory', fullS));
console.log(`decode into reused arrays / copy into a reused buffer: ${(kernelS / copyS).toFixed(2)}x`);
console.log(`readTable from memory / copy into a new buffer: ${(memS / copyFreshS).toFixed(2)}x; from file: ${(fileS / copyFreshS).toFixed(2)}x`);
