/**
 * A local stand-in for MAST and CRDS (DESIGN §8), bound to 127.0.0.1 only:
 *   POST /search/hst/api/v0.1/search              HST mission search (conditions, limit/offset paging)
 *   POST /search/hst/api/v0.1/post_list_products  product lists ({"dataset_ids": [...]}, ≤ 1000 ids)
 *   GET|HEAD /api/v0.1/Download/file?uri=mast:HST/product/<file>   with Range/If-Range, 206/416
 *   GET /api/v0.1/path_lookup/?uri=…&use_cloud_path=True   each product's key in the public bucket
 *   GET|HEAD /stpubdata/<key>                     the bucket as S3 answers (Range, ETag, 404 as S3's XML error)
 *   POST /json/                                   CRDS JSON-RPC (get_file_info)
 *   GET /unchecked_get/references/hst/<file>      CRDS reference files
 * plus switchable faults (5xx, 429 + Retry-After, dropped or stalled bodies, slow first byte, missing
 * Content-Length, wrong size, corrupted bytes) and a log of every request it saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { buildCatalog, readSlice, type CatalogInput, type StubCatalog, type StubFile, type StubRow } from './catalog.js';
import { matchesConditions } from './conditions.js';

export type StubRoute = 'search' | 'columns' | 'products' | 'download' | 'path-lookup' | 'cloud' | 'crds-rpc' | 'crds-file' | 'other';

export type FaultKind =
  /** Answer `status` (default 503), with Retry-After when `retryAfter` is given (seconds). */
  | 'status'
  /** Send the headers and `afterBytes` of the body (default half), then destroy the connection. */
  | 'drop'
  /** Send the headers and `afterBytes`, then send nothing more until the client goes away. */
  | 'stall'
  /** Wait `delayMs` before the first byte. */
  | 'slow'
  /** Send the body chunked, without Content-Length. */
  | 'no-length'
  /** Serve the file one block (2880 bytes) shorter, consistently in HEAD and GET. */
  | 'wrong-size'
  /** Flip bits of one byte in the middle of the file (same size). */
  | 'corrupt'
  /** Answer HEAD with Content-Length 0 (the GET is right), as MAST has been seen to. */
  | 'head-zero';

export interface Fault {
  route: StubRoute;
  kind: FaultKind;
  /** How many matching requests it affects (default 1; Infinity for all). */
  times?: number;
  /** Only for this file name (download and crds-file routes). */
  file?: string;
  /** Only for this method (default: GET for body faults, any for the others). */
  method?: 'GET' | 'HEAD' | 'POST';
  status?: number;
  retryAfter?: number | string;
  delayMs?: number;
  afterBytes?: number;
}

export interface SeenRequest {
  method: string;
  route: StubRoute;
  path: string;
  file?: string;
  range?: string;
  /** Whether an Authorization header came (its value is never kept). */
  authorized: boolean;
  /** Names of the headers that came (lower case; values are not kept). */
  headers: string[];
  /** The query string as sent, before any decoding (`?uri=mast:HST/product/…`). */
  query: string;
  status: number;
  /** Parsed JSON body of POSTs. */
  body?: unknown;
  fault?: FaultKind;
  at: number;
}

export interface StubOptions extends CatalogInput {
  /** Largest page the search answers (MAST caps `limit`), default 5000. */
  maxPageSize?: number;
  /** When false, the search ignores the sci_targname condition (to prove the client filters too). */
  honourTargetCondition?: boolean;
  /** List decoy products (raw, asn, spt files) that the client must not fetch (default true). */
  decoys?: boolean;
  /** List every file a second time under its own rootname (association + member listings). */
  duplicateProducts?: boolean;
  /** Product entries listed as given, whatever their names (hostile-name tests). */
  extraProducts?: ReadonlyArray<Record<string, unknown>>;
  /**
   * How get_file_info answers: `sha1sum` as CRDS may give it when it has none ('' or 'none'), and the
   * result wrapped as `{"crds_encoded": "1.0", "crds_payload": <base64 of gzip JSON>}`.
   */
  crdsSha1?: '' | 'none';
  crdsEncoded?: boolean;
  /** Files path_lookup knows no cloud path for (404 entries), so they are not in the bucket. */
  notInCloud?: readonly string[];
  /** Columns the column list leaves out (a rename at MAST). */
  droppedColumns?: readonly string[];
  /** Token PROPRIETARY files require (`Authorization: token <t>`). */
  token?: string;
  port?: number;
  /** Chunk size of file bodies (default 64 KiB). */
  chunkBytes?: number;
}

export interface MastStub {
  readonly url: string;
  readonly catalog: StubCatalog;
  readonly requests: SeenRequest[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** The most requests of a route that were being answered at once. */
  maxInFlight(route: StubRoute): number;
  /** Requests seen on a route (optionally for one file and method). */
  count(route: StubRoute, filter?: { file?: string; method?: string }): number;
  close(): Promise<void>;
}

const SEARCH_PATH = '/search/hst/api/v0.1/search';
const PRODUCTS_PATH = '/search/hst/api/v0.1/post_list_products';
const COLUMNS_PATH = '/search/util/api/v0.1/column_list';
const DOWNLOAD_PATH = '/api/v0.1/Download/file';
const PATH_LOOKUP_PATH = '/api/v0.1/path_lookup/';
/** The bucket's base under the stub: cloud_url is `<stub url>/stpubdata`. */
export const CLOUD_PREFIX = '/stpubdata/';
const CRDS_RPC_PATH = '/json/';
const CRDS_FILE_PREFIX = '/unchecked_get/references/hst/';
const BLOCK = 2880;

const COLUMN_TYPES: Record<string, string> = {
  sci_pep_id: 'INTEGER',
  sci_release_date: 'DATETIME',
  sci_generation_date: 'DATETIME',
  sci_start_time: 'DATETIME',
};

function routeOf(pathname: string): StubRoute {
  if (pathname === SEARCH_PATH) return 'search';
  if (pathname === PRODUCTS_PATH) return 'products';
  if (pathname === COLUMNS_PATH) return 'columns';
  if (pathname === DOWNLOAD_PATH) return 'download';
  if (pathname === PATH_LOOKUP_PATH || pathname === PATH_LOOKUP_PATH.slice(0, -1)) return 'path-lookup';
  if (pathname.startsWith(CLOUD_PREFIX)) return 'cloud';
  if (pathname === CRDS_RPC_PATH) return 'crds-rpc';
  if (pathname.startsWith(CRDS_FILE_PREFIX)) return 'crds-file';
  return 'other';
}

async function readBody(req: IncomingMessage, limit = 8 << 20): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request's JSON object body, or undefined when it is not JSON (or too large): the caller answers 400. */
async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readBody(req)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A body fault armed for a JSON answer (search, product list, CRDS), applied by sendJson. */
const jsonFaults = new WeakMap<ServerResponse, Fault>();

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = Buffer.from(JSON.stringify(value));
  const fault = jsonFaults.get(res);
  res.writeHead(status, { 'Content-Type': 'application/json', ...(fault?.kind === 'no-length' ? {} : { 'Content-Length': text.length }), ...headers });
  if (fault?.kind === 'drop') {
    // Half an answer, then the connection goes: the client must not take it for a page.
    res.write(text.subarray(0, Math.min(text.length - 1, fault.afterBytes ?? Math.floor(text.length / 2))));
    setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Products of one dataset as MAST lists them (`mission_products.json` field set). */
function productEntry(file: StubFile, dataset: string): Record<string, unknown> {
  const suffix = file.filename.replace(/^[^_]+_/, '').replace(/\.fits$/, '').toUpperCase();
  return {
    product_key: `${dataset}_${file.filename}`,
    access: file.access,
    dataset,
    instrument_name: file.filename.startsWith('l') ? 'COS   ' : 'STIS  ',
    filters: '',
    filename: file.filename,
    uri: `${dataset}/${file.filename}`,
    authz_primary_identifier: file.filename.slice(0, 9).toUpperCase(),
    authz_secondary_identifier: 'CAL',
    file_suffix: suffix,
    category: 'CALIBRATED',
    size: file.size,
    type: 'science',
  };
}

/** Where the stub's bucket keeps a product, in MAST's layout (`hst/public/u9o4/u9o40504m/u9o40504m_c3m.fits`). */
export function cloudKeyOf(filename: string): string {
  const root = filename.slice(0, 9).toLowerCase();
  return `hst/public/${root.slice(0, 4)}/${root}/${filename}`;
}

/** S3's error document, as the bucket sends it for a missing key. */
function sendS3Error(res: ServerResponse, status: number, code: string, message: string, key: string, method: string): void {
  const body = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>${key.replace(/[<>&"']/g, '')}</Key><RequestId>STUB0000000000000</RequestId><HostId>stub</HostId></Error>`,
  );
  res.writeHead(status, { 'Content-Type': 'application/xml', 'x-amz-request-id': 'STUB0000000000000', ...(method === 'HEAD' ? {} : { 'Content-Length': body.length }) });
  res.end(method === 'HEAD' ? undefined : body);
}

function decoyEntries(dataset: string, root: string, access: string): Array<Record<string, unknown>> {
  const lower = root.toLowerCase();
  return [`${lower}_rawtag_a.fits`, `${dataset.toLowerCase()}_asn.fits`, `${lower}_spt.fits`].map((filename) => ({
    product_key: `${dataset}_${filename}`,
    access,
    dataset,
    instrument_name: lower.startsWith('l') ? 'COS   ' : 'STIS  ',
    filters: '',
    filename,
    uri: `${dataset}/${filename}`,
    authz_primary_identifier: root.toUpperCase(),
    authz_secondary_identifier: 'CAL',
    file_suffix: filename.replace(/^[^_]+_/, '').replace(/\.fits$/, '').toUpperCase(),
    category: 'UNCALIBRATED',
    size: 2880 * 4,
    type: 'science',
  }));
}

export async function startMastStub(options: StubOptions = {}): Promise<MastStub> {
  const catalog = await buildCatalog(options);
  /** The bucket: public files under their keys (proprietary data are not in the public bucket). */
  const cloudFiles = new Map<string, StubFile>();
  for (const f of catalog.files.values()) if (f.access === 'PUBLIC' && !(options.notInCloud ?? []).includes(f.filename)) cloudFiles.set(cloudKeyOf(f.filename), f);
  const faults: Array<Fault & { left: number }> = [];
  const requests: SeenRequest[] = [];
  const maxPage = options.maxPageSize ?? 5000;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const sockets = new Set<import('node:net').Socket>();
  const inFlight = new Map<StubRoute, number>();
  const peak = new Map<StubRoute, number>();

  /** The first armed fault matching this request, consumed. */
  const takeFault = (route: StubRoute, method: string, file?: string): Fault | undefined => {
    const i = faults.findIndex((f) => {
      if (f.route !== route || f.left <= 0) return false;
      if (f.file !== undefined && f.file !== file) return false;
      const bodyFault = f.kind === 'drop' || f.kind === 'stall' || f.kind === 'no-length' || f.kind === 'corrupt';
      const fileRoute = route === 'download' || route === 'crds-file' || route === 'cloud';
      const method0 = f.method ?? (bodyFault && fileRoute ? 'GET' : undefined);
      return method0 === undefined || method0 === method;
    });
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.left--;
    return f;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, seen: SeenRequest): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    let file: string | undefined;
    if (seen.route === 'download') {
      const uri = url.searchParams.get('uri') ?? '';
      file = uri.startsWith('mast:HST/product/') ? uri.slice('mast:HST/product/'.length) : undefined;
    } else if (seen.route === 'cloud') {
      file = cloudFiles.get(decodeURIComponent(url.pathname.slice(CLOUD_PREFIX.length)))?.filename;
    } else if (seen.route === 'crds-file') {
      file = decodeURIComponent(url.pathname.slice(CRDS_FILE_PREFIX.length));
    }
    if (file !== undefined) seen.file = file;
    const fault = takeFault(seen.route, method, file);
    if (fault) seen.fault = fault.kind;
    if (fault && seen.route !== 'download' && seen.route !== 'crds-file' && seen.route !== 'cloud') jsonFaults.set(res, fault);
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      sendJson(res, fault.status ?? 503, { status: 'ERROR', msg: 'Service temporarily unavailable' }, headers);
      return;
    }

    switch (seen.route) {
      case 'search':
        return search(req, res, seen);
      case 'products':
        return products(req, res, url, seen);
      case 'columns':
        return columns(res, url);
      case 'path-lookup':
        return pathLookup(res, url);
      case 'cloud': {
        const key = decodeURIComponent(url.pathname.slice(CLOUD_PREFIX.length));
        const entry = cloudFiles.get(key);
        if (method !== 'GET' && method !== 'HEAD') return sendS3Error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', key, method);
        if (entry === undefined) return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.', key, method);
        return serveFile(req, res, entry, method, fault, 's3');
      }
      case 'download':
      case 'crds-file': {
        const source = seen.route === 'download' ? catalog.files : catalog.references;
        const entry = file !== undefined ? source.get(file) : undefined;
        if (entry === undefined) return sendJson(res, 404, { status: 'ERROR', msg: `File not found: ${file ?? url.searchParams.get('uri') ?? ''}` });
        if (method !== 'GET' && method !== 'HEAD') return sendJson(res, 405, { msg: 'method not allowed' });
        if (entry.access === 'PROPRIETARY' && options.token !== undefined && req.headers['authorization'] !== `token ${options.token}`) {
          return sendJson(res, 401, { status: 'ERROR', msg: 'Unauthorized' });
        }
        return serveFile(req, res, entry, method, fault);
      }
      case 'crds-rpc':
        return crdsRpc(req, res, seen);
      default:
        return sendJson(res, 404, { msg: 'not found' });
    }
  };

  const search = async (req: IncomingMessage, res: ServerResponse, seen: SeenRequest): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { msg: 'POST only' });
    const body = await readJsonBody(req);
    if (body === undefined) return sendJson(res, 400, { msg: 'invalid JSON' });
    seen.body = body;
    const conditions = Array.isArray(body['conditions']) ? (body['conditions'] as Array<Record<string, unknown>>) : [];
    const used = options.honourTargetCondition === false ? conditions.filter((c) => !('sci_targname' in c)) : conditions;
    const matching = catalog.rows.filter((row) => matchesConditions(row, used)).sort((a, b) => String(a['sci_data_set_name']).localeCompare(String(b['sci_data_set_name'])));
    const offset = Math.max(0, Number(body['offset'] ?? 0) | 0);
    const limit = Math.min(maxPage, Math.max(1, Number(body['limit'] ?? 5000) | 0));
    const select = Array.isArray(body['select_cols']) && body['select_cols'].length > 0 ? (body['select_cols'] as string[]) : Object.keys(catalog.rows[0] ?? {});
    const cols = select.includes('sci_data_set_name') ? select : [...select, 'sci_data_set_name'];
    const results = matching.slice(offset, offset + limit).map((row) => Object.fromEntries(cols.map((c) => [c, row[c] ?? null])));
    sendJson(res, 200, {
      search_params: body,
      totalResults: matching.length,
      results,
      info: cols.map((name) => ({ name, type: COLUMN_TYPES[name] ?? 'VARCHAR' })),
      messages: [],
    });
  };

  /** `column_list?mission=hst` in MAST's shape: one object per column, `column_name` among its fields. */
  const columns = (res: ServerResponse, url: URL): void => {
    if ((url.searchParams.get('mission') ?? '').toLowerCase() !== 'hst') return sendJson(res, 400, { msg: 'unknown mission' });
    const names = new Set<string>(['sci_data_set_name', 'sci_asn_id', 'sci_targname', 'sci_instrume', 'sci_operating_mode', 'sci_aec', 'sci_release_date', 'sci_generation_date', 'sci_pep_id', 'sci_start_time']);
    for (const row of catalog.rows) for (const k of Object.keys(row)) names.add(k);
    for (const d of options.droppedColumns ?? []) names.delete(d);
    sendJson(
      res,
      200,
      [...names].sort().map((name) => ({
        field_name: name,
        description: `${name}    `,
        column_name: name,
        queryable: 'yes',
        qual_type: COLUMN_TYPES[name] === 'DATETIME' ? 'datetime' : COLUMN_TYPES[name] === 'INTEGER' ? 'numeric' : 'string',
        default_output: 'yes',
        indexed: 'no',
        datatype: COLUMN_TYPES[name] === 'INTEGER' ? 'int' : COLUMN_TYPES[name] === 'DATETIME' ? 'datetime' : 'char',
      })),
    );
  };

  const products = async (req: IncomingMessage, res: ServerResponse, url: URL, seen: SeenRequest): Promise<void> => {
    let ids: string[];
    if (req.method === 'POST') {
      const body = await readJsonBody(req);
      if (body === undefined) return sendJson(res, 400, { msg: 'invalid JSON' });
      seen.body = body;
      ids = Array.isArray(body['dataset_ids']) ? (body['dataset_ids'] as unknown[]).map(String) : [];
    } else {
      ids = (url.searchParams.get('dataset_ids') ?? '').split(',').filter(Boolean);
    }
    if (ids.length === 0) return sendJson(res, 400, { msg: 'dataset_ids is required' });
    if (ids.length > 1000) return sendJson(res, 400, { msg: 'at most 1000 dataset_ids per request' });
    const wanted = new Set(ids.map((i) => i.trim().toUpperCase()));
    const out: Array<Record<string, unknown>> = [];
    for (const file of catalog.files.values()) {
      if (!wanted.has(file.dataset)) continue;
      out.push(productEntry(file, file.dataset));
      if (options.duplicateProducts) out.push(productEntry(file, file.filename.slice(0, 9).toUpperCase()));
    }
    if (options.decoys !== false) {
      for (const d of wanted) {
        const member = [...catalog.files.values()].find((f) => f.dataset === d);
        if (member) out.push(...decoyEntries(d, member.filename.slice(0, 9), member.access));
      }
    }
    for (const extra of options.extraProducts ?? []) {
      if (wanted.has(String(extra['dataset'] ?? '').toUpperCase())) out.push(extra);
    }
    sendJson(res, 200, { products: out });
  };

  /** MAST's answer shape (`mast_relative_path.json`): per uri asked, `{status_code, path}`, path null when unknown. */
  const pathLookup = (res: ServerResponse, url: URL): void => {
    const uris = url.searchParams.getAll('uri');
    if (uris.length === 0) return sendJson(res, 400, { msg: 'uri is required' });
    const out: Record<string, { status_code: number; path: string | null }> = {};
    for (const uri of uris) {
      const name = uri.startsWith('mast:HST/product/') ? uri.slice('mast:HST/product/'.length) : '';
      const file = catalog.files.get(name);
      const inCloud = file !== undefined && file.access === 'PUBLIC' && !(options.notInCloud ?? []).includes(name);
      out[uri] = inCloud ? { status_code: 200, path: `/${cloudKeyOf(name)}` } : { status_code: 404, path: null };
    }
    sendJson(res, 200, out);
  };

  const crdsRpc = async (req: IncomingMessage, res: ServerResponse, seen: SeenRequest): Promise<void> => {
    const body = await readJsonBody(req);
    if (body === undefined) return sendJson(res, 400, { msg: 'invalid JSON' });
    seen.body = body;
    const id = body['id'] ?? null;
    const params = Array.isArray(body['params']) ? body['params'] : [];
    const error = (message: string) =>
      sendJson(res, 200, { error: { message, code: 500, data: null, name: 'OtherError' }, jsonrpc: '1.0', id, result: null }, { 'Content-Type': 'application/json-rpc' });
    if (body['method'] !== 'get_file_info') return error(`OtherError: unknown method '${String(body['method'])}'`);
    const name = String(params[1] ?? '').toLowerCase();
    const ref = catalog.references.get(name);
    if (ref === undefined) return error(`OtherError: No catalog entry for '${name}'`);
    const result = {
          name: ref.filename,
          observatory: 'hst',
          instrument: ref.filename.endsWith('l.fits') || /l_[a-z]+\.fits$/.test(ref.filename) ? 'cos' : 'stis',
          filekind: ref.filename.replace(/^[^_]+_/, '').replace(/\.fits$/, ''),
          sha1sum: options.crdsSha1 ?? ref.sha1,
          size: String(ref.size),
          state: 'operational',
          blacklisted: 'false',
          rejected: 'false',
          type: 'reference',
    };
    const encoded = options.crdsEncoded ? { crds_encoded: '1.0', crds_payload: gzipSync(Buffer.from(JSON.stringify(result))).toString('base64') } : result;
    sendJson(res, 200, { error: null, jsonrpc: '1.0', id, result: encoded }, { 'Content-Type': 'application/json-rpc' });
  };

  const serveFile = async (req: IncomingMessage, res: ServerResponse, entry: StubFile, method: string, fault: Fault | undefined, style: 'mast' | 's3' = 'mast'): Promise<void> => {
    // Faults that change the content: one block short, or one byte flipped half-way.
    const total = fault?.kind === 'wrong-size' ? Math.max(0, entry.size - BLOCK) : entry.size;
    const corruptAt = fault?.kind === 'corrupt' ? Math.floor(entry.size / 2) + 7 : -1;
    // S3 names the object by its MD5 (single-part upload) and says nothing of a file name.
    const etag = style === 's3' ? entry.md5Etag : entry.etag;
    const headers: Record<string, string | number> = {
      'Content-Type': style === 's3' ? 'binary/octet-stream' : 'application/octet-stream',
      ...(style === 's3' ? { 'x-amz-request-id': 'STUB0000000000000', Server: 'AmazonS3' } : { 'Content-Disposition': `attachment; filename="${entry.filename}"` }),
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': 'Thu, 04 Feb 2016 23:46:26 GMT',
    };
    let start = 0;
    let end = total - 1;
    let status = 200;
    const range = req.headers['range'];
    const ifRange = req.headers['if-range'];
    if (typeof range === 'string' && (ifRange === undefined || ifRange === etag)) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
      if (m !== null) {
        start = Number(m[1]);
        end = m[2] === '' ? total - 1 : Math.min(Number(m[2]), total - 1);
        if (start >= total || start > end) {
          res.writeHead(416, { 'Content-Range': `bytes */${total}`, 'Content-Length': 0 });
          res.end();
          return;
        }
        status = 206;
        headers['Content-Range'] = `bytes ${start}-${end}/${total}`;
      }
    }
    const length = end + 1 - start;
    if (fault?.kind !== 'no-length') headers['Content-Length'] = fault?.kind === 'head-zero' && method === 'HEAD' ? 0 : length;
    res.writeHead(status, headers);
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const cut = fault?.kind === 'drop' || fault?.kind === 'stall' ? Math.min(length, fault.afterBytes ?? Math.floor(length / 2)) : length;
    let at = start;
    for await (let piece of readSlice(entry, start, start + cut, chunkBytes)) {
      if (corruptAt >= at && corruptAt < at + piece.length) {
        piece = new Uint8Array(piece);
        piece[corruptAt - at] = piece[corruptAt - at]! ^ 0x5a;
      }
      at += piece.length;
      if (!res.write(piece)) {
        // Wait for the client to take more, or to go away.
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      if (res.destroyed) return;
    }
    if (fault?.kind === 'drop') {
      // Let the bytes leave, then cut the connection mid-body.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'stall') {
      await new Promise<void>((resolve) => res.once('close', () => resolve()));
      return;
    }
    res.end();
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      route: routeOf(url.pathname),
      path: url.pathname,
      authorized: req.headers['authorization'] !== undefined,
      headers: Object.keys(req.headers).sort(),
      query: (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '',
      status: 0,
      at: Date.now(),
      ...(typeof req.headers['range'] === 'string' ? { range: req.headers['range'] } : {}),
    };
    requests.push(seen);
    const now = (inFlight.get(seen.route) ?? 0) + 1;
    inFlight.set(seen.route, now);
    peak.set(seen.route, Math.max(peak.get(seen.route) ?? 0, now));
    res.on('finish', () => (seen.status = res.statusCode));
    res.on('close', () => {
      seen.status ||= res.statusCode;
      inFlight.set(seen.route, (inFlight.get(seen.route) ?? 1) - 1);
    });
    handle(req, res, seen).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { msg: String(err) });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    catalog,
    requests,
    addFault(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    maxInFlight(route) {
      return peak.get(route) ?? 0;
    },
    count(route, filter = {}) {
      return requests.filter((r) => r.route === route && (filter.file === undefined || r.file === filter.file) && (filter.method === undefined || r.method === filter.method)).length;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { StubRow };
