/**
 * One entry point from any event file to a lightcurve: detect the kind (detect.ts), convert a STIS
 * tag file to a corrtag (the tag file is never touched), and extract; and the one composite path.
 */
import { existsSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CORRECTED } from '../lightcurve/algorithm.js';
import type { Lightcurve } from '../lightcurve/table.js';
import { groupKeyOf, groupMismatch, makeComposite, primaryHeaderOf, type CompositeResult } from '../lightcurve/composite.js';
import { resolveTarget, type AliasTable } from '../targets/index.js';
import { compositeMemberRange } from './wavelength-range.js';
import { detectFile, type Detection } from './detect.js';
import { corrtagOf, isListedThroughPartner, stisX1dOf } from './names.js';
import { corrtagSwitches, stisCorrtag, type CorrtagResult } from './stis/corrtag.js';
import { extractEvents, type ExtractOptions } from './extraction.js';
import { makeScratch } from './stis/scratch.js';
import { isProductError, locatedIn, ProductError } from '../fits/index.js';

export type { ExtractOptions } from './mode.js';

export interface ExtractResult {
  lightcurve: Lightcurve;
  detection: Detection;
  /** The corrtag made from a STIS tag file, when `corrtagDir` asked to keep it there. */
  corrtag?: string;
}

export interface CorrtagPlace {
  /**
   * Write the corrtag of a STIS tag file into this directory and keep it (ingest archives that very
   * file, so later composites read the same events); by default it goes to a scratch directory
   * removed afterwards.
   */
  corrtagDir?: string;
}

/**
 * §7.1 run `fn` on the corrtag of a STIS tag file, written beside a copy of its x1d (the extraction
 * reads the x1d's box from beside the corrtag; the tag file is never touched). The x1d copy, and a
 * scratch directory, are removed afterwards. Any other file is handed to `fn` as is (`made` undefined).
 */
export async function withCorrtag<T>(
  file: string,
  opts: ExtractOptions,
  fn: (corrtag: string, made: CorrtagResult | undefined) => Promise<T>,
  place: CorrtagPlace = {},
): Promise<T> {
  if ((await detectFile(file)).kind !== 'stis-tag') return fn(file, undefined);
  const scratch = place.corrtagDir === undefined ? await makeScratch() : undefined;
  const dir = place.corrtagDir ?? scratch!;
  const x1d = stisX1dOf(file);
  // Asked to write beside the tag file itself: its x1d is already there, and is the user's to keep.
  const x1dCopy = resolve(dir, basename(x1d)) === resolve(x1d) ? undefined : join(dir, basename(x1d));
  const corrtag = join(dir, basename(corrtagOf(file)));
  try {
    if (x1dCopy !== undefined && existsSync(x1d)) await copyFile(x1d, x1dCopy);
    const algorithm = opts.algorithm ?? CORRECTED;
    const made = await stisCorrtag(file, { refs: opts.refs, ...corrtagSwitches(algorithm), output: corrtag });
    return await fn(corrtag, made);
  } catch (e) {
    // A defect found in the corrtag made here is the tag file's: name it, not a scratch path the user never saw.
    if (!isProductError(e)) throw e;
    if (e.message.includes(corrtag)) throw new ProductError(e.message.replaceAll(corrtag, `${file} (as corrtag)`), { file, cause: e });
    throw locatedIn(e, file);
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
    else if (x1dCopy !== undefined) await rm(x1dCopy, { force: true });
  }
}

/**
 * `withCorrtag` for several files at once: `fn` gets the paths in the same order, each STIS tag file
 * replaced by its corrtag (each in a scratch directory of its own, so equal base names never collide).
 */
export async function withCorrtags<T>(files: readonly string[], opts: ExtractOptions, fn: (paths: string[]) => Promise<T>): Promise<T> {
  const step = async (i: number, paths: string[]): Promise<T> =>
    i === files.length ? fn(paths) : withCorrtag(files[i]!, opts, (p) => step(i + 1, [...paths, p]));
  return step(0, []);
}

/** Extract the lightcurve of a COS corrtag (FUV partner included), STIS tag or STIS corrtag. */
export async function extractFile(path: string, opts: ExtractOptions = {}, place: CorrtagPlace = {}): Promise<ExtractResult> {
  try {
    return await extractDetected(path, opts, place);
  } catch (e) {
    // Every defect found anywhere in the extraction is reported against the file (§5: by name).
    throw isProductError(e) ? locatedIn(e, path) : e;
  }
}

async function extractDetected(path: string, opts: ExtractOptions, place: CorrtagPlace): Promise<ExtractResult> {
  const detection = await detectFile(path);
  switch (detection.kind) {
    case 'cos-fuv-corrtag':
    case 'cos-nuv-corrtag':
    case 'stis-corrtag':
      return { lightcurve: await extractEvents(path, opts), detection };
    case 'stis-tag':
      return withCorrtag(
        path,
        opts,
        async (corrtag, made) => {
          const lc = await extractEvents(corrtag, opts);
          // Point back at the user's file rather than the corrtag made from it, and keep the
          // conversion's reference files and fallbacks (flats, BPIXTAB, x1d) with the lightcurve.
          lc.meta.source = path;
          if (made !== undefined) {
            lc.meta.refFiles = { ...Object.fromEntries(made.log.used), ...lc.meta.refFiles };
            lc.meta.warnings = [...made.log.warnings, ...lc.meta.warnings];
          }
          return { lightcurve: lc, detection, ...(place.corrtagDir !== undefined ? { corrtag } : {}) };
        },
        place,
      );
    case 'lightcurve':
      throw new ProductError(`${path} is already a lightcurve; extract needs a COS corrtag or a STIS tag/corrtag file`);
    case 'x1d':
      throw new ProductError(`${path} is an x1d spectrum; extract needs the event file (COS corrtag or STIS tag)`);
    default:
      throw new ProductError(`${path}: not an event file hstlc can extract (${detection.reason ?? 'unknown kind'})`);
  }
}

/** Every member must be an event file; said before any extraction starts. */
async function checkEventFiles(files: readonly string[]): Promise<void> {
  const kinds = await Promise.all(files.map((f) => detectFile(f)));
  kinds.forEach((k, i) => {
    if (k.kind !== 'cos-fuv-corrtag' && k.kind !== 'cos-nuv-corrtag' && k.kind !== 'stis-corrtag' && k.kind !== 'stis-tag') {
      throw new ProductError(`${files[i]}: not an event file for a composite (${k.kind}${k.reason ? `: ${k.reason}` : ''})`);
    }
  });
}

/** Members of different targets or settings, refused before any extraction (§9.2). */
export class CompositeSettingError extends ProductError {
  constructor(message: string) {
    super(message);
    this.name = 'CompositeSettingError';
  }
}

export interface CompositeCheck {
  /** Combine members even when their target or setting differs (the user says so). */
  force?: boolean;
  /**
   * The target every member belongs to, as the caller already decided (ingest groups by the resolved
   * name): then TARGNAME is not compared. Otherwise each header TARGNAME is resolved by the target
   * rules (and `aliases`), so GD-71 and GD71 are one target.
   */
  targname?: string;
  aliases?: AliasTable;
}

/** §9.2 every member has the first member's target and setting, else a CompositeSettingError naming the keyword. */
async function checkOneSetting(files: readonly string[], check: CompositeCheck): Promise<void> {
  if (check.force === true || files.length < 2) return;
  const keys = [];
  for (const f of files) {
    const header = await primaryHeaderOf(f);
    const mtflag = header.get('MTFLAG');
    const targ = check.targname ?? resolveTarget(header.string('TARGNAME') ?? '', { aliases: check.aliases, ...(typeof mtflag === 'boolean' ? { moving: mtflag } : {}) }).canonical;
    keys.push(groupKeyOf(header, targ));
  }
  const mismatch = groupMismatch(keys, files);
  if (mismatch !== undefined) throw new CompositeSettingError(mismatch);
}

/**
 * §9.3 composite of event files (COS corrtags, STIS tags or corrtags), the one path `hstlc composite`,
 * ingest and the tests share: STIS conversion, the members' wavelength range (IMAGING members take
 * the forced IMAGING window) and extraction wired into `makeComposite`. Members are used in the order
 * given; an FUV `_b` whose `_a` is also listed is the same exposure (the `_a` brings it, §1.3/§1.4)
 * and is used once. Members of different targets or settings are refused unless `check.force`.
 */
export async function compositeFromFiles(files: readonly string[], output: string, opts: ExtractOptions = {}, check: CompositeCheck = {}): Promise<CompositeResult> {
  const algorithm = opts.algorithm ?? CORRECTED;
  const listed = new Set(files);
  const members = files.filter((f) => !isListedThroughPartner(f, listed));
  await checkEventFiles(members);
  await checkOneSetting(members, check);
  return withCorrtags(members, opts, (paths) =>
    makeComposite(paths, output, {
      algorithm,
      names: members,
      range: (f) => compositeMemberRange(f, opts.memberEvents),
      extract: async (f, wlim) => (await extractFile(f, { ...opts, algorithm, wlim, wlimFloat: true })).lightcurve,
    }),
  );
}
