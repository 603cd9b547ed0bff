import path from 'node:path';

/** `~` and `~/x` mean the user's home; `~user` is left alone (rare, and not portable). */
export function expandHome(p: string, homedir: string): string {
  if (p === '~') return homedir;
  if (p.startsWith('~/')) return path.join(homedir, p.slice(2));
  return p;
}

/** A path from a config value: `~` expanded, then relative paths taken from `baseDir`. */
export function resolveConfigPath(p: string, baseDir: string, homedir: string): string {
  return path.resolve(baseDir, expandHome(p, homedir));
}

/** How to name a file in a message: relative when under the working directory, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
