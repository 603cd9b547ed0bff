/**
 * Verification of a finished transfer before it may take its final name (DESIGN §8):
 * the size the product list promised, a FITS structure that walks to the end (every HDU's data
 * present), and DATASUM/CHECKSUM wherever the headers carry them. Also the digests the ledger and CRDS use.
 */
import { stat } from 'node:fs/promises';
import { FitsError, FitsReader } from '../fits/index.js';

export type Verdict = { ok: true; hdus: number; checksummed: number } | { ok: false; reason: string };

export async function verifyFitsFile(file: string, expectedSize: number): Promise<Verdict> {
  const { size } = await stat(file);
  if (size !== expectedSize) return { ok: false, reason: `size ${size} bytes, expected ${expectedSize}` };
  let reader: FitsReader;
  try {
    reader = await FitsReader.open(file);
  } catch (err) {
    if (err instanceof FitsError) return { ok: false, reason: `not a valid FITS file: ${err.message}` };
    throw err;
  }
  try {
    // A file cut exactly at an HDU boundary walks cleanly; the size check above catches that case.
    if (reader.warnings.some((w) => w.includes('not a FITS extension'))) {
      return { ok: false, reason: `unexpected bytes after the last HDU` };
    }
    let checksummed = 0;
    for (const hdu of reader.hdus) {
      const sums = await reader.verifyChecksum(hdu);
      if (sums.datasum === 'bad') return { ok: false, reason: `HDU ${hdu.index} (${hdu.name}): DATASUM does not match the data` };
      if (sums.checksum === 'bad') return { ok: false, reason: `HDU ${hdu.index} (${hdu.name}): CHECKSUM does not match` };
      if (sums.datasum === 'ok' || sums.checksum === 'ok') checksummed++;
    }
    return { ok: true, hdus: reader.hdus.length, checksummed };
  } catch (err) {
    if (err instanceof FitsError) return { ok: false, reason: `FITS error: ${err.message}` };
    throw err;
  } finally {
    await reader.close();
  }
}

