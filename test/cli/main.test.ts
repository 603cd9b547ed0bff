import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanupSandboxes, run, runArgv, sandbox } from './helpers.js';

after(cleanupSandboxes);

/** Every stage command; each is documented in --help whether or not it is built yet. */
const STAGE_COMMANDS: Array<[string, string[]]> = [
  ['ingest', []],
  ['stats', []],
  ['plots', []],
  ['pipeline', []],
  ['download', ['--dry-run']],
  ['reset-filesystem', []],
  ['reset-database', []],
  ['extract', ['x_corrtag_a.fits', '-o', 'out.fits']],
  ['composite', ['a.fits', 'b.fits', '-o', 'out.fits']],
  ['lightcurve-stats', ['a_curve.fits']],
  ['demo', []],
];

describe('hstlc --help', () => {
  it('prints the usage, every command and the config lookup, exit 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Usage: hstlc \[options\] \[command\]/);
    for (const [name] of STAGE_COMMANDS) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'), name);
    for (const name of ['inspect', 'config', 'version']) assert.match(r.stdout, new RegExp(`^  ${name}\\b`, 'm'));
    assert.match(r.stdout, /\$HSTLC_CONFIG/);
    assert.match(r.stdout, /ingest_hstlc +=.*hstlc ingest/);
  });

  it('gives every command its own help with examples', async () => {
    for (const [name] of STAGE_COMMANDS) {
      const r = await run([name, '--help']);
      assert.equal(r.code, 0, name);
      assert.match(r.stdout, new RegExp(`^Usage: hstlc ${name}`), name);
      assert.match(r.stdout, /Examples:\n {2}\$ /, name);
    }
    const help = await run(['help', 'reset-database']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /production/);
  });

  it('documents the options of each command', async () => {
    assert.match((await run(['ingest', '--help'])).stdout, /--corrtag-extract/);
    const download = (await run(['download', '--help'])).stdout;
    assert.match(download, /--dry-run/);
    assert.match(download, /--limit <n>/);
    for (const option of ['--since <date>', '--target <name>', '--proposal <id>']) assert.ok(download.includes(option), option);
    const extract = (await run(['extract', '--help'])).stdout;
    for (const option of ['--step <seconds>', '--wlim <a,b>', '--no-airglow-filter', '-o, --output <out>']) {
      assert.ok(extract.includes(option), option);
    }
    assert.match((await run(['stats', '--help'])).stdout, /individual, composite or both/);
  });
});

describe('usage errors exit 2', () => {
  it('an unknown command, with a hint', async () => {
    const r = await run(['ingset']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: unknown command 'ingset'/);
    assert.match(r.stderr, /Did you mean ingest\?/);
    assert.match(r.stderr, /--help/);
  });

  it('an unknown option, a bad argument value, a missing required option, no command', async () => {
    assert.equal((await run(['ingest', '--corrtag'])).code, 2);
    assert.equal((await run(['stats', 'everything'])).code, 2);
    assert.equal((await run(['download', '--limit', 'ten'])).code, 2);
    assert.equal((await run(['extract', 'x.fits', '--wlim', '1800,915', '-o', 'o.fits'])).code, 2);
    assert.equal((await run(['composite', 'a.fits', 'b.fits'])).code, 2);
    assert.equal((await run(['--verbose', '--quiet', 'version'])).code, 2);
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage: hstlc/);
  });
});

describe('configuration errors exit 2', () => {
  it('with one message per bad key', async () => {
    const dirs = await sandbox();
    await writeFile(
      path.join(dirs.cwd, 'hstlc.yaml'),
      'num_cores: four\ningset_dir: /data\ndb_connection_string: postgresql://u:hunter2@h:x/db\n',
    );
    const r = await run(['config'], dirs);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      'error: hstlc.yaml: num_cores: expected a positive integer, got "four"',
      "error: hstlc.yaml: ingset_dir: unknown key 'ingset_dir' (did you mean 'ingest_dir'?)",
    ]);
    assert.match(lines[2] ?? '', /^error: hstlc\.yaml: db_connection_string: .*port 'x' is not a number/);
    assert.equal(lines.length, 3);
    assert.doesNotMatch(r.stderr, /hunter2/);
  });

  it('when --config names a missing file', async () => {
    const dirs = await sandbox();
    const r = await run(['--config', 'nope.yaml', 'config'], dirs);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: nope.yaml: config file not found (named by --config)\n');
  });

  it('when $HSTLC_CONFIG names a missing file', async () => {
    const dirs = await sandbox();
    const r = await run(['config'], { ...dirs, env: { HSTLC_CONFIG: '/no/such/hstlc.yaml' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /named by \$HSTLC_CONFIG/);
  });

  it('--help works even with a broken config', async () => {
    const dirs = await sandbox();
    await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), 'num_cores: [');
    assert.equal((await run(['--help'], dirs)).code, 0);
    assert.equal((await run(['version'], dirs)).code, 0);
  });
});

describe('original script names', () => {
  // Checked through --help so the test never runs a stage against a real home directory.
  it('run the new command when used as the program name', async () => {
    const ingest = await runArgv(['node', '/usr/local/bin/ingest_hstlc', '-corrtag_extract', '--help']);
    assert.equal(ingest.code, 0);
    assert.match(ingest.stdout, /^Usage: hstlc ingest/);
    const stats = await runArgv(['node', '/usr/local/bin/build_stats_table', '--help']);
    assert.equal(stats.code, 0);
    assert.match(stats.stdout, /^Usage: hstlc stats/);
  });

  it('run the new command when given as the command word', async () => {
    const r = await run(['ingest_hstlc', '-corrtag_extract', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: hstlc ingest/);
    const reset = await run(['reset_hstlc_database', '--help']);
    assert.match(reset.stdout, /^Usage: hstlc reset-database/);
  });
});

describe('hstlc config', () => {
  it('prints the resolved settings, password masked', async () => {
    const dirs = await sandbox();
    await writeFile(
      path.join(dirs.cwd, 'hstlc.yaml'),
      'db_connection_string: postgresql://hst:hunter2@db.example:5432/hstlc\nhome_dir: data\n',
    );
    const r = await run(['config'], dirs);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^db_connection_string: +postgresql:\/\/hst:\*\*\*@db\.example:5432\/hstlc$/m);
    assert.match(r.stdout, new RegExp(`^ingest_dir: +${path.join(dirs.cwd, 'data', 'ingest')}$`, 'm'));
    assert.doesNotMatch(r.stdout, /hunter2/);
  });

  it('--json prints the settings as JSON, password masked, before or after the command word', async () => {
    const dirs = await sandbox();
    const file = path.join(dirs.cwd, 'prod.yaml');
    await writeFile(file, 'db_connection_string: mysql+pymysql://hst:hunter2@db/hstlc\nmast_password: tsql\n');
    for (const args of [['--config', file, 'config', '--json'], ['--json', '--config', file, 'config']]) {
      const r = await run(args, dirs);
      assert.equal(r.code, 0);
      assert.doesNotMatch(r.stdout + r.stderr, /hunter2|"tsql"/);
      const data = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.equal(data['db_connection_string'], 'mysql+pymysql://hst:***@db/hstlc');
      assert.deepEqual(data['db'], {
        dialect: 'mysql',
        driver: 'pymysql',
        user: 'hst',
        host: 'db',
        database: 'hstlc',
        params: {},
        password: '***',
      });
      assert.deepEqual(data['source'], { kind: 'flag', path: file });
      assert.equal(data['num_cores'] !== undefined, true);
      // The deprecated key is reported on stderr, not hidden.
      assert.match(r.stderr, /^warning: prod\.yaml: mast_password: no longer used/m);
    }
  });

  it('reports the defaults when there is no file', async () => {
    const dirs = await sandbox();
    const r = await run(['--json', 'config'], dirs);
    const data = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(data['source'], { kind: 'defaults' });
    assert.equal(data['home_dir'], path.join(dirs.homedir, '.hstlc'));
  });
});

describe('hstlc version', () => {
  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('version prints hstlc and Node versions, also as JSON', async () => {
    const text = await run(['version']);
    assert.match(text.stdout, /^hstlc \d+\.\d+\.\d+ \(Node\.js v\d+/);
    const json = await run(['version', '--json']);
    assert.deepEqual(Object.keys(JSON.parse(json.stdout) as object), ['hstlc', 'node']);
  });
});

describe('process.exitCode', () => {
  it('is set to the returned code', async () => {
    const { main } = await import('../../src/cli/main.js');
    const code = await main(['node', 'hstlc', 'nope'], { stdout: { write: () => true }, stderr: { write: () => true } });
    assert.equal(code, 2);
    assert.equal(process.exitCode, 2);
    process.exitCode = 0;
  });
});
