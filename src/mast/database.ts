/**
 * The downloader's view of the database: rootnames in `metadata` (§14.1 step 2: the
 * part of each file name before the first `_`) and in `bad_data` (step 4: its first 9 characters), and
 * the `downloads` table as a DownloadLedger. Not yet used by the CLI, which keeps the JSON-lines ledger
 * until the stages share one database handle.
 */
import { findDownload, listBadDataFilenames, listDownloadListings, listDownloads, listMetadataFilenames, recordDownload, recordDownloadListings, markReprocessing, type HstlcDb } from '../db/index.js';
import type { KnownDatasets } from './known.js';
import { normalizeListing, type DownloadLedger, type LedgerInput, type LedgerRecord, type Listing, type ListingInput, type ReprocessingInput } from './ledger.js';
import { parseRootname, rootnameOfFile } from './names.js';

export function databaseKnown(handle: HstlcDb): KnownDatasets[] {
  return [
    {
      label: 'metadata',
      async rootnames() {
        const out = new Set<string>();
        for (const name of await listMetadataFilenames(handle.db)) {
          const root = rootnameOfFile(name.toLowerCase());
          if (root !== undefined) out.add(root);
        }
        return out;
      },
    },
    {
      label: 'bad_data',
      async rootnames() {
        const out = new Set<string>();
        for (const name of await listBadDataFilenames(handle.db)) {
          const root = parseRootname(name.slice(0, 9));
          if (root !== undefined) out.add(root);
        }
        return out;
      },
    },
  ];
}

function toRecord(row: Awaited<ReturnType<typeof listDownloads>>[number]): LedgerRecord {
  return {
    dataset: row.dataset,
    filename: row.filename,
    state: row.state,
    size: row.size,
    sha256: row.sha256,
    mast_generation_date: row.mast_generation_date,
    error: row.error,
    attempts: row.attempts,
    updated_at: row.updated_at,
  };
}

export class DatabaseLedger implements DownloadLedger {
  constructor(private readonly handle: HstlcDb) {}

  async get(filename: string): Promise<LedgerRecord | undefined> {
    const row = await findDownload(this.handle.db, filename);
    return row && toRecord(row);
  }

  async list(): Promise<LedgerRecord[]> {
    return (await listDownloads(this.handle.db)).map(toRecord);
  }

  async record(input: LedgerInput, now?: Date): Promise<void> {
    await recordDownload(this.handle, input, now);
  }

  async listings(): Promise<Map<string, Listing>> {
    return listDownloadListings(this.handle.db);
  }

  async recordListings(inputs: readonly ListingInput[], now: Date = new Date()): Promise<void> {
    await recordDownloadListings(this.handle, inputs.map((i) => normalizeListing(i, now)));
  }

  async markReprocessing(input: ReprocessingInput, now?: Date): Promise<void> {
    await markReprocessing(this.handle, input, now);
  }
}
