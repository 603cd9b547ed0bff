/**
 * Alias tables: header spelling → canonical name, for what no rule can know (`GW-LIB` is `GWLIB` in the
 * original archive while `EX-HYA` stays `EX-HYA`). A small built-in table, extended by the user's YAML file
 * (`HEADER-NAME: CANONICAL` lines, optionally under an `aliases:` key). Keys are compared after cleaning.
 */
import { readTextIfPresent } from '../files/index.js';
import { isMap, parseDocument } from 'yaml';
import { cleanTargetName } from './rules.js';

export type AliasTable = ReadonlyMap<string, string>;

/** Names the original archive spelled in a way no general rule reproduces. */
export const BUILTIN_ALIASES: AliasTable = new Map([
  ['GW-LIB', 'GWLIB'],
  ['NAME-RW-AUR-A', 'RW-AUR-A'],
  ['NAME-UX-TAU-A', 'UX-TAU-A'],
  // Moving targets the original's table (§4.2) merged by hand; no rule merges moving targets (rules.ts).
  ['CALLISTO-COPY', 'CALLISTO'],
  ['EUROPA2', 'EUROPA'],
  ['COMET-ISON-EPOCH2-OFFSET', 'COMET-ISON-OFFSET'],
  ['JUP-S-1-VISIT2', 'JUP-S-1'],
  ...Array.from({ length: 14 }, (_, i) => [`JUPITER-NORTH-${i + 1}`, 'JUPITER-NORTH'] as [string, string]),
]);

export class AliasFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AliasFileError';
  }
}

/** Build a table from plain data, cleaning keys and values. */
export function aliasTable(entries: Iterable<readonly [string, string]>): AliasTable {
  const table = new Map<string, string>();
  for (const [from, to] of entries) table.set(cleanTargetName(from), cleanTargetName(to));
  return table;
}

/** Read a YAML alias file; a missing file is an empty table. */
export async function loadAliasFile(file: string): Promise<AliasTable> {
  const text = await readTextIfPresent(file);
  if (text === undefined) return new Map();
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new AliasFileError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  let data: unknown = doc.toJS();
  if (data === null || data === undefined) return new Map();
  if (isMap(doc.contents) && typeof data === 'object' && data !== null && 'aliases' in data) data = (data as { aliases: unknown }).aliases;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new AliasFileError(`${file}: expected a mapping of HEADER-NAME: CANONICAL`);
  const entries: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number') throw new AliasFileError(`${file}: alias '${key}' must map to a name, got ${JSON.stringify(value)}`);
    if (String(value).trim() === '') throw new AliasFileError(`${file}: alias '${key}' maps to an empty name`);
    entries.push([key, String(value)]);
  }
  return aliasTable(entries);
}
