import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  redactedConfig,
  type LoadConfigOptions,
} from '../../src/config/index.js';

let root: string;
let home: string;
let work: string;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hstlc-config-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** A fresh home and working directory per test, so no test sees another's files. */
async function fresh(): Promise<LoadConfigOptions> {
  counter += 1;
  home = path.join(root, `home${counter}`);
  work = path.join(root, `work${counter}`);
  await mkdir(home, { recursive: true });
  await mkdir(work, { recursive: true });
  return { cwd: work, homedir: home, env: {}, availableCores: 8 };
}

async function write(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function configError(opts: LoadConfigOptions): Promise<ConfigError> {
  try {
    await loadConfig(opts);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('loadConfig succeeded');
}

describe('loadConfig: where the file comes from', () => {
  it('uses defaults under ~/.hstlc when there is no file', async () => {
    const opts = await fresh();
    const cfg = await loadConfig(opts);
    const h = path.join(home, '.hstlc');
    assert.deepEqual(cfg.source, { kind: 'defaults' });
    assert.equal(cfg.home_dir, h);
    assert.equal(cfg.ingest_dir, path.join(h, 'ingest'));
    assert.equal(cfg.filesystem_dir, path.join(h, 'filesystem'));
    assert.equal(cfg.outputs_dir, path.join(h, 'outputs'));
    assert.equal(cfg.composite_dir, path.join(h, 'outputs', 'composite'));
    assert.equal(cfg.log_dir, path.join(h, 'logs'));
    assert.equal(cfg.download_dir, path.join(h, 'downloads'));
    assert.equal(cfg.plot_dir, path.join(h, 'plots'));
    assert.equal(cfg.bad_data_dir, path.join(h, 'bad_data'));
    assert.equal(cfg.ref_dir, path.join(h, 'ref'));
    assert.equal(cfg.db_connection_string, `sqlite:///${path.join(h, 'hstlc.db')}`);
    assert.deepEqual(cfg.db, { dialect: 'sqlite', path: path.join(h, 'hstlc.db'), params: {} });
    assert.equal(cfg.num_cores, 4);
    assert.equal(cfg.mast_url, 'https://mast.stsci.edu');
    assert.equal(cfg.crds_url, 'https://hst-crds.stsci.edu');
    assert.deepEqual(cfg.bad_proposals, []);
    assert.equal(cfg.algorithm, 'corrected');
    assert.equal(cfg.step, 1);
    assert.equal(cfg.download_concurrency, 4);
    assert.equal(cfg.download_source, 'mast');
    assert.equal(cfg.cloud_url, 'https://stpubdata.s3.amazonaws.com');
    assert.deepEqual(cfg.warnings, []);
  });

  it('defaults num_cores to the available cores when fewer than 4', async () => {
    const opts = await fresh();
    assert.equal((await loadConfig({ ...opts, availableCores: 2 })).num_cores, 2);
  });

  it('looks at --config, then $HSTLC_CONFIG, then ./hstlc.yaml, then ~/.hstlc/config.yaml', async () => {
    const opts = await fresh();
    const homeFile = await write(path.join(home, '.hstlc', 'config.yaml'), 'num_cores: 1\n');
    assert.deepEqual((await loadConfig(opts)).source, { kind: 'home', path: homeFile });

    const cwdFile = await write(path.join(work, 'hstlc.yaml'), 'num_cores: 2\n');
    assert.deepEqual((await loadConfig(opts)).source, { kind: 'cwd', path: cwdFile });

    const envFile = await write(path.join(root, `env${counter}.yaml`), 'num_cores: 3\n');
    const fromEnv = await loadConfig({ ...opts, env: { HSTLC_CONFIG: envFile } });
    assert.deepEqual(fromEnv.source, { kind: 'env', path: envFile });
    assert.equal(fromEnv.num_cores, 3);

    await write(path.join(work, 'flag.yaml'), 'num_cores: 5\n');
    const fromFlag = await loadConfig({ ...opts, env: { HSTLC_CONFIG: envFile }, configPath: 'flag.yaml' });
    assert.deepEqual(fromFlag.source, { kind: 'flag', path: path.join(work, 'flag.yaml') });
    assert.equal(fromFlag.num_cores, 5);
  });

  it('ignores an empty $HSTLC_CONFIG', async () => {
    const opts = await fresh();
    assert.equal((await loadConfig({ ...opts, env: { HSTLC_CONFIG: '' } })).source.kind, 'defaults');
  });

  it('fails when a file named by --config or $HSTLC_CONFIG does not exist', async () => {
    const opts = await fresh();
    const flag = await configError({ ...opts, configPath: 'missing.yaml' });
    assert.deepEqual(flag.messages, ['missing.yaml: config file not found (named by --config)']);
    const env = await configError({ ...opts, env: { HSTLC_CONFIG: '/nonexistent/hstlc.yaml' } });
    assert.deepEqual(env.messages, ['/nonexistent/hstlc.yaml: config file not found (named by $HSTLC_CONFIG)']);
    const dir = await configError({ ...opts, configPath: work });
    assert.match(dir.message, /is a directory/);
  });

  it('expands ~ in the --config path', async () => {
    const opts = await fresh();
    const file = await write(path.join(home, 'my.yaml'), 'step: 2\n');
    const cfg = await loadConfig({ ...opts, configPath: '~/my.yaml' });
    assert.equal(cfg.source.path, file);
    assert.equal(cfg.step, 2);
  });
});

describe('loadConfig: values and paths', () => {
  it('resolves relative paths against the config file and expands ~', async () => {
    const opts = await fresh();
    const dir = path.join(root, `conf${counter}`);
    const file = await write(
      path.join(dir, 'hstlc.yaml'),
      [
        'home_dir: data',
        'ingest_dir: ~/incoming',
        'outputs_dir: /srv/hstlc/outputs',
        'plot_dir: ../plots',
        'db_connection_string: sqlite:///db/hstlc.db',
        '',
      ].join('\n'),
    );
    const cfg = await loadConfig({ ...opts, configPath: file });
    assert.equal(cfg.home_dir, path.join(dir, 'data'));
    assert.equal(cfg.ingest_dir, path.join(home, 'incoming'));
    assert.equal(cfg.outputs_dir, '/srv/hstlc/outputs');
    // composite_dir follows outputs_dir when not set.
    assert.equal(cfg.composite_dir, '/srv/hstlc/outputs/composite');
    assert.equal(cfg.plot_dir, path.join(root, 'plots'));
    // Unset directories sit under home_dir.
    assert.equal(cfg.filesystem_dir, path.join(dir, 'data', 'filesystem'));
    assert.equal(cfg.db.path, path.join(dir, 'db', 'hstlc.db'));
    assert.equal(cfg.db_connection_string, `sqlite:///${path.join(dir, 'db', 'hstlc.db')}`);
  });

  it('takes a bare database path as SQLite, relative to the config file', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'db_connection_string: pipeline.db\n');
    const cfg = await loadConfig(opts);
    assert.equal(cfg.db.dialect, 'sqlite');
    assert.equal(cfg.db.path, path.join(work, 'pipeline.db'));
  });

  it('reads every key of ours', async () => {
    const opts = await fresh();
    await write(
      path.join(work, 'hstlc.yaml'),
      [
        'db_connection_string: postgresql://hst:pw@db:5432/hstlc',
        'num_cores: 12',
        'mast_url: http://127.0.0.1:8080/',
        'crds_url: http://127.0.0.1:8081',
        'bad_proposals: [12345, 13002]',
        'algorithm: compat',
        'step: 2',
        'download_concurrency: 8',
        'ref_dir: /grp/hst/cdbs',
        '',
      ].join('\n'),
    );
    const cfg = await loadConfig(opts);
    assert.equal(cfg.db.dialect, 'postgresql');
    assert.equal(cfg.db.password, 'pw');
    assert.equal(cfg.db_connection_string, 'postgresql://hst:pw@db:5432/hstlc');
    assert.equal(cfg.num_cores, 12);
    assert.equal(cfg.mast_url, 'http://127.0.0.1:8080');
    assert.equal(cfg.crds_url, 'http://127.0.0.1:8081');
    assert.deepEqual(cfg.bad_proposals, [12345, 13002]);
    assert.equal(cfg.algorithm, 'compat');
    assert.equal(cfg.step, 2);
    assert.equal(cfg.download_concurrency, 8);
    assert.equal(cfg.ref_dir, '/grp/hst/cdbs');
  });

  it('treats an empty file and empty values as defaults', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), '');
    const empty = await loadConfig(opts);
    assert.equal(empty.source.kind, 'cwd');
    assert.equal(empty.num_cores, 4);
    await write(path.join(work, 'hstlc.yaml'), 'num_cores:\ningest_dir:\n');
    const blanks = await loadConfig(opts);
    assert.equal(blanks.num_cores, 4);
    assert.equal(blanks.ingest_dir, path.join(home, '.hstlc', 'ingest'));
  });

  it('loads an original config file, warning about the unused MAST keys', async () => {
    const opts = await fresh();
    await write(
      path.join(work, 'hstlc.yaml'),
      [
        'db_connection_string: mysql+pymysql://hstlc:hunter2@dbhost:3306/hstlc',
        'home_dir: /grp/hstlc',
        'ingest_dir: /grp/hstlc/ingest',
        'num_cores: 10',
        'mast_server: MAST',
        'mast_database: dadsops',
        'mast_account: me',
        'mast_password: tsqlsecret',
        'archive_user: me',
        'email: me@stsci.edu',
        'host: ftp.example',
        'ftp_user: me',
        'dads_host: dads',
        'archive: archive.stsci.edu',
        '',
      ].join('\n'),
    );
    const cfg = await loadConfig(opts);
    assert.equal(cfg.db.dialect, 'mysql');
    assert.equal(cfg.warnings.length, 10);
    assert.equal(
      cfg.warnings[0],
      "hstlc.yaml: mast_server: no longer used (the downloader now uses MAST's public APIs); you can remove it",
    );
    assert.ok(cfg.warnings.every((w) => !w.includes('tsqlsecret')));
    assert.ok(!('mast_password' in cfg));
  });
});

describe('loadConfig: errors', () => {
  it('reports a wrong value as file: key: expected ..., got ...', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'num_cores: four\n');
    const err = await configError(opts);
    assert.deepEqual(err.messages, ['hstlc.yaml: num_cores: expected a positive integer, got "four"']);
    assert.equal(err.issues[0]?.key, 'num_cores');
    assert.equal(err.issues[0]?.file, 'hstlc.yaml');
  });

  it('reports every bad key once, in file order', async () => {
    const opts = await fresh();
    await write(
      path.join(work, 'hstlc.yaml'),
      [
        'step: -1',
        'ingset_dir: /x',
        'num_cores: 2.5',
        'algorithm: fast',
        'bad_proposals: [1, "abc"]',
        'mast_url: ftp://example.org',
        'home_dir: 7',
        'colour: blue',
        '',
      ].join('\n'),
    );
    const err = await configError(opts);
    assert.deepEqual(err.messages, [
      'hstlc.yaml: step: expected a positive number of seconds, got -1',
      "hstlc.yaml: ingset_dir: unknown key 'ingset_dir' (did you mean 'ingest_dir'?)",
      'hstlc.yaml: num_cores: expected a positive integer, got 2.5',
      `hstlc.yaml: algorithm: expected 'corrected' or 'compat', got "fast"`,
      'hstlc.yaml: bad_proposals: expected a list of integer proposal ids, e.g. [12345, 13002], got [1,"abc"]',
      'hstlc.yaml: mast_url: expected an http(s) URL, got "ftp://example.org"',
      'hstlc.yaml: home_dir: expected a directory path, got 7',
      "hstlc.yaml: colour: unknown key 'colour'",
    ]);
  });

  it('names a file outside the working directory by its absolute path', async () => {
    const opts = await fresh();
    const file = await write(path.join(root, `abs${counter}.yaml`), 'num_cores: 0\n');
    const err = await configError({ ...opts, configPath: file });
    assert.deepEqual(err.messages, [`${file}: num_cores: expected a positive integer, got 0`]);
  });

  it('gives YAML syntax errors with line and column', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'num_cores: 2\nbad_proposals: [1, 2\nstep: 1\n');
    const err = await configError(opts);
    assert.equal(err.issues[0]?.line, 3);
    assert.equal(err.issues[0]?.column, 1);
    assert.match(err.messages[0] ?? '', /^hstlc\.yaml:3:1: YAML syntax error: /);
  });

  it('reports a duplicated key as a YAML error', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'step: 1\nstep: 2\n');
    const err = await configError(opts);
    assert.match(err.messages[0] ?? '', /^hstlc\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('does not quote a password from the lines around a YAML error', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'db_connection_string: "postgresql://u:hunter2@h/db\n');
    const err = await configError(opts);
    assert.doesNotMatch(err.message, /hunter2/);
  });

  it('rejects a file that is not a mapping', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), '- ingest_dir\n- outputs_dir\n');
    const err = await configError(opts);
    assert.match(err.messages[0] ?? '', /^hstlc\.yaml: expected a mapping/);
  });

  it('explains a bad connection string without printing its password', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'db_connection_string: oracle://scott:tiger@dbhost/orcl\n');
    const err = await configError(opts);
    assert.deepEqual(err.messages, [
      "hstlc.yaml: db_connection_string: unsupported database 'oracle' in 'oracle://scott:***@dbhost/orcl' (expected sqlite, postgresql or mysql)",
    ]);
    await write(path.join(work, 'hstlc.yaml'), 'db_connection_string: postgresql://scott:tiger@dbhost:abc/hstlc\n');
    const port = await configError(opts);
    assert.match(port.message, /port 'abc' is not a number/);
    assert.doesNotMatch(port.message, /tiger/);
  });

  it('masks a password in a value shown back', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'mast_url: "postgresql://scott:tiger@h/db"\n');
    const err = await configError(opts);
    assert.doesNotMatch(err.message, /tiger/);
    assert.match(err.message, /scott:\*\*\*@h/);
  });
});

describe('describeConfig and redactedConfig', () => {
  it('print every setting without the database password', async () => {
    const opts = await fresh();
    await write(path.join(work, 'hstlc.yaml'), 'db_connection_string: postgresql://hst:s3cret@db/hstlc\n');
    const cfg = await loadConfig(opts);
    const lines = describeConfig(cfg);
    const text = lines.join('\n');
    assert.doesNotMatch(text, /s3cret/);
    assert.match(text, /^db_connection_string: +postgresql:\/\/hst:\*\*\*@db\/hstlc$/m);
    assert.match(text, new RegExp(`^config: +${path.join(work, 'hstlc.yaml')} \\(found in the working directory\\)$`, 'm'));
    assert.match(text, /^num_cores: +4$/m);

    const data = redactedConfig(cfg);
    const json = JSON.stringify(data);
    assert.doesNotMatch(json, /s3cret/);
    assert.deepEqual(data['db'], { dialect: 'postgresql', user: 'hst', host: 'db', database: 'hstlc', params: {}, password: '***' });
    assert.equal(data['ingest_dir'], cfg.ingest_dir);
  });
});
