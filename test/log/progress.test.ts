import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createProgress, isCI } from '../../src/log/progress.js';

/** A stream that records what is written, claiming to be a terminal or not. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; cursorTo(): boolean; clearLine(): boolean; moveCursor(): boolean };
  s.isTTY = isTTY;
  s.columns = 100;
  s.cursorTo = () => true;
  s.clearLine = () => true;
  s.moveCursor = () => true;
  return { s, text: () => chunks.join('') };
}

describe('isCI', () => {
  it('reads CI=true and friends', () => {
    assert.equal(isCI({ CI: 'true' }), true);
    assert.equal(isCI({ CI: '1' }), true);
    assert.equal(isCI({ CI: 'false' }), false);
    assert.equal(isCI({}), false);
  });
});

describe('createProgress', () => {
  it('logs a line every 10% when not on a terminal', () => {
    const lines: string[] = [];
    const { s, text } = stream(false);
    const p = createProgress({ total: 20, label: 'ingest', stream: s, env: {}, logger: { info: (m) => lines.push(m) } });
    for (let i = 0; i < 20; i++) p.increment();
    p.stop();
    assert.equal(lines.length, 10);
    assert.equal(lines[0], 'ingest: 10% (2/20)');
    assert.equal(lines[9], 'ingest: 100% (20/20)');
    assert.equal(text(), '');
  });

  it('reports each tenth once even when jumping, and notes an early stop', () => {
    const lines: string[] = [];
    const { s } = stream(false);
    const p = createProgress({ total: 100, label: 'download', stream: s, env: {}, logger: { info: (m) => lines.push(m) } });
    p.update(35);
    p.update(36);
    p.stop();
    assert.deepEqual(lines, ['download: 30% (35/100)', 'download: stopped at 36/100']);
  });

  it('writes the lines to the stream without a logger', () => {
    const { s, text } = stream(false);
    const p = createProgress({ total: 1, label: 'plots', stream: s, env: {} });
    p.increment();
    p.stop();
    assert.equal(text(), 'plots: 100% (1/1)\n');
  });

  it('draws no bar on a terminal when CI=true', () => {
    const lines: string[] = [];
    const { s, text } = stream(true);
    const p = createProgress({ total: 10, label: 'ingest', stream: s, env: { CI: 'true' }, logger: { info: (m) => lines.push(m) } });
    p.update(10);
    p.stop();
    assert.equal(text(), '');
    assert.deepEqual(lines, ['ingest: 100% (10/10)']);
  });

  it('draws a bar on a terminal', () => {
    const lines: string[] = [];
    const { s, text } = stream(true);
    const p = createProgress({ total: 4, label: 'ingest', stream: s, env: {}, logger: { info: (m) => lines.push(m) } });
    p.increment(4);
    p.stop();
    assert.match(text(), /ingest \[.*\] 100% \| 4\/4/);
    assert.deepEqual(lines, []);
  });
});
