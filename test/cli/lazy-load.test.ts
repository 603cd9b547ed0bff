/**
 * `hstlc --version` and `hstlc <cmd> --help` answer without loading the stages: no database driver,
 * kysely, chart or PNG library, FITS or analysis code, job engine or YAML parser; commander is all the
 * CLI needs to describe itself (the commands import their stage modules inside their actions), and
 * `<cmd> --help` loads that command's file only (program.ts), `--version` not even commander.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { buildProgram, commandOf, COMMAND_NAMES } from '../../src/cli/program.js';
import { createContext } from '../../src/cli/context.js';
import { resolveIo } from '../../src/cli/io.js';

const trace = fileURLToPath(new URL('./load-trace.mjs', import.meta.url));
const mainTs = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The packages imported (directly, by our code) and our modules loaded while running `hstlc <args>` from the sources. */
function loaded(args: string[]): { packages: string[]; modules: string[]; stdout: string } {
  const script = `const { main } = await import(${JSON.stringify(mainTs)}); await main(['node', 'hstlc', ...${JSON.stringify(args)}]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', trace, '--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  const lines = (tag: string): string[] => [...new Set(r.stderr.split('\n').flatMap((l) => (l.startsWith(tag) ? [l.slice(tag.length)] : [])))].sort();
  return { packages: lines('PACKAGE ').filter((p) => p !== 'tsx'), modules: lines('MODULE '), stdout: r.stdout };
}

/** Modules no `--help` may load: the stages, database, FITS, extraction, plots, periodogram kernels, config loader, logger. */
const HEAVY = /^(pipeline\/(?!product-type$)|db\/(?!reset-targets$)|fits\/(?!errors$)|hst\/(?!names$)|lightcurve\/(?!algorithm$)|plots\/|synthetic\/|config\/(?!connection$|errors$)|log\/(?!redact$|progress$)|analysis\/periodogram\/(?!grids$|methods$))/;

describe('what the CLI loads to describe itself', () => {
  it('hstlc --version: no package at all, and neither the program nor a command file', () => {
    for (const flag of ['--version', '-V']) {
      const r = loaded([flag]);
      assert.equal(r.stdout, `${JSON.parse(spawnSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { encoding: 'utf8' }).stdout)}\n`);
      assert.deepEqual(r.packages, []);
      assert.deepEqual(r.modules.filter((m) => m === 'cli/program' || m.startsWith('cli/commands/')), []);
    }
  });

  it('hstlc --help: commander only, every command file', () => {
    const r = loaded(['--help']);
    assert.deepEqual(r.packages, ['commander']);
    assert.deepEqual(r.modules.filter((m) => HEAVY.test(m)), []);
  });

  for (const name of COMMAND_NAMES) {
    it(`hstlc ${name} --help: commander only, its own command file, none of the stages`, () => {
      const r = loaded([name, '--help']);
      assert.deepEqual(r.packages, ['commander']);
      assert.deepEqual(r.modules.filter((m) => HEAVY.test(m)), []);
      // Its own file, and the one or two it borrows from (demo runs pipeline's; reset-filesystem asks as reset-database does).
      const files = r.modules.filter((m) => m.startsWith('cli/commands/'));
      assert.ok(files.length >= 1 && files.length <= 2, `${name}: ${files.join(', ')}`);
    });
  }
});

describe('the lazy command table (program.ts)', () => {
  const ctx = createContext(resolveIo({ stdout: { write: () => true }, stderr: { write: () => true } }), '0.0.0', () => ({ verbose: false, quiet: false, json: false }));
  const names = (p: Command): string[] => p.commands.map((c) => c.name());

  it('names every command the files register, in root-help order', async () => {
    assert.deepEqual(names(await buildProgram(ctx, ['--help'])), COMMAND_NAMES);
  });

  it('a command word loads its file only: the command is there, with its options', async () => {
    const program = await buildProgram(ctx, ['ingest', '--help']);
    assert.deepEqual(names(program), ['ingest']);
    assert.ok(program.commands[0]!.options.some((o) => o.long === '--corrtag-extract'));
    assert.deepEqual(names(await buildProgram(ctx, ['mast-stub'])), ['download', 'mast-stub']);
  });

  it('finds the command word past the global options, and gives up where commander needs every command', () => {
    assert.equal(commandOf(['ingest']), 'ingest');
    assert.equal(commandOf(['--config', 'stats', 'ingest', '--help']), 'ingest');
    assert.equal(commandOf(['--config=x.yaml', '--json', 'stats']), 'stats');
    assert.equal(commandOf(['--wait', '30', 'plots']), 'plots');
    assert.equal(commandOf(['--wait', '--quiet', 'plots']), 'plots');
    assert.equal(commandOf(['--wait', 'plots']), undefined); // commander reads 'plots' as the seconds
    assert.equal(commandOf(['help', 'extract']), 'extract');
    for (const args of [[], ['--help'], ['-h', 'ingest'], ['--version', 'ingest'], ['help'], ['help', 'ingst'], ['ingst'], ['--', 'ingest'], ['--config']]) {
      assert.equal(commandOf(args), undefined, args.join(' '));
    }
  });
});
