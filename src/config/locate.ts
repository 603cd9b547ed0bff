import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { displayPath, expandHome } from './paths.js';
import type { ConfigSource } from './types.js';

export interface LocateOptions {
  configPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homedir: string;
}

/** The file names looked for when none is named (DESIGN §4). */
export const CWD_CONFIG_NAME = 'hstlc.yaml';
export const HOME_CONFIG_PATH = path.join('.hstlc', 'config.yaml');

async function kindOf(file: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    return (await stat(file)).isDirectory() ? 'directory' : 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/**
 * Find the config file: --config, else $HSTLC_CONFIG, else ./hstlc.yaml, else ~/.hstlc/config.yaml,
 * else defaults. A file the user named explicitly must exist: silently falling back to defaults would
 * run the pipeline against the wrong directories.
 */
export async function locateConfigFile(opts: LocateOptions): Promise<ConfigSource> {
  const named: Array<{ kind: 'flag' | 'env'; value: string | undefined; label: string }> = [
    { kind: 'flag', value: opts.configPath, label: '--config' },
    { kind: 'env', value: opts.env['HSTLC_CONFIG'], label: '$HSTLC_CONFIG' },
  ];
  for (const { kind, value, label } of named) {
    if (value === undefined || value.trim() === '') continue;
    const file = path.resolve(opts.cwd, expandHome(value.trim(), opts.homedir));
    const found = await kindOf(file);
    if (found !== 'file') {
      const problem = found === 'missing' ? 'config file not found' : 'is a directory, not a config file';
      throw new ConfigError([{ file: displayPath(file, opts.cwd), problem: `${problem} (named by ${label})` }]);
    }
    return { kind, path: file };
  }

  const implicit: Array<{ kind: 'cwd' | 'home'; file: string }> = [
    { kind: 'cwd', file: path.resolve(opts.cwd, CWD_CONFIG_NAME) },
    { kind: 'home', file: path.resolve(opts.homedir, HOME_CONFIG_PATH) },
  ];
  for (const { kind, file } of implicit) {
    if ((await kindOf(file)) === 'file') return { kind, path: file };
  }
  return { kind: 'defaults' };
}
