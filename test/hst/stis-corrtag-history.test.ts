/**
 * The corrtag ingest makes from a STIS tag file is archived beside it: its HISTORY names the reference
 * files it used by file name, never by the directories of the machine that made it.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FitsReader } from '../../src/fits/index.js';
import { stisCorrtag } from '../../src/hst/stis/corrtag.js';
import { generateArchive } from '../../src/synthetic/index.js';
import { tempDir } from '../helpers/tools.js';

test('STIS corrtag HISTORY names reference files, not paths', async () => {
  const { dir, cleanup } = tempDir();
  try {
    await generateArchive({ dir, seed: 3, size: 'tiny' });
    const ingest = path.join(dir, 'ingest');
    const tag = readdirSync(ingest).find((n) => n.endsWith('_tag.fits'));
    assert.ok(tag !== undefined);
    const output = path.join(dir, 'out_corrtag.fits');
    const made = await stisCorrtag(path.join(ingest, tag), { refs: { refDir: path.join(dir, 'ref'), env: {} }, output });
    assert.ok(made.log.used.size > 0, 'the conversion used reference files');
    const f = await FitsReader.open(output);
    try {
      const history = f.hdu(0).header.cards.filter((c) => c.key === 'HISTORY').map((c) => String(c.value));
      const used = history.filter((h) => / used: /.test(h));
      assert.equal(used.length, made.log.used.size, history.join('\n'));
      for (const [key, p] of made.log.used) assert.ok(used.includes(`${key} used: ${path.basename(p)}`), `${key}: ${used.join(' | ')}`);
      for (const h of history) assert.ok(!h.includes(dir), `a machine path in HISTORY: ${h}`);
    } finally {
      await f.close();
    }
  } finally {
    cleanup();
  }
});
