/**
 * Printable views of a loaded config. Both mask the database password: these are what `hstlc config`
 * prints and what goes into logs.
 */
import { redactUrl } from './connection.js';
import { CONFIG_KEYS, DIRECTORY_KEYS, type ConfigKey, type KeySpec } from './keys.js';
import type { ConfigSource, LoadedConfig } from './types.js';

const SOURCE_WORDS: Record<ConfigSource['kind'], string> = {
  flag: 'from --config',
  env: 'from $HSTLC_CONFIG',
  cwd: 'found in the working directory',
  home: 'found in ~/.hstlc',
  defaults: 'no config file found; defaults only',
};

/** `/path/hstlc.yaml (from --config)`, or the defaults notice. */
export function describeSource(source: ConfigSource): string {
  return source.path !== undefined ? `${source.path} (${SOURCE_WORDS[source.kind]})` : SOURCE_WORDS[source.kind];
}

/**
 * The config as JSON-ready data with the password masked (for `hstlc config --json` and logs), in
 * the same reading order as describeConfig.
 */
export function redactedConfig(cfg: LoadedConfig): Record<string, unknown> {
  const { source, warnings, db_connection_string, db, ...rest } = cfg;
  const { password, ...dbRest } = db;
  const directories = Object.fromEntries(DIRECTORY_KEYS.map((key) => [key, cfg[key]]));
  const others = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !(DIRECTORY_KEYS as readonly string[]).includes(key)),
  );
  return {
    source,
    db_connection_string: redactUrl(db_connection_string),
    db: password === undefined ? dbRest : { ...dbRest, password: '***' },
    ...directories,
    ...others,
    warnings,
  };
}

/**
 * `key: value` lines, aligned, in a reading order: source, then every key as keys.ts declares them
 * (database, directories, the rest). Warnings are not included; the CLI prints them on stderr when the
 * config loads.
 */
export function describeConfig(cfg: LoadedConfig): string[] {
  const rows: Array<[string, string]> = [
    ['config', describeSource(cfg.source)],
    ...(Object.keys(CONFIG_KEYS) as ConfigKey[]).map((key): [string, string] => {
      const spec = CONFIG_KEYS[key] as KeySpec<unknown>;
      const value = cfg[key];
      return [key, spec.show ? spec.show(value) : String(value)];
    }),
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${value}`);
}

/** The README's configuration table (markdown lines), from the key declarations. */
export function configTable(): string[] {
  return [
    '| key | default | meaning |',
    '|---|---|---|',
    ...(Object.entries(CONFIG_KEYS) as Array<[string, KeySpec<unknown>]>).map(([key, spec]) => `| \`${key}\` | ${spec.defaultText} | ${spec.meaning} |`),
  ];
}
