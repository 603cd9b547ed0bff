/**
 * Printable views of a loaded config. Both mask the database password: these are what `hstlc config`
 * prints and what goes into logs.
 */
import { redactUrl } from './connection.js';
import { DIRECTORY_KEYS } from './keys.js';
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
 * `key: value` lines, aligned, in a reading order: source, database, directories, the rest.
 * Warnings are not included; the CLI prints them on stderr when the config loads.
 */
export function describeConfig(cfg: LoadedConfig): string[] {
  const rows: Array<[string, string]> = [
    ['config', describeSource(cfg.source)],
    ['db_connection_string', redactUrl(cfg.db_connection_string)],
    ...DIRECTORY_KEYS.map((key): [string, string] => [key, cfg[key]]),
    ['num_cores', String(cfg.num_cores)],
    ['algorithm', cfg.algorithm],
    ['step', `${cfg.step} s`],
    ['bad_proposals', cfg.bad_proposals.length ? cfg.bad_proposals.join(', ') : '(none)'],
    ['mast_url', cfg.mast_url],
    ['crds_url', cfg.crds_url],
    ['download_concurrency', String(cfg.download_concurrency)],
    ['mast_token', cfg.mast_token ? '(set)' : '(none)'],
    ['target_aliases', cfg.target_aliases],
    ['target_match_radius', `${cfg.target_match_radius} arcsec`],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${value}`);
}
