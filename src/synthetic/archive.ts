/**
 * `generateArchive`: write a synthetic HST TIME-TAG archive — event files (and STIS x1d
 * companions) in `<dir>/ingest`, reference files in `<dir>/ref/lref` and `<dir>/ref/oref`, and the
 * truth in `<dir>/manifest.json`. Everything is a function of (seed, size).
 */
import { mkdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from './random.js';
import { BAD_PROPOSAL, PHASE_EPOCH_MJD, SIZE_PRESETS, planArchive, type SizePreset } from './catalog.js';
import { cosFluxtab, cosTdstab, refRoot, refValue, stisBpixRows, stisBpixtab, stisFlat, stisPhottab, type RefFile } from './reffiles.js';
import { bpixImage } from './stis.js';
import { buildExposure, type ExposureRefs } from './products.js';
import { writeProduct } from './fitsio.js';
import type { ArchiveManifest, ArchiveSize, CompositeTruth, FileTruth } from './manifest.js';

export interface GenerateOptions {
  /** Archive root; `ingest/`, `ref/lref`, `ref/oref` and `manifest.json` are written under it. */
  dir: string;
  seed?: number;
  size?: ArchiveSize;
  /** Called after each file is written (progress reporting). */
  onFile?: (file: { path: string; bytes: number; events: number }) => void;
}

export const ARCHIVE_SIZES: readonly ArchiveSize[] = ['tiny', 'small', 'medium', 'large', 'bench', 'heavy'];

export interface ReferenceSet {
  files: RefFile[];
  refs: ExposureRefs;
}

/** All reference files of an archive (pure; names depend on the seed). */
export function buildReferenceSet(seed: number, preset: SizePreset): ReferenceSet {
  const rng = Rng.stream(seed, 'reference-files');
  const name = (letter: 'l' | 'o', suffix: string): string => `${refRoot(rng, letter)}_${suffix}.fits`;
  const fuvPhot = cosFluxtab(name('l', 'phot'), 'FUV', preset.fluxNelem);
  const nuvPhot = cosFluxtab(name('l', 'phot'), 'NUV', Math.max(100, preset.fluxNelem >> 1));
  const fuvTds = cosTdstab(name('l', 'tds'), 'FUV', rng);
  const nuvTds = cosTdstab(name('l', 'tds'), 'NUV', rng);
  const stis = {} as ExposureRefs['stis'];
  const files: RefFile[] = [fuvPhot, nuvPhot, fuvTds, nuvTds];
  for (const det of ['FUV-MAMA', 'NUV-MAMA'] as const) {
    const rows = stisBpixRows(rng, 24);
    const bpx = stisBpixtab(name('o', 'bpx'), det, rows);
    const pfl = stisFlat(name('o', 'pfl'), 'pfl', det, preset.flatSize, rng);
    const lfl = stisFlat(name('o', 'lfl'), 'lfl', det, preset.flatSize, rng);
    files.push(bpx, pfl, lfl);
    const sci = (f: RefFile): Float32Array => {
      const h = f.hdus[1];
      if (h.type !== 'IMAGE' || !(h.image.data instanceof Float32Array)) throw new Error(`${f.name}: HDU 1 is not the float32 SCI image`);
      return h.image.data;
    };
    const flats = { pfl: sci(pfl), lfl: sci(lfl), size: preset.flatSize };
    stis[det] = { bpixtab: refValue(bpx), pfltfile: refValue(pfl), lfltfile: refValue(lfl), bpix: bpixImage(rows), flats };
  }
  const pht = stisPhottab(name('o', 'pht'), preset.photNelem);
  files.push(pht);
  return {
    files,
    refs: {
      cos: {
        FUV: { fluxtab: refValue(fuvPhot), tdstab: refValue(fuvTds) },
        NUV: { fluxtab: refValue(nuvPhot), tdstab: refValue(nuvTds) },
      },
      stis,
      phottab: refValue(pht),
    },
  };
}

/** Composite groups the pipeline should form from the good, ingested files (§9.1–9.2). */
export function compositeGroups(files: readonly FileTruth[]): CompositeTruth[] {
  const groups = new Map<string, CompositeTruth>();
  for (const f of files) {
    if (!f.ingested || !f.quality?.ok) continue;
    const member = f.kind === 'stis_tag' ? f.file.replace('_tag.fits', '_corrtag.fits') : f.file;
    const cenwave = f.obstype === 'IMAGING' ? 0 : f.cenwave;
    const key = [f.instrument, f.detector, f.canonical_target, f.opt_elem, cenwave, f.aperture].join('\u0000');
    let g = groups.get(key);
    if (!g) {
      g = {
        name: `hlsp_hstlc_hst_${f.instrument}-${f.detector}_${f.canonical_target}_${f.opt_elem}_${cenwave}_${f.aperture}_v1_sci.fits`.toLowerCase(),
        instrume: f.instrument,
        detector: f.detector,
        targname: f.canonical_target,
        opt_elem: f.opt_elem,
        cenwave,
        aperture: f.aperture,
        members: [],
      };
      groups.set(key, g);
    }
    g.members.push(member);
  }
  const out = [...groups.values()];
  for (const g of out) g.members.sort();
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function generateArchive(options: GenerateOptions): Promise<ArchiveManifest> {
  const seed = options.seed ?? 1;
  const size = options.size ?? 'small';
  const preset = SIZE_PRESETS[size];
  if (!preset) throw new Error(`unknown archive size '${size}' (expected one of ${ARCHIVE_SIZES.join(', ')})`);
  const ingest = join(options.dir, 'ingest');
  const lref = join(options.dir, 'ref', 'lref');
  const oref = join(options.dir, 'ref', 'oref');
  await Promise.all([mkdir(ingest, { recursive: true }), mkdir(lref, { recursive: true }), mkdir(oref, { recursive: true })]);

  const { files: refFiles, refs } = buildReferenceSet(seed, preset);
  let refBytes = 0;
  for (const f of refFiles) {
    const path = join(f.dir === 'lref' ? lref : oref, f.name);
    const bytes = await writeProduct(path, f.hdus);
    refBytes += bytes;
    options.onFile?.({ path, bytes, events: 0 });
  }

  const truths: FileTruth[] = [];
  let totalEvents = 0;
  let totalBytes = 0;
  for (const plan of planArchive(seed, size)) {
    for (const product of buildExposure(plan, refs, seed)) {
      const path = join(ingest, product.name);
      const bytes = await writeProduct(path, product.hdus);
      totalBytes += bytes;
      totalEvents += product.events;
      truths.push({ ...product.truth, bytes });
      options.onFile?.({ path, bytes, events: product.events });
    }
  }

  const manifest: ArchiveManifest = {
    generator: 'hstlc synthetic archive',
    version: 1,
    seed,
    size,
    phase_epoch_mjd: PHASE_EPOCH_MJD,
    bad_proposals: [BAD_PROPOSAL],
    reference_files: {
      lref: refFiles.filter((f) => f.dir === 'lref').map((f) => f.name),
      oref: refFiles.filter((f) => f.dir === 'oref').map((f) => f.name),
    },
    files: truths,
    composites: compositeGroups(truths),
    totals: { files: truths.length, events: totalEvents, bytes: totalBytes, reference_files: refFiles.length, reference_bytes: refBytes },
  };
  const manifestPath = join(options.dir, 'manifest.json');
  const tmp = `${manifestPath}.${process.pid}.part`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 1)}\n`);
  await rename(tmp, manifestPath);
  return manifest;
}
