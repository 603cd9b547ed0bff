import type { ConnectionInfo } from './connection.js';
import type { ALGORITHMS, KeyValues } from './keys.js';

/** Where the settings came from, in the order they are looked for (DESIGN §4). */
export type ConfigSourceKind = 'flag' | 'env' | 'cwd' | 'home' | 'defaults';

export interface ConfigSource {
  kind: ConfigSourceKind;
  /** Absolute path of the file read; absent for 'defaults'. */
  path?: string;
}

/** 'corrected' fixes the original's known bugs (§15); 'compat' reproduces its output as built. */
export type Algorithm = (typeof ALGORITHMS)[number];

/**
 * Every setting (the keys of keys.ts), defaults filled in, every path absolute. Plain data, so it can
 * cross to workers. `db_connection_string` is as written (SQLite paths rewritten absolute): print it only
 * through redactUrl; `db` is it parsed. `mast_token` is a secret, absent unless set: never printed or logged.
 */
export type HstlcSettings = Omit<KeyValues, 'mast_token'> & {
  mast_token?: string;
  db: ConnectionInfo;
};

export type LoadedConfig = HstlcSettings & {
  source: ConfigSource;
  /** Non-fatal remarks, e.g. deprecated keys; the CLI shows them and logs them. */
  warnings: string[];
};
