/**
 * The README's "A short tour" runs as written: each command of its block goes through a real shell
 * (globs, `| head`) and the real bin/hstlc.js, in a fresh folder. `open` is skipped (it needs a
 * desktop); the demo gets `--size tiny` to keep the test short. The demo is also the newcomer's first
 * run, so what it must have done is checked on it: the archive, the whole pipeline on it (SQLite under
 * DIR), and where to look.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ArchiveManifest } from '../../src/synthetic/index.js';
import { cliIsCompiled, REPO } from '../helpers/cli-process.js';

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
 * A checkout-like folder with the real bin/hstlc.js. Its dist/ is the compiled CLI when that is built
 * from the current sources; otherwise dist/cli/main.js stands in for it by re-exporting the TypeScript
 * source, and the commands run under tsx. Whether the commands need tsx.
 */
function checkout(): boolean {
  mkdirSync(path.join(root, 'bin'));
  copyFileSync(path.join(REPO, 'bin', 'hstlc.js'), path.join(root, 'bin', 'hstlc.js'));
  writeFileSync(path.join(root, 'package.json'), '{"type":"module"}\n');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  if (cliIsCompiled()) {
    symlinkSync(path.join(REPO, 'dist'), path.join(root, 'dist'));
    return false;
  }
  mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'cli', 'main.js'), `export { main } from ${JSON.stringify(path.join(REPO, 'src', 'cli', 'main.ts'))};\n`);
  return true;
}

/** What the demo did, from its output and its folder (`name` under the checkout) against its manifest. */
function assertDemoRan(stdout: string, name: string): void {
  const dir = path.join(root, name);
  const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const config = literal(path.join(dir, 'hstlc.yaml'));
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ArchiveManifest;
  const good = manifest.files.filter((f) => f.ingested && f.quality?.ok === true).length;
  const bad = manifest.files.filter((f) => f.ingested && f.bad !== null).length;
  assert.match(stdout, new RegExp(`^Running the pipeline \\(hstlc --config ${config} pipeline\\):$`, 'm'));
  assert.match(stdout, new RegExp(`^files +${good} ingested, ${bad} bad, 0 failed$`, 'm'));
  assert.match(stdout, new RegExp(`^composites +${manifest.composites.length} made, 0 failed$`, 'm'));
  assert.match(stdout, new RegExp(`^site +${literal(path.join(dir, 'plots', 'index.html'))}$`, 'm'));
  assert.match(stdout, /^Where to look:$/m);
  assert.match(stdout, new RegExp(`Next:\n {2}hstlc --config ${config} pipeline .*\n {2}hstlc --config ${config} status\n$`));
  assert.ok(existsSync(path.join(dir, 'hstlc.db')));
  assert.ok(existsSync(path.join(dir, 'plots', 'index.html')));
  assert.deepEqual(readdirSync(path.join(dir, 'ingest')).filter((n) => !n.startsWith('.')), [], 'everything was ingested');
  assert.deepEqual(readdirSync(path.join(dir, 'outputs', 'composite')).sort(), manifest.composites.map((c) => c.name).sort());
}

test('README tour block lists the commands', () => {
  const commands = tourCommands(readFileSync(path.join(REPO, 'README.md'), 'utf8'));
  assert.ok(commands.length >= 4, commands.join('\n'));
  assert.ok(commands[0].startsWith('node bin/hstlc.js demo '), commands[0]);
  assert.ok(commands.some((c) => c.startsWith('open ')));
});

test('every command of the README tour runs as written on a demo', { timeout: 20 * 60_000 }, () => {
  const tsx = checkout();
  const commands = tourCommands(readFileSync(path.join(REPO, 'README.md'), 'utf8'));
  for (const written of commands) {
    if (written.startsWith('open ')) continue;
    const isDemo = / demo( |$)/.test(written);
    const sized = isDemo ? `${written} --size tiny` : written;
    const command = tsx ? sized.replace(/^node bin\/hstlc\.js/, 'node --import tsx bin/hstlc.js') : sized;
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
    if (isDemo) assertDemoRan(r.stdout, / demo (\S+)/.exec(written)![1]!);
    if (/ status$/.test(written)) assert.match(r.stdout, /^outputs\s+\d+/m);
    if (/ lightcurve-stats /.test(written)) assert.match(r.stdout, /hlsp_hstlc_/);
  }
});
