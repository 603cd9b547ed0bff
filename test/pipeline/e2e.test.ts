/**
 * The end-to-end proof (issue 9), through the CLI as a user runs it: generate the tiny synthetic archive →
 * serve it from the MAST stub → `hstlc download` into a fresh ingest_dir → `hstlc pipeline` →
 * `hstlc reset-filesystem` → `hstlc reset-database production` → `hstlc pipeline` again, which must give
 * the same outputs: file trees, table digests of every lightcurve's FITS data, the database rows (metadata,
 * outputs, bad_data, target names, stats) and the site's files. On SQLite and on PostgreSQL
 * (HSTLC_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test, a fresh schema per run;
 * skipped locally when unreachable, a failure under CI=true). Each command is a process of its own, as
 * a user runs it: the compiled CLI when dist/ is current (cli-process.ts), with an empty environment.
 *
 * The archive is four composite groups of the tiny one (E2E_GROUPS: a COS NUV group with its empty
 * file, a COS FUV group whose second exposure has only its _b segment, a FUV pair of a bad proposal, STIS
 * tags with their x1d and a nonlinear one): every kind of product and of quarantine, at a third of the
 * whole archive's corrected-grid periodograms, four pipelines in all. The whole tiny archive:
 * HSTLC_TEST_E2E_ARCHIVE=whole node --import tsx --test test/pipeline/e2e.test.ts (bench/pipeline.ts
 * times the pipeline on larger ones).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { parseConnectionString } from '../../src/config/connection.js';
import { loadConfig } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { connectDatabase } from '../../src/db/index.js';
import { generateArchive, type ArchiveManifest } from '../../src/synthetic/index.js';
import { loadArchive, startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import type { PipelineSummary } from '../../src/pipeline/pipeline.js';
import type { StatusReport } from '../../src/pipeline/status.js';
import { runHstlc } from '../helpers/cli-process.js';
import { keepArchiveGroups, listTree, snapshot, type Snapshot } from './helpers.js';

/** COS NUV AZV 148, COS FUV HD 209458 and 1ES1028+511 (bad proposal), STIS XTEJ1118+480. */
const E2E_GROUPS = process.env.HSTLC_TEST_E2E_ARCHIVE === 'whole' ? /./ : /^(lbal|lbxv|lclf|o6a50)/;
const POSTGRES_URL = process.env.HSTLC_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const scratch: string[] = [];

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(d);
  return d;
}

after(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pgConfig(url: string): pg.ClientConfig {
  const info = parseConnectionString(url);
  return { host: info.host, port: info.port, user: info.user, password: info.password, database: info.database, connectionTimeoutMillis: 3000 };
}

/** The PostgreSQL URL that answers (as given, or as user root when defaulted), or why none does. */
async function reachablePostgres(): Promise<{ url: string } | { skip: string }> {
  const candidates = [POSTGRES_URL];
  if (process.env.HSTLC_TEST_POSTGRES_URL === undefined) candidates.push(POSTGRES_URL.replace('postgresql://postgres@', 'postgresql://root@'));
  let last = '';
  for (const url of candidates) {
    const client = new pg.Client(pgConfig(url));
    try {
      await client.connect();
      await client.end();
      return { url };
    } catch (err) {
      last = (err as Error).message;
      await client.end().catch(() => undefined);
    }
  }
  const reason = `PostgreSQL at ${POSTGRES_URL} unreachable (${last})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; required under CI`);
  return { skip: reason };
}

interface Database {
  url: string;
  drop(): Promise<void>;
}

const postgres = await reachablePostgres();

const DIALECTS: Array<{ name: string; skip: string | false; create(home: string): Promise<Database> }> = [
  {
    name: 'sqlite',
    skip: false,
    create: async (home) => ({ url: `sqlite:///${path.join(home, 'hstlc.db')}`, drop: async () => undefined }),
  },
  {
    name: 'postgresql',
    skip: 'skip' in postgres ? postgres.skip : false,
    async create() {
      const admin = (postgres as { url: string }).url;
      const schema = `hstlc_e2e_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const client = new pg.Client(pgConfig(admin));
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
      const u = new URL(admin);
      u.searchParams.set('schema', schema);
      return {
        url: u.toString(),
        async drop() {
          const c = new pg.Client(pgConfig(admin));
          await c.connect();
          await c.query(`drop schema if exists ${schema} cascade`);
          await c.end();
        },
      };
    },
  },
];

interface Outputs extends Snapshot {
  stats: unknown[];
  site: string[];
}

/** Everything the pipeline produced, comparable across runs (paths relative to home_dir, ids left out). */
async function outputsOf(cfg: LoadedConfig): Promise<Outputs> {
  const handle = await connectDatabase(cfg.db);
  try {
    const base = await snapshot(cfg, handle);
    const stats = (await handle.db.selectFrom('stats').selectAll().execute())
      .map(({ id: _id, ...r }) => ({ ...r, lightcurve_path: path.relative(cfg.home_dir, r.lightcurve_path) }))
      .map((r) => JSON.stringify(r))
      .sort()
      .map((s) => JSON.parse(s) as unknown);
    // The site's pages and images; not its periodogram cache, keyed by the bytes of each lightcurve file,
    // whose header (GEN_DATE, CHECKSUM) is new on every ingest.
    return { ...base, stats, site: listTree(cfg.plot_dir).filter((f) => !f.startsWith('.')) };
  } finally {
    await handle.close();
  }
}

function goodFiles(manifest: ArchiveManifest): number {
  // The manifest marks what ingest takes on its own (not x1d companions, not the _b of an FUV pair).
  return manifest.files.filter((f) => f.ingested && f.quality?.ok === true).length;
}

for (const dialect of DIALECTS) {
  describe(`end to end on ${dialect.name}: download → pipeline → reset → pipeline`, { skip: dialect.skip }, () => {
    let archiveDir: string;
    let manifest: ArchiveManifest;
    let stub: MastStub;
    let home: string;
    let config: string;
    let database: Database;
    let cfg: LoadedConfig;

    before(async () => {
      archiveDir = tempDir('hstlc-e2e-archive-');
      manifest = keepArchiveGroups({ dir: archiveDir, manifest: await generateArchive({ dir: archiveDir, seed: 11, size: 'tiny' }) }, E2E_GROUPS).manifest;
      stub = await startMastStub(await loadArchive(archiveDir));
      home = tempDir('hstlc-e2e-home-');
      database = await dialect.create(home);
      config = path.join(home, 'hstlc.yaml');
      await writeFile(
        config,
        [
          `home_dir: ${home}`,
          `db_connection_string: ${database.url}`,
          `mast_url: ${stub.url}`,
          `crds_url: ${stub.url}`,
          'num_cores: 2',
          `bad_proposals: [${manifest.bad_proposals.join(', ')}]`,
          '',
        ].join('\n'),
      );
      cfg = await loadConfig({ configPath: config, env: {} });
    });
    after(async () => {
      await stub?.close();
      await database?.drop();
    });

    let first: Outputs;

    it('downloads the archive and its reference files into a fresh ingest_dir', async () => {
      const r = await runHstlc(['--quiet', '--config', config, 'download'], { env: {} });
      assert.equal(r.code, 0, r.stderr);
      const served = [...stub.catalog.files.keys()].sort();
      assert.deepEqual(listTree(cfg.ingest_dir).filter((n) => !n.startsWith('.')), served);
      assert.ok(listTree(path.join(cfg.ref_dir, 'lref')).length > 0 && listTree(path.join(cfg.ref_dir, 'oref')).length > 0);
    });

    it('runs the whole pipeline: every good file ingested, every bad one quarantined, composites, stats, the site', async () => {
      const r = await runHstlc(['--quiet', '--json', '--config', config, 'pipeline'], { env: {} });
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as PipelineSummary;
      const bad = manifest.files.filter((f) => f.ingested && f.bad !== null).length;
      assert.equal(s.ok, true);
      assert.deepEqual(s.totals.files, { done: goodFiles(manifest), bad, failed: 0, skipped: 0 });
      assert.deepEqual(s.totals.composites, { done: manifest.composites.length, failed: 0 });
      assert.deepEqual(s.totals.lightcurves, { done: goodFiles(manifest) + manifest.composites.length, failed: 0, unchanged: 0 });
      assert.deepEqual(s.stages.map((x) => [x.stage, x.status]), [['ingest', 'ok'], ['stats', 'ok'], ['plots', 'ok']]);
      assert.equal(s.totals.site, path.join(cfg.plot_dir, 'index.html'));
      assert.equal(s.totals.plots.failed, 0);

      first = await outputsOf(cfg);
      assert.deepEqual(first.trees.ingest.filter((n) => !n.startsWith('.')), [], 'ingest_dir emptied');
      const composites = first.trees.outputs.filter((f) => f.startsWith('composite/')).map((f) => f.slice('composite/'.length));
      assert.deepEqual(composites.sort(), manifest.composites.map((c) => c.name).sort());
      assert.equal(first.stats.length, goodFiles(manifest) + manifest.composites.length);
      assert.ok(first.site.includes('index.html'));

      const status = await runHstlc(['--json', '--config', config, 'status'], { env: {} });
      assert.equal(status.code, 0, status.stderr);
      const report = JSON.parse(status.stdout) as StatusReport;
      assert.equal(report.counts.metadata, goodFiles(manifest));
      assert.equal(report.counts.bad_data, bad);
      assert.equal(report.counts.stats, first.stats.length);
      assert.equal(report.ingest.waiting, 0);
      assert.deepEqual(report.pendingComposites, []);
      assert.deepEqual(report.lastRuns.slice(0, 3).map((x) => [x.command, x.status]), [['plots', 'ok'], ['stats', 'ok'], ['ingest', 'ok']]);
    });

    it('after reset-filesystem and reset-database production, a second pipeline gives the same outputs', async () => {
      assert.ok(first !== undefined, 'the first pipeline ran');
      const rf = await runHstlc(['--config', config, 'reset-filesystem', '--yes'], { env: {} });
      assert.equal(rf.code, 0, rf.stderr);
      const rd = await runHstlc(['--config', config, 'reset-database', 'production', '--yes'], { env: {} });
      assert.equal(rd.code, 0, rd.stderr);
      assert.deepEqual(listTree(cfg.filesystem_dir), []);
      assert.deepEqual(listTree(cfg.outputs_dir), []);

      const r = await runHstlc(['--quiet', '--json', '--config', config, 'pipeline'], { env: {} });
      assert.equal(r.code, 0, r.stderr);
      const s = JSON.parse(r.stdout) as PipelineSummary;
      // The bad files stayed in bad_data_dir (and their rows in bad_data): only the good ones come back.
      assert.deepEqual(s.totals.files, { done: goodFiles(manifest), bad: 0, failed: 0, skipped: 0 });
      const second = await outputsOf(cfg);
      assert.deepEqual(second.trees, first.trees);
      assert.deepEqual(second.productDigests, first.productDigests);
      assert.deepEqual(second.rawDigests, first.rawDigests);
      assert.deepEqual(second.metadata, first.metadata);
      assert.deepEqual(second.outputs, first.outputs);
      assert.deepEqual(second.badData, first.badData);
      assert.deepEqual(second.targetNames, first.targetNames);
      assert.deepEqual(second.stats, first.stats);
      assert.deepEqual(second.site, first.site);
    });
  });
}
