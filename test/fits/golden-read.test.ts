/**
 * Every FITS file of the golden fixtures (written by astropy: COS corrtags, STIS tag/x1d, reference
 * tables with 2-D cells, the original pipeline's lightcurves) reads with the same cards and values
 * as astropy reads them, and passes its own checksums where it has them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FitsReader, cardToPlain, columnToPlain, type Plain } from '../../src/fits/index.js';
import { astropyDumps, skipUnlessAstropy } from '../helpers/tools.js';

const ROOT = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

function fitsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return fitsFiles(p);
    return name.endsWith('.fits') ? [p] : [];
  });
}

interface AstropyHdu {
  cards: Array<[string, Plain, string]>;
  columns?: Record<string, Plain[]>;
}

/** Python's float() of a float32 and ours agree exactly; compare numbers bit-for-bit, NaN as null. */
test('golden fixtures: same cards and column values as astropy', { skip: skipUnlessAstropy() }, async () => {
  const files = fitsFiles(ROOT).sort();
  assert.ok(files.length >= 70, `found ${files.length} fixtures`);
  const dumps = astropyDumps<AstropyHdu[]>(files);
  for (const path of files) {
    const name = relative(ROOT, path);
    const theirs = dumps.next().value!;
    const f = await FitsReader.open(path);
    assert.equal(f.hdus.length, theirs.length, name);
    for (const h of f.hdus) {
      assert.deepEqual(h.header.cards.map(cardToPlain), theirs[h.index].cards, `${name} HDU ${h.index} cards`);
      if (!h.table) continue;
      const t = await f.readTable(h);
      for (const [col, values] of Object.entries(theirs[h.index].columns ?? {})) {
        assert.deepEqual(columnToPlain(t.columns.get(col)!), values, `${name} HDU ${h.index} column ${col}`);
      }
    }
    await f.close();
  }
});
