export { loadConfig, resolveSettings, DEFAULT_CRDS_URL, DEFAULT_MAST_URL, type LoadConfigOptions } from './load.js';
export { configTable, describeConfig, describeSource, redactedConfig } from './describe.js';
export {
  ConnectionStringError,
  describeConnection,
  parseConnectionString,
  redactUrl,
  type ConnectionInfo,
  type Dialect,
} from './connection.js';
export { ConfigError, formatIssue, type ConfigIssue } from './errors.js';
export { CWD_CONFIG_NAME, HOME_CONFIG_PATH } from './locate.js';
export { CONFIG_KEYS, DEPRECATED_KEYS, DIRECTORY_KEYS, KNOWN_KEYS, type ConfigKey, type DirectoryKey } from './keys.js';
export type { Algorithm, ConfigSource, ConfigSourceKind, HstlcSettings, LoadedConfig } from './types.js';
