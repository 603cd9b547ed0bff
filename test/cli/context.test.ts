import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createContext, type GlobalOptions } from '../../src/cli/context.js';
import { ExitCode } from '../../src/cli/errors.js';
import { cleanupSandboxes, sandbox } from './helpers.js';

after(cleanupSandboxes);

function capture() {
  const out = { text: '', write: (s: string) => void (out.text += s) };
  return out;
}

describe('CliContext', () => {
  it('loads the config once and writes the log file into its log_dir', async () => {
    const dirs = await sandbox();
    await writeFile(
      path.join(dirs.cwd, 'hstlc.yaml'),
      'log_dir: logs\ndb_connection_string: postgresql://u:hunter2@h/db\nemail: me@example.org\n',
    );
    const stdout = capture();
    const stderr = capture();
    const globals: GlobalOptions = { verbose: false, quiet: false, json: false };
    const ctx = createContext({ stdout, stderr, env: {}, ...dirs }, '1.2.3', () => globals);
    ctx.command = 'ingest';
    const cfg = await ctx.config();
    assert.equal(await ctx.config(), cfg);
    const log = await ctx.logger({ file: true });
    assert.equal(await ctx.logger(), log);
    log.info('Ingesting 0 files');
    await ctx.close();

    const logDir = path.join(dirs.cwd, 'logs');
    const [file] = await readdir(logDir);
    assert.match(file ?? '', /^ingest_\d{4}-\d\d-\d\d-\d\d-\d\d\.log$/);
    const text = await readFile(path.join(logDir, file ?? ''), 'utf8');
    assert.match(text, /"msg":"hstlc version: 1\.2\.3"/);
    assert.match(text, /"msg":"Database: postgresql:\/\/u:\*\*\*@h\/db"/);
    assert.match(text, /email: no longer used/);
    assert.doesNotMatch(text, /hunter2/);
    // The deprecation warning reached the console once, from the config load.
    assert.equal(stderr.text.match(/email: no longer used/g)?.length, 1);
    assert.equal(stderr.text, "warning: hstlc.yaml: email: no longer used (the downloader now uses MAST's public APIs); you can remove it\ninfo  Ingesting 0 files\n");
  });

  it('keeps the highest exit code', () => {
    const ctx = createContext(
      { stdout: capture(), stderr: capture(), env: {}, cwd: '/', homedir: '/' },
      '0',
      () => ({ verbose: false, quiet: false, json: false }),
    );
    ctx.setExitCode(ExitCode.ITEMS_FAILED);
    ctx.setExitCode(ExitCode.OK);
    assert.equal(ctx.exitCode, ExitCode.ITEMS_FAILED);
  });

  it('prints results as text or masked JSON', () => {
    const stdout = capture();
    let json = false;
    const ctx = createContext({ stdout, stderr: capture(), env: {}, cwd: '/', homedir: '/' }, '0', () => ({
      verbose: false,
      quiet: false,
      json,
    }));
    const value = { url: 'postgresql://u:pw@h/db', password: 'pw', n: 1 };
    ctx.out.result(value, (v) => [`n is ${v.n}`]);
    json = true;
    ctx.out.result(value, (v) => [`n is ${v.n}`]);
    const [text, ...rest] = stdout.text.split('\n');
    assert.equal(text, 'n is 1');
    assert.deepEqual(JSON.parse(rest.join('\n')), { url: 'postgresql://u:***@h/db', password: '***', n: 1 });
  });
});
