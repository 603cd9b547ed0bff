/** `hstlc demo`: archive, reference files, manifest and a configuration that loads. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';

const roots: string[] = [];

async function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'hstlc', ...args], {
    env: {},
    cwd,
    homedir: cwd,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  process.exitCode = 0;
  return { code, stdout, stderr };
}

after(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('hstlc demo', () => {
  it('writes DIR/ingest, DIR/ref, DIR/manifest.json and a ready DIR/hstlc.yaml, and says what to run next', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hstlc-demo-'));
    roots.push(cwd);
    const r = await runCli(['demo', 'site', '--no-run', '--size', 'tiny', '--seed', '5'], cwd);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(cwd, 'site');
    assert.match(r.stdout, /Next:\n {2}hstlc --config .*site\/hstlc\.yaml pipeline/);
    assert.ok((await readdir(join(dir, 'ingest'))).some((f) => f.endsWith('_corrtag_a.fits')));
    assert.ok((await readdir(join(dir, 'ref', 'lref'))).some((f) => f.endsWith('_tds.fits')));
    assert.ok((await readdir(join(dir, 'ref', 'oref'))).some((f) => f.endsWith('_pfl.fits')));
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.seed, 5);
    assert.equal(manifest.size, 'tiny');

    const cfg = await loadConfig({ configPath: join(dir, 'hstlc.yaml'), env: {}, cwd, homedir: cwd });
    assert.equal(cfg.home_dir, dir);
    assert.equal(cfg.ingest_dir, join(dir, 'ingest'));
    assert.equal(cfg.ref_dir, join(dir, 'ref'));
    assert.deepEqual(cfg.bad_proposals, manifest.bad_proposals);
    assert.match(await readFile(join(dir, 'hstlc.yaml'), 'utf8'), new RegExp(`db_connection_string: sqlite:///${dir}/hstlc\\.db`));

    // A second run refuses a non-empty directory unless --force; --json reports the same numbers.
    // (--no-run: the pipeline the demo then runs, and its report, are checked on the README's demo in
    // test/cli/readme-tour.test.ts; a second one here would be a whole tiny-archive pipeline more.)
    const again = await runCli(['demo', 'site', '--no-run', '--size', 'tiny'], cwd);
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`holds an earlier demo; resume it with \`hstlc --config ${dir}/hstlc\\.yaml pipeline\`, or add --force`));
    const forced = await runCli(['--json', 'demo', 'site', '--no-run', '--size', 'tiny', '--seed', '5', '--force'], cwd);
    assert.equal(forced.code, 0, forced.stderr);
    const json = JSON.parse(forced.stdout);
    assert.equal(json.ingest.events, manifest.totals.events);
    assert.equal(json.config, join(dir, 'hstlc.yaml'));
  });

  it('rejects an unknown size and a bad seed', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'hstlc-demo-'));
    roots.push(cwd);
    assert.equal((await runCli(['demo', 'x', '--size', 'huge'], cwd)).code, 2);
    assert.equal((await runCli(['demo', 'x', '--seed', 'abc'], cwd)).code, 2);
  });
});
