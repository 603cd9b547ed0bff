/**
 * The whole-process figures of the archive the original was timed on: `hstlc ingest` then `hstlc stats`
 * (the built CLI, bin/hstlc.js → dist/, SQLite, num_cores 2, step 2) on the synthetic `bench` archive
 * (~15 M events in ~70 files: COS FUV 1e5–1e6 events per segment, NUV 5e4–5e5, STIS 2e5–6e5), in
 * compat and in corrected, each from a fresh copy of the archive. Then a second `hstlc stats` on the
 * same home (what a re-run costs) and `hstlc plots` when asked.
 *
 * CPU time is user + sys of the whole process tree (GNU time: the CLI, its worker threads), the figure
 * to compare on a shared machine; wall time is printed beside it with the load average at the start.
 *
 *   npm run build && node --import tsx bench/archive.ts [--algorithms compat,corrected] [--cores 2]
 *       [--archive DIR (kept: generated there once, reused when it exists)] [--rerun] [--plots]
 *       [--cpu-prof DIR (node --cpu-prof of every process, one .cpuprofile per thread)]
 *
 * The original (Python, single process, no database: checks, corrtag conversion, extraction,
 * composites and get_stats with its three periodograms) took 42.7 s on this machine, quiet.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArchive, type ArchiveManifest } from '../src/synthetic/index.js';

const ORIGINAL_SECONDS = 42.7;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const algorithms = arg('algorithms', 'compat,corrected').split(',');
const cores = Number(arg('cores', '2'));
const cpuProf = arg('cpu-prof', '');
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'hstlc.js');
const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-bench-archive-'));
const archive = arg('archive', path.join(scratch, 'archive'));

interface Timed {
  wall: number;
  cpu: number;
  user: number;
  sys: number;
  rssMb: number;
  load: number;
}

/** One CLI command as a whole process under GNU time. */
function run(config: string, label: string, args: string[]): Timed {
  const load = loadavg()[0] as number;
  const timeFile = path.join(scratch, 'time.txt');
  const prof = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', path.join(cpuProf, label)] : [];
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', process.execPath, ...prof, cli, '--quiet', '--config', config, ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const [wall, user, sys, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  return { wall, user, sys, cpu: user + sys, rssMb: rss / 1024, load };
}

const fmt = (t: Timed): string =>
  `CPU ${t.cpu.toFixed(2).padStart(6)} s (user ${t.user.toFixed(2)} + sys ${t.sys.toFixed(2)}), wall ${t.wall.toFixed(2).padStart(6)} s, ` +
  `peak RSS ${t.rssMb.toFixed(0)} MB, load ${t.load.toFixed(2)}`;

try {
  let manifest: ArchiveManifest;
  const manifestPath = path.join(archive, 'manifest.json');
  if (existsSync(manifestPath)) manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ArchiveManifest;
  else manifest = await generateArchive({ dir: archive, seed: 1, size: 'bench' });
  const t = manifest.totals;
  console.log(
    `archive bench: ${t.files} files, ${(t.events / 1e6).toFixed(2)} M events, ${(t.bytes / 1e6).toFixed(0)} MB, ` +
      `${manifest.composites.length} composite groups; num_cores ${cores}; the original: ${ORIGINAL_SECONDS} s (ingest + stats, one process)`,
  );
  for (const algorithm of algorithms) {
    const home = path.join(scratch, `home-${algorithm}`);
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    cpSync(path.join(archive, 'ingest'), path.join(home, 'ingest'), { recursive: true });
    cpSync(path.join(archive, 'ref'), path.join(home, 'ref'), { recursive: true });
    const config = path.join(home, 'hstlc.yaml');
    writeFileSync(
      config,
      JSON.stringify({
        home_dir: home,
        ref_dir: path.join(home, 'ref'),
        db_connection_string: `sqlite:///${path.join(home, 'hstlc.db')}`,
        bad_proposals: manifest.bad_proposals,
        num_cores: cores,
        step: 2,
        algorithm,
      }),
    );
    const ingest = run(config, `${algorithm}-ingest`, ['ingest']);
    const stats = run(config, `${algorithm}-stats`, ['stats']);
    const cpu = ingest.cpu + stats.cpu;
    const wall = ingest.wall + stats.wall;
    console.log(`${algorithm.padEnd(9)} ingest  ${fmt(ingest)}`);
    console.log(`${algorithm.padEnd(9)} stats   ${fmt(stats)}`);
    console.log(
      `${algorithm.padEnd(9)} total   CPU ${cpu.toFixed(2)} s, wall ${wall.toFixed(2)} s — the original ${ORIGINAL_SECONDS} s: ` +
        `${(ORIGINAL_SECONDS / wall).toFixed(1)}× by wall, ${(ORIGINAL_SECONDS / cpu).toFixed(1)}× by CPU`,
    );
    if (flag('rerun')) console.log(`${algorithm.padEnd(9)} stats again ${fmt(run(config, `${algorithm}-stats-again`, ['stats']))}`);
    if (flag('plots')) console.log(`${algorithm.padEnd(9)} plots   ${fmt(run(config, `${algorithm}-plots`, ['plots']))}`);
    rmSync(home, { recursive: true, force: true });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
