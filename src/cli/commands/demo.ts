/**
 * `hstlc demo [DIR] [--seed N] [--size tiny|small|medium|large] [--force]`: a synthetic archive
 * (src/hst/synthetic) in DIR/ingest, reference files in DIR/ref, the truth in DIR/manifest.json
 * and a ready DIR/hstlc.yaml; prints what it wrote and the next command. Running the pipeline on
 * it comes with the pipeline stages (later issues).
 *
 * Note for the CLI tests: `demo` is no longer a placeholder, so test/cli/main.test.ts should drop
 * it from PLACEHOLDERS (its own tests are in test/hst/synthetic/demo.test.ts).
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { stringify } from 'yaml';
import type { CliContext } from '../context.js';
import { ExitCode } from '../errors.js';
import { examples } from '../not-available.js';
import { generateArchive, type ArchiveManifest, type ArchiveSize } from '../../hst/synthetic/index.js';

const DEMO_SIZES: readonly ArchiveSize[] = ['tiny', 'small', 'medium', 'large'];

interface DemoOptions {
  seed: number;
  size: ArchiveSize;
  force?: boolean;
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
export function demoConfig(root: string, manifest: Pick<ArchiveManifest, 'bad_proposals' | 'seed' | 'size'>): string {
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
    .summary('write a synthetic sample archive and a ready config')
    .description(
      'Write a realistic synthetic set of COS and STIS TIME-TAG files with known injected signals ' +
        'into DIR, so you can try every stage without downloading anything: DIR/ingest gets the ' +
        'event files, DIR/ref the lref/oref reference files, DIR/manifest.json the injected truth, ' +
        'DIR/hstlc.yaml a ready configuration (SQLite database under DIR). The same seed and size ' +
        'always give the same files.',
    )
    .argument('[dir]', 'where to create the demo', 'hstlc-demo')
    .option('--seed <n>', 'random seed; the same seed gives the same files', seedArg, 1)
    .addOption(new Option('--size <size>', 'how much data').choices(DEMO_SIZES).default('small'))
    .option('--force', 'write into DIR even if it is not empty')
    .addHelpText(
      'after',
      examples('$ hstlc demo', '$ hstlc demo /tmp/hstlc-demo --size tiny --seed 7', '$ hstlc --config /tmp/hstlc-demo/hstlc.yaml pipeline'),
    )
    .action(async (dir: string, opts: DemoOptions) => {
      const root = path.resolve(ctx.io.cwd, dir);
      if (!opts.force && !(await isEmptyDir(root))) {
        ctx.out.error(`${root} is not empty; choose another directory or add --force`);
        ctx.setExitCode(ExitCode.USAGE);
        return;
      }
      await mkdir(root, { recursive: true });
      const t0 = performance.now();
      const manifest = await generateArchive({ dir: root, seed: opts.seed, size: opts.size });
      const seconds = (performance.now() - t0) / 1000;
      const configPath = path.join(root, 'hstlc.yaml');
      const tmp = `${configPath}.${process.pid}.part`;
      await writeFile(tmp, demoConfig(root, manifest));
      await rename(tmp, configPath);

      const next = `hstlc --config ${configPath} pipeline`;
      const bad = manifest.files.filter((f) => f.bad !== null && f.ingested).length;
      ctx.out.result(
        {
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
        },
        (r) => [
          `Wrote a synthetic HST archive (seed ${r.seed}, size ${r.size}) in ${r.seconds.toFixed(1)} s:`,
          `  ${path.join(root, 'ingest')}/  ${r.ingest.files} files, ${r.ingest.events.toLocaleString('en-US')} events, ${megabytes(r.ingest.bytes)}`,
          `  ${path.join(root, 'ref')}/  ${r.reference_files.files} reference files (lref/, oref/), ${megabytes(r.reference_files.bytes)}`,
          `  ${r.manifest}  the injected truth (${r.composites} composite groups, ${r.bad_files} bad files)`,
          `  ${r.config}  a ready configuration (SQLite database under ${root})`,
          '',
          'Next:',
          `  ${r.next}`,
        ],
      );
    });
}
