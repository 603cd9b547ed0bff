/**
 * `hstlc --version` and `hstlc <cmd> --help` answer without loading the stages: no database driver,
 * kysely, chart or PNG library, FITS or analysis code, job engine or YAML parser; commander is all the
 * CLI needs to describe itself (the commands import their stage modules inside their actions).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const trace = fileURLToPath(new URL('./load-trace.mjs', import.meta.url));
const mainTs = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The packages imported (directly, by our code) while running `hstlc <args>` from the sources. */
function packagesLoaded(args: string[]): string[] {
  const script = `const { main } = await import(${JSON.stringify(mainTs)}); await main(['node', 'hstlc', ...${JSON.stringify(args)}]);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', trace, '--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  return [...new Set(r.stderr.split('\n').flatMap((l) => (l.startsWith('PACKAGE ') ? [l.slice(8)] : [])))].filter((p) => p !== 'tsx').sort();
}

describe('what the CLI loads to describe itself', () => {
  for (const args of [['--version'], ['--help'], ['ingest', '--help'], ['plots', '--help'], ['download', '--help'], ['worker', '--help']]) {
    it(`hstlc ${args.join(' ')}: commander only`, () => {
      assert.deepEqual(packagesLoaded(args), ['commander']);
    });
  }
});
