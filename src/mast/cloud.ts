/**
 * Cloud reads (`download_source: cloud`): HST's public data are also in the `stpubdata` S3 bucket, read
 * anonymously over plain HTTPS (GET with Range, HEAD for size and ETag — what transfer.ts already does,
 * so no S3 client is needed). MAST's path_lookup gives each product's key:
 * `GET <mast_url>/api/v0.1/path_lookup/?uri=mast:HST/product/<file>&…&use_cloud_path=True`, answered
 * `{uri: {status_code, path}}` with path null for what the bucket lacks (exclusive-access data), which is
 * then read from MAST. Up to 50 uris per request, as astroquery sends them (longer URLs meet 414).
 */
import { chunk } from './products.js';
import { requestJson, type HttpOptions } from './http.js';

export const PATH_LOOKUP_BATCH = 50;

const uriOf = (filename: string): string => `mast:HST/product/${encodeURIComponent(filename)}`;

export function pathLookupUrl(mastUrl: string, filenames: readonly string[]): string {
  return `${mastUrl}/api/v0.1/path_lookup/?${filenames.map((f) => `uri=${uriOf(f)}`).join('&')}&use_cloud_path=True`;
}

/**
 * A key from path_lookup, checked before it goes into a URL: `hst/public/<dir>/<dir>/<the file's own
 * name>`, path segments of letters, digits, `_` and `.` only, no `..`. Undefined when it is not one.
 */
export function cloudKey(path: unknown, filename: string): string | undefined {
  if (typeof path !== 'string') return undefined;
  const key = path.replace(/^\/+/, '');
  const parts = key.split('/');
  if (parts.length !== 5 || parts[0] !== 'hst' || parts[1] !== 'public' || parts[4] !== filename) return undefined;
  if (parts.some((p) => !/^[a-z0-9_.]+$/i.test(p) || p.includes('..'))) return undefined;
  return key;
}

/** One path_lookup answer → file name → key, for the names asked (entries absent or null are left out). */
export function parsePathLookup(body: unknown, filenames: readonly string[]): Map<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('the path_lookup answer is not a JSON object');
  const out = new Map<string, string>();
  for (const f of filenames) {
    const entry = (body as Record<string, unknown>)[`mast:HST/product/${f}`];
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (e['status_code'] !== 200) continue;
    const key = cloudKey(e['path'], f);
    if (key !== undefined) out.set(f, key);
  }
  return out;
}

/** Keys of the files the bucket has, by file name, in batches of PATH_LOOKUP_BATCH. */
export async function lookupCloudKeys(mastUrl: string, filenames: readonly string[], http: HttpOptions): Promise<{ keys: Map<string, string>; requests: number }> {
  const keys = new Map<string, string>();
  let requests = 0;
  for (const batch of chunk([...new Set(filenames)], PATH_LOOKUP_BATCH)) {
    const body = await requestJson(pathLookupUrl(mastUrl, batch), { method: 'GET' }, http);
    requests++;
    for (const [f, k] of parsePathLookup(body, batch)) keys.set(f, k);
  }
  return { keys, requests };
}

/** The object's HTTPS URL under the bucket's base, each key segment escaped. */
export function cloudObjectUrl(cloudUrl: string, key: string): string {
  return `${cloudUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
