/**
 * Ctrl-C during a long command: one line saying what was done and the command that resumes, exit 130,
 * the home_dir lock released, and the printed command completes the run to the state of an
 * uninterrupted one (row counts from sqlite3 in Python, file lists from the filesystem).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeDone, resumeCommand, shellWord } from '../../src/cli/interrupt.js';
import { hstlcArgv, REPO } from '../helpers/cli-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'hstlc-interrupt-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Two NUV targets (two composites) and one bad file: every phase of the pipeline, kept short. */
const KEEP = new Set(['lbal0108q_corrtag.fits', 'lbal0206q_corrtag.fits', 'lbal0304q_corrtag.fits', 'lc9h0108q_corrtag.fits', 'lc9h0206q_corrtag.fits']);

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(...hstlcArgv(args), { cwd: REPO, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Homes made by one `hstlc demo`, each a copy of its folder with the demo's hstlc.yaml pointing at the
 * copy. The compat grids: the same phases at a fraction of the corrected grids' periodogram cost.
 */
function demoHomes(...names: string[]): string[] {
  const made = path.join(root, 'demo');
  const r = cli(['demo', made, '--size', 'tiny', '--no-run']);
  assert.equal(r.status, 0, r.stderr);
  const ingest = path.join(made, 'ingest');
  for (const f of readdirSync(ingest)) if (!KEEP.has(f)) rmSync(path.join(ingest, f));
  const yaml = readFileSync(path.join(made, 'hstlc.yaml'), 'utf8');
  assert.ok(yaml.includes(`home_dir: ${made}\n`), yaml);
  return names.map((name) => {
    const dir = path.join(root, name);
    cpSync(made, dir, { recursive: true });
    writeFileSync(path.join(dir, 'hstlc.yaml'), `${yaml.replaceAll(made, dir)}algorithm: compat\n`);
    return dir;
  });
}

/** Rows per table, counted by Python's sqlite3 (not by hstlc's database layer). */
function rowCounts(dir: string): Record<string, number> {
  const py = `import sqlite3, json, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps({t: c.execute(f"select count(*) from {t}").fetchone()[0] for t in ["metadata", "outputs", "bad_data", "stats", "target_names"]}))`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, path.join(dir, 'hstlc.db')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, number>;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ['filesystem', 'outputs', 'bad_data', 'ingest']) {
    const base = path.join(dir, sub);
    if (!existsSync(base)) continue;
    for (const f of readdirSync(base, { recursive: true, withFileTypes: true })) if (f.isFile()) out.push(path.relative(dir, path.join(f.parentPath, f.name)));
  }
  return out.sort();
}

test('the one line: what was done, the command that resumes', () => {
  assert.equal(describeDone({ finished: ['ingest', 'composites'], current: { phase: 'stats', done: 3, total: 12 } }), 'stopped in stats at 3/12; ingest, composites finished');
  assert.equal(describeDone({ finished: [] }, 'while writing the demo archive'), 'stopped while writing the demo archive');
  assert.equal(resumeCommand('/tmp/d/hstlc.yaml', 'pipeline'), 'hstlc --config /tmp/d/hstlc.yaml pipeline');
  assert.equal(resumeCommand(undefined, 'stats'), 'hstlc stats');
  assert.equal(shellWord("/tmp/it's here"), `'/tmp/it'\\''s here'`);
});

test('SIGINT during the pipeline: exit 130, one line, lock released; the printed command finishes the run', { timeout: 20 * 60_000 }, async () => {
  const [interrupted, clean] = demoHomes('interrupted', 'clean') as [string, string];
  const config = path.join(interrupted, 'hstlc.yaml');

  const child = spawn(...hstlcArgv(['--config', config, 'pipeline']), { cwd: REPO, env: { ...process.env, CI: '1' } });
  let stderr = '';
  let sent = false;
  child.stdout.resume();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
    // Progress has started: the first file is being ingested.
    if (!sent && /Ingesting /.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.ok(sent, stderr);
  // The first thing said, before the database and the stage load.
  assert.equal(stderr.split('\n')[0], `info  Starting pipeline (config ${config}, database sqlite:///${path.join(interrupted, 'hstlc.db')})`);
  assert.equal(code, 130, stderr);
  const lines = stderr.split('\n').filter((l) => l.startsWith('interrupted'));
  assert.equal(lines.length, 1, stderr);
  const resume = `hstlc --config ${config} pipeline`;
  assert.match(lines[0]!, /^interrupted \(SIGINT\): stopped (in \w+ at \d+\/\d+|before any work was counted).*; nothing is lost, resume with: (.*)$/);
  assert.ok(lines[0]!.endsWith(`resume with: ${resume}`), lines[0]);
  assert.equal(stderr.trimEnd().split('\n').at(-1), lines[0], 'the line is the last thing said');
  assert.ok(!existsSync(path.join(interrupted, '.hstlc.lock')), 'the home_dir lock is released');

  // The printed command, as printed (hstlc → the CLI of this checkout).
  const resumed = cli(resume.split(' ').slice(1));
  assert.equal(resumed.status, 0, resumed.stderr);
  const uninterrupted = cli(['--config', path.join(clean, 'hstlc.yaml'), 'pipeline']);
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);

  const a = rowCounts(interrupted);
  assert.deepEqual(a, rowCounts(clean));
  assert.ok(a['metadata']! >= 4 && a['bad_data']! >= 1 && a['stats']! > 0, JSON.stringify(a));
  const rel = (d: string) => files(d).map((f) => f.split(path.sep).join('/'));
  assert.deepEqual(rel(interrupted), rel(clean));
});
