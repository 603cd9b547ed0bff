/**
 * loadConfig: find the file, parse the YAML, validate every key, fill defaults, resolve paths.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { z } from 'zod';
import { parseConnectionString, redactUrl } from './connection.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import {
  DEPRECATED_KEYS,
  DIRECTORY_KEYS,
  EXPECTED,
  EXPLAINED,
  FILE_SCHEMA,
  KNOWN_KEYS,
  type DirectoryKey,
  type FileSettings,
} from './keys.js';
import { locateConfigFile } from './locate.js';
import { displayPath, expandHome, resolveConfigPath } from './paths.js';
import { closestMatch } from './suggest.js';
import type { HstlcSettings, LoadedConfig } from './types.js';

export interface LoadConfigOptions {
  /** The --config value (relative to cwd; `~` expands). */
  configPath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  homedir?: string;
  /** Cores to count for the num_cores default; tests pin it. */
  availableCores?: number;
}

export const DEFAULT_MAST_URL = 'https://mast.stsci.edu';
export const DEFAULT_CRDS_URL = 'https://hst-crds.stsci.edu';
export const DEFAULT_HOME_DIR = '~/.hstlc';
/** More workers than this rarely helps: ingest is bound by disk and by the database. */
export const MAX_DEFAULT_CORES = 4;

/** Folder names under home_dir; composite_dir is special-cased to sit inside outputs_dir. */
const DIRECTORY_DEFAULTS: Record<Exclude<DirectoryKey, 'home_dir' | 'composite_dir'>, string> = {
  ingest_dir: 'ingest',
  filesystem_dir: 'filesystem',
  outputs_dir: 'outputs',
  log_dir: 'logs',
  download_dir: 'downloads',
  plot_dir: 'plots',
  bad_data_dir: 'bad_data',
  ref_dir: 'ref',
};

export async function loadConfig(opts: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const homedir = opts.homedir ?? os.homedir();
  const source = await locateConfigFile({ configPath: opts.configPath, env, cwd, homedir });

  let settings: FileSettings = {};
  const warnings: string[] = [];
  let baseDir = cwd;
  if (source.path !== undefined) {
    const shown = displayPath(source.path, cwd);
    const raw = await readYaml(source.path, shown);
    settings = validate(raw, shown);
    warnings.push(...deprecationWarnings(raw, shown));
    baseDir = path.dirname(source.path);
  }
  const cores = opts.availableCores ?? os.availableParallelism();
  return { ...resolveSettings(settings, { baseDir, homedir, cores }), source, warnings };
}

async function readYaml(file: string, shown: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: shown, problem: `cannot read: ${(err as Error).message}` }]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((err): ConfigIssue => {
        const start = err.linePos?.[0];
        // The pretty message quotes the offending lines after " at line"; those lines may hold a
        // password, so keep only the description and give the position separately.
        const description = err.message.split(/ at line \d+/)[0] ?? err.message;
        const issue: ConfigIssue = { file: shown, problem: `YAML syntax error: ${redactUrl(description)}` };
        if (start) {
          issue.line = start.line;
          issue.column = start.col;
        }
        return issue;
      }),
    );
  }
  if (doc.contents === null) return {}; // an empty file is a valid config of defaults
  if (!isMap(doc.contents)) {
    throw new ConfigError([
      { file: shown, problem: 'expected a mapping of `key: value` lines at the top level' },
    ]);
  }
  return doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
}

/** Validate with zod, then turn its issues into one message per key, in the file's key order. */
function validate(raw: Record<string, unknown>, shown: string): FileSettings {
  const result = FILE_SCHEMA.safeParse(raw);
  if (result.success) return result.data;

  const byKey = new Map<string, string>();
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) byKey.set(key, unknownKeyProblem(key));
      continue;
    }
    const key = String(issue.path[0] ?? '');
    if (!byKey.has(key)) byKey.set(key, problemFor(key, issue, raw[key]));
  }
  const order = Object.keys(raw);
  const issues = [...byKey]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([key, problem]): ConfigIssue => ({ file: shown, key, problem }));
  throw new ConfigError(issues);
}

function unknownKeyProblem(key: string): string {
  const suggestion = closestMatch(key, KNOWN_KEYS);
  return `unknown key '${key}'` + (suggestion ? ` (did you mean '${suggestion}'?)` : '');
}

function problemFor(key: string, issue: z.core.$ZodIssue, value: unknown): string {
  // Some checks explain themselves better than "expected ..." can (a connection string's parse error).
  if (issue.code === 'custom' && issue.params?.[EXPLAINED] === true) return issue.message;
  const expected = (EXPECTED as Record<string, string>)[key] ?? 'a valid value';
  return `expected ${expected}, got ${show(value)}`;
}

/** A value as the user wrote it, short, with any URL password masked. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  const redacted = redactUrl(text);
  return redacted.length > 80 ? `${redacted.slice(0, 77)}...` : redacted;
}

function deprecationWarnings(raw: Record<string, unknown>, shown: string): string[] {
  return DEPRECATED_KEYS.filter((key) => key in raw).map(
    (key) =>
      `${shown}: ${key}: no longer used (the downloader now uses MAST's public APIs); you can remove it`,
  );
}

interface ResolveContext {
  baseDir: string;
  homedir: string;
  cores: number;
}

/** Defaults filled in and every path made absolute. */
export function resolveSettings(file: FileSettings, ctx: ResolveContext): HstlcSettings {
  const resolve = (p: string) => resolveConfigPath(p, ctx.baseDir, ctx.homedir);
  const home = file.home_dir != null ? resolve(file.home_dir) : expandHome(DEFAULT_HOME_DIR, ctx.homedir);

  const dirs = { home_dir: home } as Record<DirectoryKey, string>;
  for (const [key, folder] of Object.entries(DIRECTORY_DEFAULTS) as Array<[DirectoryKey, string]>) {
    const given = file[key];
    dirs[key] = given != null ? resolve(given) : path.join(home, folder);
  }
  // Composites live inside outputs so that resetting outputs (§13.1) clears them too.
  dirs.composite_dir =
    file.composite_dir != null ? resolve(file.composite_dir) : path.join(dirs.outputs_dir, 'composite');

  const written = file.db_connection_string ?? `sqlite:///${path.join(home, 'hstlc.db')}`;
  const db = parseConnectionString(written);
  let db_connection_string = written;
  if (db.dialect === 'sqlite' && db.path !== ':memory:') {
    // A relative database file, like every other relative path, is taken from the config's folder.
    db.path = resolve(db.path ?? '');
    const query = new URLSearchParams(db.params).toString();
    db_connection_string = `sqlite:///${db.path}${query ? `?${query}` : ''}`;
  }

  for (const key of DIRECTORY_KEYS) dirs[key] = path.normalize(dirs[key]);
  return {
    ...dirs,
    db_connection_string,
    db,
    num_cores: file.num_cores ?? Math.max(1, Math.min(ctx.cores, MAX_DEFAULT_CORES)),
    mast_url: stripSlash(file.mast_url ?? DEFAULT_MAST_URL),
    crds_url: stripSlash(file.crds_url ?? DEFAULT_CRDS_URL),
    bad_proposals: file.bad_proposals ?? [],
    algorithm: file.algorithm ?? 'corrected',
    step: file.step ?? 1,
    download_concurrency: file.download_concurrency ?? 4,
    ...(file.mast_token ? { mast_token: file.mast_token } : {}),
    target_aliases: path.normalize(file.target_aliases != null ? resolve(file.target_aliases) : path.join(home, 'target_aliases.yaml')),
    target_match_radius: file.target_match_radius ?? 5,
  };
}

/** Base URLs are joined with paths that start with '/'. */
function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
