import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionStringError,
  describeConnection,
  parseConnectionString,
  redactUrl,
} from '../../src/config/connection.js';

describe('parseConnectionString', () => {
  it('reads sqlite:///relative.db as a relative path', () => {
    assert.deepEqual(parseConnectionString('sqlite:///relative.db'), {
      dialect: 'sqlite',
      path: 'relative.db',
      params: {},
    });
  });

  it('reads sqlite:////abs/path.db as an absolute path', () => {
    assert.equal(parseConnectionString('sqlite:////abs/path.db').path, '/abs/path.db');
  });

  it('reads sqlite:// and sqlite:///:memory: as an in-memory database', () => {
    assert.equal(parseConnectionString('sqlite://').path, ':memory:');
    assert.equal(parseConnectionString('sqlite:///:memory:').path, ':memory:');
  });

  it('keeps SQLite query parameters and the driver suffix', () => {
    const info = parseConnectionString('sqlite+pysqlite:///data/x.db?mode=ro');
    assert.equal(info.driver, 'pysqlite');
    assert.equal(info.path, 'data/x.db');
    assert.deepEqual(info.params, { mode: 'ro' });
  });

  it('takes a bare path as a SQLite file', () => {
    assert.deepEqual(parseConnectionString('/var/lib/hstlc/hstlc.db'), {
      dialect: 'sqlite',
      path: '/var/lib/hstlc/hstlc.db',
      params: {},
    });
    assert.equal(parseConnectionString('hstlc.db').path, 'hstlc.db');
    assert.equal(parseConnectionString('~/hstlc.db').path, '~/hstlc.db');
  });

  it('parses postgresql:// with every part', () => {
    assert.deepEqual(parseConnectionString('postgresql://hst:pw@db.example.org:5433/hstlc?sslmode=require'), {
      dialect: 'postgresql',
      user: 'hst',
      password: 'pw',
      host: 'db.example.org',
      port: 5433,
      database: 'hstlc',
      params: { sslmode: 'require' },
    });
  });

  it('accepts postgres:// and postgresql+psycopg2://', () => {
    assert.equal(parseConnectionString('postgres://h/db').dialect, 'postgresql');
    const info = parseConnectionString('postgresql+psycopg2://u:p@h/db');
    assert.equal(info.dialect, 'postgresql');
    assert.equal(info.driver, 'psycopg2');
    assert.equal(info.user, 'u');
  });

  it('parses mysql://, mysql+pymysql:// and mariadb:// as mysql', () => {
    assert.deepEqual(parseConnectionString('mysql+pymysql://user:pass@host:3306/hstlc'), {
      dialect: 'mysql',
      driver: 'pymysql',
      user: 'user',
      password: 'pass',
      host: 'host',
      port: 3306,
      database: 'hstlc',
      params: {},
    });
    assert.equal(parseConnectionString('mysql://root@localhost/hstlc').dialect, 'mysql');
    const maria = parseConnectionString('mariadb://root@localhost/hstlc');
    assert.equal(maria.dialect, 'mysql');
    assert.equal(maria.password, undefined);
  });

  it('URL-decodes user, password and database', () => {
    const info = parseConnectionString('postgresql://me%40stsci:p%40ss%3Aw%2Frd@h/my%20db');
    assert.equal(info.user, 'me@stsci');
    assert.equal(info.password, 'p@ss:w/rd');
    assert.equal(info.database, 'my db');
  });

  it('splits like SQLAlchemy: the password may hold raw ":" and "/"', () => {
    const info = parseConnectionString('mysql://u:a:b/c@h/db');
    assert.equal(info.password, 'a:b/c');
    assert.equal(info.host, 'h');
  });

  it('reads IPv6 hosts, a socket host in the query, and missing parts', () => {
    assert.equal(parseConnectionString('postgresql://u@[::1]:5432/db').host, '::1');
    const socket = parseConnectionString('postgresql://u@/db?host=/var/run/postgresql');
    assert.equal(socket.host, undefined);
    assert.deepEqual(socket.params, { host: '/var/run/postgresql' });
  });

  it('rejects unsupported dialects, bad ports, stray @ and URL look-alikes, without the password', () => {
    const bad = [
      'oracle://scott:tiger@h/db',
      'postgresql://scott:tiger@h:port/db',
      'postgresql://scott:tiger@h:70000/db',
      'postgresql://scott:tig@er@h/db',
      'postgresql:scott:tiger@h/db',
      'sqlite://host/x.db',
      '',
    ];
    for (const text of bad) {
      assert.throws(
        () => parseConnectionString(text),
        (err: unknown) => {
          assert.ok(err instanceof ConnectionStringError, text);
          assert.doesNotMatch(err.message, /tiger|tig|er@h/, text);
          return true;
        },
      );
    }
  });
});

describe('redactUrl', () => {
  it('masks the password of a connection URL', () => {
    assert.equal(redactUrl('postgresql://u:secret@h:5432/db'), 'postgresql://u:***@h:5432/db');
    assert.equal(redactUrl('mysql+pymysql://user:pa/ss@host/hstlc'), 'mysql+pymysql://user:***@host/hstlc');
  });

  it('leaves URLs without a password alone', () => {
    for (const url of ['postgresql://u@h/db', 'postgresql://h:5432/db', 'sqlite:////a/b.db', 'https://mast.stsci.edu']) {
      assert.equal(redactUrl(url), url);
    }
  });

  it('masks every URL inside a message', () => {
    assert.equal(
      redactUrl('cannot reach postgresql://a:one@h/db or mysql://b:two@k/db: timeout'),
      'cannot reach postgresql://a:***@h/db or mysql://b:***@k/db: timeout',
    );
    assert.equal(redactUrl("'mysql://a:pw@h/db'"), "'mysql://a:***@h/db'");
  });

  it('does not leak the tail of a password with a raw @ or space', () => {
    assert.equal(redactUrl('postgresql://u:p@ss@host/db'), 'postgresql://u:***@host/db');
    assert.equal(redactUrl('error: postgresql://u:p@ss@host/db failed'), 'error: postgresql://u:***@host/db failed');
    assert.equal(redactUrl('postgresql://u:my pass@host/db'), 'postgresql://u:***@host/db');
  });
});

describe('describeConnection', () => {
  it('prints a connection without its password', () => {
    const info = parseConnectionString('mysql+pymysql://u:secret@h:3306/hstlc?charset=utf8');
    assert.equal(describeConnection(info), 'mysql+pymysql://u:***@h:3306/hstlc?charset=utf8');
    assert.equal(describeConnection(parseConnectionString('sqlite:////a/b.db')), 'sqlite:////a/b.db');
  });
});
