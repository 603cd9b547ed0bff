/**
 * The whole pipeline (ingest → stats both → plots) on a synthetic archive, on SQLite, with num_cores 1
 * and 2: seconds per stage (ingest split into its file and composite phases), throughput, and the peak
 * resident memory of the process (worker threads included) after each stage.
 *
 *   node --import tsx bench/pipeline.ts [--size tiny|small|medium] [--cores 1,2] [--method auto|exact|fast]
 *
 * The archive is generated once into a scratch directory; each run gets a fresh copy of it in its own
 * home_dir, so every run starts from an empty database and an empty plot_dir (no cached periodograms).
 * From the sources every worker compiles the TypeScript through tsx when it starts (about a second per
 * stage's pool); the built CLI does not pay that. Peak RSS is the process's high-water mark, so the
 * figure after a stage is the peak up to and including that stage, and the runs after the first one
 * start from the first one's high-water mark: compare the first run's figures only, or run one
 * --cores value per process.
 *
 * Measured 2026-11-25, medium (61 files, 3.56 M events, 40 ingested, 46 lightcurves, 107k bins), one
 * --cores value per process, on a shared 2-core machine (load average 2.5–5 from other jobs, so the
 * figures are noisy and num_cores 2 cannot show its worth):
 *   num_cores 1:  ingest 6.1 s, stats 36.2 s, plots 43.6 s = 86 s;  peak RSS 359 / 465 / 656 MB
 *   num_cores 2:  ingest 10.6 s, stats 38.7 s, plots 48.8 s = 98 s; peak RSS 691 / 992 / 1082 MB
 * The time goes to periodograms: stats on the composites (the slowest, ~5,700 bins, 9–10 s each) and
 * plots, which computes the periodograms again for drawing.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PeriodogramMethod } from '../src/analysis/index.js';
import { resolveSettings } from '../src/config/index.js';
import { connectDatabase } from '../src/db/index.js';
import { generateArchive, type ArchiveSize } from '../src/synthetic/index.js';
import { runPipeline, type StageName } from '../src/pipeline/pipeline.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

const size = arg('size', 'medium') as ArchiveSize;
const coresList = arg('cores', '1,2').split(',').map(Number);
const method = arg('method', 'auto') as PeriodogramMethod;
const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-bench-pipeline-'));

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** Peak resident set size of this process so far (maxRSS is in kilobytes). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

try {
  const t0 = performance.now();
  const manifest = await generateArchive({ dir: path.join(scratch, 'archive'), seed: 1, size });
  console.log(
    `archive ${size}: ${manifest.totals.files} files, ${manifest.totals.events.toLocaleString('en-US')} events, ` +
      `${(manifest.totals.bytes / 1e6).toFixed(1)} MB, ${manifest.composites.length} composite groups ` +
      `(generated in ${((performance.now() - t0) / 1000).toFixed(1)} s); peak RSS so far ${mb(peakRss())}`,
  );
  for (const cores of coresList) {
    const home = path.join(scratch, `home-${cores}`);
    cpSync(path.join(scratch, 'archive', 'ingest'), path.join(home, 'ingest'), { recursive: true });
    cpSync(path.join(scratch, 'archive', 'ref'), path.join(home, 'ref'), { recursive: true });
    const settings = resolveSettings({ home_dir: home, num_cores: cores, bad_proposals: manifest.bad_proposals }, { baseDir: home, homedir: home, cores });
    const handle = await connectDatabase(settings.db);
    const rss: Partial<Record<StageName, number>> = {};
    let filesDoneAt = 0;
    let ingestStart = 0;
    const start = performance.now();
    try {
      const s = await runPipeline(handle, {
        settings,
        method,
        onStage: (stage, event) => {
          if (stage === 'ingest' && event === 'start') ingestStart = performance.now();
          if (event === 'end') rss[stage] = peakRss();
        },
        onIngestProgress: (p) => {
          if (p.phase === 'files' && p.done === p.total) filesDoneAt = performance.now();
        },
      });
      const total = (performance.now() - start) / 1000;
      const by = (stage: StageName): number => (s.stages.find((x) => x.stage === stage)?.ms ?? 0) / 1000;
      const filePhase = filesDoneAt > 0 ? (filesDoneAt - ingestStart) / 1000 : by('ingest');
      console.log(`\nnum_cores ${cores} (${method} periodograms): whole pipeline ${total.toFixed(1)} s, ok=${s.ok}`);
      console.log(
        `  ingest  ${by('ingest').toFixed(1).padStart(7)} s  (files ${filePhase.toFixed(1)} s: ${s.ingest.files.length} files = ` +
          `${(s.ingest.files.length / Math.max(filePhase, 1e-3)).toFixed(2)} files/s, ${(s.ingest.events / Math.max(filePhase, 1e-3) / 1e6).toFixed(2)} M events/s; ` +
          `composites ${(by('ingest') - filePhase).toFixed(1)} s: ${s.totals.composites.done} made)  peak RSS ${mb(rss.ingest ?? 0)}`,
      );
      console.log(
        `  stats   ${by('stats').toFixed(1).padStart(7)} s  (${s.stats.files.length} lightcurves, ${s.stats.bins.toLocaleString('en-US')} bins, ` +
          `${s.stats.filesPerSecond.toFixed(2)} files/s; ${s.totals.interesting} interesting)  peak RSS ${mb(rss.stats ?? 0)}`,
      );
      const slowest = [...s.stats.files].sort((a, b) => b.ms - a.ms).slice(0, 3);
      console.log(`          slowest: ${slowest.map((f) => `${path.basename(f.path)} ${(f.ms / 1000).toFixed(1)} s (${f.bins ?? 0} bins)`).join(', ')}`);
      console.log(
        `  plots   ${by('plots').toFixed(1).padStart(7)} s  (${s.totals.plots.written} drawn, ${s.totals.plots.failed} failed, status ${s.plots.status})  peak RSS ${mb(rss.plots ?? 0)}`,
      );
      console.log(`  files: ${s.totals.files.done} ingested, ${s.totals.files.bad} bad, ${s.totals.files.failed} failed`);
    } finally {
      await handle.close();
      rmSync(home, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
