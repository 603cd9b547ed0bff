/**
 * Database connection strings: the original's SQLAlchemy URLs (§2.1, §10.1) and plain SQLite paths,
 * parsed into one shape the database layer can open, plus the redaction every printout must use.
 */

export type Dialect = 'sqlite' | 'postgresql' | 'mysql';

export interface ConnectionInfo {
  dialect: Dialect;
  /** The SQLAlchemy driver suffix (`pymysql` in `mysql+pymysql://`); informational only. */
  driver?: string;
  /** SQLite only: the database file as written (may be relative), or `:memory:`. */
  path?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  /** Query parameters (`?sslmode=require`); a repeated key keeps its last value. */
  params: Record<string, string>;
}

/** A connection string that cannot be used; its message never contains the password. */
export class ConnectionStringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionStringError';
  }
}

const DIALECTS: Record<string, Dialect> = {
  sqlite: 'sqlite',
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
};

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

// Mirrors SQLAlchemy's own URL pattern (sqlalchemy.engine.url._parse_url) so that a string the original
// accepted is split the same way here: the password runs to the first '@' and may contain ':' or '/'.
const SQLALCHEMY_URL = new RegExp(
  '^(?:(?<user>[^:/@]*)(?::(?<password>[^@]*))?@)?' +
    '(?:(?:\\[(?<ipv6>[^/?]+)\\]|(?<host>[^/:?]+))?(?::(?<port>[^/?]*))?)?' +
    '(?:/(?<database>[^?]*))?' +
    '(?:\\?(?<query>.*))?$',
  's',
);

/**
 * Replace the password of every `scheme://user:password@` in `text` with `***`.
 * Works on a bare URL and on any message or log line that embeds one. It cuts at the last '@' rather
 * than the first, so an unencoded '@' (or, in a string that is just a URL, a space) inside a password
 * cannot leak its tail; the price is over-redacting a URL whose query string holds an '@'.
 */
export function redactUrl(text: string): string {
  if (SCHEME.test(text) && !/[\r\n]/.test(text)) {
    return text.replace(WHOLE_URL_PASSWORD, (_m, head: string, password: string) => mask(head, password));
  }
  return text.replace(EMBEDDED_URL_PASSWORD, (_m, head: string, password: string) => mask(head, password));
}

const WHOLE_URL_PASSWORD = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/@]*):(.*)@/s;
const EMBEDDED_URL_PASSWORD =
  /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@'"`]*):([^\s'"`]*)@(?=[^\s@'"`]*(?:[\s'"`]|$))/g;

function mask(head: string, password: string): string {
  return password === '' ? `${head}:@` : `${head}:***@`;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new ConnectionStringError(`bad percent-encoding in the ${what}`);
  }
}

function parseQuery(query: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  if (!query) return params;
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return params;
}

/**
 * Parse `sqlite:///relative.db`, `sqlite:////abs/path.db`, `sqlite://` (memory), a bare file path,
 * `postgresql://`, `postgres://`, `mysql://`, `mariadb://` and their `+driver` forms.
 * Throws ConnectionStringError (message redacted) for anything else.
 */
export function parseConnectionString(input: string): ConnectionInfo {
  const text = input.trim();
  if (text === '') throw new ConnectionStringError('empty connection string');

  const scheme = SCHEME.exec(text);
  if (!scheme) {
    // Something like "postgresql:host/db" is a mistyped URL, not a file name worth creating.
    const lookalike = /^([A-Za-z][A-Za-z0-9+]*):/.exec(text);
    const lookalikeBase = lookalike?.[1]?.split('+')[0]?.toLowerCase();
    if (lookalikeBase !== undefined && lookalikeBase in DIALECTS) {
      // Not echoed: without '//' redactUrl cannot tell where a password would be.
      throw new ConnectionStringError(`looks like a ${lookalikeBase} URL but lacks '//' after '${lookalike?.[1]}:'`);
    }
    if (text.includes('://')) {
      throw new ConnectionStringError(`'${redactUrl(text)}' is not a valid connection URL`);
    }
    return { dialect: 'sqlite', path: text, params: {} };
  }

  const [name = '', driver] = (scheme[1] ?? '').toLowerCase().split('+', 2);
  const dialect = DIALECTS[name];
  if (dialect === undefined) {
    throw new ConnectionStringError(
      `unsupported database '${name}' in '${redactUrl(text)}' (expected sqlite, postgresql or mysql)`,
    );
  }
  const rest = text.slice(scheme[0].length);
  const base: ConnectionInfo = { dialect, params: {} };
  if (driver) base.driver = driver;

  if (dialect === 'sqlite') {
    // SQLAlchemy: everything after "sqlite:///" is the path, so four slashes make it absolute.
    const [pathPart = '', query] = splitOnce(rest, '?');
    if (pathPart !== '' && !pathPart.startsWith('/')) {
      throw new ConnectionStringError(
        `'${redactUrl(text)}': SQLite takes no host; write sqlite:///relative.db or sqlite:////absolute/path.db`,
      );
    }
    const file = decode(pathPart.slice(1), 'SQLite path');
    base.path = file === '' ? ':memory:' : file;
    base.params = parseQuery(query);
    return base;
  }

  const match = SQLALCHEMY_URL.exec(rest);
  const groups = match?.groups;
  if (!groups) throw new ConnectionStringError(`'${redactUrl(text)}' is not a valid connection URL`);
  const host = groups['ipv6'] ?? groups['host'];
  if (host !== undefined && host.includes('@')) {
    throw new ConnectionStringError(
      `'${redactUrl(text)}' has more than one '@'; percent-encode '@' in the user or password as %40`,
    );
  }
  if (groups['user'] !== undefined && groups['user'] !== '') base.user = decode(groups['user'], 'user name');
  if (groups['password'] !== undefined) base.password = decode(groups['password'], 'password');
  if (host !== undefined && host !== '') base.host = host;
  const port = groups['port'];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw new ConnectionStringError(`'${redactUrl(text)}': port '${port}' is not a number from 1 to 65535`);
    }
    base.port = Number(port);
  }
  const database = groups['database'];
  if (database !== undefined && database !== '') base.database = decode(database, 'database name');
  base.params = parseQuery(groups['query']);
  return base;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** The printable summary of a connection, password replaced: `postgresql://user:***@host:5432/db`. */
export function describeConnection(info: ConnectionInfo): string {
  const query = Object.keys(info.params).length ? `?${new URLSearchParams(info.params).toString()}` : '';
  if (info.dialect === 'sqlite') return `sqlite:///${info.path === ':memory:' ? '' : info.path ?? ''}${query}`;
  const scheme = info.driver ? `${info.dialect}+${info.driver}` : info.dialect;
  const auth =
    info.user !== undefined || info.password !== undefined
      ? `${encodeURIComponent(info.user ?? '')}${info.password !== undefined ? ':***' : ''}@`
      : '';
  const host = info.host === undefined ? '' : info.host.includes(':') ? `[${info.host}]` : info.host;
  const port = info.port === undefined ? '' : `:${info.port}`;
  const database = info.database === undefined ? '' : `/${encodeURIComponent(info.database)}`;
  return `${scheme}://${auth}${host}${port}${database}${query}`;
}
