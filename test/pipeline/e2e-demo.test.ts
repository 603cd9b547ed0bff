/** `hstlc demo DIR --size tiny` as a newcomer runs it: the archive, then the whole pipeline, then where to look. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ArchiveManifest } from '../../src/synthetic/index.js';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';

after(cleanupSandboxes);

describe('hstlc demo', () => {
  it('generates the archive, runs the pipeline on it (SQLite under DIR) and says where to look', async () => {
    const dirs = await sandbox();
    const r = await run(['--quiet', 'demo', 'd', '--size', 'tiny', '--seed', '2'], dirs);
    assert.equal(r.code, 0, r.stderr);
    const dir = path.join(dirs.cwd, 'd');
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as ArchiveManifest;
    const good = manifest.files.filter((f) => f.ingested && f.quality?.ok === true).length;
    const bad = manifest.files.filter((f) => f.ingested && f.bad !== null).length;
    assert.match(r.stdout, /^Running the pipeline \(hstlc --config .*\/d\/hstlc\.yaml pipeline\):$/m);
    assert.match(r.stdout, new RegExp(`^files +${good} ingested, ${bad} bad, 0 failed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^composites +${manifest.composites.length} made, 0 failed$`, 'm'));
    assert.match(r.stdout, new RegExp(`^site +${path.join(dir, 'plots', 'index.html')}$`, 'm'));
    assert.match(r.stdout, /^Where to look:$/m);
    assert.match(r.stdout, /Next:\n {2}hstlc --config .*\/d\/hstlc\.yaml pipeline .*\n {2}hstlc --config .*\/d\/hstlc\.yaml status\n$/);
    assert.ok(existsSync(path.join(dir, 'hstlc.db')));
    assert.ok(existsSync(path.join(dir, 'plots', 'index.html')));
    assert.deepEqual((await readdir(path.join(dir, 'ingest'))).filter((n) => !n.startsWith('.')), [], 'everything was ingested');
    const composites = await readdir(path.join(dir, 'outputs', 'composite'));
    assert.deepEqual(composites.sort(), manifest.composites.map((c) => c.name).sort());
  });
});
