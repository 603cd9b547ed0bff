/**
 * Reference files from CRDS: the tables named in the downloaded files' primary headers
 * that ref_dir lacks are fetched from `<crds_url>/unchecked_get/references/hst/<file>` and checked
 * against CRDS's catalogue, JSON-RPC `get_file_info` at `<crds_url>/json/` (size and sha1sum), then
 * stored as `<ref_dir>/<lref|oref>/<file>`, where src/hst/reffiles.ts looks for them (§6.9).
 */
import { mkdir } from 'node:fs/promises';
import { pathExists } from '../files/index.js';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FitsReader } from '../fits/index.js';
import { requestJson, withoutToken, type HttpOptions } from './http.js';
import { parseReferenceName, trimmed, type ReferenceName } from './names.js';
import { transferFile, type TransferOptions } from './transfer.js';
import { fileDigest } from '../files/index.js';
import { verifyFitsFile } from './verify.js';

/**
 * The keywords whose tables the pipeline reads: COS FLUXTAB and TDSTAB (§6.7, §6.8); STIS flats and
 * BPIXTAB (§7.2, §7.3) and FLUXTAB (§7.4). COS BPIXTAB is not read by the extraction, so not fetched.
 */
export const REFERENCE_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  COS: ['FLUXTAB', 'TDSTAB'],
  STIS: ['FLUXTAB', 'PFLTFILE', 'LFLTFILE', 'BPIXTAB'],
};

export interface WantedReference extends ReferenceName {
  /** The header keyword and file that named it first. */
  keyword: string;
  namedBy: string;
}

/** Reference names in one file's primary header (unparseable or N/A values are skipped). */
export async function referencesNamedIn(file: string): Promise<WantedReference[]> {
  const reader = await FitsReader.open(file, { maxHdus: 1 });
  try {
    const header = reader.hdus[0]!.header;
    const instrument = trimmed(header.string('INSTRUME')).toUpperCase();
    const out: WantedReference[] = [];
    for (const keyword of REFERENCE_KEYWORDS[instrument] ?? []) {
      const ref = parseReferenceName(header.string(keyword));
      if (ref !== undefined) out.push({ ...ref, keyword, namedBy: path.basename(file) });
    }
    return out;
  } finally {
    await reader.close();
  }
}

export interface CrdsFileInfo {
  size: number;
  /** Undefined when CRDS has none ('' or 'none'): the CRDS client then skips the check, so do we. */
  sha1sum: string | undefined;
}

function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>)['message'];
    if (typeof message === 'string') return message;
  }
  return JSON.stringify(error);
}

/**
 * A JSON-RPC result, unwrapped when CRDS sent it encoded: `{"crds_encoded": "1.0", "crds_payload":
 * <base64 of gzip JSON>}` is how its server ships large answers.
 */
export function decodeCrdsResult(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('crds_encoded' in result)) return result;
  const r = result as Record<string, unknown>;
  if (r['crds_encoded'] !== '1.0') throw new Error(`CRDS answer encoded as '${String(r['crds_encoded']).slice(0, 20)}', only 1.0 is known`);
  const payload = r['crds_payload'];
  if (typeof payload !== 'string') throw new Error('CRDS encoded answer has no crds_payload');
  try {
    return JSON.parse(gunzipSync(Buffer.from(payload, 'base64')).toString('utf8')) as unknown;
  } catch (err) {
    throw new Error(`CRDS encoded answer does not decode: ${(err as Error).message}`);
  }
}

/** JSON-RPC 1.0 `get_file_info("hst", name)`; CRDS answers errors with HTTP 200 and an `error` object. */
export async function getFileInfo(crdsUrl: string, file: string, http: HttpOptions): Promise<CrdsFileInfo> {
  // CRDS is not MAST: its requests never carry the MAST token, whatever the caller passed.
  const body = await requestJson(`${crdsUrl}/json/`, { method: 'POST', body: { jsonrpc: '1.0', method: 'get_file_info', params: ['hst', file], id: 1 } }, withoutToken(http));
  if (typeof body !== 'object' || body === null) throw new Error('CRDS answer is not a JSON object');
  const r = body as Record<string, unknown>;
  const error = r['error'];
  if (error !== null && error !== undefined) throw new Error(`CRDS get_file_info: ${errorMessage(error).slice(0, 300)}`);
  const result = decodeCrdsResult(r['result']);
  if (typeof result !== 'object' || result === null) throw new Error('CRDS get_file_info returned no result');
  const info = result as Record<string, unknown>;
  // CRDS gives the size as a string ("10592640").
  const size = Number(info['size']);
  const sha1 = trimmed(info['sha1sum']).toLowerCase();
  if (!Number.isSafeInteger(size) || size <= 0) throw new Error(`CRDS get_file_info: invalid size '${String(info['size'])}'`);
  if (sha1 === '' || sha1 === 'none') return { size, sha1sum: undefined };
  if (!/^[0-9a-f]{40}$/.test(sha1)) throw new Error('CRDS get_file_info: invalid sha1sum');
  return { size, sha1sum: sha1 };
}

export interface ReferenceResult {
  file: string;
  dir: 'lref' | 'oref';
  keyword: string;
  namedBy: string;
  status: 'done' | 'skipped' | 'failed';
  reason?: string;
  bytes?: number;
}

/** Fetch every wanted reference missing from ref_dir; one result per distinct file. */
export async function fetchReferences(
  wanted: readonly WantedReference[],
  refDir: string,
  crdsUrl: string,
  transfer: TransferOptions,
): Promise<ReferenceResult[]> {
  const unique = new Map<string, WantedReference>();
  for (const w of wanted) if (!unique.has(`${w.dir}/${w.file}`)) unique.set(`${w.dir}/${w.file}`, w);
  const results: ReferenceResult[] = [];
  const crdsTransfer: TransferOptions = { ...transfer, http: withoutToken(transfer.http) };
  for (const ref of unique.values()) {
    const base = { file: ref.file, dir: ref.dir, keyword: ref.keyword, namedBy: ref.namedBy };
    const dest = path.join(refDir, ref.dir, ref.file);
    if (await pathExists(dest)) {
      results.push({ ...base, status: 'skipped', reason: 'already in ref_dir' });
      continue;
    }
    let info: CrdsFileInfo;
    try {
      info = await getFileInfo(crdsUrl, ref.file, crdsTransfer.http);
    } catch (err) {
      results.push({ ...base, status: 'failed', reason: (err as Error).message });
      continue;
    }
    await mkdir(path.dirname(dest), { recursive: true });
    const outcome = await transferFile(
      {
        url: `${crdsUrl}/unchecked_get/references/hst/${encodeURIComponent(ref.file)}`,
        dest,
        expectedSize: info.size,
        head: false,
        verify: async (file) => {
          if (info.sha1sum !== undefined) {
            const sha1 = await fileDigest(file, 'sha1');
            if (sha1 !== info.sha1sum) return `sha1 ${sha1} differs from CRDS's ${info.sha1sum}`;
          }
          // Without a sha1 the size and the FITS CHECKSUM/DATASUM decide.

          const fits = await verifyFitsFile(file, info.size);
          return fits.ok ? undefined : fits.reason;
        },
      },
      crdsTransfer,
    );
    results.push(outcome.status === 'done' ? { ...base, status: 'done', bytes: info.size } : { ...base, status: 'failed', reason: outcome.reason });
  }
  return results;
}
