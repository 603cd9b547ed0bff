/**
 * The job engine's setup on PostgreSQL (DESIGN §9): its schema installed once when several processes
 * open it at once; the shared-home_dir marker (a worker elsewhere refuses to start); `hstlc status`
 * showing the queue and the workers; and which errors are retried (errors.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { connectDatabase, engineDb } from '../../src/db/index.js';
import { isTransient, transientReason, TransientJobError } from '../../src/pipeline/engine/errors.js';
import { openEngine } from '../../src/pipeline/engine/graphile.js';
import { MARKER_FILE } from '../../src/pipeline/engine/marker.js';
import { submitRun } from '../../src/pipeline/engine/submit.js';
import { generateArchive } from '../../src/synthetic/index.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { cleanupSandboxes, run } from '../cli/helpers.js';
import { hstlcArgv } from '../helpers/cli-process.js';

const postgres = DIALECTS.find((d) => d.name === 'postgresql');
const LOST_RELEASE_WORKER = fileURLToPath(new URL('./lost-release-worker.ts', import.meta.url));
const skip = postgres === undefined ? 'PostgreSQL not in HSTLC_TEST_DIALECTS' : postgres.skip;
const databases: TestDatabase[] = [];
const dirs: string[] = [];

after(async () => {
  for (const db of databases) {
    const client = new pg.Client({ host: db.info.host, port: db.info.port, user: db.info.user, password: db.info.password, database: db.info.database });
    await client.connect();
    await client.query(`drop schema if exists ${db.info.params['schema']!}_jobs cascade`);
    await client.end();
    await db.drop();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await cleanupSandboxes();
});

function urlOf(db: TestDatabase): string {
  const i = db.info;
  return `postgresql://${encodeURIComponent(i.user ?? '')}${i.password ? `:${encodeURIComponent(i.password)}` : ''}@${i.host ?? '127.0.0.1'}:${i.port ?? 5432}/${i.database ?? ''}?schema=${i.params['schema']}`;
}

/** A home_dir with an hstlc.yaml for engine graphile on `db`. */
function home(db: TestDatabase): { dir: string; config: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hstlc-engine-'));
  dirs.push(dir);
  const config = path.join(dir, 'hstlc.yaml');
  writeFileSync(config, `home_dir: ${dir}\ndb_connection_string: ${urlOf(db)}\nengine: graphile\nnum_cores: 1\n`);
  return { dir, config };
}

describe('the job engine on PostgreSQL', { skip }, () => {
  it('installs its schema once when three processes open it at once', async () => {
    const db = await postgres!.create();
    databases.push(db);
    const cfg = await loadConfig({ configPath: home(db).config, env: {} });
    const handles = await Promise.all([0, 1, 2].map(() => connectDatabase(cfg.db)));
    try {
      const engines = await Promise.all(handles.map((h) => openEngine(cfg, h)));
      await Promise.all(engines.map((e) => e.close()));
      const schema = `${db.info.params['schema']}_jobs`;
      const c = new pg.Client({ host: db.info.host, port: db.info.port, user: db.info.user, password: db.info.password, database: db.info.database });
      await c.connect();
      const migrations = await c.query(`select count(*)::int as n, count(distinct id)::int as d from ${schema}.migrations`);
      const tables = await c.query(`select table_name from information_schema.tables where table_schema = $1 and table_name like 'hstlc_%' order by 1`, [schema]);
      await c.end();
      // graphile-worker 0.17.3 ships migrations 000001–000019, each applied once.
      assert.deepEqual(migrations.rows[0], { n: 19, d: 19 });
      assert.deepEqual(tables.rows.map((r: { table_name: string }) => r.table_name), ['hstlc_archive', 'hstlc_results', 'hstlc_workers']);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it('a worker whose home_dir lacks the marker the submission wrote refuses to start (exit 2); status shows the queue', async () => {
    const db = await postgres!.create();
    databases.push(db);
    const a = home(db);
    const cfg = await loadConfig({ configPath: a.config, env: {} });
    const handle = await connectDatabase(cfg.db);
    try {
      const engine = await openEngine(cfg, handle);
      const s = await submitRun(handle, engine, { settings: cfg, command: 'stats' });
      await engine.close();
      assert.equal(s.run, 1);
    } finally {
      await handle.close();
    }
    // Another folder standing in for an unmounted share: same database, no marker.
    const b = home(db);
    const refused = await run(['--config', b.config, 'worker', '--once']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`home_dir ${b.dir} does not hold ${MARKER_FILE}, which the pipeline wrote in the shared home_dir ${a.dir}`));

    const status = await run(['--config', a.config, 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Job engine \(graphile-worker, schema hstlc_t_\w+_jobs\)/);
    assert.match(status.stdout, /^ {2}finish +1 +0 +0 +0$/m);
    assert.match(status.stdout, /^ {2}plan +1 +0 +0 +0$/m);

    // The right home: the worker runs the (empty) stats run to its end and says so.
    const ok = await run(['--config', a.config, 'worker', '--once']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^worker .+: 2 job\(s\) done$/m);
    // Started without --once, it runs until SIGTERM, then exits 0 and says it stopped.
    const child = spawn(...hstlcArgv(['--quiet', '--config', a.config, 'worker']), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const schema = `${db.info.params['schema']}_jobs`;
    const probe = await connectDatabase(cfg.db);
    try {
      const t0 = Date.now();
      while (!(await engineDb.recentWorkers(probe.db, schema, 60_000)).some((w) => w.stopped_at === null)) {
        assert.ok(Date.now() - t0 < 60_000, `worker did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // While it runs, neither reset touches the archive (the home_dir lock guards this host only).
      for (const reset of ['reset-database', 'reset-filesystem']) {
        const refusedReset = await run(['--config', a.config, reset, '--yes']);
        assert.equal(refusedReset.code, 1, refusedReset.stderr);
        assert.match(refusedReset.stderr, new RegExp(`${reset} refused: 1 hstlc worker process\\(es\\) are running on this archive \\(pid ${child.pid} on `));
      }
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      const allowed = await run(['--config', a.config, 'reset-database', '--yes']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal((await engineDb.recentWorkers(probe.db, schema, 60_000)).filter((w) => w.stopped_at === null).length, 0);
    } finally {
      await probe.close();
    }

    const after = await run(['--config', a.config, '--json', 'status']);
    const report = JSON.parse(after.stdout) as { engine: { jobs: unknown[]; workers: Array<{ state: string; jobsDone: number }> } };
    assert.deepEqual(report.engine.jobs, []);
    assert.deepEqual(report.engine.workers.map((w) => w.state), ['stopped', 'stopped']);
    assert.deepEqual(report.engine.workers.map((w) => w.jobsDone).sort(), [0, 2]);
    const h2 = await connectDatabase(cfg.db);
    try {
      const results = await engineDb.jobResults(h2.db, `${db.info.params['schema']}_jobs`, 1);
      assert.deepEqual(results.map((r) => [r.kind, r.status]), [['finish', 'done'], ['plan', 'done']]);
    } finally {
      await h2.close();
    }
  });
});

describe('two submissions at once', { skip }, () => {
  it('share the keyed jobs: one ingest job per file, one finish per run', async () => {
    const db = await postgres!.create();
    databases.push(db);
    const h = home(db);
    await generateArchive({ dir: h.dir, seed: 3, size: 'tiny' });
    const cfg = await loadConfig({ configPath: h.config, env: {} });
    const handle = await connectDatabase(cfg.db);
    try {
      const engine = await openEngine(cfg, handle);
      const [a, b] = await Promise.all([submitRun(handle, engine, { settings: cfg, command: 'ingest' }), submitRun(handle, engine, { settings: cfg, command: 'ingest' })]);
      await engine.close();
      assert.notEqual(a.run, b.run);
      assert.ok(a.files > 10 && a.files === b.files, `${a.files} and ${b.files} files`);
      const counts = await engineDb.jobCounts(handle.db, `${db.info.params['schema']}_jobs`, 'hstlc_');
      assert.deepEqual(counts.map((c) => [c.kind, c.queued]), [['hstlc_finish', 2], ['hstlc_ingest', a.files]]);
    } finally {
      await handle.close();
    }
  });
});

describe('a connection lost while graphile-worker releases a job', { skip }, () => {
  it('is an outage, not a crash: the runner is restarted, its locks released, and the run finishes', async () => {
    const db = await postgres!.create();
    databases.push(db);
    const h = home(db);
    await generateArchive({ dir: h.dir, seed: 3, size: 'tiny' });
    // A few files: what matters is the restart, not the archive.
    for (const f of readdirSync(path.join(h.dir, 'ingest')).slice(4)) rmSync(path.join(h.dir, 'ingest', f));
    const cfg = await loadConfig({ configPath: h.config, env: {} });
    const handle = await connectDatabase(cfg.db);
    const schema = `${db.info.params['schema']}_jobs`;
    try {
      const engine = await openEngine(cfg, handle);
      const s = await submitRun(handle, engine, { settings: cfg, command: 'ingest' });
      await engine.close();
      const child = spawn(process.execPath, ['--import', 'tsx', LOST_RELEASE_WORKER, h.config], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, `${out}\n${err}`);
      const r = JSON.parse(out) as { injected: boolean; report: { jobs: number }; lines: Array<{ level: string; message: string }>; listeners: number };
      assert.ok(r.injected);
      assert.ok(r.lines.some((l) => l.level === 'warn' && /lost its database connection while releasing a job \(57P01\); restarting it/.test(l.message)), r.lines.map((l) => l.message).join('\n'));
      const results = await engineDb.resultCounts(handle.db, schema, s.run);
      assert.equal(results.filter((x) => x.kind === 'ingest').reduce((n, x) => n + x.n, 0), s.files, JSON.stringify(results));
      assert.equal(await engineDb.liveJobsTotal(handle.db, schema), 0);
      assert.ok(r.report.jobs >= s.files);
      assert.equal(r.listeners, 0, 'the handler is removed when the worker stops');
    } finally {
      await handle.close();
    }
  });
});

describe('which job errors are retried', () => {
  it('connection and disk trouble are transient, by code or by node-postgres message', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ENOSPC', 'ESTALE', '57P01', '08006', '53300', '40001']) {
      assert.equal(isTransient(Object.assign(new Error('x'), { code })), true, code);
    }
    assert.equal(isTransient(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isTransient(new Error('terminating connection due to administrator command')), true);
  });

  it('bad data, refusals and bugs are not', () => {
    for (const code of ['ENOENT', 'EACCES', '23505', '42P01', 'ERR_FITS']) assert.equal(isTransient(Object.assign(new Error('x'), { code })), false, code);
    assert.equal(isTransient(new TypeError("Cannot read properties of undefined (reading 'x')")), false);
  });

  it('a unit failure worded as a system error is transient by its code; the retry names it', () => {
    assert.equal(transientReason('ENOSPC: no space left on device, write'), 'ENOSPC');
    assert.equal(transientReason('ENOENT: no such file or directory'), undefined);
    assert.equal(transientReason('No events in the file'), undefined);
    const t = TransientJobError.of(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    assert.equal(t.message, '57P01: terminating connection due to administrator command');
  });
});
