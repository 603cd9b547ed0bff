/**
 * Where one ingest's CPU goes, phase by phase, in this thread (no pool, no database): every file of an
 * archive through the prepare unit (checks, extraction, the individual lightcurve, its quicklook), then
 * every composite group of the manifest through the composite unit, each timed with its CPU seconds.
 * The whole-process figure is bench/archive.ts; this one says which phase to work on.
 *
 *   node --import tsx bench/ingest-phases.ts --archive DIR [--algorithms compat,corrected] [--no-quicklook]
 *       [--no-member-events (composites read their members again, as before issue 14)] [--keep DIR (the composites, per algorithm)]
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ArchiveManifest } from '../src/synthetic/index.js';
import { buildComposite, prepareFile, type UnitOptions } from '../src/pipeline/units.js';
import type { AlgorithmName } from '../src/lightcurve/algorithm.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] as string) : dflt;
}
const archive = arg('archive', '/work/benchdata/archive');
const algorithms = arg('algorithms', 'compat,corrected').split(',') as AlgorithmName[];
const quicklook = !process.argv.includes('--no-quicklook');
const memberEvents = !process.argv.includes('--no-member-events');
const keep = arg('keep', '');
const manifest = JSON.parse(readFileSync(path.join(archive, 'manifest.json'), 'utf8')) as ArchiveManifest;
const ingest = path.join(archive, 'ingest');
// The files ingest takes up (an FUV _b comes with its _a; companions are not items of their own).
const files = (manifest.files as Array<{ file: string; ingested?: boolean }>).filter((f) => f.ingested !== false).map((f) => path.join(ingest, f.file));

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

for (const algorithm of algorithms) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'hstlc-phases-'));
  try {
    const options: UnitOptions = {
      algorithm,
      step: 2,
      badProposals: manifest.bad_proposals,
      refDir: path.join(archive, 'ref'),
      env: {},
      ...(memberEvents ? { memberEventsDir: path.join(scratch, 'member-events') } : {}),
    };
    const compositeDir = keep ? path.join(keep, algorithm) : path.join(scratch, 'composites');
    const archived = new Map<string, string>();
    let c0 = cpu();
    let w0 = performance.now();
    let n = 0;
    for (const [i, file] of files.entries()) {
      const r = await prepareFile({ file, stagingDir: path.join(scratch, String(i)), corrtagExtract: false, options, quicklook });
      if (r.status === 'done') {
        n++;
        archived.set(r.archivedName, r.stagedCorrtag ?? file);
        if (keep) cpSync(r.stagedLightcurve, path.join(keep, algorithm, 'individual', path.basename(r.stagedLightcurve)));
      }
    }
    const prep = { cpu: cpu() - c0, wall: (performance.now() - w0) / 1000 };
    c0 = cpu();
    w0 = performance.now();
    let built = 0;
    for (const g of manifest.composites) {
      const members = g.members.map((m) => archived.get(m) ?? path.join(ingest, m));
      const r = await buildComposite({ files: members, output: path.join(compositeDir, g.name), options, targname: g.targname });
      if (r.status === 'done') built++;
      else console.log(`  ${g.name}: ${r.reason}`);
    }
    const comp = { cpu: cpu() - c0, wall: (performance.now() - w0) / 1000 };
    console.log(
      `${algorithm.padEnd(9)} prepare ${n}/${files.length} files: CPU ${prep.cpu.toFixed(2)} s, wall ${prep.wall.toFixed(2)} s; ` +
        `composites ${built}/${manifest.composites.length}: CPU ${comp.cpu.toFixed(2)} s, wall ${comp.wall.toFixed(2)} s (quicklook ${quicklook ? 'on' : 'off'}, member events ${memberEvents ? 'kept' : 'not kept'})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
