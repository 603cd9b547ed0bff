/**
 * The downloads ledger: per file its dataset, size, sha256, MAST generation date and
 * state, with the same states and update rules as the database's `downloads` table (src/db/downloads.ts),
 * so the database-backed ledger can replace these without changing the downloader. Two implementations:
 * in memory (tests) and JSON lines under download_dir (the CLI until the database is wired).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readTextIfPresent } from '../files/index.js';

export const LEDGER_STATES = ['queued', 'downloading', 'complete', 'failed'] as const;
export type LedgerState = (typeof LEDGER_STATES)[number];

export interface LedgerRecord {
  dataset: string;
  filename: string;
  state: LedgerState;
  size: number | null;
  sha256: string | null;
  mast_generation_date: string | null;
  error: string | null;
  /** Times the file entered 'downloading'. */
  attempts: number;
  updated_at: string;
}

export interface LedgerInput {
  dataset: string;
  filename: string;
  state: LedgerState;
  size?: number | null;
  sha256?: string | null;
  mast_generation_date?: string | null;
  error?: string | null;
}

/** One wanted file of a dataset's product list, and the member exposure (rootname) it belongs to. */
export interface ListedFile {
  filename: string;
  member: string;
  size: number;
}

/**
 * What a product list said about one searched dataset (an association such as `lc7a01010`, or a lone
 * exposure): its wanted files and their members, and the search row's sci_generation_date at the time.
 * With it a later run can tell, without asking MAST again, that every member is already known.
 */
export interface Listing {
  dataset: string;
  generation_date: string | null;
  files: ListedFile[];
  listed_at: string;
}

export type ListingInput = Omit<Listing, 'listed_at'>;

export interface DownloadLedger {
  get(filename: string): Promise<LedgerRecord | undefined>;
  list(): Promise<LedgerRecord[]>;
  record(input: LedgerInput, now?: Date): Promise<void>;
  /** Every dataset's last listing, by lower-case dataset name. */
  listings(): Promise<Map<string, Listing>>;
  /** Replace each given dataset's listing (one write for the lot). */
  recordListings(inputs: readonly ListingInput[], now?: Date): Promise<void>;
  /** MAST reprocessed these members and their new files are in ingest_dir: ingest is to replace their outputs. */
  markReprocessing(input: ReprocessingInput, now?: Date): Promise<void>;
}

export interface ReprocessingInput {
  dataset: string;
  members: readonly string[];
  generation_date: string;
}

/** The listing as stored: members and names checked, files in name order. */
export function normalizeListing(input: ListingInput, now: Date): Listing {
  for (const f of input.files) {
    if (!(Number.isSafeInteger(f.size) && f.size >= 0)) throw new Error(`listing of ${input.dataset}: size ${f.size} of ${f.filename} is not a byte count`);
  }
  const files = [...input.files].sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  return { dataset: input.dataset.toLowerCase(), generation_date: input.generation_date, files, listed_at: now.toISOString() };
}

/** The update rule shared by every ledger (and src/db/downloads.ts): given fields only; success clears the error. */
export function applyRecord(old: LedgerRecord | undefined, input: LedgerInput, now: Date): LedgerRecord {
  if (!(LEDGER_STATES as readonly string[]).includes(input.state)) throw new Error(`'${input.state}' is not a download state`);
  if (input.sha256 != null && !/^[0-9a-f]{64}$/.test(input.sha256)) throw new Error(`'${input.sha256}' is not a SHA-256 hex digest`);
  const base: LedgerRecord = old ?? {
    dataset: input.dataset,
    filename: input.filename,
    state: input.state,
    size: null,
    sha256: null,
    mast_generation_date: null,
    error: null,
    attempts: 0,
    updated_at: now.toISOString(),
  };
  return {
    ...base,
    dataset: input.dataset,
    state: input.state,
    updated_at: now.toISOString(),
    attempts: base.attempts + (input.state === 'downloading' ? 1 : 0),
    ...(input.size !== undefined ? { size: input.size } : {}),
    ...(input.sha256 !== undefined ? { sha256: input.sha256 } : {}),
    ...(input.mast_generation_date !== undefined ? { mast_generation_date: input.mast_generation_date } : {}),
    ...(input.error !== undefined ? { error: input.error?.slice(0, 1000) ?? null } : input.state === 'complete' ? { error: null } : {}),
  };
}

export class MemoryLedger implements DownloadLedger {
  protected readonly rows = new Map<string, LedgerRecord>();
  protected readonly listed = new Map<string, Listing>();
  /** Members marked for re-ingest (the database ledger keeps them in `reprocessing`, read by ingest and status). */
  readonly reprocessing = new Map<string, { dataset: string; generation_date: string }>();

  async markReprocessing(input: ReprocessingInput): Promise<void> {
    for (const m of input.members) this.reprocessing.set(m, { dataset: input.dataset, generation_date: input.generation_date });
  }

  async listings(): Promise<Map<string, Listing>> {
    return new Map([...this.listed].map(([k, v]) => [k, { ...v, files: v.files.map((f) => ({ ...f })) }]));
  }

  async recordListings(inputs: readonly ListingInput[], now: Date = new Date()): Promise<void> {
    const listings = inputs.map((i) => normalizeListing(i, now));
    for (const listing of listings) this.listed.set(listing.dataset, listing);
  }

  async get(filename: string): Promise<LedgerRecord | undefined> {
    const row = this.rows.get(filename);
    return row && { ...row };
  }

  async list(): Promise<LedgerRecord[]> {
    return [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
  }

  async record(input: LedgerInput, now: Date = new Date()): Promise<void> {
    this.rows.set(input.filename, applyRecord(this.rows.get(input.filename), input, now));
  }
}

/**
 * `<download_dir>/downloads.jsonl`: one line per change, the last line for a file (or, for lines
 * `{"listing": …}`, for a dataset's listing) wins. Appends are
 * serialized; a torn last line (a crash mid-append) is skipped on load, losing only that one change.
 */
export class JsonlLedger extends MemoryLedger {
  private chain: Promise<void> = Promise.resolve();

  private constructor(readonly file: string) {
    super();
  }

  static async open(file: string): Promise<JsonlLedger> {
    const ledger = new JsonlLedger(file);
    await mkdir(path.dirname(file), { recursive: true });
    const text = (await readTextIfPresent(file)) ?? '';
    // Terminate a torn last line, or the next append would be glued to it and lost as well.
    if (text !== '' && !text.endsWith('\n')) await appendFile(file, '\n');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = JSON.parse(line) as LedgerRecord & { listing?: Listing };
        if (parsed.listing !== undefined) {
          if (typeof parsed.listing.dataset === 'string' && Array.isArray(parsed.listing.files)) ledger.listed.set(parsed.listing.dataset, parsed.listing);
          continue;
        }
        const row = parsed;
        if (typeof row.filename === 'string' && (LEDGER_STATES as readonly string[]).includes(row.state)) ledger.rows.set(row.filename, row);
      } catch {
        // torn line: ignored (see class comment)
      }
    }
    return ledger;
  }

  override async record(input: LedgerInput, now: Date = new Date()): Promise<void> {
    await super.record(input, now);
    await this.append(this.rows.get(input.filename)!);
  }

  override async recordListings(inputs: readonly ListingInput[], now: Date = new Date()): Promise<void> {
    await super.recordListings(inputs, now);
    if (inputs.length > 0) await this.append(...inputs.map((i) => ({ listing: this.listed.get(i.dataset.toLowerCase())! })));
  }

  private async append(...values: unknown[]): Promise<void> {
    const line = values.map((v) => `${JSON.stringify(v)}\n`).join('');
    // One failed append must not poison the chain for later records.
    this.chain = this.chain.catch(() => undefined).then(() => appendFile(this.file, line));
    await this.chain;
  }
}

export function ledgerPath(downloadDir: string): string {
  return path.join(downloadDir, 'downloads.jsonl');
}
