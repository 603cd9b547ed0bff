/**
 * Reference files named `lref$name` / `oref$name` in HST headers (§6.9). The original joins the
 * environment variable's value and the name, or returns the bare name when the variable is unset.
 * We look in the environment first, then in `<ref_dir>/lref/` or `<ref_dir>/oref/` from the config,
 * and report every file that cannot be found so its unity fallback is recorded, never silent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface RefContext {
  /** Environment to read `lref`/`oref` from (default process.env). */
  env?: Record<string, string | undefined>;
  /** The config's ref_dir, holding `lref/` and `oref/`. */
  refDir?: string;
}

export interface RefResolution {
  /** The header value as given. */
  name: string;
  /** The path tried last ('' when the header value is empty). */
  path: string;
  exists: boolean;
}

/** §6.9 exactly: `var$file` → join($var, file) if var is set, else `file`; other names unchanged. */
export function expandRefname(name: string, env: Record<string, string | undefined> = process.env): string {
  if (!name.includes('$')) return name;
  const parts = name.split('$');
  if (parts.length !== 2) throw new Error(`reference file name '${name}' has more than one '$'`);
  const [variable, file] = parts;
  const dir = env[variable];
  return dir !== undefined ? join(dir, file) : file;
}

/** Find a reference file: $lref/$oref, then ref_dir/lref|oref, then the bare name. */
export function resolveRefFile(name: string | undefined, ctx: RefContext = {}): RefResolution {
  const raw = (name ?? '').trim();
  if (raw === '' || raw.toUpperCase() === 'N/A') return { name: raw, path: '', exists: false };
  const env = ctx.env ?? process.env;
  const candidates: string[] = [];
  if (raw.includes('$')) {
    const [variable, file] = raw.split('$');
    if (env[variable] !== undefined) candidates.push(expandRefname(raw, env));
    if (ctx.refDir !== undefined) candidates.push(join(ctx.refDir, variable, file));
    candidates.push(file);
  } else {
    candidates.push(raw);
  }
  for (const c of candidates) if (existsSync(c)) return { name: raw, path: c, exists: true };
  return { name: raw, path: candidates[0], exists: false };
}

/** The reference files an extraction used, and the fallbacks it had to take. */
export class RefLog {
  readonly used = new Map<string, string>();
  readonly warnings: string[] = [];
  /** Record a missing file or row; the caller applies unity. */
  fallback(what: string, detail: string): void {
    const msg = `${what}: ${detail}; using unity instead`;
    if (!this.warnings.includes(msg)) this.warnings.push(msg);
  }
  /** A remark that is not a unity fallback. */
  note(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
  use(keyword: string, path: string): void {
    this.used.set(keyword, path);
  }
}
