/**
 * The dialect matrix (kysely's `for (const dialect of DIALECTS)`): SQLite always; PostgreSQL and MariaDB
 * from HSTLC_TEST_POSTGRES_URL / HSTLC_TEST_MYSQL_URL (defaults: the servers on this machine). Each test
 * database is a fresh PostgreSQL schema or MySQL database with a random name, dropped afterwards. An
 * unreachable server skips its dialect locally and fails under CI=true.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { parseConnectionString, type ConnectionInfo, type Dialect } from '../../src/config/connection.js';

export const POSTGRES_URL = process.env.HSTLC_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.HSTLC_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  info: ConnectionInfo;
  /** Drop the schema / database / file. */
  drop(): Promise<void>;
}

export interface DialectUnderTest {
  name: Dialect;
  /** false when usable; otherwise why the dialect is skipped. */
  skip: string | false;
  create(): Promise<TestDatabase>;
}

const randomName = () => `hstlc_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;

function pgClientConfig(info: ConnectionInfo): pg.ClientConfig {
  return {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database,
    connectionTimeoutMillis: 3000,
  };
}

/** The PostgreSQL URL that works: as given, or with user `root` (some machines have no `postgres` role). */
async function reachablePostgres(): Promise<ConnectionInfo | string> {
  const info = parseConnectionString(POSTGRES_URL);
  const candidates = process.env.HSTLC_TEST_POSTGRES_URL ? [info] : [info, { ...info, user: 'root' }];
  let last = '';
  for (const candidate of candidates) {
    const client = new pg.Client(pgClientConfig(candidate));
    try {
      await client.connect();
      await client.end();
      return candidate;
    } catch (err) {
      last = (err as Error).message;
      await client.end().catch(() => undefined);
    }
  }
  return `PostgreSQL at ${POSTGRES_URL} unreachable (${last})`;
}

async function reachableMysql(): Promise<ConnectionInfo | string> {
  const info = parseConnectionString(MYSQL_URL);
  try {
    const conn = await mysql.createConnection({ host: info.host, port: info.port, user: info.user, password: info.password, connectTimeout: 3000 });
    await conn.end();
    return info;
  } catch (err) {
    return `MySQL at ${MYSQL_URL} unreachable (${(err as Error).message})`;
  }
}

function skipOrFail(reason: string): string {
  if (process.env.CI === 'true') throw new Error(`${reason}; required under CI`);
  return reason;
}

const [pgInfo, myInfo] = await Promise.all([reachablePostgres(), reachableMysql()]);

export const DIALECTS: DialectUnderTest[] = [
  {
    name: 'sqlite',
    skip: false,
    async create() {
      const dir = mkdtempSync(path.join(tmpdir(), 'hstlc-db-'));
      return { info: { dialect: 'sqlite', path: path.join(dir, 'hstlc.db'), params: {} }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgresql',
    skip: typeof pgInfo === 'string' ? skipOrFail(pgInfo) : false,
    async create() {
      const admin = pgInfo as ConnectionInfo;
      const schema = randomName();
      const client = new pg.Client(pgClientConfig(admin));
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
      return {
        info: { ...admin, params: { ...admin.params, schema } },
        async drop() {
          const c = new pg.Client(pgClientConfig(admin));
          await c.connect();
          await c.query(`drop schema if exists ${schema} cascade`);
          await c.end();
        },
      };
    },
  },
  {
    name: 'mysql',
    skip: typeof myInfo === 'string' ? skipOrFail(myInfo) : false,
    async create() {
      const admin = myInfo as ConnectionInfo;
      const database = randomName();
      const conn = await mysql.createConnection({ host: admin.host, port: admin.port, user: admin.user, password: admin.password });
      await conn.query(`create database ${database}`);
      await conn.end();
      return {
        info: { ...admin, database },
        async drop() {
          const c = await mysql.createConnection({ host: admin.host, port: admin.port, user: admin.user, password: admin.password });
          await c.query(`drop database if exists ${database}`);
          await c.end();
        },
      };
    },
  },
].filter((d) => !process.env.HSTLC_TEST_DIALECTS || process.env.HSTLC_TEST_DIALECTS.split(',').includes(d.name)) as DialectUnderTest[];
