/**
 * `hstlc status`: what the database and the disk hold at a glance — rows per table, per state (bad data
 * by reason, downloads by state, runs by status, stats flags), the composite groups waiting to be
 * (re)built, the last runs (a 'running' one whose process is gone was interrupted), the files waiting in
 * ingest_dir and the interrupted ingests the next run will complete. Read only.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { describeConnection } from '../config/connection.js';
import type { HstlcSettings } from '../config/types.js';
import { countByValue, findMetadata, knownTargets, listReprocessing, pendingCompositeGroups, recentRuns, runningRuns, statsFlagCounts, tableCounts, type CompositeGroup, type HstlcDb, type TableCounts } from '../db/index.js';
import { loadAliasFile, targetCandidates, type AliasTable, type TargetCandidate } from '../targets/index.js';
import { filesToIngest } from './ingest.js';
import { journalDir, pendingIntents } from './journal.js';
import { processAlive } from '../archive/home-lock.js';

export type StatusSettings = Pick<HstlcSettings, 'home_dir' | 'ingest_dir' | 'filesystem_dir' | 'outputs_dir' | 'bad_data_dir' | 'plot_dir' | 'db'> &
  Partial<Pick<HstlcSettings, 'target_aliases' | 'target_match_radius'>>;

export interface RunInfo {
  id: number;
  command: string;
  status: 'running' | 'ok' | 'failed' | 'interrupted';
  started_at: string;
  finished_at: string | null;
  host: string;
  pid: number;
  summary: unknown;
}

export interface StatusReport {
  database: string;
  counts: TableCounts;
  badDataByReason: Record<string, number>;
  downloadsByState: Record<string, number>;
  runsByStatus: Record<string, number>;
  stats: { interesting: number; lowCounts: number; deliverable: number };
  pendingComposites: CompositeGroup[];
  /** Datasets MAST reprocessed whose new files wait for ingest to replace their outputs. */
  reprocessing: Array<{ dataset: string; generation_date: string; members: string[] }>;
  /** Targets of different names recorded within target_match_radius of each other, not settled by an alias. */
  targetCandidates: TargetCandidate[];
  lastRuns: RunInfo[];
  ingest: { dir: string; waiting: number; files: string[] };
  interruptedIngests: string[];
  /**
   * Of the metadata rows, those of files whose moves are still pending in the journal (an ingest
   * stopped between its commit and its moves): not ingested yet, the next ingest finishes them.
   */
  moving: string[];
  dirs: { filesystem: string; outputs: string; bad_data: string; plots: string };
}

function parseSummary(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Target names recorded within target_match_radius of each other that target_aliases does not settle:
 * what `hstlc status` and index.html list.
 */
export async function unsettledTargetPairs(
  handle: HstlcDb,
  settings: Partial<Pick<HstlcSettings, 'target_aliases' | 'target_match_radius'>>,
): Promise<TargetCandidate[]> {
  let aliases: AliasTable = new Map();
  // A broken alias file is ingest's to report; here it only means no pair counts as settled.
  if (settings.target_aliases !== undefined) aliases = await loadAliasFile(settings.target_aliases).catch(() => new Map());
  return targetCandidates(await knownTargets(handle.db), settings.target_match_radius, aliases);
}

/**
 * A run row as it is: 'running' rows whose process is gone (recorded on this host, pid no longer alive)
 * were interrupted — killed, or stopped by Ctrl-C, before they could finish their row. A run recorded
 * on another host is taken at its word (its process cannot be looked at from here).
 */
export function runState(r: { status: RunInfo['status'] | 'running'; host: string; pid: number; summary?: string | null }, me: string = hostname()): RunInfo['status'] {
  // A run on the job engine is carried by its workers (its finish job closes it), not by the submitter.
  if (r.status === 'running' && r.summary?.includes('"engine":"graphile"') === true) return r.status;
  return r.status === 'running' && r.host === me && !processAlive(r.pid) ? 'interrupted' : r.status;
}

/** Runs by status, the interrupted ones counted as such instead of as running. */
async function runsByStatus(handle: HstlcDb, me: string): Promise<Record<string, number>> {
  const counts = await countByValue(handle.db, 'runs', 'status');
  const interrupted = (await runningRuns(handle.db)).filter((r) => runState({ ...r, status: 'running' }, me) === 'interrupted').length;
  if (interrupted === 0) return counts;
  const running = (counts['running'] ?? 0) - interrupted;
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries({ ...counts, interrupted: (counts['interrupted'] ?? 0) + interrupted, running }).sort(([a], [b]) => a.localeCompare(b))) if (n > 0) out[k] = n;
  return out;
}

function waitingByDataset(rows: ReadonlyArray<{ dataset: string; member: string; mast_generation_date: string }>): StatusReport['reprocessing'] {
  const out = new Map<string, StatusReport['reprocessing'][number]>();
  for (const r of rows) {
    const entry = out.get(r.dataset) ?? { dataset: r.dataset, generation_date: r.mast_generation_date, members: [] };
    entry.members.push(r.member);
    out.set(r.dataset, entry);
  }
  return [...out.values()];
}

export async function collectStatus(handle: HstlcDb, settings: StatusSettings, options: { runs?: number } = {}): Promise<StatusReport> {
  const counts = await tableCounts(handle.db);
  const flags = await statsFlagCounts(handle.db);
  const me = hostname();
  const lastRuns: RunInfo[] = (await recentRuns(handle.db, options.runs ?? 5)).map((r) => ({
    id: r.id,
    command: r.command,
    status: runState(r, me),
    started_at: r.started_at,
    finished_at: r.finished_at,
    host: r.host,
    pid: r.pid,
    summary: parseSummary(r.summary),
  }));
  const { files } = await filesToIngest(settings.ingest_dir);
  const candidates = await unsettledTargetPairs(handle, settings);
  const intents = await pendingIntents(journalDir(settings.home_dir));
  const moving: string[] = [];
  for (const i of intents) if ((await findMetadata(handle.db, i.record.metadata.filename)) !== undefined) moving.push(path.basename(i.file));
  return {
    database: describeConnection(settings.db),
    counts,
    badDataByReason: await countByValue(handle.db, 'bad_data', 'reason'),
    downloadsByState: await countByValue(handle.db, 'downloads', 'state'),
    runsByStatus: await runsByStatus(handle, me),
    stats: flags,
    pendingComposites: await pendingCompositeGroups(handle.db),
    reprocessing: waitingByDataset(await listReprocessing(handle.db, 'waiting')),
    targetCandidates: candidates,
    lastRuns,
    ingest: { dir: settings.ingest_dir, waiting: files.length, files: files.map((f) => path.basename(f)) },
    interruptedIngests: intents.map((i) => path.basename(i.file)),
    moving,
    dirs: { filesystem: settings.filesystem_dir, outputs: settings.outputs_dir, bad_data: settings.bad_data_dir, plots: settings.plot_dir },
  };
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function byKey(record: Record<string, number>): string {
  const parts = Object.entries(record).map(([k, n]) => `${n} ${k}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function briefSummary(summary: unknown): string {
  if (summary === null || typeof summary !== 'object') return summary === null ? '' : String(summary);
  const s = summary as Record<string, unknown>;
  if (typeof s['error'] === 'string') return `error: ${s['error']}`;
  const counts = s['counts'] as Record<string, number> | undefined;
  if (counts !== undefined) return Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  return '';
}

export function describeStatus(r: StatusReport): string[] {
  const c = r.counts;
  const lines = [
    `database     ${r.database}`,
    '',
    // A row whose moves are pending in the journal is not an ingested file yet (its file may still be
    // in ingest_dir): counted apart, so status never calls a file ingested before its moves are done.
    `${pad('metadata', 14)}${c.metadata}${r.moving.length > 0 ? ` (${c.metadata - r.moving.length} ingested, ${r.moving.length} moving: moves pending in the journal)` : ''}`,
    `${pad('outputs', 14)}${c.outputs}`,
    `${pad('bad_data', 14)}${c.bad_data}${byKey(r.badDataByReason)}`,
    `${pad('stats', 14)}${c.stats} (${r.stats.interesting} composite(s) interesting, ${r.stats.lowCounts} with low counts, ${r.stats.deliverable} deliverable)`,
    `${pad('target_names', 14)}${c.target_names}`,
    `${pad('downloads', 14)}${c.downloads}${byKey(r.downloadsByState)}`,
    `${pad('runs', 14)}${c.runs}${byKey(r.runsByStatus)}`,
    '',
    `${pad('pending', 14)}${r.pendingComposites.length} composite group(s) to (re)build (${c.pending_composites} outputs row(s))`,
  ];
  for (const g of r.pendingComposites.slice(0, 10)) lines.push(`${pad('', 14)}${g.instrume} ${g.detector} ${g.targname} ${g.opt_elem} ${g.cenwave} ${g.aperture}`);
  if (r.pendingComposites.length > 10) lines.push(`${pad('', 14)}… and ${r.pendingComposites.length - 10} more`);
  lines.push(`${pad('reprocessed', 14)}${r.reprocessing.length} dataset(s) recalibrated at MAST waiting for re-ingest${r.reprocessing.length > 0 ? ' (hstlc ingest replaces their outputs)' : ''}`);
  for (const d of r.reprocessing.slice(0, 10)) lines.push(`${pad('', 14)}${d.dataset} (generated ${d.generation_date}): ${d.members.join(', ')}`);
  if (r.reprocessing.length > 10) lines.push(`${pad('', 14)}… and ${r.reprocessing.length - 10} more`);
  if (r.targetCandidates.length > 0) {
    lines.push(`${pad('same target?', 14)}${r.targetCandidates.length} pair(s) of names at one position, kept apart; in target_aliases, 'A: B' merges A into B, 'A: A' keeps A apart`);
    for (const c of r.targetCandidates.slice(0, 10)) lines.push(`${pad('', 14)}${c.names[0]} ~ ${c.names[1]} (${c.separationArcsec.toFixed(2)}″)`);
    if (r.targetCandidates.length > 10) lines.push(`${pad('', 14)}… and ${r.targetCandidates.length - 10} more`);
  }
  lines.push(`${pad('ingest_dir', 14)}${r.ingest.waiting} file(s) waiting in ${r.ingest.dir}`);
  if (r.interruptedIngests.length > 0) lines.push(`${pad('interrupted', 14)}${r.interruptedIngests.length} ingest(s) the next run completes: ${r.interruptedIngests.join(', ')}`);
  lines.push('', 'last runs:');
  if (r.lastRuns.length === 0) lines.push('  (none)');
  for (const run of r.lastRuns) {
    const brief = briefSummary(run.summary);
    lines.push(`  ${pad(`#${run.id}`, 6)}${pad(run.command, 18)}${pad(run.status, 12)}${run.started_at}${brief !== '' ? `  ${brief}` : ''}`);
  }
  lines.push('', `${pad('archive', 14)}${r.dirs.filesystem}`, `${pad('lightcurves', 14)}${r.dirs.outputs}`, `${pad('plots', 14)}${r.dirs.plots}`);
  return lines;
}
