import type { ConnectionInfo } from './connection.js';
import type { DirectoryKey } from './keys.js';

/** Where the settings came from, in the order they are looked for (DESIGN §4). */
export type ConfigSourceKind = 'flag' | 'env' | 'cwd' | 'home' | 'defaults';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** Absolute path of the file read; absent for 'defaults'. */
  path?: string;
}

/** 'corrected' fixes the original's known bugs (§15); 'compat' reproduces its output as built. */
export type Algorithm = 'corrected' | 'compat';

/** Every setting, defaults filled in, every path absolute. Plain data, so it can cross to workers. */
export type HstlcSettings = Record<DirectoryKey, string> & {
  /** As written (SQLite paths rewritten absolute); print it only through redactUrl. */
  db_connection_string: string;
  db: ConnectionInfo;
  num_cores: number;
  mast_url: string;
  crds_url: string;
  bad_proposals: number[];
  algorithm: Algorithm;
  /** Lightcurve bin width in seconds. */
  step: number;
  download_concurrency: number;
  /** MAST API token for exclusive-access data (a secret: never printed or logged). */
  mast_token?: string;
  /** YAML file of target aliases (`HEADER-NAME: CANONICAL`); used when it exists. */
  target_aliases: string;
  /** Targets within this many arcseconds of a known one take its name. */
  target_match_radius: number;
};

export type LoadedConfig = HstlcSettings & {
  source: ConfigSource;
  /** Non-fatal remarks, e.g. deprecated keys; the CLI shows them and logs them. */
  warnings: string[];
};
