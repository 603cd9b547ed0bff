/**
 * DATASUM/CHECKSUM of the files an extraction reads (FITS standard 4.0 App. J): the event file, its
 * FUV partner segment and a STIS x1d, every HDU that carries them. A mismatch means the bytes are not
 * the ones the archive wrote: bad data ("Bad checksum") by default, or a warning (config
 * `verify_checksums: warn`). HDUs without the keywords are not checked (the convention is optional).
 */
import { existsSync } from 'node:fs';
import { FitsReader } from '../fits/index.js';
import { BadDataError } from '../quality/reasons.js';
import { fuvPartnerOf, stisX1dOf, suffixOf } from './names.js';

export const CHECKSUM_MODES = ['bad', 'warn'] as const;
export type ChecksumMode = (typeof CHECKSUM_MODES)[number];

/** The files an extraction of `file` reads from disk as given (a made STIS corrtag is ours, not checked). */
export function checksummedInputs(file: string): string[] {
  const files = [file];
  const partner = fuvPartnerOf(file, existsSync);
  if (partner !== undefined && existsSync(partner)) files.push(partner);
  const s = suffixOf(file);
  if (s === 'tag' || s === 'corrtag') {
    const x1d = stisX1dOf(file);
    if (existsSync(x1d)) files.push(x1d);
  }
  return files;
}

/** Each mismatching keyword of `file`, e.g. "x.fits HDU 1 (EVENTS): DATASUM does not match the data". */
export async function checksumMismatches(file: string): Promise<string[]> {
  const reader = await FitsReader.open(file);
  try {
    const out: string[] = [];
    for (const hdu of reader.hdus) {
      if (!hdu.header.has('DATASUM') && !hdu.header.has('CHECKSUM')) continue;
      const r = await reader.verifyChecksum(hdu);
      const where = `${file} HDU ${hdu.index}${hdu.name ? ` (${hdu.name})` : ''}`;
      if (r.datasum === 'bad') out.push(`${where}: DATASUM does not match the data (computed ${r.computedDatasum})`);
      if (r.checksum === 'bad') out.push(`${where}: CHECKSUM does not match the HDU`);
    }
    return out;
  } finally {
    await reader.close();
  }
}

/**
 * Verify the inputs of an extraction of `file`; with mode 'bad' a mismatch throws BadDataError
 * ('Bad checksum'), with 'warn' the mismatches come back as warnings.
 */
export async function verifyInputChecksums(file: string, mode: ChecksumMode): Promise<string[]> {
  const found: string[] = [];
  for (const f of checksummedInputs(file)) found.push(...(await checksumMismatches(f)));
  if (found.length > 0 && mode === 'bad') throw new BadDataError('Bad checksum', `${found.join('; ')} (set verify_checksums: warn to extract it anyway)`, { file });
  return found;
}
