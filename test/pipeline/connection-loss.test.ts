/**
 * The database server drops every connection of the pipeline in the middle of an ingest (PostgreSQL
 * `pg_terminate_backend`, MariaDB `KILL`): the run must not corrupt anything — it finishes, or stops
 * with a message that says the connection was lost — and a re-run ends in the same state as a run
 * that was never interrupted (same rows, same files, nothing left in ingest_dir or the journal).
 *
 * The pipeline connects as a role of its own, made for the test, so only its connections are dropped
 * (other tests share the servers).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { ConnectionInfo } from '../../src/config/connection.js';
import type { HstlcSettings } from '../../src/config/types.js';
import { CONNECTION_RETRY_DELAYS_MS, connectDatabase, DatabaseUnreachableError } from '../../src/db/index.js';
import { runIngest, type IngestStep } from '../../src/pipeline/index.js';
import { DIALECTS, type TestDatabase } from '../db/dialects.js';
import { assertRerunEqualsClean, cleanupHomes, homeFor, listTree, snapshot, tinyArchive, type Archive, type Snapshot } from './helpers.js';

let archive: Archive;
before(async () => {
  archive = await tinyArchive();
});
after(() => cleanupHomes());

/** A login of its own on the test database, and a way to drop every connection it holds. */
interface OwnLogin {
  info: ConnectionInfo;
  /** PostgreSQL: refuse the login's new connections (connection limit 0) until `allow`. */
  refuse?(): Promise<void>;
  allow?(): Promise<void>;
  /** Terminate the login's connections; the number terminated. */
  dropConnections(): Promise<number>;
  remove(): Promise<void>;
}

async function pgLogin(db: ConnectionInfo): Promise<OwnLogin> {
  const role = `hstlc_c_${randomBytes(4).toString('hex')}`;
  const schema = String(db.params.schema);
  const admin = (): pg.Client => new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  const run = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<pg.QueryResult<T>> => {
    const c = admin();
    await c.connect();
    try {
      return await c.query<T>(sql, values);
    } finally {
      await c.end();
    }
  };
  await run(`create role ${role} login`);
  await run(`alter schema ${schema} owner to ${role}`);
  return {
    info: { ...db, user: role, password: undefined },
    async refuse() {
      await run(`alter role ${role} connection limit 0`);
    },
    async allow() {
      await run(`alter role ${role} connection limit -1`);
    },
    async dropConnections() {
      const r = await run<{ pid: number }>('select pg_terminate_backend(pid) as pid from pg_stat_activity where usename = $1', [role]);
      return r.rowCount ?? 0;
    },
    async remove() {
      await run(`alter schema ${schema} owner to ${db.user}`);
      await run(`drop owned by ${role} cascade`).catch(() => undefined);
      await run(`drop role if exists ${role}`);
    },
  };
}

async function mysqlLogin(db: ConnectionInfo): Promise<OwnLogin> {
  const user = `hstlc_c_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string, values: unknown[] = []): Promise<unknown> => {
    const c = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
    try {
      return (await c.query(sql, values))[0];
    } finally {
      await c.end();
    }
  };
  for (const host of ['127.0.0.1', 'localhost']) {
    await run(`create user '${user}'@'${host}'`);
    await run(`grant all on \`${db.database}\`.* to '${user}'@'${host}'`);
  }
  return {
    info: { ...db, user, password: undefined },
    async dropConnections() {
      const rows = (await run('select ID from information_schema.PROCESSLIST where USER = ?', [user])) as Array<{ ID: number }>;
      for (const r of rows) await run(`kill ${Number(r.ID)}`).catch(() => undefined);
      return rows.length;
    },
    async remove() {
      for (const host of ['127.0.0.1', 'localhost']) await run(`drop user if exists '${user}'@'${host}'`);
    },
  };
}

for (const dialect of DIALECTS.filter((d) => d.name !== 'sqlite')) {
  describe(`ingest when ${dialect.name} drops the connections mid-run`, { skip: dialect.skip, timeout: 600_000 }, () => {
    let clean: Snapshot;
    const made: Array<{ db: TestDatabase; login: OwnLogin }> = [];

    async function freshHome(): Promise<{ settings: HstlcSettings; login: OwnLogin }> {
      const db = await dialect.create();
      const login = dialect.name === 'postgresql' ? await pgLogin(db.info) : await mysqlLogin(db.info);
      made.push({ db, login });
      return { settings: homeFor(archive, { db: login.info }).settings, login };
    }

    before(async () => {
      const { settings } = await freshHome();
      const handle = await connectDatabase(settings.db);
      try {
        assert.ok((await runIngest(handle, { settings })).ok);
        clean = await snapshot(settings, handle);
      } finally {
        await handle.close();
      }
    });

    it('the server stays away: the run stops after its retries, says the database is unreachable, and a re-run completes', { skip: dialect.name !== 'postgresql' && 'needs a way to refuse one login (PostgreSQL connection limit)' }, async () => {
      const { settings, login } = await freshHome();
      const handle = await connectDatabase(settings.db);
      let seen = 0;
      const t0 = Date.now();
      try {
        await assert.rejects(
          runIngest(handle, {
            settings,
            onStep: async (s) => {
              if (s !== 'intent-written' || ++seen !== 3) return;
              await login.refuse!();
              await login.dropConnections();
            },
          }),
          (err: unknown) => err instanceof DatabaseUnreachableError && /database is unreachable/.test(err.message) && err.message.includes(settings.ingest_dir),
        );
        // It gave up after its retries (about 6 s), not at once and not never.
        const waited = Date.now() - t0;
        assert.ok(waited >= CONNECTION_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0), `gave up after ${waited} ms`);
      } finally {
        await handle.close().catch(() => undefined);
        await login.allow!();
      }
      await assertRerunEqualsClean(settings, clean);
    });

    after(async () => {
      for (const { db, login } of made) {
        await login.remove().catch(() => undefined);
        await db.drop();
      }
    });

    // At a step the pool is idle (the dropped connection is replaced unseen); the 'storm' drops them
    // every 40 ms for a while from that step on, so queries and transactions are cut while in flight.
    for (const [step, nth, storm] of [['committed', 3, false], ['intent-written', 5, false], ['resolved', 2, true]] as Array<[IngestStep, number, boolean]>) {
      it(`connections dropped at ${step} #${nth}${storm ? ' and every 40 ms after' : ''}: the run ends clearly and a re-run completes to the same end state`, async (t) => {
        const { settings, login } = await freshHome();
        const handle = await connectDatabase(settings.db);
        let dropped = -1;
        let seen = 0;
        let outcome: string;
        try {
          const s = await runIngest(handle, {
            settings,
            onStep: async (s) => {
              if (s !== step || ++seen !== nth) return;
              dropped = await login.dropConnections();
              if (storm) {
                for (let i = 0; i < 25; i++) {
                  setTimeout(() => void login.dropConnections().then((n) => (dropped += n), () => undefined), 40 * i);
                }
              }
            },
          });
          outcome = `finished, ok=${s.ok}, failed: ${s.files.filter((f) => f.status === 'failed').map((f) => f.reason).join('; ')}`;
        } catch (err) {
          outcome = `stopped: ${(err as Error).message}`;
          assert.match((err as Error).message, /connection|terminat|closed|lost|gone away|killed/i, outcome);
        } finally {
          await handle.close().catch(() => undefined);
        }
        t.diagnostic(`${dropped} connection(s) dropped; the interrupted run ${outcome}`);
        assert.ok(dropped > 0, `no connection was dropped (${dropped}); ${outcome}`);
        // Lost connections are retried on new ones: the interrupted run itself finishes every file.
        assert.match(outcome, /^finished, ok=true/, outcome);
        const again = await connectDatabase(settings.db);
        try {
          const rerun = await runIngest(again, { settings });
          assert.equal(rerun.counts.failed, 0, JSON.stringify(rerun.files.filter((f) => f.status === 'failed')));
          assert.deepEqual(await snapshot(settings, again), clean, outcome);
          assert.deepEqual(listTree(path.join(settings.home_dir, '.hstlc-journal')), []);
        } finally {
          await again.close();
        }
      });
    }
  });
}
