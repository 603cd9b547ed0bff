import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { writeFits } from '../../src/fits/index.js';
import { tempDir } from '../helpers/tools.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'hstlc', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { CI: 'true' },
  });
  process.exitCode = 0; // main sets the process's exit code for the real CLI; this is a test
  return { code, stdout, stderr };
}

async function corrtag(dir: string): Promise<string> {
  const path = join(dir, 'lb4k0105q_corrtag_a.fits');
  await writeFits(path, [
    { type: 'PRIMARY', cards: [{ key: 'TARGNAME', value: 'GD-71', comment: "proposer's target name" }, { key: 'BIG', value: 2n ** 60n }] },
    {
      type: 'BINTABLE',
      name: 'EVENTS',
      columns: [
        { name: 'TIME', data: Float32Array.from([0.5, 1.25, NaN]), unit: 's' },
        { name: 'DQ', data: Int16Array.from([0, 8192, 4]) },
        { name: 'K', data: BigInt64Array.from([1n, 2n ** 60n, -3n]) },
        { name: 'WAVE', data: Float64Array.from([1, 2, 3, 4, 5, 6]), dim: [2], format: '2D' },
      ],
    },
    { type: 'IMAGE', name: 'SCI', image: { data: Int16Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] } },
  ]);
  return path;
}

test('inspect --json --data prints the documented document', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = await corrtag(dir);
    const r = await run(['inspect', path, '--json', '--data']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.file, path);
    assert.deepEqual(doc.hdus.map((h: { index: number; name: string; type: string }) => [h.index, h.name, h.type]), [
      [0, 'PRIMARY', 'PRIMARY'], [1, 'EVENTS', 'BINTABLE'], [2, 'SCI', 'IMAGE'],
    ]);
    const ev = doc.hdus[1];
    assert.equal(ev.rows, 3);
    assert.deepEqual(ev.columns[0], { name: 'TIME', format: '1E', unit: 's', shape: [] });
    assert.deepEqual(ev.columns[3], { name: 'WAVE', format: '2D', unit: null, shape: [2] });
    assert.deepEqual(ev.data.TIME, [0.5, 1.25, null], 'NaN as null');
    assert.deepEqual(ev.data.K, [1, '1152921504606846976', -3], 'integers beyond 2^53 as strings');
    assert.deepEqual(ev.data.WAVE, [[1, 2], [3, 4], [5, 6]], 'vector cells nested');
    assert.deepEqual(doc.hdus[0].header.find((c: unknown[]) => c[0] === 'TARGNAME'), ['TARGNAME', 'GD-71', "proposer's target name"]);
    assert.deepEqual(doc.hdus[0].header.find((c: unknown[]) => c[0] === 'BIG'), ['BIG', '1152921504606846976', '']);
    assert.deepEqual(doc.hdus[2].data, [[1, 2, 3], [4, 5, 6]]);
    const one = JSON.parse((await run(['inspect', path, '--json', '--hdu', 'EVENTS'])).stdout);
    assert.equal(one.hdus.length, 1);
    assert.equal(one.hdus[0].data, undefined, 'no data without --data');
  } finally {
    cleanup();
  }
});

test('inspect prints a human summary; bad files exit 1 naming the file and the problem', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = await corrtag(dir);
    const r = await run(['inspect', path, '--checksum']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1\s+EVENTS\s+1\s+BINTABLE\s+\d+\s+3R x 4C\s+\[1E, 1I, 1K, 2D\]/);
    assert.match(r.stdout, /2\s+SCI\s+1\s+IMAGE\s+\d+\s+\(3, 2\)/);
    assert.match(r.stdout, /HDU 1 EVENTS: DATASUM ok, CHECKSUM ok/);
    const bad = join(dir, 'truncated_x1d.fits');
    const { readFileSync } = await import('node:fs');
    const { FitsReader } = await import('../../src/fits/index.js');
    const f = await FitsReader.open(path);
    writeFileSync(bad, readFileSync(path).subarray(0, f.hdus[1].dataStart + 10));
    await f.close();
    const b = await run(['inspect', bad]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /truncated_x1d\.fits, HDU 1: file ends inside the data/);
    const missing = await run(['inspect', join(dir, 'nope.fits')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.fits: no such file/);
  } finally {
    cleanup();
  }
});

test('inspect takes several files: each summary in turn, one JSON document per line, a bad one reported and the rest shown', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const a = await corrtag(dir);
    const b = join(dir, 'lb4k0106q_corrtag_a.fits');
    writeFileSync(b, readFileSync(a));
    const r = await run(['inspect', a, b]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.match(/^Filename: .*$/gm), [`Filename: ${a}`, `Filename: ${b}`]);
    assert.equal(r.stdout.match(/^1\s+EVENTS\s+1\s+BINTABLE/gm)?.length, 2);
    const docs = (await run(['inspect', a, b, '--json'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(docs.map((d: { file: string }) => d.file), [a, b]);
    const missing = join(dir, 'nope.fits');
    const partial = await run(['inspect', missing, b]);
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /nope\.fits: no such file/);
    assert.match(partial.stdout, new RegExp(`^Filename: ${b}$`, 'm'));
  } finally {
    cleanup();
  }
});
