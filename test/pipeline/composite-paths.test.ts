/**
 * One composite path (§9.3): `hstlc composite` on the event files a user holds and the ingest stage on
 * the same files give the same composite — the same data arrays, row for row. The groups cover the
 * rules that once lived in two places: an IMAGING member (no wavelengths, §15.9), STIS tag files
 * (converted to corrtags, §7.1) and an FUV pair listed with both segments beside a lone `_b` (§1.3).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveSettings } from '../../src/config/index.js';
import { connectDatabase } from '../../src/db/index.js';
import { FitsReader } from '../../src/fits/index.js';
import { collectingLogger, runIngest } from '../../src/pipeline/index.js';
import { generateArchive, type ArchiveManifest } from '../../src/synthetic/index.js';
import { runArgv } from '../cli/helpers.js';

/** Targets whose composites exercise IMAGING, STIS tags and the FUV partner rule. */
const TARGETS = ['NGC6905', 'WD2359-324', 'HD209458'];

let root: string;
let manifest: ArchiveManifest;
let home: string;
let config: string;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'hstlc-composite-paths-'));
  const archive = path.join(root, 'archive');
  manifest = await generateArchive({ dir: archive, seed: 3, size: 'tiny' });
  home = path.join(root, 'home');
  mkdirSync(path.join(home, 'ingest'), { recursive: true });
  // The users' copy: every file of the chosen targets, tag files and companions included.
  mkdirSync(path.join(root, 'user'));
  for (const f of manifest.files.filter((f) => TARGETS.includes(f.canonical_target))) {
    copyFileSync(path.join(archive, 'ingest', f.file), path.join(home, 'ingest', f.file));
    copyFileSync(path.join(archive, 'ingest', f.file), path.join(root, 'user', f.file));
  }
  const ref = path.join(archive, 'ref');
  config = path.join(root, 'hstlc.yaml');
  writeFileSync(config, `home_dir: ${home}\nref_dir: ${ref}\nnum_cores: 1\nfile_time_limit: 0\n`);
  const settings = resolveSettings({ home_dir: home, ref_dir: ref, num_cores: 1, file_time_limit: 0 }, { baseDir: home, homedir: home, cores: 1 });
  const handle = await connectDatabase(settings.db);
  try {
    await runIngest(handle, { settings, logger: collectingLogger() });
  } finally {
    await handle.close();
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

async function columns(file: string): Promise<Map<string, unknown[]>> {
  const f = await FitsReader.open(file);
  try {
    const t = await f.readTable(1);
    return new Map([...t.columns].map(([name, c]) => [name, Array.from(c.data as ArrayLike<unknown>)]));
  } finally {
    await f.close();
  }
}

describe('hstlc composite = ingest (§9.3)', () => {
  for (const target of TARGETS) {
    it(`${target}: the same composite from the users' event files`, async () => {
      const truth = manifest.composites.filter((c) => c.targname === target);
      assert.equal(truth.length, 1, `one composite group for ${target}`);
      const group = truth[0]!;
      // Every event file of the group as the user has it: tags (not corrtags), both FUV segments.
      const files = manifest.files
        .filter((f) => f.canonical_target === target && f.kind !== 'stis_x1d')
        .map((f) => path.join(root, 'user', f.file))
        .sort();
      const out = path.join(root, `${target}.fits`);
      const r = await runArgv(['node', 'hstlc', '--config', config, 'composite', ...files, '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      const cli = await columns(out);
      const ingest = await columns(path.join(home, 'outputs', 'composite', group.name));
      assert.deepEqual([...cli.keys()], [...ingest.keys()]);
      for (const [name, values] of ingest) assert.deepEqual(cli.get(name), values, `${target} column ${name}`);
      assert.ok((cli.get('counts') ?? []).length > 0, 'a composite with bins');
    });
  }
});
