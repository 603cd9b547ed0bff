/** `engine:` (DESIGN §9): local by default; graphile only with PostgreSQL, refused with exit 2 otherwise. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

async function configWith(lines: string[]): Promise<{ cwd: string; homedir: string; file: string }> {
  const box = await sandbox();
  const file = path.join(box.cwd, 'hstlc.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
  return { ...box, file };
}

describe('config key engine', () => {
  it('defaults to local, with any database', async () => {
    const box = await configWith([`home_dir: ./h`]);
    const cfg = await loadConfig({ cwd: box.cwd, homedir: box.homedir, env: {} });
    assert.equal(cfg.engine, 'local');
    assert.equal(cfg.db.dialect, 'sqlite');
  });

  it('accepts graphile with PostgreSQL', async () => {
    const box = await configWith(['engine: graphile', 'db_connection_string: postgresql://u@127.0.0.1:5432/db?schema=s1']);
    const cfg = await loadConfig({ cwd: box.cwd, homedir: box.homedir, env: {} });
    assert.equal(cfg.engine, 'graphile');
  });

  for (const [name, url] of [
    ['SQLite', 'sqlite:///x.db'],
    ['MySQL', 'mysql://root@127.0.0.1:3306/test'],
  ] as const) {
    it(`refuses graphile with ${name}, saying why`, async () => {
      const box = await configWith(['engine: graphile', `db_connection_string: ${url}`]);
      await assert.rejects(loadConfig({ cwd: box.cwd, homedir: box.homedir, env: {} }), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.issues[0]?.key, 'engine');
        assert.match(err.message, new RegExp(`keeps its job queue in PostgreSQL, but db_connection_string is ${name}`));
        return true;
      });
      const r = await run(['status'], { cwd: box.cwd, homedir: box.homedir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /engine: 'graphile' keeps its job queue in PostgreSQL/);
    });
  }

  it('refuses an unknown engine', async () => {
    const box = await configWith(['engine: celery']);
    const r = await run(['status'], { cwd: box.cwd, homedir: box.homedir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /engine: expected 'local' or 'graphile', got "celery"/);
  });
});
