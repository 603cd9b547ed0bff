import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, formatRecord, logFileName, type LoggerOptions } from '../../src/log/index.js';

let root: string;
before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'hstlc-log-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function sink(isTTY = false) {
  const sinkState = { text: '', isTTY, write(s: string) { sinkState.text += s; } };
  return sinkState;
}

let n = 0;
async function run(opts: Partial<LoggerOptions>, body: (log: ReturnType<typeof createLogger>) => void) {
  n += 1;
  const logDir = path.join(root, `logs${n}`);
  const console = sink(opts.stderr?.isTTY ?? false);
  const log = createLogger({
    command: 'ingest',
    logDir,
    level: 'info',
    quiet: false,
    verbose: false,
    env: {},
    now: new Date(2016, 11, 31, 9, 5),
    ...opts,
    stderr: console,
  });
  body(log);
  await log.close();
  const [file] = await readdir(logDir);
  const text = await readFile(path.join(logDir, file ?? ''), 'utf8');
  const records = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { file, records, console: console.text, log };
}

describe('logFileName', () => {
  it('uses the original <command>_<YYYY-MM-DD-HH-MM>.log pattern, local time', () => {
    assert.equal(logFileName('ingest', new Date(2016, 11, 31, 9, 5)), 'ingest_2016-12-31-09-05.log');
    assert.equal(logFileName('a/b c', new Date(2020, 0, 2, 3, 4)), 'a_b_c_2020-01-02-03-04.log');
  });
});

describe('createLogger', () => {
  it('writes JSON lines to the log file, preamble first', async () => {
    const { file, records, log } = await run(
      {
        version: '9.9.9',
        config: { source: { kind: 'flag', path: '/etc/hstlc.yaml' }, db_connection_string: 'postgresql://u:s3cret@h/db' },
      },
      (log) => log.info({ files: 3 }, 'Ingesting 3 files'),
    );
    assert.equal(file, 'ingest_2016-12-31-09-05.log');
    assert.equal(log.file, path.join(root, `logs${n}`, 'ingest_2016-12-31-09-05.log'));
    const messages = records.map((r) => r['msg']);
    assert.match(String(messages[0]), /^User: /);
    assert.equal(messages[1], `System: ${os.hostname()}`);
    assert.equal(messages[2], `Node version: ${process.version}`);
    assert.equal(messages[3], 'hstlc version: 9.9.9');
    assert.equal(messages[4], 'Config: /etc/hstlc.yaml (from --config)');
    assert.equal(messages[5], 'Database: postgresql://u:***@h/db');
    assert.equal(messages[6], 'Ingesting 3 files');
    const last = records[6] ?? {};
    assert.equal(last['level'], 'info');
    assert.equal(last['files'], 3);
    assert.equal(last['command'], 'ingest');
    assert.equal(typeof last['time'], 'string');
  });

  it('keeps the preamble off the console unless verbose', async () => {
    const quietRun = await run({ version: '1' }, (log) => log.info('hello'));
    assert.equal(quietRun.console, 'info  hello\n');
    const verboseRun = await run({ version: '1', verbose: true }, () => {});
    assert.match(verboseRun.console, /^info  User: /m);
    assert.match(verboseRun.console, /^info  hstlc version: 1$/m);
  });

  it('prints level, message and key=value on the console, without colour off a TTY', async () => {
    const { console } = await run({}, (log) => {
      log.info({ file: 'a b.fits', n: 2, ok: true }, 'done');
      log.warn({ target: 'HD189733' }, 'odd target');
    });
    assert.equal(console, 'info  done file="a b.fits" n=2 ok=true\nwarn  odd target target=HD189733\n');
  });

  it('colours on a TTY, but not when NO_COLOR is set', async () => {
    const tty = await run({ stderr: sink(true) }, (log) => log.warn('careful'));
    assert.match(tty.console, /\x1b\[33mwarn /);
    const noColor = await run({ stderr: sink(true), env: { NO_COLOR: '1' } }, (log) => log.warn('careful'));
    assert.equal(noColor.console, 'warn  careful\n');
  });

  it('--quiet shows only warnings and errors on the console; the file still gets info', async () => {
    const { console, records } = await run({ quiet: true }, (log) => {
      log.info('progress');
      log.warn('a warning');
      log.error('an error');
    });
    assert.equal(console, 'warn  a warning\nerror an error\n');
    assert.ok(records.some((r) => r['msg'] === 'progress'));
  });

  it('--verbose shows debug on the console and in the file; otherwise neither', async () => {
    const plain = await run({}, (log) => log.debug('detail'));
    assert.equal(plain.console, '');
    assert.ok(!plain.records.some((r) => r['msg'] === 'detail'));
    const verbose = await run({ verbose: true }, (log) => log.debug('detail'));
    assert.match(verbose.console, /^debug detail$/m);
    assert.ok(verbose.records.some((r) => r['msg'] === 'detail' && r['level'] === 'debug'));
  });

  it('never writes a connection password, in messages, fields, errors or child bindings', async () => {
    const url = 'mysql+pymysql://hst:hunter2@db:3306/hstlc';
    const { console, records } = await run({}, (log) => {
      log.info(`connecting to ${url}`);
      log.info({ url, db: { password: 'hunter2', user: 'hst' }, nested: { list: [url] } }, 'fields');
      log.error({ err: new Error(`cannot connect to ${url}`) }, 'failed');
      log.error(new Error(`cannot connect to ${url}`));
      log.child({ connection: url }).warn('child');
      log.info({ mast_password: 'hunter2' }, 'old key');
    });
    const file = JSON.stringify(records);
    assert.doesNotMatch(file, /hunter2/);
    assert.doesNotMatch(console, /hunter2/);
    assert.match(file, /hst:\*\*\*@db/);
    const fields = records.find((r) => r['msg'] === 'fields') ?? {};
    assert.deepEqual(fields['db'], { password: '***', user: 'hst' });
    const failed = records.find((r) => r['msg'] === 'failed') ?? {};
    assert.equal((failed['err'] as { type?: string }).type, 'Error');
  });

  it('shows an error message on the console and its stack only with --verbose', async () => {
    const plain = await run({}, (log) => log.error({ err: new Error('boom') }, 'failed'));
    assert.equal(plain.console, 'error failed err=boom\n');
    const verbose = await run({ verbose: true }, (log) => log.error({ err: new Error('boom') }, 'failed'));
    assert.match(verbose.console, /^error failed err=boom\n {4}Error: boom\n {8}at /m);
  });

  it('drops records after close, and close can be called twice', async () => {
    const { log, records } = await run({}, (log) => log.info('before'));
    log.info('after');
    await log.close();
    assert.ok(!records.some((r) => r['msg'] === 'after'));
  });

  it('logs to the console only without a log directory', async () => {
    const console = sink();
    const log = createLogger({ command: 'config', level: 'info', quiet: false, verbose: false, stderr: console, env: {} });
    log.info('hi');
    await log.close();
    assert.equal(log.file, undefined);
    assert.equal(console.text, 'info  hi\n');
  });
});

describe('formatRecord', () => {
  it('passes a line that is not JSON through unchanged', () => {
    assert.equal(formatRecord('plain text', { color: false, verbose: false }), 'plain text\n');
  });
});
