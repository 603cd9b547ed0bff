/**
 * TARGNAME becomes a directory name under filesystem_dir and outputs_dir, and part of a composite's file
 * name: anything that could escape the directory (`..`, `/`), hide (`.x`), look like an option (`-x`),
 * or carry control or markup characters is replaced. A changed name gets a short hash of the original,
 * so two different hostile names never end up in the same directory.
 */
import { createHash } from 'node:crypto';

/** The original's metadata.targname width (§10.2), which every canonical name fits. */
export const TARGNAME_MAX_LENGTH = 30;

export interface SafeName {
  name: string;
  /** True when the input had to be changed. */
  changed: boolean;
}

/** Characters HST target names use (§4.2: letters, digits, `+ - .`), plus the underscore. */
const UNSAFE = /[^A-Za-z0-9+._-]/g;

function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 6);
}

/** A single path component, at most `maxLength` characters (the metadata.targname width). */
export function safePathComponent(input: string, maxLength: number = TARGNAME_MAX_LENGTH): SafeName {
  let name = input.replace(UNSAFE, '_');
  if (name === '' || /^_*$/.test(name)) name = 'UNNAMED';
  if (name.startsWith('.') || name.startsWith('-')) name = `_${name}`;
  const changed = name !== input;
  if (!changed && name.length <= maxLength) return { name, changed: false };
  const hash = shortHash(input);
  return { name: `${name.slice(0, maxLength - hash.length - 1)}-${hash}`, changed: true };
}

/** True if `name` may be used as one path component as it is. */
export function isSafePathComponent(name: string, maxLength: number = TARGNAME_MAX_LENGTH): boolean {
  const r = safePathComponent(name, maxLength);
  return !r.changed;
}
