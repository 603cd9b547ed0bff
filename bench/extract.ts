/**
 * Lightcurve extraction speed on a large COS FUV pair (default 10^7 events: 5·10^6 per segment),
 * with FLUXTAB and TDSTAB calibration from the golden reference files, against the raw decode of the
 * same six columns from the same files. Reports events/s, the extraction/decode ratio (target ≤ 3)
 * and peak RSS, also as a ratio to the bytes of the columns read (target ≤ 2). The pair is written once into a scratch directory (or --dir) with the FITS writer.
 *
 *   node --import tsx bench/extract.ts [--events N] [--dir D] [--algorithm corrected|compat] [--repeat R]
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { FitsReader, writeFits, type HduSpec } from '../src/fits/index.js';
import { extractEvents } from '../src/hst/extraction.js';
import { algorithmParams } from '../src/lightcurve/algorithm.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

/** The golden FLUXTAB/TDSTAB the pair's headers name (lref$). */
export const refDir = fileURLToPath(new URL('../test/fixtures/golden/inputs/', import.meta.url));
const COLUMNS = ['TIME', 'XCORR', 'YCORR', 'WAVELENGTH', 'EPSILON', 'DQ'];
/** TIME, XCORR, YCORR, WAVELENGTH, EPSILON (float32) and DQ (int16): what an FUV extraction reads of each event. */
export const NEEDED_BYTES_PER_EVENT = 5 * 4 + 2;

let seed = 12345;
const rand = (): number => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
};

/** One segment of a G130M/1291 FUV corrtag: time-sorted events, 60 % in the spectrum box. */
export function segment(letter: 'A' | 'B', n: number, exptime: number): HduSpec[] {
  const time = new Float32Array(n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const w = new Float32Array(n);
  const eps = new Float32Array(n);
  const dq = new Int16Array(n);
  const loc = letter === 'A' ? 485.5 : 544.1;
  const w0 = letter === 'A' ? 1290 : 1135;
  for (let i = 0; i < n; i++) {
    time[i] = (i / n) * exptime;
    x[i] = 1000 + rand() * 14000;
    y[i] = rand() < 0.6 ? loc - 17 + rand() * 34 : 340 + rand() * 300;
    w[i] = w0 + ((x[i] - 1000) / 14000) * 150;
    eps[i] = 0.9 + rand() * 0.2;
    dq[i] = rand() < 0.01 ? 8 : 0;
  }
  const i16 = (a: Float32Array): Int16Array => Int16Array.from(a, (v) => Math.floor(v));
  return [
    {
      type: 'PRIMARY',
      cards: [
        { key: 'INSTRUME', value: 'COS' },
        { key: 'DETECTOR', value: 'FUV' },
        { key: 'SEGMENT', value: `FUV${letter}` },
        { key: 'OBSTYPE', value: 'SPECTROSCOPIC' },
        { key: 'OPT_ELEM', value: 'G130M' },
        { key: 'CENWAVE', value: 1291 },
        { key: 'APERTURE', value: 'PSA' },
        { key: 'FLUXTAB', value: 'lref$x6q17586l_phot.fits' },
        { key: 'TDSTAB', value: 'lref$z2d1925ql_tds.fits' },
      ],
    },
    {
      type: 'BINTABLE',
      name: 'EVENTS',
      cards: [
        { key: 'EXPTIME', value: exptime, type: 'float' },
        { key: 'EXPSTART', value: 55501.9692841, type: 'float' },
        { key: 'SDQFLAGS', value: 8 },
        { key: `SP_LOC_${letter}`, value: loc, type: 'float' },
        { key: `SP_HGT_${letter}`, value: 35 },
        { key: `B_BKG1_${letter}`, value: loc - 90, type: 'float' },
        { key: `B_HGT1_${letter}`, value: 59 },
        { key: `B_BKG2_${letter}`, value: loc + 86, type: 'float' },
        { key: `B_HGT2_${letter}`, value: 59 },
      ],
      columns: [
        { name: 'TIME', data: time },
        { name: 'RAWX', data: i16(x) },
        { name: 'RAWY', data: i16(y) },
        { name: 'XCORR', data: x },
        { name: 'YCORR', data: y },
        { name: 'XDOPP', data: x },
        { name: 'XFULL', data: x },
        { name: 'YFULL', data: y },
        { name: 'WAVELENGTH', data: w },
        { name: 'EPSILON', data: eps },
        { name: 'DQ', data: dq },
        { name: 'PHA', data: new Uint8Array(n).fill(12), format: '1B' },
      ],
    },
  ];
}

async function decodeOnce(paths: string[]): Promise<number> {
  let rows = 0;
  for (const p of paths) {
    const f = await FitsReader.open(p);
    for await (const t of f.iterTable(1, { columns: COLUMNS, chunkRows: 1 << 20 })) rows += t.rows;
    await f.close();
  }
  return rows;
}

/** The pair lbench01q_corrtag_{a,b}.fits of `events` events in `dir`, written unless already there. */
export async function writePair(dir: string, events: number): Promise<[string, string]> {
  const a = join(dir, 'lbench01q_corrtag_a.fits');
  const b = join(dir, 'lbench01q_corrtag_b.fits');
  const perSegment = Math.floor(events / 2);
  if (!existsSync(a) || !existsSync(b)) {
    const t0 = performance.now();
    await writeFits(a, segment('A', perSegment, 3000));
    await writeFits(b, segment('B', events - perSegment, 3000));
    console.log(`wrote ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s to ${dir}`);
  }
  return [a, b];
}

async function main(): Promise<void> {
  const total = Number(arg('events', '10000000'));
  const repeat = Number(arg('repeat', '2'));
  const algorithm = algorithmParams(arg('algorithm', 'corrected') === 'compat' ? 'compat' : 'corrected');
  const ownDir = !process.argv.includes('--dir');
  const dir = ownDir ? mkdtempSync(join(tmpdir(), 'hstlc-bench-extract-')) : arg('dir', '.');
  const writtenHere = !existsSync(join(dir, 'lbench01q_corrtag_a.fits')) || !existsSync(join(dir, 'lbench01q_corrtag_b.fits'));
  const [a, b] = await writePair(dir, total);
  let decode = Infinity;
  let extract = Infinity;
  let bins = 0;
  for (let r = 0; r < repeat; r++) {
    let t0 = performance.now();
    await decodeOnce([a, b]);
    decode = Math.min(decode, performance.now() - t0);
    t0 = performance.now();
    const lc = await extractEvents(a, { step: 2, algorithm, refs: { env: {}, refDir } });
    extract = Math.min(extract, performance.now() - t0);
    bins = lc.columns.times.length;
  }
  const maxRss = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify(
      {
        events: total,
        algorithm: algorithm.name,
        bins,
        decode_s: +(decode / 1000).toFixed(3),
        extract_s: +(extract / 1000).toFixed(3),
        events_per_s: Math.round(total / (extract / 1000)),
        extract_over_decode: +(extract / decode).toFixed(2),
        peak_rss_mb: Math.round(maxRss),
        // The bytes of the six columns read (5 float32 + 1 int16 per event); the target is ≤ 2.
        // Written here, the pair's generator (all twelve columns) is in the peak: give --dir with the
        // pair already there, or run bench/extract-process.ts, for the extraction's own figure.
        peak_rss_over_needed_columns: +((maxRss * 2 ** 20) / (total * NEEDED_BYTES_PER_EVENT)).toFixed(2),
        peak_includes_generator: writtenHere,
      },
      null,
      1,
    ),
  );
  if (ownDir) rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
