/**
 * Every config key, declared once: its zod schema (what the file may hold), the plain-words description
 * used when a value is wrong, its default and what it means (the README table), and how `hstlc config`
 * shows it. The settings type, the defaults, `hstlc config` and the README table are derived from this.
 * Empty values (`key:` with nothing after it) mean "use the default", as a commented-out template line
 * would.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConnectionStringError, parseConnectionString, redactUrl } from './connection.js';
import { expandHome } from './paths.js';

/** Marks an issue whose message is a full explanation, to be shown instead of "expected ...". */
export const EXPLAINED = 'explained';

export const DEFAULT_MAST_URL = 'https://mast.stsci.edu';
export const DEFAULT_CRDS_URL = 'https://hst-crds.stsci.edu';
/** The public HST data in AWS: the `stpubdata` bucket, read anonymously over plain HTTPS. */
export const DEFAULT_CLOUD_URL = 'https://stpubdata.s3.amazonaws.com';
export const DOWNLOAD_SOURCES = ['mast', 'cloud'] as const;
export const DEFAULT_HOME_DIR = '~/.hstlc';
/** More workers than this rarely helps: ingest is bound by disk and by the database. */
export const MAX_DEFAULT_CORES = 4;

/** 'corrected' fixes the original's known bugs (§15); 'compat' reproduces its output as built. */
export const ALGORITHMS = ['corrected', 'compat'] as const;

/**
 * Where the pipeline's units of work run (DESIGN §9): `local`, this process and its worker threads;
 * `graphile`, jobs on graphile-worker in the PostgreSQL of db_connection_string, run by `hstlc worker`
 * processes on any number of hosts.
 */
export const ENGINES = ['local', 'graphile'] as const;

/** What a default may depend on: the user's home, the cores, and the keys declared (and resolved) before. */
export interface DefaultContext {
  homedir: string;
  cores: number;
  /** The resolved home_dir (resolved first of all). */
  home: string;
  resolved: Readonly<Record<string, unknown>>;
}

export interface KeySpec<T> {
  /** The value as the file holds it (never null: an empty value means the default). */
  schema: z.ZodType<T>;
  /** What the key should hold, finishing the sentence "expected ...". */
  expected: string;
  /** The README's default column (markdown). */
  defaultText: string;
  /** The README's meaning column (markdown). */
  meaning: string;
  /** The default; undefined = the setting is absent. */
  default(ctx: DefaultContext): T | undefined;
  /** A path: `~` expanded and relative paths taken from the config file's folder, then normalized. */
  path?: true;
  /** Applied to the value given or defaulted. */
  normalize?(value: T): T;
  /** The value as `hstlc config` prints it (default: String). */
  show?(value: T | undefined): string;
}

const key = <T>(spec: KeySpec<T>): KeySpec<T> => spec;

const directory = z.string().trim().min(1);
const positiveInteger = z.number().int().positive();

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  });

const connectionString = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    try {
      parseConnectionString(value);
    } catch (err) {
      if (!(err instanceof ConnectionStringError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, params: { [EXPLAINED]: true } });
    }
  });

/** Base URLs are joined with paths that start with '/'. */
const stripSlash = (url: string): string => url.replace(/\/+$/, '');

/** A folder under home_dir by default. */
const folder = (name: string, meaning: string): KeySpec<string> =>
  key({
    schema: directory,
    expected: 'a directory path',
    defaultText: `\`<home_dir>/${name}\``,
    meaning,
    default: (c) => path.join(c.home, name),
    path: true,
  });

/** An archive's base URL. */
const endpoint = (url: string, meaning: string): KeySpec<string> =>
  key({ schema: httpUrl, expected: 'an http(s) URL', defaultText: `\`${url}\``, meaning, default: () => url, normalize: stripSlash });

/** The directory keys, in reading order (home_dir first). */
export const DIRECTORY_SPECS = {
  home_dir: key({
    schema: directory,
    expected: 'a directory path',
    defaultText: `\`${DEFAULT_HOME_DIR}\``,
    meaning: 'root of the `<home_dir>/…` defaults',
    default: (c) => expandHome(DEFAULT_HOME_DIR, c.homedir),
    path: true,
  }),
  ingest_dir: folder('ingest', 'incoming event files (and their x1d)'),
  filesystem_dir: folder('filesystem', 'ingested files, one folder per target'),
  outputs_dir: folder('outputs', 'individual lightcurves, `<TARGNAME>/<rootname>_curve.fits`'),
  // Composites live inside outputs so that resetting outputs (§13.1) clears them too.
  composite_dir: key({
    schema: directory,
    expected: 'a directory path',
    defaultText: '`<outputs_dir>/composite`',
    meaning: 'composite (HLSP) lightcurves',
    default: (c) => path.join(String(c.resolved['outputs_dir']), 'composite'),
    path: true,
  }),
  log_dir: folder('logs', 'JSON-lines logs, `<command>_<YYYY-MM-DD-HH-MM>.log`'),
  download_dir: folder('downloads', 'download reports'),
  plot_dir: folder('plots', 'plots and pages (`assets/` holds their scripts: no CDN)'),
  bad_data_dir: folder('bad_data', 'files that fail a quality check, with their companions'),
  ref_dir: folder('ref', 'reference files in `lref/` and `oref/` (also found through `$lref`/`$oref`)'),
};

export type DirectoryKey = keyof typeof DIRECTORY_SPECS;
export const DIRECTORY_KEYS = Object.keys(DIRECTORY_SPECS) as DirectoryKey[];

/** Every key, in the order `hstlc config` and the README list them. */
export const CONFIG_KEYS = {
  db_connection_string: key({
    schema: connectionString,
    expected: 'a database URL (sqlite:///file.db, postgresql://user:pass@host/db, mysql://...) or a file path',
    defaultText: '`sqlite:///<home_dir>/hstlc.db`',
    meaning:
      '`sqlite:///rel/path.db` (three slashes: relative to the folder of the config file) or `sqlite:////abs/path.db` (four: absolute), as SQLAlchemy reads them, or a bare path (the folder of the file is created if missing, and the log says so); `postgresql://user:pass@host:5432/db[?schema=s]`, `mysql://…` (SQLAlchemy forms like `mysql+pymysql://` accepted)',
    default: (c) => `sqlite:///${path.join(c.home, 'hstlc.db')}`,
    show: (v) => redactUrl(v ?? ''),
  }),
  ...DIRECTORY_SPECS,
  num_cores: key({
    schema: positiveInteger,
    expected: 'a positive integer',
    defaultText: `min(cores, ${MAX_DEFAULT_CORES})`,
    meaning: 'worker threads',
    default: (c) => Math.max(1, Math.min(c.cores, MAX_DEFAULT_CORES)),
  }),
  engine: key<(typeof ENGINES)[number]>({
    schema: z.enum(ENGINES),
    expected: "'local' or 'graphile'",
    defaultText: '`local`',
    meaning:
      '`local` runs the units in this process (`num_cores` threads); `graphile` enqueues them as jobs on graphile-worker in the PostgreSQL of `db_connection_string` (schema `<schema>_jobs`, default `hstlc_jobs`), run by `hstlc worker` on any host sharing home_dir',
    default: () => 'local',
  }),
  algorithm: key<(typeof ALGORITHMS)[number]>({
    schema: z.enum(ALGORITHMS),
    expected: "'corrected' or 'compat'",
    defaultText: '`corrected`',
    meaning: '`corrected`, or `compat` for the original\'s numbers',
    default: () => 'corrected',
  }),
  step: key({
    schema: z.number().positive().finite(),
    expected: 'a positive number of seconds',
    defaultText: '`1`',
    meaning:
      'lightcurve bin width in seconds; a lightcurve has at most 10^7 bins (`MAX_BINS`), so a step that would make more, or event times far beyond the exposure, is refused with a message naming the file',
    default: () => 1,
    show: (v) => `${v} s`,
  }),
  bad_proposals: key({
    schema: z.array(positiveInteger),
    expected: 'a list of integer proposal ids, e.g. [12345, 13002]',
    defaultText: '`[]`',
    meaning: 'proposal ids whose data are rejected ("Bad Proposal")',
    default: () => [],
    show: (v) => (v !== undefined && v.length > 0 ? v.join(', ') : '(none)'),
  }),
  verify_checksums: key<'bad' | 'warn'>({
    schema: z.enum(['bad', 'warn']),
    expected: "'bad' or 'warn'",
    defaultText: '`bad`',
    meaning:
      'an input whose DATASUM/CHECKSUM (when present) does not match its bytes is bad data ("Bad checksum") at ingest and refused by `extract`; `warn` extracts it with a warning',
    default: () => 'bad',
  }),
  file_time_limit: key({
    schema: z.number().nonnegative().finite(),
    expected: 'a number of seconds, 0 for no limit',
    defaultText: '`600`',
    meaning:
      'seconds one file\'s extraction at ingest may take; a file that takes longer is reported as failed ("took longer than N s"), its worker thread is stopped and replaced, the file stays in ingest_dir (a slow file is not bad data), and the run goes on. `0`: no limit. With `num_cores: 1` the limit runs ingest\'s work in one worker thread (it cannot be stopped in the main thread); `0` keeps it in the main thread',
    default: () => 600,
    show: (v) => (v === 0 ? 'none' : `${v} s`),
  }),
  mast_url: endpoint(DEFAULT_MAST_URL, 'MAST endpoint (searches and downloads)'),
  crds_url: endpoint(DEFAULT_CRDS_URL, 'CRDS endpoint (reference files)'),
  download_source: key<(typeof DOWNLOAD_SOURCES)[number]>({
    schema: z.enum(DOWNLOAD_SOURCES),
    expected: "'mast' or 'cloud'",
    defaultText: '`mast`',
    meaning:
      "where `hstlc download` reads the files: `mast` (MAST's Download API), or `cloud`: the public `stpubdata` bucket at `cloud_url`, keys from MAST's path_lookup, files the bucket lacks (exclusive-access) from MAST",
    default: () => 'mast',
  }),
  cloud_url: endpoint(DEFAULT_CLOUD_URL, 'the public HST bucket for `download_source: cloud` (anonymous HTTPS GETs with Range; never sent the MAST token)'),
  download_concurrency: key({
    schema: positiveInteger,
    expected: 'a positive integer',
    defaultText: '`4`',
    meaning: 'parallel downloads',
    default: () => 4,
  }),
  mast_token: key({
    schema: z.string().min(1),
    expected: 'a MAST API token (text)',
    defaultText: 'none',
    meaning:
      'MAST API token for exclusive-access data (or `$MAST_API_TOKEN`); never printed. Sent only to requests under `mast_url`, never to CRDS; a redirect to another host drops it (as fetch does), so exclusive-access data need the token to be accepted on the final host',
    default: () => undefined,
    show: (v) => (v ? '(set)' : '(none)'),
  }),
  target_aliases: key({
    schema: directory,
    expected: 'a file path (YAML: HEADER-NAME: CANONICAL)',
    defaultText: '`<home_dir>/target_aliases.yaml`',
    meaning: 'YAML `HEADER-NAME: CANONICAL` overrides, used when the file exists',
    default: (c) => path.join(c.home, 'target_aliases.yaml'),
    path: true,
  }),
  target_match_radius: key({
    schema: z.number().positive().finite(),
    expected: 'a positive number of arcseconds',
    defaultText: '`5`',
    meaning: 'arcseconds: a target this close to a known one of another name is reported as a candidate pair (`hstlc status`, `hstlc resolve-target`), for `target_aliases` to settle; positions never rename a target',
    default: () => 5,
    show: (v) => `${v} arcsec`,
  }),
};

export type ConfigKey = keyof typeof CONFIG_KEYS;
/** The resolved value of each key. */
export type KeyValues = { [K in ConfigKey]: (typeof CONFIG_KEYS)[K] extends KeySpec<infer T> ? T : never };

/** The original's MAST/tsql/FTP download keys (§14): still accepted so an old file loads, but unused. */
export const DEPRECATED_KEYS = [
  'mast_server',
  'mast_database',
  'mast_account',
  'mast_password',
  'archive_user',
  'email',
  'host',
  'ftp_user',
  'dads_host',
  'archive',
] as const;

const deprecated = Object.fromEntries(DEPRECATED_KEYS.map((k) => [k, z.unknown().optional()])) as Record<
  (typeof DEPRECATED_KEYS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

const fileShape = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, spec]) => [k, (spec.schema as z.ZodType).nullish()])) as {
  [K in ConfigKey]: z.ZodOptional<z.ZodNullable<z.ZodType<KeyValues[K]>>>;
};

export const FILE_SCHEMA = z.object({ ...fileShape, ...deprecated }).strict();

export type FileSettings = z.infer<typeof FILE_SCHEMA>;
export type FileKey = keyof FileSettings;

/** What each key should hold, finishing the sentence "expected ...". */
export const EXPECTED = Object.fromEntries(Object.entries(CONFIG_KEYS).map(([k, spec]) => [k, spec.expected])) as Record<ConfigKey, string>;

export const KNOWN_KEYS: readonly string[] = Object.keys(FILE_SCHEMA.shape);
