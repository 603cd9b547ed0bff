/**
 * Our periodograms against astropy's fast method on the same frequency grids: for every lightcurve
 * (individual and composite products), the three period spaces of the corrected grid (§11.3, uniform in
 * frequency) computed by `analyzePeriodograms` (method auto: fast NUFFT sums, decisions settled exactly)
 * and by astropy 5 `LombScargle(t, y, fit_mean=False, center_data=False).power(f, method='fast',
 * assume_regular_frequency=True)` (Press & Rybicki extirpolation) on the mean-subtracted net. Both are
 * timed as CPU seconds of their own process (process.cpuUsage; Python's time.process_time), the
 * periodogram computation only (reading the files is not counted; ours includes its decisions). Then
 * the decisions are compared: significant peaks (local maxima above mean + 3σ), the §11.2 flag (a
 * significant peak ≥ 0.30) and the best period. Astropy's fast powers are approximate (extirpolation
 * error ~1e-4 of the power), so a peak within that of the threshold can flip: those are listed.
 *
 *   node --import tsx bench/periodogram-vs-astropy.ts [--home DIR (an ingested home_dir; default: the
 *       'medium' synthetic archive is generated and ingested in corrected)] [--grid corrected|compat]
 *
 * The compat grid (linear in period) is not regular in frequency; astropy's fast method then needs
 * assume_regular_frequency=False, which it does not support, so --grid compat times astropy's
 * 'slow' method instead (and says so). Needs /usr/bin/python3 with python3-astropy (Debian).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { analyzePeriodograms, gridFor, PERIOD_SPACES, readLightcurveColumns, type GridKind } from '../src/analysis/index.js';
import { centered, mean } from '../src/analysis/samples.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

const grid = arg('grid', 'corrected') as GridKind;
const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-bench-pg-astropy-'));

function lightcurvesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!name.startsWith('.')) lightcurvesUnder(p, out);
    } else if (/_curve\.fits$|^hlsp_.*_sci\.fits$/.test(name)) out.push(p);
  }
  return out.sort();
}

async function ingestedHome(): Promise<string> {
  const given = arg('home', '');
  if (given) return given;
  const { generateArchive } = await import('../src/synthetic/index.js');
  const { resolveSettings } = await import('../src/config/index.js');
  const { connectDatabase } = await import('../src/db/index.js');
  const { runIngest } = await import('../src/pipeline/index.js');
  const home = path.join(scratch, 'home');
  const manifest = await generateArchive({ dir: path.join(scratch, 'archive'), seed: 1, size: 'medium' });
  cpSync(path.join(scratch, 'archive', 'ingest'), path.join(home, 'ingest'), { recursive: true });
  cpSync(path.join(scratch, 'archive', 'ref'), path.join(home, 'ref'), { recursive: true });
  const settings = resolveSettings({ home_dir: home, num_cores: 1, bad_proposals: manifest.bad_proposals, algorithm: grid }, { baseDir: home, homedir: home, cores: 1 });
  const handle = await connectDatabase(settings.db);
  await runIngest(handle, { settings });
  await handle.close();
  return home;
}

interface Decisions {
  significant: number[][];
  flag: boolean;
  bestPeriod: number;
}

const PYTHON = `
import json, sys, time, numpy as np
from astropy.timeseries import LombScargle
jobs = json.load(open(sys.argv[1]))
method = sys.argv[2]
out = []
for job in jobs:
    t = np.fromfile(job['t'], dtype=np.float64); y = np.fromfile(job['y'], dtype=np.float64)
    spaces = []
    cpu = 0.0
    for f in job['freqs']:
        f = np.fromfile(f, dtype=np.float64)
        c0 = time.process_time()
        ls = LombScargle(t, y, fit_mean=False, center_data=False)
        p = ls.power(f, method=method, assume_regular_frequency=True) if method == 'fast' else ls.power(f, method=method)
        cpu += time.process_time() - c0
        spaces.append(p)
    sig = []; flag = False; best = -np.inf; bestp = float('nan')
    for f, p in zip(job['freqs'], spaces):
        f = np.fromfile(f, dtype=np.float64)
        th = p.mean() + 3 * p.std()
        i = np.arange(1, len(p) - 1)
        peaks = i[(p[i] > p[i - 1]) & (p[i] > p[i + 1]) & (p[i] > th)]
        per = 1 / f
        sig.append(sorted(per[peaks].tolist()))
        if len(peaks) and p[peaks].max() >= 0.30: flag = True
        k = int(np.argmax(p))
        if p[k] > best: best = p[k]; bestp = float(per[k])
    out.append({'cpu': cpu, 'significant': sig, 'flag': flag, 'bestPeriod': bestp})
print(json.dumps(out))
`;

try {
  const home = await ingestedHome();
  const files = lightcurvesUnder(home);
  const jobs: Array<{ t: string; y: string; freqs: string[] }> = [];
  const ours: Array<Decisions & { cpu: number; name: string; n: number; m: number }> = [];
  const load = loadavg()[0] as number;
  for (const [k, file] of files.entries()) {
    const c = await readLightcurveColumns(file);
    const before = process.cpuUsage();
    const a = analyzePeriodograms(c.mjd, c.net, { grid, method: 'auto' });
    const used = process.cpuUsage(before);

    const significant = PERIOD_SPACES.map((s) => [...a.spaces[s].significantPeriods].sort((x, y) => x - y));
    ours.push({
      name: path.basename(file),
      n: c.mjd.length,
      m: PERIOD_SPACES.reduce((sum, s) => sum + a.spaces[s].periods.length, 0),
      cpu: (used.user + used.system) / 1e6,
      significant,
      flag: a.interesting,
      bestPeriod: a.bestPeriod,
    });
    const t = Float64Array.from(c.mjd);
    const y = centered(c.net, mean(c.net));
    const tf = path.join(scratch, `${k}.t`);
    const yf = path.join(scratch, `${k}.y`);
    writeFileSync(tf, t);
    writeFileSync(yf, y);
    const freqs = PERIOD_SPACES.map((s) => {
      const g = gridFor(s, c.mjd, { grid });
      // astropy wants increasing frequency: our periods increase, so reverse 1/period.
      const f = Float64Array.from(g.periods, (p) => 1 / p).reverse();
      const ff = path.join(scratch, `${k}.${s}.f`);
      writeFileSync(ff, f);
      return ff;
    });
    jobs.push({ t: tf, y: yf, freqs });
  }
  const jobsFile = path.join(scratch, 'jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const method = grid === 'corrected' ? 'fast' : 'slow';
  const r = spawnSync('/usr/bin/python3', ['-c', PYTHON, jobsFile, method], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`astropy failed: ${r.stderr}`);
  const theirs = JSON.parse(r.stdout) as Array<Decisions & { cpu: number }>;

  let oursTotal = 0;
  let theirsTotal = 0;
  const disagreements: string[] = [];
  console.log(`${files.length} lightcurves, ${grid} grid, astropy method '${method}'; load average ${load.toFixed(2)} at the start`);
  console.log('lightcurve                                                           bins     grid pts  ours (CPU s)  astropy (CPU s)  ratio');
  ours.forEach((o, k) => {
    const a = theirs[k]!;
    oursTotal += o.cpu;
    theirsTotal += a.cpu;
    console.log(`${o.name.padEnd(68)} ${String(o.n).padStart(6)} ${String(o.m).padStart(10)} ${o.cpu.toFixed(3).padStart(12)} ${a.cpu.toFixed(3).padStart(16)} ${(a.cpu / o.cpu).toFixed(1).padStart(6)}×`);
    PERIOD_SPACES.forEach((s, i) => {
      const mine = new Set(o.significant[i]);
      const other = new Set(a.significant[i]);
      const onlyOurs = [...mine].filter((p) => !other.has(p));
      const onlyTheirs = [...other].filter((p) => !mine.has(p));
      if (onlyOurs.length + onlyTheirs.length > 0) {
        disagreements.push(`${o.name} ${s}: ${mine.size} vs ${other.size} significant peaks; only ours ${onlyOurs.length}, only astropy's ${onlyTheirs.length}`);
      }
    });
    if (o.flag !== a.flag) disagreements.push(`${o.name}: flag ours ${o.flag}, astropy ${a.flag}`);
    if (o.bestPeriod !== a.bestPeriod) disagreements.push(`${o.name}: best period ours ${o.bestPeriod}, astropy ${a.bestPeriod}`);
  });
  console.log(`total: ours ${oursTotal.toFixed(2)} s CPU, astropy ${theirsTotal.toFixed(2)} s CPU — ours is ${(theirsTotal / oursTotal).toFixed(2)}× astropy's speed (target ≥ 3×)`);
  console.log(disagreements.length === 0 ? 'decisions: identical' : `decisions differ (${disagreements.length}):\n  ${disagreements.join('\n  ')}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
