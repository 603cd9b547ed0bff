/**
 * Ingest throughput: a synthetic archive (generated once per size into a scratch directory) ingested
 * end to end on SQLite with num_cores 1 and 2 — quality checks, STIS conversion, individual lightcurves,
 * rows, moves and composites. Reports files/s and events/s for the file phase and the whole run.
 *
 *   node --import tsx bench/ingest.ts [--size tiny|small|medium] [--cores 1,2] [--repeat R]
 *
 * From the sources every worker compiles the TypeScript through tsx when it starts (about a second);
 * the built CLI (dist/) does not pay that.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveSettings } from '../src/config/index.js';
import { connectDatabase } from '../src/db/index.js';
import { generateArchive, type ArchiveSize } from '../src/synthetic/index.js';
import { runIngest } from '../src/pipeline/index.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}

const size = arg('size', 'small') as ArchiveSize;
const coresList = arg('cores', '1,2').split(',').map(Number);
const repeat = Number(arg('repeat', '1'));
const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-bench-ingest-'));

try {
  const t0 = performance.now();
  const manifest = await generateArchive({ dir: path.join(scratch, 'archive'), seed: 1, size });
  console.log(`archive ${size}: ${manifest.totals.files} files, ${manifest.totals.events} events, ${(manifest.totals.bytes / 1e6).toFixed(1)} MB (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const cores of coresList) {
    for (let r = 0; r < repeat; r++) {
      const home = path.join(scratch, `home-${cores}-${r}`);
      cpSync(path.join(scratch, 'archive', 'ingest'), path.join(home, 'ingest'), { recursive: true });
      cpSync(path.join(scratch, 'archive', 'ref'), path.join(home, 'ref'), { recursive: true });
      const settings = resolveSettings({ home_dir: home, num_cores: cores, bad_proposals: manifest.bad_proposals }, { baseDir: home, homedir: home, cores });
      const handle = await connectDatabase(settings.db);
      let filesDoneAt = 0;
      const start = performance.now();
      const s = await runIngest(handle, {
        settings,
        onProgress: (p) => {
          if (p.phase === 'files' && p.done === p.total) filesDoneAt = performance.now();
        },
      });
      const end = performance.now();
      await handle.close();
      const files = s.files.length;
      const filePhase = (filesDoneAt - start) / 1000;
      const total = (end - start) / 1000;
      console.log(
        `num_cores ${cores}: ${files} files (${s.counts.done} done, ${s.counts.bad} bad, ${s.counts.failed} failed), ` +
          `${s.compositeCounts.done} composites; files phase ${filePhase.toFixed(2)} s = ${(files / filePhase).toFixed(1)} files/s, ` +
          `${(s.events / filePhase / 1e6).toFixed(2)} M events/s; whole run ${total.toFixed(2)} s = ${(files / total).toFixed(1)} files/s`,
      );
      rmSync(home, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
