/**
 * SQLite URLs as SQLAlchemy reads them: `sqlite:///rel/path` is relative (here: to the folder of the
 * config file, like every relative path of the config), `sqlite:////abs/path` absolute; the folder a
 * new database needs is created, and the stage command says so once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { cleanupSandboxes, run, sandbox } from './helpers.js';

after(cleanupSandboxes);

test('three slashes: relative to the config file, not the working folder; four: absolute', async () => {
  const { cwd, homedir } = await sandbox();
  const confDir = path.join(path.dirname(cwd), 'conf');
  mkdirSync(confDir);
  const file = path.join(confDir, 'hstlc.yaml');
  writeFileSync(file, 'db_connection_string: sqlite:///rel/path.db\n');
  const rel = await loadConfig({ configPath: file, cwd, homedir, env: {} });
  assert.equal(rel.db.path, path.join(confDir, 'rel', 'path.db'));
  const abs = path.join(path.dirname(cwd), 'abs', 'path.db');
  writeFileSync(file, `db_connection_string: sqlite:///${abs}\n`);
  assert.ok(abs.startsWith('/'), 'so the URL has four slashes');
  const four = await loadConfig({ configPath: file, cwd, homedir, env: {} });
  assert.equal(four.db.path, abs);
});

test('the folder of a new SQLite database is created and logged, once', { timeout: 120_000 }, async () => {
  const { cwd, homedir } = await sandbox();
  const file = path.join(cwd, 'hstlc.yaml');
  writeFileSync(file, `home_dir: ${path.join(cwd, 'home')}\ndb_connection_string: sqlite:///db/deeper/hstlc.db\n`);
  const first = await run(['--config', file, 'stats'], { cwd, homedir });
  assert.equal(first.code, 0, first.stderr);
  const db = path.join(cwd, 'db', 'deeper', 'hstlc.db');
  assert.match(first.stderr, new RegExp(`^info  Created the folder ${path.join(cwd, 'db')} for the database sqlite:///${db}$`, 'm'), first.stderr);
  assert.ok(existsSync(db));
  // A real SQLite database with hstlc's tables (read by Python's sqlite3).
  const tables = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute("select name from sqlite_master where type=\'table\'")))', db], { encoding: 'utf8' });
  assert.match(tables.stdout, /'metadata'/, tables.stderr);
  const again = await run(['--config', file, 'stats'], { cwd, homedir });
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /Created the folder/);
});
