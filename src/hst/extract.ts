/**
 * One entry point from any event file to a lightcurve: detect the kind (detect.ts), convert a STIS
 * tag file to a corrtag in a scratch directory (the tag file is never touched), and extract.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CORRECTED } from '../lightcurve/algorithm.js';
import type { Lightcurve } from '../lightcurve/table.js';
import { makeComposite, type CompositeResult } from '../lightcurve/composite.js';
import { validWavelengthRange } from './wavelength-range.js';
import { extractCos, type ExtractOptions } from './cos/extract.js';
import { detectFile, type Detection } from './detect.js';
import { corrtagOf, isListedThroughPartner, stisX1dOf } from './names.js';
import { stisCorrtag, type CorrtagResult } from './stis/corrtag.js';
import { extractStis } from './stis/extract.js';

export type { ExtractOptions } from './cos/extract.js';

export interface ExtractResult {
  lightcurve: Lightcurve;
  detection: Detection;
}

/**
 * Run `fn` on the corrtag of a STIS tag file, written with the x1d into a scratch directory so that
 * `_x1d.fits` is found beside it, then removed.
 */
export async function withStisCorrtag<T>(tag: string, opts: ExtractOptions, fn: (corrtag: string, made: CorrtagResult) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'hstlc-stis-'));
  try {
    const corrtag = join(dir, basename(corrtagOf(tag)));
    const x1d = stisX1dOf(tag);
    if (existsSync(x1d)) await copyFile(x1d, join(dir, basename(x1d)));
    const algorithm = opts.algorithm ?? CORRECTED;
    // the x1d is read from beside the tag file; its copy lets the extraction find the x1d box
    const made = await stisCorrtag(tag, { refs: opts.refs, flatDivide: algorithm.stisFlatDivide, output: corrtag });
    return await fn(corrtag, made);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Extract the lightcurve of a COS corrtag (FUV partner included), STIS tag or STIS corrtag. */
export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  const detection = await detectFile(path);
  switch (detection.kind) {
    case 'cos-fuv-corrtag':
    case 'cos-nuv-corrtag':
      return { lightcurve: await extractCos(path, opts), detection };
    case 'stis-corrtag':
      return { lightcurve: await extractStis(path, opts), detection };
    case 'stis-tag':
      return withStisCorrtag(path, opts, async (corrtag, made) => {
        const lc = await extractStis(corrtag, opts);
        // Point back at the user's file rather than the scratch copy, and keep the conversion's
        // reference files and fallbacks (flats, BPIXTAB, x1d) with the lightcurve.
        lc.meta.source = path;
        lc.meta.refFiles = { ...Object.fromEntries(made.log.used), ...lc.meta.refFiles };
        lc.meta.warnings = [...made.log.warnings, ...lc.meta.warnings];
        return { lightcurve: lc, detection };
      });
    case 'lightcurve':
      throw new Error(`${path} is already a lightcurve; extract needs a COS corrtag or a STIS tag/corrtag file`);
    case 'x1d':
      throw new Error(`${path} is an x1d spectrum; extract needs the event file (COS corrtag or STIS tag)`);
    default:
      throw new Error(`${path}: not an event file hstlc can extract (${detection.reason ?? 'unknown kind'})`);
  }
}

/**
 * Event files ready for a composite: STIS tag files are converted to corrtags in one scratch
 * directory (with their x1d), everything else is used as is. `fn` gets the paths in the same order.
 */
export async function withEventFiles<T>(files: readonly string[], opts: ExtractOptions, fn: (paths: string[]) => Promise<T>): Promise<T> {
  const kinds = await Promise.all(files.map((f) => detectFile(f)));
  if (!kinds.some((k) => k.kind === 'stis-tag')) {
    kinds.forEach((k, i) => {
      if (k.kind !== 'cos-fuv-corrtag' && k.kind !== 'cos-nuv-corrtag' && k.kind !== 'stis-corrtag') {
        throw new Error(`${files[i]}: not an event file for a composite (${k.kind}${k.reason ? `: ${k.reason}` : ''})`);
      }
    });
    return fn([...files]);
  }
  const dir = await mkdtemp(join(tmpdir(), 'hstlc-composite-'));
  try {
    const algorithm = opts.algorithm ?? CORRECTED;
    const paths: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (kinds[i].kind !== 'stis-tag') {
        paths.push(f);
        continue;
      }
      const corrtag = join(dir, basename(corrtagOf(f)));
      const x1d = stisX1dOf(f);
      if (existsSync(x1d)) await copyFile(x1d, join(dir, basename(x1d)));
      await stisCorrtag(f, { refs: opts.refs, flatDivide: algorithm.stisFlatDivide, output: corrtag });
      paths.push(corrtag);
    }
    return await fn(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * §9.3 composite of event files (COS corrtags, STIS tags or corrtags): extraction, the members'
 * wavelength range and STIS conversion wired into `makeComposite`. Members are used in the order given.
 */
export async function compositeFromFiles(files: readonly string[], output: string, opts: ExtractOptions = {}): Promise<CompositeResult> {
  const algorithm = opts.algorithm ?? CORRECTED;
  // An FUV _b whose _a is also listed is the same exposure (the _a brings it, §1.3/§1.4): use it once.
  const listed = new Set(files);
  const members = files.filter((f) => !isListedThroughPartner(f, listed));
  return withEventFiles(members, opts, (paths) =>
    makeComposite(paths, output, {
      algorithm,
      names: members,
      range: validWavelengthRange,
      extract: async (f, wlim) => (await extractFile(f, { ...opts, algorithm, wlim, wlimFloat: true })).lightcurve,
    }),
  );
}
