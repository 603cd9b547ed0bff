/**
 * `hstlc extract` of a COS FUV pair as a whole process (issue 14: a 4 M-event pair, 2 M per segment,
 * ≤ 0.25 s; the original took 1.62 s), beside the in-process kernel (extractEvents) on the same pair,
 * and the peak RSS of the process against the bytes of the columns the extraction needs (issue 14:
 * a 10^7-event file within 2×; run with --events 10000000 for that figure).
 *
 * The pair is written once (bench/extract.ts's generator, FLUXTAB and TDSTAB from the golden lref) into
 * a scratch directory, or --dir D to keep it between runs. Each run is `node bin/hstlc.js extract
 * <a> -o <out>` on the compiled dist/ (run `npm run build` first); a one-line --import hook in the child
 * reports its CPU time and peak RSS at exit. Prints the median and minimum wall time, the median CPU
 * time (user + system, which a shared machine disturbs less), and the load average.
 *
 *   node --import tsx bench/extract-process.ts [--events 4000000] [--repeat 5] [--dir D] [--algorithm corrected|compat] [--cpu-prof DIR] [--bin other/bin/hstlc.js]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { extractEvents } from '../src/hst/extraction.js';
import { algorithmParams } from '../src/lightcurve/algorithm.js';
import { NEEDED_BYTES_PER_EVENT, refDir, writePair } from './extract.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

const events = Number(arg('events', '4000000'));
const repeat = Number(arg('repeat', '5'));
const algorithmName = arg('algorithm', 'corrected') === 'compat' ? 'compat' : 'corrected';
const profileDir = process.argv.includes('--cpu-prof') ? arg('cpu-prof', '.') : undefined;
const ownDir = !process.argv.includes('--dir');
const dir = ownDir ? mkdtempSync(join(tmpdir(), 'hstlc-bench-extract-process-')) : arg('dir', '.');
const bin = process.argv.includes('--bin') ? arg('bin', '') : fileURLToPath(new URL('../bin/hstlc.js', import.meta.url));
/** The original (Python) on a 4 M-event pair, whole process (issue 14). */
const ORIGINAL_S = 1.62;
const TARGET_S = 0.25;

/** Written by the child at exit: its own CPU time and peak RSS (the hook is one data: module). */
const EXIT_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    "process.on('exit',()=>{const c=process.cpuUsage(),r=process.resourceUsage();process.stderr.write(`\\nBENCH ${(c.user+c.system)/1000} ${r.maxRSS}\\n`)})",
  );

interface Run {
  wall_ms: number;
  cpu_ms: number;
  max_rss_kb: number;
}

function runCli(a: string, out: string, profile: boolean): Run {
  const args = ['--import', EXIT_HOOK, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir!] : []), bin, 'extract', a, '-o', out, '--algorithm', algorithmName, '--quiet'];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, lref: join(refDir, 'lref/') } });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`hstlc extract: exit ${r.status}\n${r.stderr}`);
  const m = /BENCH ([\d.]+) (\d+)/.exec(r.stderr);
  if (m === null) throw new Error(`no BENCH line from the child:\n${r.stderr}`);
  if (r.stderr.includes('warning:')) throw new Error(`the extraction warned (reference files not found?):\n${r.stderr}`);
  return { wall_ms: wall, cpu_ms: Number(m[1]), max_rss_kb: Number(m[2]) };
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const [a] = await writePair(dir, events);
  const out = join(dir, 'out_curve.fits');
  const load0 = loadavg();
  runCli(a, out, false); // warm-up: the page cache holds the pair
  const runs = Array.from({ length: repeat }, () => runCli(a, out, false));
  if (profileDir !== undefined) runCli(a, out, true);

  // The kernel in this process, for the share of the whole process it is.
  const algorithm = algorithmParams(algorithmName);
  const kernel: number[] = [];
  for (let r = 0; r < Math.min(repeat, 3); r++) {
    const t0 = performance.now();
    await extractEvents(a, { step: 2, algorithm, refs: { env: {}, refDir } });
    kernel.push(performance.now() - t0);
  }
  const load1 = loadavg();
  const wall = median(runs.map((r) => r.wall_ms));
  const rss = Math.max(...runs.map((r) => r.max_rss_kb)) * 1024;
  const needed = events * NEEDED_BYTES_PER_EVENT;
  console.log(
    JSON.stringify(
      {
        events,
        algorithm: algorithmName,
        load_before: load0.map((l) => +l.toFixed(2)),
        load_after: load1.map((l) => +l.toFixed(2)),
        process_median_s: +(wall / 1000).toFixed(3),
        process_min_s: +(Math.min(...runs.map((r) => r.wall_ms)) / 1000).toFixed(3),
        process_cpu_median_s: +(median(runs.map((r) => r.cpu_ms)) / 1000).toFixed(3),
        in_process_kernel_min_s: +(Math.min(...kernel) / 1000).toFixed(3),
        original_s: ORIGINAL_S,
        target_s: TARGET_S,
        speedup_vs_original: +(ORIGINAL_S / (wall / 1000)).toFixed(2),
        peak_rss_mb: Math.round(rss / 2 ** 20),
        needed_column_mb: Math.round(needed / 2 ** 20),
        peak_rss_over_needed: +(rss / needed).toFixed(2),
        ...(profileDir !== undefined ? { cpu_profile_dir: profileDir } : {}),
      },
      null,
      1,
    ),
  );
  if (ownDir) rmSync(dir, { recursive: true, force: true });
}

await main();
