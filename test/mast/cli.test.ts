/**
 * `hstlc download` end to end against the stub: the synthetic generator's archive downloaded whole and
 * byte-exact with its reference files, a second run that fetches nothing, --dry-run and --json, the
 * token kept out of every output, and a run killed mid-transfer that the next run resumes with Range.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectFile } from '../../src/hst/detect.js';
import { generateArchive } from '../../src/synthetic/index.js';
import { partPath, type RunReport } from '../../src/mast/index.js';
import { loadArchive, startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { cleanupSandboxes, run } from '../cli/helpers.js';
import { hstlcArgv } from '../helpers/cli-process.js';
import { exposureFile, filesFor, sha256 } from './fixtures.js';
import { dirs, listDir, type Dirs } from './helpers.js';

import { loadConfig } from '../../src/config/load.js';
import { connectDatabase, listDownloads, type Download } from '../../src/db/index.js';

after(cleanupSandboxes);

async function writeConfig(d: Dirs, url: string, extra = ''): Promise<string> {
  const file = path.join(d.root, 'hstlc.yaml');
  await writeFile(
    file,
    [
      `home_dir: ${d.root}`,
      `ingest_dir: ${d.ingest}`,
      `ref_dir: ${d.ref}`,
      `download_dir: ${d.download}`,
      `log_dir: ${path.join(d.root, 'logs')}`,
      `mast_url: ${url}`,
      `crds_url: ${url}`,
      'download_concurrency: 3',
      extra,
    ].join('\n'),
  );
  return file;
}

const TOKEN = 'mast-token-DO-NOT-LOG-42';

async function downloadsTable(configFile: string): Promise<Download[]> {
  const cfg = await loadConfig({ configPath: configFile });
  const handle = await connectDatabase(cfg.db);
  try {
    return await listDownloads(handle.db);
  } finally {
    await handle.close();
  }
}

describe('hstlc download with the synthetic archive', () => {
  let archive: Dirs;
  let d: Dirs;
  let stub: MastStub;
  let config: string;

  before(async () => {
    archive = dirs();
    await generateArchive({ dir: archive.root, size: 'tiny', seed: 3 });
    stub = await startMastStub(await loadArchive(archive.root));
    d = dirs();
    config = await writeConfig(d, stub.url);
  });
  after(async () => {
    await stub.close();
    archive.cleanup();
    d.cleanup();
  });

  it('--dry-run prints the plan and downloads nothing', async () => {
    const r = await run(['--config', config, 'download', '--dry-run'], { env: { MAST_API_TOKEN: TOKEN } });
    assert.equal(r.code, 0, r.stderr);
    const served = [...stub.catalog.files.keys()];
    for (const name of served) assert.ok(r.stdout.includes(name), name);
    const bytes = [...stub.catalog.files.values()].reduce((n, f) => n + f.size, 0);
    assert.match(r.stdout, new RegExp(`^would download ${served.length} files \\(${(bytes / 1e6).toFixed(1)} MB\\); dry run: nothing downloaded$`, 'm'));
    assert.ok(!/files downloaded/.test(r.stdout + r.stderr), 'a dry run does not say "0 files downloaded"');
    assert.equal(stub.count('download'), 0);
    assert.deepEqual(await listDir(d.ingest), []);
  });

  it('downloads every file byte-exact, fetches the reference files, writes report and ledger', async () => {
    // Two 503s on one file: each retry is announced with its wait and the attempt coming (of 5).
    const flaky = [...stub.catalog.files.values()][0]!.filename;
    stub.addFault({ route: 'download', kind: 'status', status: 503, method: 'GET', file: flaky, times: 2 });
    const r = await run(['--config', config, 'download'], { env: { MAST_API_TOKEN: TOKEN } });
    assert.equal(r.code, 0, r.stderr);
    for (const next of [2, 3]) assert.match(r.stderr, new RegExp(`^info  ${flaky.replace(/\./g, '\\.')}: HTTP 503; retrying in [\\d.]+ s, attempt ${next}/5$`, 'm'), r.stderr);
    const served = [...stub.catalog.files.values()];
    assert.match(r.stdout, new RegExp(`^${served.length} files downloaded, 0 skipped, 0 failed; \\d+ reference files fetched, 0 failed$`, 'm'));
    const got = (await listDir(d.ingest)).filter((n) => !n.startsWith('.'));
    assert.deepEqual(got, served.map((f) => f.filename).sort());
    for (const f of served) {
      const bytes = await readFile(path.join(d.ingest, f.filename));
      const original = await readFile(path.join(archive.root, 'ingest', f.filename));
      assert.equal(sha256(bytes), sha256(original), f.filename);
    }
    // The files are what the pipeline expects to ingest.
    const kinds = new Set(await Promise.all(got.map(async (n) => (await detectFile(path.join(d.ingest, n))).kind)));
    assert.ok(kinds.has('cos-fuv-corrtag') && kinds.has('stis-tag') && kinds.has('x1d'), [...kinds].join(','));

    // Reference files: each fetched one equals the generator's, under ref_dir/lref|oref.
    const fetched: string[] = [];
    for (const sub of ['lref', 'oref']) {
      for (const name of await listDir(path.join(d.ref, sub))) {
        fetched.push(name);
        assert.equal(sha256(await readFile(path.join(d.ref, sub, name))), sha256(await readFile(path.join(archive.root, 'ref', sub, name))));
      }
    }
    assert.ok(fetched.some((n) => n.endsWith('_phot.fits')) && fetched.some((n) => n.endsWith('_tds.fits')) && fetched.some((n) => n.endsWith('_pfl.fits')));

    const reports = (await listDir(d.download)).filter((n) => n.startsWith('download_') && n.endsWith('.json'));
    assert.equal(reports.length, 1);
    const report = JSON.parse(await readFile(path.join(d.download, reports[0]!), 'utf8')) as RunReport;
    assert.equal(report.summary.downloaded, served.length);
    assert.ok(report.summary.mb_per_s > 0);
    // The ledger is the database's downloads table (SQLite under home_dir by default).
    const ledger = await downloadsTable(config);
    const complete = ledger.filter((l) => l.state === 'complete');
    assert.equal(complete.length, served.length);
    for (const c of complete) assert.equal(c.sha256, sha256(await readFile(path.join(archive.root, 'ingest', c.filename))));

    // The token reached MAST and nothing else: not the output, the report, the ledger or the log.
    assert.ok(stub.requests.filter((q) => q.route === 'download').every((q) => q.authorized));
    const logs = await listDir(path.join(d.root, 'logs'));
    assert.equal(logs.length, 1);
    const texts = [r.stdout, r.stderr, JSON.stringify(report), JSON.stringify(ledger), await readFile(path.join(d.root, 'logs', logs[0]!), 'utf8')];
    for (const t of texts) assert.ok(!t.includes(TOKEN));
  });

  it('a second run downloads nothing; --json gives the report', async () => {
    stub.requests.length = 0;
    const r = await run(['--config', config, '--json', 'download']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as RunReport & { report_file: string };
    assert.equal(report.summary.downloaded, 0);
    assert.equal(report.summary.failed, 0);
    assert.equal(stub.count('download'), 0);
    assert.equal(stub.count('crds-file'), 0);
    assert.ok((await stat(report.report_file)).isFile());
  });

  it('refuses to run while another download holds the lock', async () => {
    // Our parent process stands in for a live download run.
    await writeFile(path.join(d.download, 'download.lock'), `${process.ppid}\n`);
    stub.requests.length = 0;
    const r = await run(['--config', config, 'download']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`error: another download is running \\(pid ${process.ppid}; lock `));
    assert.equal(stub.requests.length, 0);
    const dry = await run(['--config', config, 'download', '--dry-run']);
    assert.equal(dry.code, 0, 'a dry run only looks');
    const { rm } = await import('node:fs/promises');
    await rm(path.join(d.download, 'download.lock'));
  });
});

describe('hstlc download killed mid-transfer', () => {
  const BIG = exposureFile({ rootname: 'lbig01a1q', events: 120_000 }, 'corrtag_a'); // ~1.4 MB
  const SMALL = filesFor([{ rootname: 'lsma01a1q' }, { rootname: 'osma01010' }]);
  const STALL_AT = 300_000;
  let stub: MastStub;
  let d: Dirs;

  before(async () => {
    stub = await startMastStub({ files: [BIG, ...SMALL], chunkBytes: 16 * 1024 });
    d = dirs();
  });
  after(async () => {
    await stub.close();
    d.cleanup();
  });

  it('the next run resumes the .part with Range, re-downloads nothing that was complete, no duplicates', async () => {
    const config = await writeConfig(d, stub.url);
    stub.addFault({ route: 'download', kind: 'stall', file: BIG.name, afterBytes: STALL_AT });
    const child = spawn(...hstlcArgv(['--config', config, 'download']), {
      stdio: 'ignore',
      env: { ...process.env, CI: 'true' },
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const part = partPath(path.join(d.ingest, BIG.name));
    // Wait (bounded) until the small files are in and the big one's .part holds the stalled bytes.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const names = await listDir(d.ingest);
      const partSize = await stat(part).then((s) => s.size, () => 0);
      if (partSize >= STALL_AT && SMALL.every((f) => names.includes(f.name))) break;
      assert.ok(Date.now() < deadline, `timed out: ${names.join(',')} part=${partSize}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    assert.ok(!(await listDir(d.ingest)).includes(BIG.name), 'no final name for the unfinished file');
    assert.equal((await stat(part)).size, STALL_AT);

    stub.clearFaults();
    const r = await run(['--config', config, 'download']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1 files downloaded, \d+ skipped, 0 failed$/m);
    assert.equal(sha256(await readFile(path.join(d.ingest, BIG.name))), sha256(BIG.bytes));
    const bigGets = stub.requests.filter((q) => q.file === BIG.name && q.method === 'GET');
    assert.deepEqual(bigGets.map((q) => q.range), [undefined, `bytes=${STALL_AT}-`]);
    assert.equal(bigGets[1]!.status, 206);
    for (const f of SMALL) assert.equal(stub.count('download', { file: f.name, method: 'GET' }), 1, f.name);
    const names = await readdir(d.ingest);
    assert.deepEqual(names.sort(), [BIG, ...SMALL].map((f) => f.name).sort(), 'each file once, no .part left');
    const report = JSON.parse(await readFile(path.join(d.download, (await listDir(d.download)).find((n) => n.startsWith('download_'))!), 'utf8')) as RunReport;
    const big = report.files.find((f) => f.filename === BIG.name)!;
    assert.equal(big.resumed_from, STALL_AT);
  });
});

describe('hstlc mast-stub', () => {
  it('serves an archive folder on 127.0.0.1 until terminated', async () => {
    const d = dirs();
    try {
      for (const f of filesFor([{ rootname: 'lsrv01a1q' }])) await writeFile(path.join(d.ingest, f.name), f.bytes);
      const child = spawn(...hstlcArgv(['mast-stub', '--archive', d.root]), { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      assert.match(out, /serving 2 files and 0 reference files/);
      const res = await fetch(`${url}/search/hst/api/v0.1/search`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ conditions: [{ sci_instrume: 'COS' }], limit: 10, offset: 0 }) });
      const body = (await res.json()) as { totalResults: number; results: Array<Record<string, unknown>> };
      assert.equal(body.totalResults, 1);
      assert.equal(body.results[0]!['sci_data_set_name'], 'LSRV01A1Q');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      d.cleanup();
    }
  });
});
