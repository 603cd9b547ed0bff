/** The README's configuration table is the key declarations (src/config/keys.ts), row for row. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, KNOWN_KEYS, DEPRECATED_KEYS, configTable } from '../../src/config/index.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');

function readmeTable(): string[] {
  const start = README.indexOf('| key | default | meaning |');
  assert.ok(start >= 0, 'README has a configuration table');
  let end = start;
  while (end < README.length && README[end]!.startsWith('|')) end++;
  return README.slice(start, end);
}

describe('the README configuration table', () => {
  it('equals the table derived from the key declarations', () => {
    assert.deepEqual(readmeTable(), configTable());
  });

  it('lists every key a config file may hold, except the deprecated ones, once each', () => {
    const listed = readmeTable()
      .slice(2)
      .map((row) => /^\| `([a-z_]+)` \|/.exec(row)?.[1]);
    const expected = KNOWN_KEYS.filter((k) => !(DEPRECATED_KEYS as readonly string[]).includes(k));
    assert.deepEqual(listed, expected);
    assert.deepEqual(listed, Object.keys(CONFIG_KEYS));
  });
});
