/**
 * The units of work of every stage (DESIGN §9), by name in UNITS: functions of a plain input (paths,
 * options) → a plain, structured-cloneable result, so the same code runs in-process, in a piscina
 * worker (pool.ts) or as a job of a job engine. Every unit answers in one shape, UnitResult: `done` with
 * its values, `bad` (ingest: the input file fails a quality check, §3) or `failed` with the reason; a
 * unit does not throw for a defect of its input, so a throw (or a dead worker) means the machine or a
 * bug, which an engine may retry. Units touch no database and move nothing into the archive: the ingest
 * units read event files and write only into a staging directory (or, for a composite, one atomic write
 * of the composite itself); the stats and plots units read a lightcurve and return values. The stage,
 * in the main thread, commits results in a fixed order (ingest.ts, stats.ts, plots.ts).
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { FitsReader, Header, isProductError, type Card } from '../fits/index.js';
import { badDataErrorIn, checkFile, nameHeaderProblem } from '../quality/index.js';
import type { BadDataReason } from '../quality/reasons.js';
import { detectFile, type FileKind } from '../hst/detect.js';
import { compositeFromFiles, extractFile, type ExtractOptions } from '../hst/extract.js';
import { corrtagSwitches, stisCorrtag } from '../hst/stis/corrtag.js';
import { algorithmParams, type AlgorithmName } from '../lightcurve/algorithm.js';
import { writeIndividual } from '../lightcurve/individual.js';
import type { Lightcurve } from '../lightcurve/table.js';
import { moveFile } from '../archive/move.js';
import { fuvPartnerOf, individualLightcurveName } from '../hst/names.js';
import { verifyInputChecksums, type ChecksumMode } from '../hst/checksums.js';
import type { ImageJob } from '../plots/units.js';
import type { StatsUnitInput, StatsUnitResult } from './stats-unit.js';
import type { PeriodogramUnitInput, PeriodogramUnitResult } from './plots-periodogram.js';

import type { UnitResult } from './unit-result.js';

export type { UnitFailure, UnitResult } from './unit-result.js';

/** What a unit needs from the config: plain data (it crosses to worker threads). */
export interface UnitOptions {
  algorithm: AlgorithmName;
  /** Bin width, seconds (§5.5: the pipeline's 2 s is the config default). */
  step: number;
  badProposals: readonly number[];
  /** Config verify_checksums: a DATASUM/CHECKSUM mismatch is bad data, or a warning (default 'bad'). */
  verifyChecksums?: ChecksumMode;
  /** The config's ref_dir (lref/, oref/). */
  refDir: string;
  /** lref/oref from the environment, if set (§6.9). */
  env: Record<string, string | undefined>;
  /**
   * Where the prepare units keep each extraction's selection and the composite units find it
   * (hst/member-events.ts), so a composite does not read its members' events again; unset: not kept.
   */
  memberEventsDir?: string;
}

export interface PrepareInput {
  /** Absolute path of the event file in ingest_dir. */
  file: string;
  /** A directory of its own for this file's staged outputs (created, emptied first). */
  stagingDir: string;
  /** `--corrtag-extract`: re-derive a STIS corrtag found in ingest_dir (§5.2.4). */
  corrtagExtract: boolean;
  options: UnitOptions;
  /** Draw the quicklook PNG beside the staged lightcurve (default true). */
  quicklook?: boolean;
}

export type PrepareResult = UnitResult<
  {
    file: string;
    kind: FileKind;
    /** The primary header's cards, for §5.3 metadata and target resolution in the main thread. */
    primary: Card[];
    /** Base name the file is archived and recorded under (a STIS tag: its corrtag, §5.2.4). */
    archivedName: string;
    /** Staged lightcurve, to be moved to outputs_dir/<TARGNAME>/<rootname>_curve.fits. */
    stagedLightcurve: string;
    /** Staged quicklook PNG of the lightcurve, to be moved beside it (absent if it could not be drawn). */
    stagedQuicklook?: string;
    /** Staged STIS corrtag made from a tag file, to be moved next to it in the archive. */
    stagedCorrtag?: string;
    /** Events in the file (and its FUV partner), for throughput figures. */
    events: number;
    bins: number;
    warnings: string[];
  },
  { file: string; reason: BadDataReason; check: string; detail: string }
> & { file: string };

export interface CompositeInput {
  /** Member event files, in the archive, in group order. */
  files: string[];
  /** The composite's final path in composite_dir (written atomically, replacing an old one, §15.8). */
  output: string;
  options: UnitOptions;
  /** The group's resolved target name (members' header TARGNAMEs may be other spellings of it). */
  targname?: string;
}

export type CompositeUnitResult = UnitResult<CompositeMade>;

export interface CompositeMade {
  output: string;
  rows: number;
  wmin: number;
  wmax: number;
  members: Array<{ file: string; kept: boolean; reason?: string }>;
}

export function extractOptions(o: UnitOptions, memberEvents?: 'record' | 'replay'): ExtractOptions {
  return {
    step: o.step,
    algorithm: algorithmParams(o.algorithm),
    refs: { env: o.env, refDir: o.refDir },
    ...(memberEvents !== undefined && o.memberEventsDir !== undefined ? { memberEvents: { dir: o.memberEventsDir, role: memberEvents } } : {}),
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Primary cards, and the number of rows of HDU 1 (events). */
async function headerFacts(file: string): Promise<{ primary: Card[]; rows: number }> {
  const f = await FitsReader.open(file, { maxHdus: 2 });
  try {
    const rows = f.hdus[1]?.header.get('NAXIS2');
    return { primary: f.hdus[0]!.header.cards.map((c) => ({ ...c })), rows: typeof rows === 'number' ? rows : 0 };
  } finally {
    await f.close();
  }
}

/** What the quicklook's title shows, from the event file's primary header (cenwave and aperture are in no lightcurve header). */
function quicklookMeta(primary: Card[]): { targname?: string; cenwave?: number; aperture?: string; opt_elem?: string; detector?: string } {
  const h = new Header(primary);
  const text = (k: string): string | undefined => h.string(k)?.trim() || undefined;
  const cenwave = h.number('CENWAVE');
  return {
    ...(text('TARGNAME') !== undefined ? { targname: text('TARGNAME') } : {}),
    ...(cenwave !== undefined && Number.isFinite(cenwave) ? { cenwave } : {}),
    ...(text('APERTURE') !== undefined ? { aperture: text('APERTURE') } : {}),
    ...(text('OPT_ELEM') !== undefined ? { opt_elem: text('OPT_ELEM') } : {}),
    ...(text('DETECTOR') !== undefined ? { detector: text('DETECTOR') } : {}),
  };
}

/**
 * Draw the quicklook PNG beside a lightcurve already in place, titled from its event file's primary
 * header (ingest uses it when completing an interrupted ingest, whose staged PNG is gone). Returns the PNG.
 */
export async function drawQuicklook(lightcurve: string, eventFile: string | undefined): Promise<string> {
  let meta = {};
  if (eventFile !== undefined && existsSync(eventFile)) {
    const f = await FitsReader.open(eventFile, { maxHdus: 1 });
    try {
      meta = quicklookMeta(f.hdus[0]!.header.cards);
    } finally {
      await f.close();
    }
  }
  const { readLightcurve, writeQuicklookPng } = await quicklookModules();
  return writeQuicklookPng(await readLightcurve(lightcurve, { meta, ...(eventFile !== undefined ? { datasetNames: [path.basename(eventFile)] } : {}) }), lightcurve);
}

/**
 * The drawing modules (ECharts, resvg: about 0.4 s of CPU to load), imported when the first quicklook
 * is drawn: the stage's main thread, which imports this file for its types and the recovery path,
 * and a thread running only stats units never load them.
 */
async function quicklookModules(): Promise<{ readLightcurve: typeof import('../plots/read.js').readLightcurve; writeQuicklookPng: typeof import('../plots/draw.js').writeQuicklookPng }> {
  const [read, draw] = await Promise.all([import('../plots/read.js'), import('../plots/draw.js')]);
  return { readLightcurve: read.readLightcurve, writeQuicklookPng: draw.writeQuicklookPng };
}

/**
 * Quality check (§3), the header values that name paths (quality/header.ts), then the individual
 * lightcurve (§5.5) into the staging directory. Never throws for a bad or broken file: the result says
 * bad (with the check's reason) or failed (with why).
 */
export async function prepareFile(input: PrepareInput): Promise<PrepareResult> {
  const { file } = input;
  try {
    // Before any verdict on the content: a file whose bytes changed is judged on nothing else.
    const checksumWarnings = await verifyInputChecksums(file, input.options.verifyChecksums ?? 'bad');
    const verdict = await checkFile(file, { badProposals: input.options.badProposals });
    if (verdict.status === 'error') return { status: 'failed', file, reason: `quality check could not read the file: ${verdict.message}` };
    if (verdict.status === 'bad') return { status: 'bad', file, reason: verdict.reason, check: verdict.check, detail: verdict.detail };

    const facts = await headerFacts(file);
    const header = nameHeaderProblem(new Header(facts.primary));
    if (header !== undefined) return { status: 'bad', file, reason: header.reason, check: 'header', detail: header.detail };
    let events = facts.rows;
    const partner = fuvPartnerOf(file, existsSync);
    if (partner !== undefined && existsSync(partner)) events += (await headerFacts(partner)).rows;

    const detection = await detectFile(file);
    const opts = extractOptions(input.options, 'record');
    await rm(input.stagingDir, { recursive: true, force: true });
    await mkdir(input.stagingDir, { recursive: true });
    let lc: Lightcurve;
    let stagedCorrtag: string | undefined;
    let archivedName = path.basename(file);
    if (detection.kind === 'stis-tag') {
      // §5.2.4 the corrtag is made into the staging directory and the lightcurve extracted from it:
      // the very file that is archived, so later composites read the same events.
      const made = await extractFile(file, opts, { corrtagDir: input.stagingDir });
      lc = made.lightcurve;
      stagedCorrtag = made.corrtag!;
      archivedName = path.basename(stagedCorrtag);
    } else {
      if (detection.kind === 'stis-corrtag' && input.corrtagExtract) {
        // §5.2.4 with -corrtag_extract: re-derive the corrtag from itself and replace it in place
        // (atomically; doing it twice gives the same file, so a crash here is harmless).
        const redone = path.join(input.stagingDir, path.basename(file));
        await stisCorrtag(file, { refs: opts.refs, ...corrtagSwitches(opts.algorithm!), output: redone });
        await moveFile(redone, file);
      }
      lc = (await extractFile(file, opts)).lightcurve;
    }
    const stagedLightcurve = path.join(input.stagingDir, individualLightcurveName(file));
    await writeIndividual(stagedLightcurve, lc);
    const warnings = [...checksumWarnings, ...lc.meta.warnings];
    let stagedQuicklook: string | undefined;
    if (input.quicklook !== false) {
      // The original's disabled step (§15.13): a failure is a warning on this file, never its failure.
      try {
        const { readLightcurve, writeQuicklookPng } = await quicklookModules();
        stagedQuicklook = writeQuicklookPng(await readLightcurve(stagedLightcurve, { meta: quicklookMeta(facts.primary), datasetNames: [archivedName] }), stagedLightcurve);
      } catch (err) {
        warnings.push(`quicklook PNG not drawn: ${message(err)}`);
      }
    }
    return {
      status: 'done',
      file,
      kind: detection.kind,
      primary: facts.primary,
      archivedName,
      stagedLightcurve,
      ...(stagedQuicklook !== undefined ? { stagedQuicklook } : {}),
      ...(stagedCorrtag !== undefined ? { stagedCorrtag } : {}),
      events,
      bins: lc.columns.times.length,
      warnings,
    };
  } catch (err) {
    const bad = badDataErrorIn(err);
    if (bad !== undefined) return { status: 'bad', file, reason: bad.reason, check: 'extraction', detail: bad.message };
    return failureOf(file, err);
  }
}

/**
 * A bad input (ProductError) or a system error (the file vanished, the disk is full) says why this file
 * failed; anything else is a bug in hstlc and is reported as one, never as a fault of the data.
 */
export function failureOf(file: string, err: unknown): Extract<PrepareResult, { status: 'failed' }> {
  if (isProductError(err) || typeof (err as NodeJS.ErrnoException | undefined)?.code === 'string') return { status: 'failed', file, reason: message(err) };
  const stack = err instanceof Error ? err.stack : undefined;
  return { status: 'failed', file, reason: `internal error (not a defect of the file): ${message(err)}`, internal: true, ...(stack !== undefined ? { stack } : {}) };
}

/** §9.2–9.3 one composite; a composite that cannot be made is `failed` with the reason. */
export async function buildComposite(input: CompositeInput): Promise<CompositeUnitResult> {
  try {
    await mkdir(path.dirname(input.output), { recursive: true });
    const r = await compositeFromFiles(input.files, input.output, extractOptions(input.options, 'replay'), { targname: input.targname });
    return {
      status: 'done',
      output: r.output,
      rows: r.rows,
      wmin: r.range.wmin,
      wmax: r.range.wmax,
      members: r.members.map((m) => ({ file: m.file, kept: m.kept, ...(m.reason !== undefined ? { reason: m.reason } : {}) })),
    };
  } catch (err) {
    return { status: 'failed', reason: message(err) };
  }
}

/** A PNG of the plots stage (src/plots/units.ts renderImage), as a unit: the bytes, or why not. */
export async function renderImage(job: ImageJob): Promise<UnitResult<{ png: Uint8Array }>> {
  try {
    const { renderImage: renderPlotImage } = await import('../plots/units.js');
    return { status: 'done', png: await renderPlotImage(job) };
  } catch (err) {
    return { status: 'failed', reason: message(err) };
  }
}

/**
 * Every unit by name: what the pool runs (pool.ts), the worker exposes (worker.ts) and a job engine
 * calls (`await UNITS[name](input)`). ingest: prepare (one event file), composite (one group); stats:
 * stats (one lightcurve's row); plots: plotsPeriodogram (one lightcurve's periodogram, reduced for
 * drawing), renderImage (one PNG).
 */
export const UNITS = {
  prepare: prepareFile,
  composite: buildComposite,
  // Imported on first use, so a thread (or the main thread) that never runs them does not load them.
  stats: async (input: StatsUnitInput): Promise<StatsUnitResult> => (await import('./stats-unit.js')).statsUnit(input),
  plotsPeriodogram: async (input: PeriodogramUnitInput): Promise<PeriodogramUnitResult> => (await import('./plots-periodogram.js')).periodogramUnit(input),
  renderImage,
} as const satisfies Record<string, (input: never) => Promise<UnitResult<object, object>>>;
export type Units = typeof UNITS;
export type UnitName = keyof Units;
export type UnitInputOf<K extends UnitName> = Parameters<Units[K]>[0];
export type UnitOutputOf<K extends UnitName> = Awaited<ReturnType<Units[K]>>;
export type { StatsUnitInput, StatsUnitResult, PeriodogramUnitInput, PeriodogramUnitResult, ImageJob };
