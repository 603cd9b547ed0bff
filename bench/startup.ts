/**
 * Start-up of the CLI, whole process (issue 14: `hstlc --version` and `hstlc <cmd> --help` ≤ 120 ms):
 * each command line runs --repeat times (after one warm-up) as `node bin/hstlc.js ...` on the compiled
 * dist/ (run `npm run build` first), beside bare `node -e 0`, the floor no CLI can go under. Prints the
 * median and minimum wall time of each, and the mean CPU time (user + system) of a run, which a
 * busy machine disturbs less than the wall time; plus the load average, since the machine is shared.
 *
 *   node --import tsx bench/startup.ts [--repeat 15] [--json] [--only ingest,stats] [--bin path/to/hstlc.js]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

const repeat = Number(arg('repeat') ?? '15');
const bin = arg('bin') ?? fileURLToPath(new URL('../bin/hstlc.js', import.meta.url));
const only = arg('only')?.split(',');
const TARGET_MS = 120;

/** Every command of `hstlc --help` (the lazy-load test checks the same list against the program). */
const COMMANDS = ['ingest', 'stats', 'plots', 'pipeline', 'status', 'worker', 'resolve-target', 'download', 'mast-stub', 'reset-filesystem', 'reset-database', 'extract', 'composite', 'lightcurve-stats', 'inspect', 'demo', 'config', 'version'];

/** CPU seconds used so far by this process's finished children (utime + stime in /proc, clock ticks of 10 ms). */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command name: field 3 is state, so cutime/cstime (fields 16, 17) are at 13, 14 here.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

interface Row {
  command: string;
  median_ms: number;
  min_ms: number;
  cpu_ms: number;
}

function time(label: string, args: string[]): Row {
  const once = (): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
    return ms;
  };
  once();
  const cpu0 = childCpuMs();
  const walls = Array.from({ length: repeat }, once).sort((a, b) => a - b);
  const cpu = (childCpuMs() - cpu0) / repeat;
  return { command: label, median_ms: +walls[Math.floor(walls.length / 2)]!.toFixed(1), min_ms: +walls[0]!.toFixed(1), cpu_ms: +cpu.toFixed(1) };
}

const lines: Array<[string, string[]]> = [
  ['node -e 0', ['-e', '0']],
  ['hstlc --version', [bin, '--version']],
  ['hstlc --help', [bin, '--help']],
  ...COMMANDS.filter((c) => only === undefined || only.includes(c)).map((c): [string, string[]] => [`hstlc ${c} --help`, [bin, c, '--help']]),
];

const load0 = loadavg();
const rows = lines.map(([label, args]) => time(label, args));
const load1 = loadavg();
const floor = rows[0]!;
const cli = rows.slice(1);
const worst = cli.reduce((a, b) => (b.median_ms > a.median_ms ? b : a));
const result = {
  repeat,
  load_before: load0.map((l) => +l.toFixed(2)),
  load_after: load1.map((l) => +l.toFixed(2)),
  target_ms: TARGET_MS,
  rows,
  worst_median: worst.command,
  over_target: cli.filter((r) => r.median_ms > TARGET_MS).map((r) => r.command),
};
if (argv.includes('--json')) console.log(JSON.stringify(result, null, 1));
else {
  console.log(`load ${result.load_before.join(' ')} -> ${result.load_after.join(' ')}; ${repeat} runs each after a warm-up; target ${TARGET_MS} ms (whole process)`);
  console.log(`${'command'.padEnd(32)} ${'median'.padStart(8)} ${'min'.padStart(8)} ${'cpu'.padStart(8)} ${'- node'.padStart(8)}`);
  for (const r of rows) {
    const over = r === floor ? '' : `${(r.median_ms - floor.median_ms).toFixed(0).padStart(8)}`;
    console.log(`${r.command.padEnd(32)} ${r.median_ms.toFixed(0).padStart(6)}ms ${r.min_ms.toFixed(0).padStart(6)}ms ${r.cpu_ms.toFixed(0).padStart(6)}ms ${over}`);
  }
  console.log(result.over_target.length === 0 ? `every command within ${TARGET_MS} ms (median)` : `over ${TARGET_MS} ms (median): ${result.over_target.join(', ')}`);
}
