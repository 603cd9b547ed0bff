/**
 * The ingest stage (`hstlc ingest [--corrtag-extract]`, §5.1): gather (§1.4) → per file, in a worker,
 * the quality checks (§3) and the individual lightcurve into a staging directory (units.ts) → per file,
 * in this thread and in file order, the bad-data row and quarantine, or target resolution (§4), the
 * metadata (§5.3), the rows and the moves into the archive (§5.4), made crash-safe by an intent journal
 * (journal.ts) → the composites of the groups that changed (§9, composites.ts).
 *
 * Order of one good file: staged outputs (nothing visible yet) → intent → metadata + outputs rows in one
 * transaction → moves (staged corrtag and lightcurve into place, then the FUV partner, the x1d, the event
 * file last) → intent removed. Killed anywhere, the next run either finds the file untouched in ingest_dir
 * (before the intent) or rolls the intent forward (after it); either way the end state is that of an
 * uninterrupted run, without duplicate rows.
 *
 * Fixed relative to the original (§15): "No events" is recorded (quality/), a bad file's companions go
 * with it to bad_data_dir (§15.21), a file whose lightcurve fails is not recorded or moved but left in
 * ingest_dir as failed (§15.20), outputs go under outputs_dir (§15.19), a move never deletes what it does
 * not replace (§15.18), and composites are rebuilt when their group changes (§15.8). The STIS tag file
 * is archived beside its corrtag instead of being deleted.
 */
import { assertWritableDirectory, DiskFullError, isDiskFull } from '../files/index.js';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Header } from '../fits/index.js';
import type { HstlcSettings } from '../config/types.js';
import {
  countByStatus,
  findMetadata,
  findOutputs,
  findWaitingReprocessing,
  settleReprocessed,
  listBadData,
  recordBadData,
  recordIngestedFile,
  resolveAndRecordTarget,
  recordRun,
  todayIsoDate,
  validateMetadata,
  RowValidationError,
  WIDTH,
  type HstlcDb,
  type IndividualOutput,
  type MetadataInput,
  type ItemStatus,
  DatabaseUnreachableError,
} from '../db/index.js';
import { fileDicts } from '../archive/metadata.js';
import { fileDigest } from '../files/index.js';
import { gatherIngestFiles } from '../archive/gather.js';
import { individualDir, layoutFromSettings, targetDir, type ArchiveLayout } from '../archive/layout.js';
import { moveBadFile } from '../archive/companions.js';
import { moveFile } from '../archive/move.js';
import { fuvPartnerOf, rootnameOf, tagNameOfCorrtag, x1dOf } from '../hst/names.js';
import { pngBeside } from '../plots/layout.js';
import { makeDirectory, setPermissions } from '../archive/permissions.js';
import type { AliasTable } from '../targets/aliases.js';
import { makeComposites, type CompositeItem } from './composites.js';
import { intentIsCompletable, journalDir, pendingIntents, readIntent, removeIntent, writeIntent, type IngestIntent, type MoveStep } from './journal.js';
import { SILENT, type StageLogger } from './log.js';
import { createPool, forEachInOrder, TimeLimitError, type Pool, type PoolOptions } from './pool.js';
import { retryWrite } from './db-retry.js';
import { homeStage, itemResult, stageBasics, type RunEnvironment, type Stage, type StageProgress } from './stage.js';
import { drawQuicklook, prepareFile, type PrepareInput, type PrepareResult, type UnitOptions } from './units.js';

export type IngestSettings = Pick<
  HstlcSettings,
  | 'home_dir'
  | 'ingest_dir'
  | 'filesystem_dir'
  | 'outputs_dir'
  | 'composite_dir'
  | 'bad_data_dir'
  | 'log_dir'
  | 'download_dir'
  | 'ref_dir'
  | 'num_cores'
  | 'bad_proposals'
  | 'verify_checksums'
  | 'file_time_limit'
  | 'algorithm'
  | 'step'
>;

/** Points of one file's ingest at which a test may inject a fault (a throwing hook aborts the run). */
export type IngestStep =
  | 'prepared'
  | 'bad-recorded'
  | 'resolved'
  | 'intent-written'
  | 'committed'
  | `moved-${MoveStep['role']}`
  | 'done'
  | 'composites';

export interface IngestOptions extends RunEnvironment {
  settings: IngestSettings;
  /** `--corrtag-extract` (§5.1): re-derive STIS corrtags found in ingest_dir. */
  corrtagExtract?: boolean;
  /** The user's target aliases (src/targets). */
  aliases?: AliasTable;
  matchRadiusArcsec?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Fault injection for tests: called at each step; if it throws, the run stops there like a crash. */
  onStep?: (step: IngestStep, file: string) => void | Promise<void>;
  /**
   * Where units run; default the pool of ingestPoolOptions, stopped at the end. A given pool is not
   * stopped; an in-process one cannot enforce file_time_limit.
   */
  pool?: Pool;
  /** Write each individual lightcurve's quicklook PNG beside it (default true). */
  quicklook?: boolean;
}

export interface IngestProgress {
  phase: 'files' | 'composites';
  done: number;
  total: number;
  current: string;
  failures: number;
}

export interface FileResult {
  file: string;
  status: ItemStatus;
  /** Bad: the bad_data reason; failed: why; done: remarks such as a recovered intent. */
  reason?: string;
  targname?: string;
  /** Where the file was archived (done) or quarantined (bad). */
  archived?: string;
  lightcurve?: string;
  /** The quicklook PNG beside the lightcurve, when it was written. */
  quicklook?: string;
  events?: number;
  /** Remarks of the extraction (reference-file fallbacks and the like). */
  warnings?: string[];
}

export interface IngestSummary {
  numCores: number;
  files: FileResult[];
  composites: CompositeItem[];
  counts: Record<ItemStatus, number>;
  compositeCounts: { done: number; failed: number };
  /** Intents of an interrupted run completed first. */
  recovered: string[];
  events: number;
  elapsedMs: number;
  ok: boolean;
}

/** A hook's failure: not a per-file failure but the end of the run (it stands for a crash). */
export class IngestAborted extends Error {
  constructor(
    readonly step: IngestStep,
    readonly file: string,
    cause: unknown,
  ) {
    super(`ingest aborted at ${step} of ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'IngestAborted';
  }
}

export const STAGING_DIR = '.hstlc-staging';
/** Under STAGING_DIR: the members' kept selections of one ingest run, until its composites are made. */
export const MEMBER_EVENTS_DIR = 'member-events';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * §1.4 plus one rule of ours: a STIS `<root>_corrtag.fits` beside its `<root>_tag.fits` is the tag's
 * derived product (both come back after a reset-filesystem); the tag is ingested, the corrtag is
 * replaced by the one made from it. Returns the files and, per tag, such a superseded corrtag.
 */
export async function filesToIngest(ingestDir: string): Promise<{ files: string[]; superseded: Map<string, string> }> {
  await mkdir(ingestDir, { recursive: true });
  const all = await gatherIngestFiles(ingestDir);
  const names = new Set(all.map((f) => path.basename(f)));
  const superseded = new Map<string, string>();
  const files: string[] = [];
  for (const f of all) {
    const tag = tagNameOfCorrtag(f);
    if (tag !== undefined && names.has(tag)) {
      superseded.set(path.join(ingestDir, tag), f);
      continue;
    }
    files.push(f);
  }
  return { files, superseded };
}

interface Context {
  handle: HstlcDb;
  layout: ArchiveLayout;
  journal: string;
  options: IngestOptions;
  logger: StageLogger;
  ingestDate: string;
}

async function step(ctx: Context, s: IngestStep, file: string): Promise<void> {
  if (ctx.options.onStep === undefined) return;
  try {
    await ctx.options.onStep(s, file);
  } catch (err) {
    throw new IngestAborted(s, file, err);
  }
}

/** The moves of one good file, in order (see the module comment). */
function plannedMoves(prepared: Extract<PrepareResult, { status: 'done' }>, dirs: { target: string; outputs: string }, superseded: string | undefined, lightcurveName: string): MoveStep[] {
  const file = prepared.file;
  const moves: MoveStep[] = [];
  // The stale corrtag goes first, so the fresh one made from the tag replaces it.
  if (superseded !== undefined) moves.push({ src: superseded, dst: path.join(dirs.target, path.basename(superseded)), role: 'superseded' });
  if (prepared.stagedCorrtag !== undefined) moves.push({ src: prepared.stagedCorrtag, dst: path.join(dirs.target, prepared.archivedName), role: 'corrtag' });
  moves.push({ src: prepared.stagedLightcurve, dst: path.join(dirs.outputs, lightcurveName), role: 'lightcurve' });
  const partner = fuvPartnerOf(file, existsSync);
  if (partner !== undefined) moves.push({ src: partner, dst: path.join(dirs.target, path.basename(partner)), role: 'partner' });
  moves.push({ src: x1dOf(file), dst: path.join(dirs.target, path.basename(x1dOf(file))), role: 'x1d' });
  moves.push({ src: file, dst: path.join(dirs.target, path.basename(file)), role: 'event' });
  return moves;
}

/** Rows (idempotent upserts), then the moves not yet done, then the intent goes. */
async function carryOut(ctx: Context, intent: IngestIntent): Promise<void> {
  await recordIngestedFile(ctx.handle, intent.record);
  await step(ctx, 'committed', intent.file);
  await makeDirectory(intent.record.metadata.path);
  if (intent.record.output !== undefined) await makeDirectory(intent.record.output.individual_path);
  for (const m of intent.moves) {
    const outcome = await moveFile(m.src, m.dst);
    if (outcome === 'moved' && m.role === 'lightcurve') await setPermissions(m.dst);
    await step(ctx, `moved-${m.role}`, intent.file);
  }
  await settleIfReprocessed(ctx, intent);
  await removeIntent(ctx.journal, intent.file);
}

/**
 * A member MAST reprocessed (marked by the downloader): its rows and files were just replaced above
 * (upserts; the outputs row's composite queued for a rebuild), so the stats of its old lightcurve and
 * composite go too, and it is no longer waiting. Repeating this after a crash finds nothing waiting.
 */
async function settleIfReprocessed(ctx: Context, intent: IngestIntent): Promise<void> {
  const member = rootnameOf(intent.file).toLowerCase();
  if ((await findWaitingReprocessing(ctx.handle.db, member)) === undefined) return;
  const row = await findMetadata(ctx.handle.db, intent.record.metadata.filename);
  const output = row === undefined ? undefined : await findOutputs(ctx.handle.db, row.id);
  const lightcurves = [intent.record.output?.individual_filename, output?.composite_filename].filter((n): n is string => typeof n === 'string');
  if (await settleReprocessed(ctx.handle, member, lightcurves)) ctx.logger.info(`	${member}: reprocessed at MAST; outputs replaced, its stats and composite queued again`);
}

/** Roll forward what an interrupted run had committed to (journal.ts). */
async function recover(ctx: Context): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const intent of await pendingIntents(ctx.journal)) {
    if (!(await intentIsCompletable(intent))) {
      ctx.logger.warn(`Dropping the interrupted ingest of ${intent.file}: its files are gone`);
      await removeIntent(ctx.journal, intent.file);
      continue;
    }
    ctx.logger.info(`Completing the interrupted ingest of ${intent.file}`);
    try {
      await carryOut(ctx, intent);
      const result = resultOfIntent(intent, 'completed an interrupted ingest');
      const quicklook = ctx.options.quicklook === false ? undefined : await redrawQuicklook(ctx, intent);
      if (quicklook !== undefined) result.quicklook = quicklook;
      results.push(result);
    } catch (err) {
      if (err instanceof IngestAborted) throw err;
      // Rows the database refuses never will be accepted: drop the intent (its files are still in
      // ingest_dir or where its moves put them) rather than fail on it at every run.
      if (err instanceof RowValidationError) await removeIntent(ctx.journal, intent.file);
      ctx.logger.error(`Failed to complete the interrupted ingest of ${intent.file}: ${message(err)}`);
      results.push({ file: intent.file, status: 'failed', reason: `interrupted ingest not completed: ${message(err)}` });
    }
  }
  return results;
}

/** An interrupted ingest's staged quicklook is gone with the staging directory: draw it again here. */
async function redrawQuicklook(ctx: Context, intent: IngestIntent): Promise<string | undefined> {
  const lc = intent.moves.find((m) => m.role === 'lightcurve');
  if (lc === undefined || !existsSync(lc.dst)) return undefined;
  const png = pngBeside(lc.dst);
  if (existsSync(png)) return png;
  const event = intent.moves.find((m) => m.role === 'event');
  try {
    await drawQuicklook(lc.dst, event === undefined ? undefined : existsSync(event.dst) ? event.dst : event.src);
    await setPermissions(png);
    return png;
  } catch (err) {
    ctx.logger.warn(`\t${path.basename(intent.file)}: quicklook PNG not written: ${message(err)}`);
    return undefined;
  }
}

function resultOfIntent(intent: IngestIntent, reason?: string): FileResult {
  const lc = intent.moves.find((m) => m.role === 'lightcurve');
  return {
    file: intent.file,
    status: 'done',
    ...(reason !== undefined ? { reason } : {}),
    targname: intent.record.metadata.targname,
    archived: path.join(intent.record.metadata.path, intent.record.metadata.filename),
    ...(lc !== undefined ? { lightcurve: lc.dst } : {}),
  };
}

function validateRecord(metadata: MetadataInput, output: IndividualOutput): void {
  validateMetadata(metadata);
  if (output.individual_path.length > WIDTH.path) throw new RowValidationError(`outputs.individual_path is longer than ${WIDTH.path} characters`);
  if (output.individual_filename.length > WIDTH.filename) throw new RowValidationError(`outputs.individual_filename '${output.individual_filename}' is longer than ${WIDTH.filename} characters`);
}

async function commitBad(ctx: Context, r: Extract<PrepareResult, { status: 'bad' }>): Promise<FileResult> {
  ctx.logger.info(`\tBad data for ${r.file}: ${r.reason} (${r.detail})`);
  await recordBadData(ctx.handle.db, ctx.handle.dialect, { filename: path.basename(r.file), reason: r.reason, ingest_date: ctx.ingestDate });
  await step(ctx, 'bad-recorded', r.file);
  await makeDirectory(ctx.layout.badDataDir);
  const moved = await moveBadFile(r.file, ctx.layout.badDataDir);
  for (const m of moved) if (m.outcome === 'moved') await setPermissions(m.dst);
  const failed = moved.find((m) => m.outcome === 'failed');
  if (failed !== undefined) return { file: r.file, status: 'failed', reason: `${r.reason}, but not quarantined: ${failed.error ?? 'move failed'}` };
  return { file: r.file, status: 'bad', reason: r.reason, archived: path.join(ctx.layout.badDataDir, path.basename(r.file)) };
}

async function commitGood(ctx: Context, r: Extract<PrepareResult, { status: 'done' }>, superseded: string | undefined): Promise<FileResult> {
  // A retried commit (retryWrite, after a lost connection) whose first attempt wrote its intent: the
  // intent is the promise and its moves may have begun, so finish it; planning again would read files
  // that are no longer where the first attempt found them.
  const written = await readIntent(ctx.journal, r.file);
  if (written !== undefined) return finishCommit(ctx, r, written, undefined);
  const header = new Header(r.primary);
  const number = (k: string): number | undefined => {
    const v = header.get(k);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const targ = header.get('TARGNAME');
  if (typeof targ !== 'string') throw new Error(`keyword TARGNAME missing from HDU 0 (or not text)`);
  const ra = number('RA_TARG');
  const dec = number('DEC_TARG');
  const resolution = await resolveAndRecordTarget(ctx.handle, targ.trim(), {
    ...(ctx.options.aliases !== undefined ? { aliases: ctx.options.aliases } : {}),
    ...(ra !== undefined ? { ra } : {}),
    ...(dec !== undefined ? { dec } : {}),
    ...(ctx.options.matchRadiusArcsec !== undefined ? { radiusArcsec: ctx.options.matchRadiusArcsec } : {}),
    ...(typeof header.get('MTFLAG') === 'boolean' ? { moving: header.get('MTFLAG') as boolean } : {}),
  });
  if (resolution.method !== 'unchanged') ctx.logger.info(`\tTarget ${JSON.stringify(targ.trim())} → ${resolution.canonical} (${resolution.notes.join('; ') || resolution.method})`);
  if (resolution.candidate !== undefined) {
    ctx.logger.warn(`\tTarget ${resolution.canonical} is ${resolution.candidate.separationArcsec.toFixed(2)}″ from ${resolution.candidate.name}: kept apart (see hstlc status; target_aliases merges them)`);
  }
  await step(ctx, 'resolved', r.file);
  const dicts = fileDicts(header, ctx.layout, {
    filename: r.archivedName,
    originalFilename: path.basename(r.file),
    targname: resolution.canonical,
    ingestDate: ctx.ingestDate,
  });
  // Refuse what the database would refuse before anything is promised (an intent that can never be
  // recorded would otherwise be retried on every run).
  validateRecord(dicts.metadata, dicts.output);
  // A file ingested before (its row is there): the upsert below replaces that record; say so.
  const replaced = await earlierRecord(ctx, r.file, dicts.metadata.filename);
  if (replaced !== undefined) ctx.logger.info(`\t${path.basename(r.file)}: ${replaced}`);
  const intent: IngestIntent = {
    version: 1,
    file: r.file,
    record: { metadata: dicts.metadata, output: dicts.output },
    moves: plannedMoves(r, { target: targetDir(ctx.layout, resolution.canonical), outputs: individualDir(ctx.layout, resolution.canonical) }, superseded, dicts.output.individual_filename),
  };
  await writeIntent(ctx.journal, intent);
  await step(ctx, 'intent-written', r.file);
  return finishCommit(ctx, r, intent, replaced);
}

/** Carry out a good file's written intent, then place its quicklook. */
async function finishCommit(ctx: Context, r: Extract<PrepareResult, { status: 'done' }>, intent: IngestIntent, replaced: string | undefined): Promise<FileResult> {
  await carryOut(ctx, intent);
  const warnings = [...r.warnings];
  const quicklook = await placeQuicklook(ctx, r, intent, warnings);
  return { ...resultOfIntent(intent, replaced), ...(quicklook !== undefined ? { quicklook } : {}), events: r.events, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * 'replaced the earlier record (ingested 2026-12-01; the file is identical to the archived copy)' when
 * the file's metadata row exists, else undefined. The archived copy is the event file's name in the
 * row's folder; identical means the same SHA-256.
 */
async function earlierRecord(ctx: Context, file: string, filename: string): Promise<string | undefined> {
  const row = await findMetadata(ctx.handle.db, filename);
  if (row === undefined) return undefined;
  const archived = path.join(row.path, path.basename(file));
  let same: boolean | undefined;
  if (existsSync(archived) && path.resolve(archived) !== path.resolve(file)) {
    same = (await fileDigest(archived, 'sha256')) === (await fileDigest(file, 'sha256'));
  }
  const how = same === undefined ? '' : same ? '; the file is identical to the archived copy' : '; the archived copy is replaced by this different file';
  return `replaced the earlier record (ingested ${row.ingest_date}${how})`;
}

/**
 * The staged quicklook PNG goes beside the lightcurve once that is in place. Not part of the intent: a
 * crash before the intent is done is completed by recover(), which draws the PNG again; a crash after
 * it and before this move loses only the quicklook (`hstlc plots` draws its own). A failure is a warning.
 */
async function placeQuicklook(ctx: Context, r: Extract<PrepareResult, { status: 'done' }>, intent: IngestIntent, warnings: string[]): Promise<string | undefined> {
  const lc = intent.moves.find((m) => m.role === 'lightcurve');
  if (r.stagedQuicklook === undefined || lc === undefined) return undefined;
  const dst = pngBeside(lc.dst);
  try {
    if ((await moveFile(r.stagedQuicklook, dst)) !== 'moved') throw new Error('the staged PNG is gone');
    await setPermissions(dst);
    return dst;
  } catch (err) {
    const text = `quicklook PNG not written: ${message(err)}`;
    warnings.push(text);
    ctx.logger.warn(`\t${path.basename(r.file)}: ${text}`);
    return undefined;
  }
}

export function unitOptions(settings: IngestSettings, env: Record<string, string | undefined>): UnitOptions {
  return {
    algorithm: settings.algorithm,
    step: settings.step,
    badProposals: settings.bad_proposals,
    verifyChecksums: settings.verify_checksums,
    refDir: settings.ref_dir,
    env: { lref: env['lref'], oref: env['oref'] },
  };
}

/**
 * The stage's body; run it as `ingestStage` through runStage (stage.ts), which holds the home_dir lock
 * (called directly, as tests do, it takes none). Throws only for what stops the whole run (database
 * down, IngestAborted).
 */
export async function runIngest(handle: HstlcDb, options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const layout = layoutFromSettings(settings);
  const ctx: Context = { handle, layout, journal: journalDir(settings.home_dir), options, logger, ingestDate: todayIsoDate() };
  let pool: Pool | undefined;
  // Before anything is committed: a row must never say "ingested" for a file whose moves cannot happen
  // (into the archive, or out of ingest_dir: a rename needs both directories writable).
  for (const [role, dir] of [
    ['ingest_dir', settings.ingest_dir],
    ['filesystem_dir', settings.filesystem_dir],
    ['outputs_dir', settings.outputs_dir],
    ['bad_data_dir', settings.bad_data_dir],
  ] as const) {
    await assertWritableDirectory(dir, role);
  }
  try {
    return await recordRun(handle, 'ingest', async () => {
      const files: FileResult[] = await recover(ctx);
      const recovered = files.map((f) => f.file);

      // Nothing in staging belongs to a live run (runStage holds the lock, intents are done): start clean.
      const staging = path.join(settings.home_dir, STAGING_DIR, 'ingest');
      await rm(staging, { recursive: true, force: true });
      const { files: todo, superseded } = await filesToIngest(settings.ingest_dir);
      const numCores = Math.max(1, settings.num_cores);
      logger.info(`Ingesting ${todo.length} files using ${numCores} core(s)`);
      // Each file's selection, kept for its group's composite (hst/member-events.ts); a crashed run's
      // sidecars are named by their files' identity, so the ones still valid are used and the rest ignored.
      const memberEventsDir = path.join(settings.home_dir, STAGING_DIR, MEMBER_EVENTS_DIR);
      const units: UnitOptions = { ...unitOptions(settings, options.env ?? process.env), memberEventsDir };
      const inputs: PrepareInput[] = todo.map((file, i) => ({
        file,
        // Named by position and rootname, never the file name: HST name rules look for `_tag.fits`
        // anywhere in a path (§7.1), so a directory called `<root>_tag.fits` would misdirect them.
        stagingDir: path.join(staging, `${String(i).padStart(6, '0')}-${rootnameOf(file)}`),
        corrtagExtract: options.corrtagExtract === true,
        options: units,
        quicklook: options.quicklook !== false,
      }));
      pool = options.pool ?? createPool(ingestPoolOptions(settings));
      let failures = 0;
      let events = 0;
      const timeLimitMs = settings.file_time_limit * 1000;
      await forEachInOrder(pool, 'prepare', inputs, async (i, outcome) => {
        const file = todo[i]!;
        logger.info(`Ingesting ${file}`);
        let result: FileResult;
        try {
          if (!outcome.ok) throw outcome.error;
          const r = outcome.value;
          await step(ctx, 'prepared', file);
          // A lost connection is the server's trouble, not the file's: the commit is tried again on a new
          // connection (it is one transaction plus journalled moves, safe to repeat), and if the server
          // stays away the stage stops rather than fail every later file.
          const retried = <T>(op: () => Promise<T>): Promise<T> =>
            retryWrite(handle, logger, {
              what: `recording ${path.basename(file)}`,
              stopped:
                `Ingest stopped at ${path.basename(file)}, ${i} of ${todo.length} files handled; ` +
                `run it again when the server is back: nothing done so far is lost, and the rest is still in ${settings.ingest_dir}.`,
            }, op);
          if (r.status === 'bad') result = await retried(() => commitBad(ctx, r));
          else if (r.status === 'failed') {
            // A programming error is loud (its stack in the log) and leaves the file where it is.
            if (r.internal === true) logger.error(`Internal error on ${file} (a bug, not bad data):\n${r.stack ?? r.reason}`);
            result = { file, status: 'failed', reason: r.reason };
          }
          else {
            result = await retried(() => commitGood(ctx, r, superseded.get(file)));
            events += r.events;
            for (const w of r.warnings) logger.warn(`\t${path.basename(file)}: ${w}`);
          }
          await step(ctx, 'done', file);
        } catch (err) {
          if (err instanceof IngestAborted || err instanceof DatabaseUnreachableError) throw err;
          result = { file, status: 'failed', reason: message(err) };
        }
        if (result.status === 'failed') {
          failures++;
          logger.error(`Failed to ingest ${file}: ${result.reason ?? ''}`);
          await rm(inputs[i]!.stagingDir, { recursive: true, force: true }).catch(() => undefined);
          // Every later file would fail the same way: stop, keep what is done (each file's rows and moves
          // are all-or-nothing), and say how to go on.
          if (isDiskFull(result.reason ?? '')) {
            throw new DiskFullError(
              `no space left on the device (${result.reason ?? ''}): ingest stopped at ${path.basename(file)}, ${i} of ${todo.length} files handled. ` +
                `Free space under ${settings.home_dir} and run again: the files not yet ingested are still in ${settings.ingest_dir}, and nothing done so far is lost.`,
              result.reason,
            );
          }
        }
        files.push(result);
        options.onProgress?.({ phase: 'files', done: i + 1, total: todo.length, current: path.basename(file), failures });
      }, timeLimitMs > 0 ? { timeLimitMs } : {});
      await rm(staging, { recursive: true, force: true });
      await step(ctx, 'composites', '');

      const composites = await makeComposites(handle, pool, {
        layout,
        unitOptions: units,
        numCores,
        logger,
        onProgress: (done, total, current) =>
          options.onProgress?.({ phase: 'composites', done, total, current, failures: failures }),
      });
      await rm(memberEventsDir, { recursive: true, force: true });
      logger.info('Processing complete.');
      const counts = countByStatus(files.map((f) => ({ key: f.file, status: f.status })));
      const compositeCounts = { done: composites.filter((c) => c.status === 'done').length, failed: composites.filter((c) => c.status === 'failed').length };
      const summary: IngestSummary = {
        numCores,
        files,
        composites,
        counts,
        compositeCounts,
        recovered,
        events,
        elapsedMs: Date.now() - started,
        ok: counts.failed === 0 && compositeCounts.failed === 0,
      };
      return summary;
    }, (s) => ({ ok: s.ok, summary: { counts: s.counts, composites: s.compositeCounts, recovered: s.recovered.length } }));
  } finally {
    if (options.pool === undefined) await pool?.close().catch(() => undefined);
  }
}

/**
 * A file no longer in ingest_dir whose job runs again: an earlier attempt finished it (and died before
 * the engine heard), so report what the database and bad_data_dir say; otherwise it was removed.
 */
async function finishedEarlier(ctx: Context, file: string): Promise<FileResult> {
  const name = path.basename(file);
  const row = (await findMetadata(ctx.handle.db, name)) ?? (name.endsWith('_tag.fits') ? await findMetadata(ctx.handle.db, name.replace(/_tag\.fits$/, '_corrtag.fits')) : undefined);
  if (row !== undefined) {
    const output = await findOutputs(ctx.handle.db, row.id);
    return {
      file,
      status: 'done',
      reason: 'ingested by an earlier attempt',
      targname: row.targname,
      archived: path.join(row.path, row.filename),
      ...(output?.individual_path != null && output.individual_filename != null ? { lightcurve: path.join(output.individual_path, output.individual_filename) } : {}),
    };
  }
  const bad = (await listBadData(ctx.handle.db)).find((b) => b.filename === name);
  if (bad !== undefined && existsSync(path.join(ctx.layout.badDataDir, name))) return { file, status: 'bad', reason: bad.reason, archived: path.join(ctx.layout.badDataDir, name) };
  return { file, status: 'skipped', reason: 'no longer in ingest_dir (removed meanwhile)' };
}

/** One file as the job engine runs it (engine/tasks.ts): what runIngest does for one item of its loop. */
export interface IngestFileInput {
  /** The event file in ingest_dir. */
  file: string;
  /** A stale corrtag this tag file replaces (filesToIngest). */
  superseded?: string;
  /** Staging directory of this attempt (its own: another attempt may still be running elsewhere). */
  stagingDir: string;
  corrtagExtract: boolean;
  /** Where the unit runs (default this thread): the job engine passes its worker pool's. */
  prepare?: (input: PrepareInput) => Promise<PrepareResult>;
}

/**
 * The prepare unit of one file on `pool`, stopped after file_time_limit (0: no limit) as the local
 * stage stops it: a file past its limit is that file's failure, with the reason the stage reports, and
 * the thread is replaced. The job engine's ingest job uses it (its pool has one thread per job slot and
 * a job runs one unit at a time, so no unit waits in a queue on its own clock).
 */
export function prepareOnPool(pool: Pool, settings: Pick<HstlcSettings, 'file_time_limit'>): (input: PrepareInput) => Promise<PrepareResult> {
  const limit = settings.file_time_limit > 0 ? { timeLimitMs: settings.file_time_limit * 1000 } : {};
  return (input) =>
    pool.run('prepare', input, limit).catch((err: unknown) => {
      if (err instanceof TimeLimitError) return { status: 'failed', file: input.file, reason: err.message };
      throw err;
    });
}

/**
 * Ingest one file, idempotently, without the home_dir lock (the job engine's unit, DESIGN §9): an intent
 * left by a killed attempt is rolled forward; a file no longer in ingest_dir was finished by an earlier
 * attempt and is reported from its row; otherwise prepared in this thread and committed as runIngest
 * does. Throws only for what another attempt may get past (database or disk trouble); a bad or broken
 * file is a result.
 */
export async function ingestOneFile(handle: HstlcDb, options: IngestOptions, input: IngestFileInput): Promise<FileResult> {
  const settings = options.settings;
  const logger = options.logger ?? SILENT;
  const ctx: Context = { handle, layout: layoutFromSettings(settings), journal: journalDir(settings.home_dir), options, logger, ingestDate: todayIsoDate() };
  const { file } = input;
  const intent = await readIntent(ctx.journal, file);
  if (intent !== undefined) {
    if (await intentIsCompletable(intent)) {
      logger.info(`Completing the interrupted ingest of ${file}`);
      await carryOut(ctx, intent);
      const result = resultOfIntent(intent, 'completed an interrupted ingest');
      const quicklook = options.quicklook === false ? undefined : await redrawQuicklook(ctx, intent);
      if (quicklook !== undefined) result.quicklook = quicklook;
      return result;
    }
    await removeIntent(ctx.journal, file);
  }
  if (!existsSync(file)) return finishedEarlier(ctx, file);
  logger.info(`Ingesting ${file}`);
  const units = unitOptions(settings, options.env ?? process.env);
  const r = await (input.prepare ?? prepareFile)({ file, stagingDir: input.stagingDir, corrtagExtract: input.corrtagExtract, options: units, quicklook: options.quicklook !== false });
  try {
    if (r.status === 'bad') return await commitBad(ctx, r);
    if (r.status === 'failed') {
      if (r.internal === true) logger.error(`Internal error on ${file} (a bug, not bad data):\n${r.stack ?? r.reason}`);
      return { file, status: 'failed', reason: r.reason };
    }
    const result = await commitGood(ctx, r, input.superseded);
    for (const w of r.warnings) logger.warn(`\t${path.basename(file)}: ${w}`);
    return result;
  } finally {
    await rm(input.stagingDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What a caller chooses for an ingest run (onStep: tests' fault injection); the rest comes from the stage context. */
export type IngestRequest = Pick<IngestOptions, 'corrtagExtract' | 'aliases' | 'matchRadiusArcsec' | 'quicklook' | 'onStep'>;

/** Ingest's progress as shown: the files ("ingest"), then the composites. */
export function shownIngestProgress(p: IngestProgress): StageProgress {
  return { ...p, phase: p.phase === 'files' ? 'ingest' : 'composites' };
}

/**
 * The pool ingest runs its units in: num_cores threads, and with one core a single worker thread
 * whenever file_time_limit is set, since only a thread can be stopped in the middle of a computation
 * (§9). With no limit to enforce, one core runs the units in this thread.
 */
export function ingestPoolOptions(settings: Pick<HstlcSettings, 'num_cores' | 'file_time_limit'>): PoolOptions {
  return { numCores: Math.max(1, settings.num_cores), threads: settings.file_time_limit > 0 };
}

/** The ingest stage (§5.1): one item per file of ingest_dir (done, bad, failed) and per composite group. */
export const ingestStage: Stage<IngestRequest, IngestSummary> = homeStage(
  'ingest',
  (ctx, input) => runIngest(ctx.db, { ...input, ...stageBasics(ctx), env: ctx.env, onProgress: (p) => ctx.progress.update(shownIngestProgress(p)) }),
  (s) => [...s.files.map((f) => itemResult(f.file, f.status, f.reason)), ...s.composites.map((c) => itemResult(c.name, c.status, c.reason))],
  { poolOptions: ingestPoolOptions },
);
