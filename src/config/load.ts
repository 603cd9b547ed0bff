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
  CONFIG_KEYS,
  DEPRECATED_KEYS,
  EXPECTED,
  EXPLAINED,
  FILE_SCHEMA,
  KNOWN_KEYS,
  type ConfigKey,
  type DefaultContext,
  type FileSettings,
  type KeySpec,
} from './keys.js';
import { locateConfigFile } from './locate.js';
import { displayPath, resolveConfigPath } from './paths.js';
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

export { DEFAULT_CRDS_URL, DEFAULT_HOME_DIR, DEFAULT_MAST_URL, MAX_DEFAULT_CORES } from './keys.js';

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
  const resolved = resolveSettings(settings, { baseDir, homedir, cores });
  // DESIGN §9: the job engine keeps its queue in the pipeline's own PostgreSQL (one source of truth);
  // SQLite and MySQL have no such engine, so this combination is refused before anything runs.
  if (resolved.engine === 'graphile' && resolved.db.dialect !== 'postgresql') {
    throw new ConfigError([
      {
        ...(source.path !== undefined ? { file: displayPath(source.path, cwd) } : {}),
        key: 'engine',
        problem: `'graphile' keeps its job queue in PostgreSQL, but db_connection_string is ${resolved.db.dialect === 'sqlite' ? 'SQLite' : 'MySQL'}; use a postgresql:// database or engine: local`,
      },
    ]);
  }
  return { ...resolved, source, warnings };
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

/** Defaults filled in and every path made absolute, key by key as keys.ts declares them (home_dir first). */
export function resolveSettings(file: FileSettings, ctx: ResolveContext): HstlcSettings {
  const resolved: Record<string, unknown> = {};
  const context: DefaultContext = { homedir: ctx.homedir, cores: ctx.cores, home: '', resolved };
  const order: ConfigKey[] = ['home_dir', ...(Object.keys(CONFIG_KEYS) as ConfigKey[]).filter((k) => k !== 'home_dir')];
  for (const key of order) {
    const spec = CONFIG_KEYS[key] as KeySpec<unknown>;
    const given = file[key];
    let value = given != null ? (spec.path ? resolveConfigPath(given as string, ctx.baseDir, ctx.homedir) : given) : spec.default(context);
    if (value === undefined) continue;
    if (spec.normalize) value = spec.normalize(value);
    if (spec.path) value = path.normalize(value as string);
    resolved[key] = value;
    if (key === 'home_dir') context.home = value as string;
  }
  // mast_token: an empty token is no token.
  if (!resolved['mast_token']) delete resolved['mast_token'];

  const written = resolved['db_connection_string'] as string;
  const db = parseConnectionString(written);
  if (db.dialect === 'sqlite' && db.path !== ':memory:') {
    // A relative database file, like every other relative path, is taken from the config's folder.
    db.path = resolveConfigPath(db.path ?? '', ctx.baseDir, ctx.homedir);
    const query = new URLSearchParams(db.params).toString();
    resolved['db_connection_string'] = `sqlite:///${db.path}${query ? `?${query}` : ''}`;
  }
  return { ...(resolved as Omit<HstlcSettings, 'db'>), db };
}
