/**
 * Discovery (DESIGN §8): the HST mission search, `POST <mast_url>/search/hst/api/v0.1/search`,
 * with the body astroquery's MastMissions sends (`select_cols`, `conditions`, `limit`, `offset`,
 * `sort_by`, `sort_desc`) and its answer (`totalResults`, `results`, `info`, `messages`). The conditions
 * are the original's SQL (§14.2) in the search API's terms; the target-name exclusion is applied again
 * here, because a server that ignores a condition must not bring calibration exposures in.
 */
import { requestJson, type HttpOptions } from './http.js';
import { parseRootname, trimmed, wildcardRegExp } from './names.js';

/** §14.2: calibration and engineering targets never give lightcurves. */
export const EXCLUDED_TARGETS = ['DARK', 'BIAS', 'DEUTERIUM', 'WAVE', 'ANY', 'NONE'] as const;

export const SEARCH_COLUMNS = [
  'sci_data_set_name',
  'sci_asn_id',
  'sci_targname',
  'sci_instrume',
  'sci_operating_mode',
  'sci_aec',
  'sci_release_date',
  'sci_generation_date',
  'sci_pep_id',
  'sci_start_time',
] as const;

/**
 * The start-up check: MAST's column list for the HST mission
 * (`GET <mast_url>/search/util/api/v0.1/column_list?mission=hst`, entries with `column_name`) must
 * hold every column the search selects, so a renamed column fails here with its name, not later as
 * rows without values.
 */
export async function checkSearchColumns(mastUrl: string, http: HttpOptions): Promise<void> {
  const url = `${mastUrl}/search/util/api/v0.1/column_list?mission=hst`;
  const missing = missingColumns(await requestJson(url, { method: 'GET' }, http));
  if (missing.length > 0) {
    throw new Error(`MAST's HST mission no longer has the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that hstlc searches on (${url}); MAST may have renamed ${missing.length > 1 ? 'them' : 'it'}`);
  }
}

/** The selected columns absent from a column_list answer. */
export function missingColumns(body: unknown): string[] {
  if (!Array.isArray(body)) throw new Error('the column list answer is not a JSON array');
  const names = new Set(body.map((c) => trimmed(record(c)?.['column_name'])).filter((n) => n !== ''));
  return SEARCH_COLUMNS.filter((c) => !names.has(c));
}

export interface SearchRow {
  /** Lower-case IPPPSSOOT. */
  dataset: string;
  asnId: string | undefined;
  targname: string;
  instrument: string;
  operatingMode: string;
  releaseDate: string;
  /** When MAST's pipeline made the products: a change means the files were reprocessed. */
  generationDate: string | undefined;
  proposalId: number | undefined;
  startTime: string;
}

/**
 * `hstlc download --since/--target/--proposal`: further search conditions, in the search API's terms
 * (astroquery's MastMissions sends each criterion as one `{column: value}` condition; several values
 * of one column comma-separated, `!` negating, `>=` comparing, MAST's search syntax).
 */
export interface SearchFilters {
  /** Observations that started on or after this day (YYYY-MM-DD, UTC): sci_start_time >= since. */
  since?: string;
  /** TARGNAME, upper case; `*` is MAST's wildcard. */
  target?: string;
  /** Proposal id (sci_pep_id). */
  proposal?: number;
}

/** Why a filter value cannot be sent, or undefined when it is fine (the CLI turns this into a usage error). */
export function filterProblem(filters: SearchFilters): string | undefined {
  if (filters.since !== undefined) {
    const ok = /^\d{4}-\d{2}-\d{2}$/.test(filters.since) && new Date(`${filters.since}T00:00:00Z`).toISOString().startsWith(filters.since);
    if (!ok) return `--since wants a date YYYY-MM-DD, got '${filters.since}'`;
  }
  // A comma or a leading '!', '<', '>' would be read by MAST as another term of the condition.
  if (filters.target !== undefined && !/^[A-Z0-9_+\-.*]{1,100}$/.test(filters.target)) {
    return `--target wants a target name of letters, digits and _ + - . * (MAST's wildcard), got '${filters.target}'`;
  }
  if (filters.proposal !== undefined && !(Number.isSafeInteger(filters.proposal) && filters.proposal > 0)) {
    return `--proposal wants a positive integer, got '${filters.proposal}'`;
  }
  return undefined;
}

export interface SearchOptions {
  filters?: SearchFilters;
  /** Rows per request (MastMissions' default limit is 5000). */
  pageSize?: number;
  /** Upper bound on requests, so a server that never reaches totalResults cannot loop us forever. */
  maxPages?: number;
  /** "Now", for sci_release_date (default: the current time). */
  now?: Date;
}

export interface SearchResult {
  rows: SearchRow[];
  /** totalResults as the server reported it. */
  totalResults: number;
  pages: number;
  /** Rows dropped here, with why (bad dataset name, excluded target, wrong instrument or mode…). */
  rejected: Array<{ dataset: string; reason: string }>;
  /** The server's `messages`, passed on for the report. */
  messages: string[];
}

/** The request body for one page. */
export function searchBody(offset: number, limit: number, now: Date, filters: SearchFilters = {}): Record<string, unknown> {
  const today = now.toISOString().slice(0, 10);
  const excluded = EXCLUDED_TARGETS.map((t) => `!${t}`);
  return {
    select_cols: [...SEARCH_COLUMNS],
    conditions: [
      { sci_instrume: 'COS,STIS' },
      { sci_operating_mode: 'TIME-TAG' },
      { sci_aec: 'S' },
      // The search API's comparison syntax: released strictly before today (UTC), as §14.2.
      { sci_release_date: `<${today}` },
      // One condition per column: the wanted name OR'd with nothing, the exclusions AND'd against it.
      { sci_targname: [...(filters.target !== undefined ? [filters.target] : []), ...excluded].join(',') },
      ...(filters.since !== undefined ? [{ sci_start_time: `>=${filters.since}` }] : []),
      ...(filters.proposal !== undefined ? [{ sci_pep_id: filters.proposal }] : []),
    ],
    limit,
    offset,
    sort_by: ['sci_data_set_name'],
    sort_desc: [false],
    skip_count: false,
    user_fields: [],
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** One result row → SearchRow, or the reason it is not wanted. */
export function parseSearchRow(raw: unknown, now: Date, filters: SearchFilters = {}): SearchRow | { reject: string; dataset: string } {
  const r = record(raw);
  if (r === undefined) return { reject: 'row is not an object', dataset: '' };
  const shown = trimmed(r['sci_data_set_name']);
  const dataset = parseRootname(r['sci_data_set_name']);
  if (dataset === undefined) return { reject: 'dataset name is not IPPPSSOOT', dataset: shown.slice(0, 40) };
  const targname = trimmed(r['sci_targname']).toUpperCase();
  const instrument = trimmed(r['sci_instrume']).toUpperCase();
  const mode = trimmed(r['sci_operating_mode']).toUpperCase();
  if ((EXCLUDED_TARGETS as readonly string[]).includes(targname)) return { reject: `target ${targname} is excluded`, dataset };
  if (instrument !== 'COS' && instrument !== 'STIS') return { reject: `instrument ${instrument || '(none)'}`, dataset };
  if (mode !== '' && mode !== 'TIME-TAG') return { reject: `operating mode ${mode}`, dataset };
  const aec = trimmed(r['sci_aec']).toUpperCase();
  if (aec !== '' && aec !== 'S') return { reject: `AEC ${aec} is not science`, dataset };
  const releaseDate = trimmed(r['sci_release_date']);
  const released = Date.parse(releaseDate.endsWith('Z') || releaseDate === '' ? releaseDate : `${releaseDate}Z`);
  if (releaseDate !== '' && Number.isFinite(released) && released >= now.getTime()) {
    return { reject: `not released until ${releaseDate}`, dataset };
  }
  const pep = r['sci_pep_id'];
  const proposalId = typeof pep === 'number' && Number.isInteger(pep) ? pep : undefined;
  const startTime = trimmed(r['sci_start_time']);
  // The filters again, so a server that ignored a condition cannot widen the download.
  if (filters.target !== undefined && !wildcardRegExp(filters.target).test(targname)) return { reject: `target ${targname} is not ${filters.target}`, dataset };
  if (filters.proposal !== undefined && proposalId !== filters.proposal) return { reject: `proposal ${proposalId ?? '(none)'} is not ${filters.proposal}`, dataset };
  if (filters.since !== undefined && startTime.slice(0, 10) < filters.since) return { reject: `started ${startTime || '(no date)'}, before ${filters.since}`, dataset };
  return {
    dataset,
    asnId: parseRootname(r['sci_asn_id']),
    targname,
    instrument,
    operatingMode: mode,
    releaseDate,
    generationDate: trimmed(r['sci_generation_date']) || undefined,
    proposalId,
    startTime,
  };
}

/**
 * Every matching dataset, page by page (`offset` += rows received) until totalResults is reached, a
 * page comes back empty, or maxPages is hit. Duplicated rows (paging over a changing table) are kept once.
 */
export async function searchTimeTag(mastUrl: string, http: HttpOptions, options: SearchOptions = {}): Promise<SearchResult> {
  const url = `${mastUrl}/search/hst/api/v0.1/search`;
  const pageSize = options.pageSize ?? 5000;
  const maxPages = options.maxPages ?? 1000;
  const now = options.now ?? new Date();
  const filters = options.filters ?? {};
  const problem = filterProblem(filters);
  if (problem !== undefined) throw new Error(problem);
  const rows: SearchRow[] = [];
  const seen = new Set<string>();
  const rejected: SearchResult['rejected'] = [];
  const messages: string[] = [];
  let total = 0;
  let offset = 0;
  let pages = 0;
  while (pages < maxPages) {
    const body = record(await requestJson(url, { method: 'POST', body: searchBody(offset, pageSize, now, filters) }, http));
    pages++;
    if (body === undefined) throw new Error(`${url}: the answer is not a JSON object`);
    const results = body['results'];
    if (!Array.isArray(results)) throw new Error(`${url}: the answer has no 'results' array`);
    const reported = body['totalResults'];
    if (typeof reported !== 'number' || !Number.isInteger(reported) || reported < 0) {
      throw new Error(`${url}: the answer has no integer 'totalResults'`);
    }
    total = reported;
    const msgs = body['messages'];
    if (Array.isArray(msgs)) for (const m of msgs) messages.push(typeof m === 'string' ? m : JSON.stringify(m));
    for (const raw of results) {
      const parsed = parseSearchRow(raw, now, filters);
      if ('reject' in parsed) {
        rejected.push({ dataset: parsed.dataset, reason: parsed.reject });
        continue;
      }
      if (seen.has(parsed.dataset)) continue;
      seen.add(parsed.dataset);
      rows.push(parsed);
    }
    offset += results.length;
    if (results.length === 0 || offset >= total) break;
  }
  if (offset < total) throw new Error(`${url}: stopped after ${pages} pages with ${offset} of ${total} results`);
  return { rows, totalResults: total, pages, rejected, messages };
}
