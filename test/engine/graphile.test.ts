/**
 * The graphile engine against CI's PostgreSQL (DESIGN §9): `hstlc worker` processes on one synthetic
 * archive end in the state of the local engine — the same rows (ids and run bookkeeping aside) and the
 * same files (raw files by bytes, products by table digest) — with three workers at once, with a worker
 * killed (-9) in the middle of a job, and with every database connection of the workers terminated
 * mid-run (pg_terminate_backend). Each case has a schema of its own (and its `_jobs` schema), dropped after.
 * Every case uses the compat grids: the same engine paths (jobs, retries, results) at a fraction of the
 * corrected grids' periodogram cost; the workers run the compiled CLI when dist/ is current (cli-process.ts).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { connectDatabase, engineDb, type HstlcDb } from '../../src/db/index.js';
import { openEngine } from '../../src/pipeline/engine/graphile.js';
import { submitRun, waitForRun } from '../../src/pipeline/engine/submit.js';
import { runWorker } from '../../src/pipeline/engine/worker.js';
import { runIngest } from '../../src/pipeline/ingest.js';
import { runPlots } from '../../src/pipeline/plots.js';
import { runStats } from '../../src/pipeline/stats.js';
import { IMAGE_CACHE_DIR } from '../../src/plots/image-cache.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { hstlcArgv } from '../helpers/cli-process.js';
import { cleanupHomes, homeFor, keepArchiveGroups, listTree, snapshot, tinyArchive, type Archive } from '../pipeline/helpers.js';

const postgres = DIALECTS.find((d) => d.name === 'postgresql');
const skip = postgres === undefined ? 'PostgreSQL not in HSTLC_TEST_DIALECTS' : postgres.skip;

let archive: Archive;
const databases: TestDatabase[] = [];
const children: ChildProcess[] = [];

async function database(): Promise<TestDatabase> {
  const db = await postgres!.create();
  databases.push(db);
  return db;
}

/** A home with the archive's files and an hstlc.yaml for engine graphile on its own schema. */
async function graphileHome(db: TestDatabase): Promise<{ config: string; cfg: LoadedConfig }> {
  const { home } = homeFor(archive);
  const i = db.info;
  const url = `postgresql://${encodeURIComponent(i.user ?? '')}${i.password ? `:${encodeURIComponent(i.password)}` : ''}@${i.host ?? '127.0.0.1'}:${i.port ?? 5432}/${i.database ?? ''}?schema=${i.params['schema']}`;
  const config = path.join(home, 'hstlc.yaml');
  writeFileSync(config, [`home_dir: ${home}`, `db_connection_string: ${url}`, 'engine: graphile', 'num_cores: 1', 'algorithm: compat', `bad_proposals: [${archive.manifest.bad_proposals.join(', ')}]`, ''].join('\n'));
  return { config, cfg: await loadConfig({ configPath: config, env: {} }) };
}

/**
 * A worker that stops when no job is left. It sees that at its heartbeat, every sixth of --lock-expiry
 * (60 s by default: up to 10 s idle after the last job); 6 s makes it 1 s, while a live worker (its
 * units run in worker threads, its heartbeats on the main thread) is never taken for lost.
 */
const ONCE = ['--once', '--lock-expiry', '6'];

/**
 * `hstlc worker` as its own process (application_name set, so a test can find its connections), in a
 * network namespace when `netns` is given.
 */
function worker(config: string, args: string[], appName: string, netns?: string): ChildProcess & { done: Promise<number | null>; output: () => string } {
  const argv = hstlcArgv(['--quiet', '--config', config, 'worker', ...args]).flat();
  const [cmd, ...rest] = netns !== undefined ? ['ip', 'netns', 'exec', netns, ...argv] : argv;
  const child = spawn(cmd!, rest, {
    env: { ...process.env, PGAPPNAME: appName, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return Object.assign(child, { done, output: () => out });
}

async function stateOf(cfg: LoadedConfig, handle: HstlcDb): Promise<unknown> {
  const rel = (p: string) => path.relative(cfg.home_dir, p);
  const stats = (await handle.db.selectFrom('stats').selectAll().execute())
    .map(({ id: _id, ...r }) => ({ ...r, lightcurve_path: rel(r.lightcurve_path) }))
    .sort((a, b) => (a.lightcurve_path + a.lightcurve_filename < b.lightcurve_path + b.lightcurve_filename ? -1 : 1));
  const snap = await snapshot(cfg, handle);
  return { ...snap, stats };
}

/**
 * Seven of the tiny archive's composite groups (20 of its 28 event files: COS NUV, FUV pairs and
 * segments, STIS first order with x1d, four bad files), so every case still has jobs of every kind and
 * enough of them to kill a worker in the middle, at two thirds of the engine work.
 */
const ENGINE_GROUPS = /^(lbal|lb9y|lbn5|lc9h|lcah|o6a50|obw7)/;

/** The local engine's end state: ingest then stats (compat grids), one core, on its own schema. */
let local: unknown;

before(async () => {
  if (skip !== false) return;
  archive = keepArchiveGroups(await tinyArchive(2), ENGINE_GROUPS);
  const db = await database();
  const { settings } = homeFor(archive, { db: db.info });
  settings.algorithm = 'compat';
  const handle = await connectDatabase(settings.db);
  try {
    await runIngest(handle, { settings });
    await runStats(handle, { type: 'both', grid: settings.algorithm, numCores: 1 });
    local = await stateOf({ ...settings, source: { kind: 'defaults' }, warnings: [] }, handle);
  } finally {
    await handle.close();
  }
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const db of databases) {
    const schema = db.info.params['schema']!;
    const client = new pg.Client({ host: db.info.host, port: db.info.port, user: db.info.user, password: db.info.password, database: db.info.database });
    await client.connect();
    await client.query(`drop schema if exists ${schema}_jobs cascade`);
    await client.end();
    await db.drop();
  }
  cleanupHomes();
});

/** Submit ingest (files and composites) then stats, each run to completion by `runWorkers`. */
async function runOnEngine(cfg: LoadedConfig, runWorkers: (handle: HstlcDb) => Promise<void>): Promise<HstlcDb> {
  const handle = await connectDatabase(cfg.db);
  const engine = await openEngine(cfg, handle);
  try {
    for (const command of ['ingest', 'stats'] as const) {
      const s = await submitRun(handle, engine, { settings: cfg, command });
      await runWorkers(handle);
      // The workers ran with --once and have exited: the run must be over (or about to be); a bounded
      // wait turns "a worker left jobs behind" into a failure instead of a hung test.
      const p = await waitForRun(handle, engine, s.run, { pollMs: 200, signal: AbortSignal.timeout(120_000) });
      assert.equal(p.live, 0);
      const dead = await engineDb.deadJobs(handle.db, engine.schema, s.run);
      assert.deepEqual(dead, [], 'no job used up its attempts');
    }
  } finally {
    await engine.close();
  }
  return handle;
}

/**
 * A few composite groups of the archive, one per instrument mode kind (COS NUV, a COS FUV pair, STIS
 * first order): the plots test draws every lightcurve twice, so it keeps its archive small.
 */
function keepOnly(home: string): void {
  const dir = path.join(home, 'ingest');
  for (const f of readdirSync(dir)) if (!/^(lbal|lb9y0[12]0|o6a50[12]0)/.test(f)) rmSync(path.join(dir, f));
}

async function until(what: string, test: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  while (!(await test())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the graphile engine on PostgreSQL', { skip }, () => {
  it('three hstlc worker processes end in the local engine’s state (rows and file digests)', async () => {
    const { config, cfg } = await graphileHome(await database());
    const app = `hstlc-t-${randomBytes(4).toString('hex')}`;
    const handle = await runOnEngine(cfg, async () => {
      // Three workers started at once also install the engine's schema at once (the first run did; the
      // schema is new per test, so the migration race is part of the first submission below).
      const ws = [0, 1, 2].map(() => worker(config, [...ONCE, '--concurrency', '1'], app));
      const codes = await Promise.all(ws.map((w) => w.done));
      assert.deepEqual(codes, [0, 0, 0], ws.map((w) => w.output()).join('\n---\n'));
    });
    try {
      assert.deepEqual(await stateOf(cfg, handle), local);
      // Stats again: every lightcurve's content key is its stored row's, so each job keeps the row
      // (reported unchanged) and the table is as it was, ids included; --force computes every row again.
      const before = await handle.db.selectFrom('stats').selectAll().orderBy('id').execute();
      const engine = await openEngine(cfg, handle);
      try {
        for (const force of [false, true]) {
          const s = await submitRun(handle, engine, { settings: cfg, command: 'stats', force });
          await runWorker({ settings: cfg, once: true, heartbeatMs: 250 });
          await waitForRun(handle, engine, s.run, { pollMs: 200, signal: AbortSignal.timeout(120_000) });
          const results = await pgQuery(cfg, `select status from ${engine.schema}.hstlc_results where run = $1 and kind = 'stats'`, [s.run]);
          assert.equal(results.length, before.length);
          assert.deepEqual(new Set(results.map((r) => r['status'])), new Set([force ? 'done' : 'unchanged']));
          const after = await handle.db.selectFrom('stats').selectAll().orderBy('id').execute();
          if (!force) assert.deepEqual(after, before);
          else assert.deepEqual(after.map(({ id: _id, ...r }) => r), before.map(({ id: _id, ...r }) => r));
        }
      } finally {
        await engine.close();
      }
    } finally {
      await handle.close();
    }
  });

  it('a worker killed (-9) mid-job and every worker connection terminated mid-run: the run completes in the same state', async () => {
    const { config, cfg } = await graphileHome(await database());
    const app = `hstlc-t-${randomBytes(4).toString('hex')}`;
    const schema = `${cfg.db.params['schema']}_jobs`;
    let killed = false;
    let terminated = 0;
    const handle = await runOnEngine(cfg, async (h) => {
      if (killed) {
        const w = worker(config, ['--once', '--lock-expiry', '2'], app);
        assert.equal(await w.done, 0, w.output());
        return;
      }
      const first = worker(config, ['--concurrency', '1', '--lock-expiry', '2'], app);
      // Wait until it has finished a few files and holds a lock on the next, then kill it there.
      await until('a few ingested files', async () => (await engineDb.resultCounts(h.db, schema, 1)).reduce((n, r) => n + r.n, 0) >= 3);
      const lockedCount = async (): Promise<number> => Number((await pgQuery(cfg, `select count(*)::int as n from ${schema}._private_jobs where locked_at is not null`))[0]!['n']);
      await until('a job in progress', async () => (await lockedCount()) > 0);
      first.kill('SIGKILL');
      await first.done;
      killed = true;
      assert.ok((await lockedCount()) > 0, 'the killed worker left a locked job');
      // Two more workers: they release the dead one's lock (its heartbeat stops) and go on.
      const rest = [worker(config, ['--once', '--lock-expiry', '2'], app), worker(config, ['--once', '--lock-expiry', '2'], app)];
      await until('the workers to be busy', async () => (await lockedCount()) > 0 && (await engineDb.resultCounts(h.db, schema, 1)).reduce((n, r) => n + r.n, 0) >= 6);
      // Every connection of the workers dropped at once, mid-run: they reconnect and finish.
      const rows = await pgQuery(cfg, `select pg_terminate_backend(pid) as t from pg_stat_activity where application_name = $1`, [app]);
      terminated = rows.length;
      const codes = await Promise.all(rest.map((w) => w.done));
      assert.deepEqual(codes, [0, 0], rest.map((w) => w.output()).join('\n---\n'));
    });
    try {
      assert.ok(terminated > 0, 'worker connections were terminated');
      assert.deepEqual(await stateOf(cfg, handle), local);
    } finally {
      await handle.close();
    }
  });

  it('plots on two workers: each lightcurve’s plot job draws its PNGs, the site job only writes pages; the site equals the local plots stage’s', async () => {
    // The local engine's site, from its own home (the shared `local` state has no plots).
    const db = await database();
    const { settings } = homeFor(archive, { db: db.info });
    keepOnly(settings.home_dir);
    settings.algorithm = 'compat';
    const localHandle = await connectDatabase(settings.db);
    try {
      await runIngest(localHandle, { settings });
      await runStats(localHandle, { type: 'both', grid: settings.algorithm, numCores: 1 });
      const s = await runPlots(localHandle, { settings });
      assert.equal(s.ok, true);
    } finally {
      await localHandle.close();
    }
    const { config, cfg } = await graphileHome(await database());
    keepOnly(cfg.home_dir);
    const app = `hstlc-t-${randomBytes(4).toString('hex')}`;
    const handle = await connectDatabase(cfg.db);
    const engine = await openEngine(cfg, handle);
    try {
      const submitted = await submitRun(handle, engine, { settings: cfg, command: 'pipeline' });
      const ws = [0, 1].map(() => worker(config, [...ONCE, '--concurrency', '1'], app));
      assert.deepEqual(await Promise.all(ws.map((w) => w.done)), [0, 0], ws.map((w) => w.output()).join('\n---\n'));
      await waitForRun(handle, engine, submitted.run, { pollMs: 200, signal: AbortSignal.timeout(120_000) });
      const results = await pgQuery(cfg, `select kind, status, detail from ${engine.schema}.hstlc_results where run = $1`, [submitted.run]);
      const plots = results.filter((r) => r['kind'] === 'plot');
      const site = results.find((r) => r['kind'] === 'site');
      assert.ok(site !== undefined && site['status'] === 'done', JSON.stringify(site));
      // One plot job per lightcurve with statistics; the PNGs it drew: a lightcurve image each, and a
      // periodogram image for each with a periodogram (total > 0, §11.2).
      const localPngs = listTree(settings.plot_dir).filter((f) => f.endsWith('.png') && !f.startsWith('periodogram_subset/'));
      const drawnAhead = plots.reduce((n, r) => n + Number((r['detail'] as { images?: number }).images ?? 0), 0);
      assert.ok(plots.length > 0 && plots.every((r) => r['status'] === 'done'), JSON.stringify(plots.slice(0, 3)));
      assert.equal(drawnAhead, localPngs.length, 'every PNG of the site was drawn by a plot job');
      // The site job took every one of them (none drawn twice, none left behind).
      assert.deepEqual(listTree(path.join(cfg.plot_dir, IMAGE_CACHE_DIR)), []);
      // The same site: the same files, the PNGs byte for byte (rendering is deterministic).
      const visible = (dir: string) => listTree(dir).filter((f) => !f.startsWith('.hstlc'));
      assert.deepEqual(visible(cfg.plot_dir), visible(settings.plot_dir));
      for (const f of localPngs) assert.ok(readFileSync(path.join(cfg.plot_dir, f)).equals(readFileSync(path.join(settings.plot_dir, f))), `${f} differs`);
    } finally {
      await engine.close();
      await handle.close();
    }
  });

  it('two hosts (network namespaces, veth to the root namespace) each running a worker end in the same state', async (t) => {
    const db = await database();
    const { config, cfg } = await graphileHome(db);
    const tag = randomBytes(2).toString('hex');
    const addrs = spawnSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }).stdout ?? '';
    const used = new Set([...addrs.matchAll(/\b10\.213\.(\d+)\./g)].map((m) => Number(m[1])));
    let octet = 1 + Math.floor(Math.random() * 250);
    while (used.has(octet)) octet = (octet % 250) + 1;
    const hosts: Host[] = [];
    try {
      for (const i of [0, 1]) {
        const h = await makeHost(tag, i, octet, hosts);
        if (typeof h === 'string') {
          t.skip(`network namespaces cannot be made here (${h})`);
          return;
        }
      }
      // Each host's config reaches the database at its own root-side address; everything else is the same file.
      const configs = hosts.map((h) => {
        const file = path.join(cfg.home_dir, `hstlc-${h.netns}.yaml`);
        writeFileSync(file, readFileSync(config, 'utf8').replace(/@[^/]+\//, `@${h.address}:${h.port}/`));
        return file;
      });
      const app = `hstlc-t-${randomBytes(4).toString('hex')}`;
      const handle = await runOnEngine(cfg, async () => {
        const ws = hosts.map((h, i) => worker(configs[i]!, [...ONCE, '--concurrency', '1'], app, h.netns));
        const codes = await Promise.all(ws.map((w) => w.done));
        assert.deepEqual(codes, [0, 0], ws.map((w) => w.output()).join('\n---\n'));
      });
      try {
        assert.deepEqual(await stateOf(cfg, handle), local);
        // Both hosts took part.
        const workers = await engineDb.recentWorkers(handle.db, `${db.info.params['schema']}_jobs`, 3_600_000);
        assert.equal(workers.filter((w) => w.jobs_done > 0).length >= 2, true, JSON.stringify(workers));
      } finally {
        await handle.close();
      }
    } finally {
      for (const h of hosts) {
        await new Promise<void>((resolve) => h.proxy.close(() => resolve()));
        ip(['netns', 'del', h.netns]);
        ip(['link', 'del', `hr${tag}${hosts.indexOf(h)}`]);
      }
    }
  });
});

/** Run `ip …`; the error output when it fails. */
function ip(args: string[]): string | undefined {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `ip ${args.join(' ')} failed`).trim();
}

interface Host {
  netns: string;
  /** The root namespace's end of the veth pair, where the proxy to PostgreSQL listens. */
  address: string;
  proxy: net.Server;
  port: number;
}

/**
 * A network namespace linked to the root namespace by a veth pair (/30 of 10.213.K.0), with a TCP proxy
 * on the root end's address to the PostgreSQL on loopback (which listens on 127.0.0.1 only). Undefined
 * with the reason when namespaces cannot be made here.
 */
async function makeHost(tag: string, i: number, octet: number, made: Host[]): Promise<Host | string> {
  const netns = `hstlc-${tag}-${i}`;
  const root = `hr${tag}${i}`;
  const inner = `hn${tag}${i}`;
  const address = `10.213.${octet}.${4 * i + 1}`;
  const problem =
    ip(['netns', 'add', netns]) ??
    ip(['link', 'add', root, 'type', 'veth', 'peer', 'name', inner]) ??
    ip(['link', 'set', inner, 'netns', netns]) ??
    ip(['addr', 'add', `${address}/30`, 'dev', root]) ??
    ip(['link', 'set', root, 'up']) ??
    ip(['netns', 'exec', netns, 'ip', 'addr', 'add', `10.213.${octet}.${4 * i + 2}/30`, 'dev', inner]) ??
    ip(['netns', 'exec', netns, 'ip', 'link', 'set', inner, 'up']) ??
    ip(['netns', 'exec', netns, 'ip', 'link', 'set', 'lo', 'up']);
  if (problem !== undefined) {
    ip(['netns', 'del', netns]);
    ip(['link', 'del', root]);
    return problem;
  }
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(5432, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  proxy.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve, reject) => proxy.listen(0, address, resolve).once('error', reject));
  const host = { netns, address, proxy, port: (proxy.address() as net.AddressInfo).port };
  made.push(host);
  return host;
}

async function pgQuery(cfg: LoadedConfig, text: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const i = cfg.db;
  const client = new pg.Client({ host: i.host, port: i.port, user: i.user, password: i.password, database: i.database });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
