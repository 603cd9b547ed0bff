/**
 * `hstlc demo [DIR] [--seed N] [--size tiny|small|medium|large] [--force]`: a synthetic archive
 * (src/synthetic) in DIR/ingest, reference files in DIR/ref, the truth in DIR/manifest.json
 * and a ready DIR/hstlc.yaml; then runs the pipeline on it (SQLite under DIR) and prints where to look.
 * `--no-run` only generates.
 *
 * Note for the CLI tests: `demo` is no longer a placeholder, so test/cli/main.test.ts should drop
 * it from PLACEHOLDERS (its own tests are in test/synthetic/demo.test.ts).
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../examples.js';
import { guardInterrupts, shellWord } from '../interrupt.js';
import type { ArchiveManifest, ArchiveSize } from '../../synthetic/index.js';
import type { PipelineSummary } from '../../pipeline/pipeline.js';
import { runPipelineCommand } from './pipeline.js';

const DEMO_SIZES: readonly ArchiveSize[] = ['tiny', 'small', 'medium', 'large'];

interface DemoOptions {
  seed: number;
  size: ArchiveSize;
  force?: boolean;
  /** false with --no-run. */
  run: boolean;
}

function seedArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/** The ready-to-use configuration of a demo directory (absolute paths, SQLite under DIR). */
export async function demoConfig(root: string, manifest: Pick<ArchiveManifest, 'bad_proposals' | 'seed' | 'size'>): Promise<string> {
  const { stringify } = await import('yaml');
  const body = stringify({
    home_dir: root,
    ref_dir: path.join(root, 'ref'),
    db_connection_string: `sqlite:///${path.join(root, 'hstlc.db')}`,
    bad_proposals: manifest.bad_proposals,
  });
  return `# Written by \`hstlc demo\` (seed ${manifest.seed}, size ${manifest.size}); the truth is in manifest.json.\n${body}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** `hstlc demo` — a synthetic archive and config, then the pipeline on it. */
export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .summary('write a synthetic sample archive and a ready config, and run the pipeline on it')
    .description(
      'Write a realistic synthetic set of COS and STIS TIME-TAG files with known injected signals ' +
        'into DIR, so you can try every stage without downloading anything: DIR/ingest gets the ' +
        'event files, DIR/ref the lref/oref reference files, DIR/manifest.json the injected truth, ' +
        'DIR/hstlc.yaml a ready configuration (SQLite database under DIR). Then the whole pipeline runs ' +
        'on it (ingest, stats, plots) and the command prints where to look. The same seed and size ' +
        'always give the same files.',
    )
    .argument('[dir]', 'where to create the demo', 'hstlc-demo')
    .option('--seed <n>', 'random seed; the same seed gives the same files', seedArg, 1)
    .addOption(new Option('--size <size>', 'how much data').choices(DEMO_SIZES).default('small'))
    .option('--force', 'write into DIR even if it is not empty')
    .option('--no-run', 'only write the archive and the config; do not run the pipeline')
    .addHelpText(
      'after',
      examples(
        '$ hstlc demo',
        '$ hstlc demo /tmp/hstlc-demo --size tiny --seed 7',
        '$ hstlc demo /tmp/hstlc-demo --no-run && hstlc --config /tmp/hstlc-demo/hstlc.yaml pipeline',
      ),
    )
    .action(async (dir: string, opts: DemoOptions) => {
      const root = path.resolve(ctx.io.cwd, dir);
      if (!opts.force && !(await isEmptyDir(root))) {
        // An earlier demo (its config is there): an interrupted one resumes with the pipeline.
        const config = path.join(root, 'hstlc.yaml');
        const earlier = (await readdir(root)).includes('hstlc.yaml');
        ctx.out.error(
          earlier
            ? `${root} holds an earlier demo; resume it with \`hstlc --config ${config} pipeline\`, or add --force to write a new one`
            : `${root} is not empty; choose another directory or add --force`,
        );
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      await mkdir(root, { recursive: true });
      const t0 = performance.now();
      const { generateArchive } = await import('../../synthetic/index.js');
      // Ctrl-C before the config is written: the archive is incomplete, so it is written again.
      const guard = guardInterrupts(ctx.io.stderr, `hstlc demo ${shellWord(root)} --size ${opts.size} --seed ${opts.seed} --force`);
      guard.doing('while writing the demo archive (no config yet)');
      const configPath = path.join(root, 'hstlc.yaml');
      let manifest: ArchiveManifest;
      try {
        manifest = await generateArchive({ dir: root, seed: opts.seed, size: opts.size });
        const tmp = `${configPath}.${process.pid}.part`;
        await writeFile(tmp, await demoConfig(root, manifest));
        await rename(tmp, configPath);
      } finally {
        guard.release();
      }
      const seconds = (performance.now() - t0) / 1000;

      const next = `hstlc --config ${configPath} pipeline`;
      const bad = manifest.files.filter((f) => f.bad !== null && f.ingested).length;
      const generated = {
        dir: root,
        seed: manifest.seed,
        size: manifest.size,
        config: configPath,
        manifest: path.join(root, 'manifest.json'),
        ingest: { files: manifest.totals.files, events: manifest.totals.events, bytes: manifest.totals.bytes },
        reference_files: { files: manifest.totals.reference_files, bytes: manifest.totals.reference_bytes },
        composites: manifest.composites.length,
        bad_files: bad,
        seconds: Number(seconds.toFixed(3)),
        next,
      };
      const describeGenerated = (r: typeof generated): string[] => [
        `Wrote a synthetic HST archive (seed ${r.seed}, size ${r.size}) in ${r.seconds.toFixed(1)} s:`,
        `  ${path.join(root, 'ingest')}/  ${r.ingest.files} files, ${r.ingest.events.toLocaleString('en-US')} events, ${megabytes(r.ingest.bytes)}`,
        `  ${path.join(root, 'ref')}/  ${r.reference_files.files} reference files (lref/, oref/), ${megabytes(r.reference_files.bytes)}`,
        `  ${r.manifest}  the injected truth (${r.composites} composite groups, ${r.bad_files} bad files)`,
        `  ${r.config}  a ready configuration (SQLite database under ${root})`,
      ];
      if (!opts.run) {
        ctx.out.result(generated, (r) => [...describeGenerated(r), '', 'Next:', `  ${r.next}`]);
        return;
      }

      if (!ctx.out.json) ctx.out.print(...describeGenerated(generated), '', `Running the pipeline (${next}):`);
      // The demo's own config, whatever --config or ./hstlc.yaml say: the demo is self-contained.
      const { loadConfig } = await import('../../config/load.js');
      const cfg = await loadConfig({ configPath, env: ctx.io.env, cwd: ctx.io.cwd, homedir: ctx.io.homedir });
      const summary: PipelineSummary | undefined = await runPipelineCommand(ctx, cfg, { print: !ctx.out.json, logFile: false });
      const status = `hstlc --config ${configPath} status`;
      const look = {
        archive: cfg.filesystem_dir,
        lightcurves: cfg.outputs_dir,
        composites: cfg.composite_dir,
        bad_data: cfg.bad_data_dir,
        database: path.join(root, 'hstlc.db'),
        site: summary?.totals.site ?? null,
      };
      ctx.out.result({ ...generated, pipeline: summary ?? null, where: look, status }, (r) => [
        '',
        'Where to look:',
        `  ${look.lightcurves}/<TARGET>/  individual lightcurves (*_curve.fits)`,
        `  ${look.composites}/  composite lightcurves (hlsp_hstlc_*.fits)`,
        `  ${look.archive}/<TARGET>/  the ingested files; ${look.bad_data}/ the bad ones`,
        `  ${look.database}  the database (stats table: the statistics)`,
        ...(look.site !== null ? [`  ${look.site}  the site`] : []),
        '',
        'Next:',
        `  ${r.next}   (run again after adding files to ${path.join(root, 'ingest')})`,
        `  ${r.status}`,
      ]);
    });
}
