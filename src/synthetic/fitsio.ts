/**
 * The generator's only contact with the FITS library: write a product, read columns back.
 */
import { stat } from 'node:fs/promises';
import { FitsReader, writeFits, type HduSpec } from '../fits/index.js';

/** Write HDUs atomically (with CHECKSUM/DATASUM) and return the file's size in bytes. */
export async function writeProduct(path: string, hdus: readonly HduSpec[]): Promise<number> {
  await writeFits(path, hdus);
  return (await stat(path)).size;
}

export { FitsReader };
