/** What differs by dialect lives in src/db/dialects/: the query files ask the adapter, never the dialect's name. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dialectAdapter } from '../../src/db/dialects/index.js';

const DB_DIR = new URL('../../src/db/', import.meta.url);

describe('dialect adapters', () => {
  it('the query files hold no test of the dialect name', () => {
    const files = readdirSync(DB_DIR).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10, 'found the query files');
    const offenders = files.filter((f) => /dialect\s*[!=]==\s*'/.test(readFileSync(new URL(f, DB_DIR), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('each dialect has its adapter, named as the connection string names it', () => {
    for (const name of ['sqlite', 'postgresql', 'mysql'] as const) assert.equal(dialectAdapter(name).name, name);
  });

  it('binds booleans as each driver takes them (better-sqlite3 has no booleans)', () => {
    assert.equal(dialectAdapter('sqlite').boolean(true), 1);
    assert.equal(dialectAdapter('postgresql').boolean(true), true);
    assert.equal(dialectAdapter('mysql').boolean(false), false);
  });

  it('resets MySQL sequences after the transaction (ALTER TABLE commits implicitly), the others inside it', () => {
    assert.equal(dialectAdapter('mysql').sequenceResetIsTransactional, false);
    assert.equal(dialectAdapter('postgresql').sequenceResetIsTransactional, true);
    assert.equal(dialectAdapter('sqlite').sequenceResetIsTransactional, true);
  });
});
