/**
 * The README's "A short tour" runs as written: each command of its block goes through a real shell
 * (globs, `| head`) and the real bin/hstlc.js, in a fresh folder. `open` is skipped (it needs a
 * desktop); the demo gets `--size tiny` to keep the test short.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The commands of the README's tour block: its indented lines, without the trailing `# …` remarks. */
function tourCommands(readme: string): string[] {
  const start = readme.indexOf('## A short tour');
  assert.ok(start >= 0, 'README has "## A short tour"');
  const body = readme.slice(start).split('\n').slice(1);
  const lines: string[] = [];
  for (const line of body) {
    if (/^## /.test(line)) break;
    if (line.startsWith('    ') && line.trim()) lines.push(line.trim().replace(/\s+#\s.*$/, ''));
    else if (lines.length && line.trim()) break; // the block ended
  }
  return lines;
}

const root = mkdtempSync(path.join(tmpdir(), 'hstlc-tour-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * A checkout-like folder: the real bin/hstlc.js, and dist/cli/main.js standing in for the compiled CLI
 * by re-exporting the TypeScript source (run under tsx), so no build is needed.
 */
function checkout(): void {
  mkdirSync(path.join(root, 'bin'));
  mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
  copyFileSync(path.join(REPO, 'bin', 'hstlc.js'), path.join(root, 'bin', 'hstlc.js'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(path.join(root, 'dist', 'cli', 'main.js'), `export { main } from ${JSON.stringify(path.join(REPO, 'src', 'cli', 'main.ts'))};\n`);
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
}

test('README tour block lists the commands', () => {
  const commands = tourCommands(readFileSync(path.join(REPO, 'README.md'), 'utf8'));
  assert.ok(commands.length >= 4, commands.join('\n'));
  assert.ok(commands[0].startsWith('node bin/hstlc.js demo '), commands[0]);
  assert.ok(commands.some((c) => c.startsWith('open ')));
});

test('every command of the README tour runs as written on a demo', { timeout: 20 * 60_000 }, () => {
  checkout();
  const commands = tourCommands(readFileSync(path.join(REPO, 'README.md'), 'utf8'));
  for (const written of commands) {
    if (written.startsWith('open ')) continue;
    const isDemo = / demo( |$)/.test(written);
    const command = (isDemo ? `${written} --size tiny` : written).replace(/^node bin\/hstlc\.js/, 'node --import tsx bin/hstlc.js');
    // pipefail: `inspect … | head` must not hide a failing inspect behind head's success.
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    // head closing the pipe early is the reader's choice; bin/hstlc.js exits quietly on EPIPE.
    assert.equal(r.status, 0, `${written}\nexit ${r.status}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /error:|too many arguments|at .*\.ts:\d+/, `${written}\n${r.stderr}`);
    assert.ok(r.stdout.trim().length > 0, `${written} printed nothing`);
    if (/ inspect /.test(written)) {
      assert.match(r.stdout, /^Filename: hstlc-demo\/outputs\/composite\/hlsp_hstlc_.*_v1_sci\.fits$/m);
      assert.match(r.stdout, /LIGHTCURVE\s+1\s+BINTABLE/);
      if (/\| head$/.test(written)) assert.equal(r.stdout.trimEnd().split('\n').length, 10);
    }
    if (/ status$/.test(written)) assert.match(r.stdout, /^outputs\s+\d+/m);
    if (/ lightcurve-stats /.test(written)) assert.match(r.stdout, /hlsp_hstlc_/);
  }
});
