/**
 * Peak memory of opening a `.fits.gz`: a gzip bomb (a small table then N MiB of zeros) and a good
 * corrtag-like file of the same inflated size, each opened in a fresh process by the streamed,
 * header-bounded inflate (FitsReader.open) and by a whole-file gunzip (what a plain `gunzip` of
 * the file costs), reported as the peak RSS above the process's RSS before the open.
 *
 *   node --import tsx bench/gzip-inflate.ts [--mib N]
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { encodeFits, FitsReader } from '../src/fits/index.js';

/** This process's peak RSS: VmHWM, since getrusage's maxrss survives exec and so holds the parent's. */
function peakRss(): number {
  return Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) * 1024;
}

const mode = process.argv[2];
if (mode === '--child') {
  const [how, path] = process.argv.slice(3) as [string, string];
  const before = process.memoryUsage().rss;
  let outcome = 'read';
  try {
    if (how === 'stream') await (await FitsReader.open(path)).close();
    else gunzipSync(readFileSync(path));
  } catch (e) {
    outcome = (e as Error).message.replace(/^.*: /, '');
  }
  console.log(JSON.stringify({ grewMiB: (peakRss() - before) / 2 ** 20, outcome }));
  process.exit(0);
}

const i = process.argv.indexOf('--mib');
const mib = i >= 0 ? Number(process.argv[i + 1]) : 1024;
const dir = mkdtempSync(join(tmpdir(), 'hstlc-bench-gz-'));
try {
  const small = encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', name: 'EVENTS', columns: [{ name: 'TIME', data: new Float64Array(100) }] }], { checksum: false });
  const rows = Math.floor((mib * 2 ** 20) / 8);
  const big = encodeFits([{ type: 'PRIMARY' }, { type: 'BINTABLE', name: 'EVENTS', columns: [{ name: 'TIME', data: Float64Array.from({ length: rows }, (_, k) => k & 0xff) }] }], { checksum: false });
  const zeros = new Uint8Array(1 << 20);
  const write = async (path: string, chunks: () => Generator<Uint8Array>): Promise<void> => {
    await pipeline(Readable.from(chunks()), createGzip({ level: 9 }), createWriteStream(path));
  };
  const bomb = join(dir, 'bomb_corrtag_a.fits.gz');
  await write(bomb, function* () {
    yield small;
    for (let k = 0; k < mib; k++) yield zeros;
  });
  const good = join(dir, 'good_corrtag_a.fits.gz');
  await write(good, function* () {
    yield big;
  });
  for (const [name, path] of [['bomb', bomb], ['good', good]] as const) {
    for (const how of ['stream', 'whole']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', process.argv[1]!, '--child', how, path], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!) as { grewMiB: number; outcome: string };
      console.log(`${name} (${(statSync(path).size / 2 ** 10).toFixed(0)} KiB -> ${mib} MiB) ${how.padEnd(6)} peak RSS +${r.grewMiB.toFixed(0)} MiB: ${r.outcome}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
