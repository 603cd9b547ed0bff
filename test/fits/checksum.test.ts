/**
 * The FITS checksum's 32-bit ones'-complement sum (Standard 4.0 Appendix J) against its definition:
 * the big-endian words summed modulo 2^32 − 1 (a nonzero multiple of it is 0xFFFFFFFF, negative zero),
 * computed here with BigInt; for word-aligned buffers (read one word per load) and unaligned views.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onesComplementSum } from '../../src/fits/checksum.js';

function byDefinition(bytes: Uint8Array, start = 0n): number {
  let s = start;
  for (let i = 0; i < bytes.length; i += 4) s += BigInt(((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0);
  if (s === 0n) return 0;
  const m = s % 0xffffffffn;
  return Number(m === 0n ? 0xffffffffn : m);
}

test('a hand-computed sum: adding 0xFFFFFFFF (negative zero) leaves a sum unchanged', () => {
  const b = Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff);
  assert.equal(onesComplementSum(b), 0x01020304);
  assert.equal(onesComplementSum(new Uint8Array(8)), 0);
});

test('aligned and unaligned buffers of up to 3 MB sum as the definition says, with a running start value', () => {
  let seed = 11;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
  for (const words of [1, 7, 32768, 32769, 200_000, 800_000]) {
    const backing = new Uint8Array(4 * words + 4);
    for (let i = 0; i < backing.length; i++) backing[i] = words === 32769 ? 0xff : rand();
    for (const offset of [0, 1, 2, 4]) {
      const view = backing.subarray(offset, offset + 4 * (words - (offset > 0 ? 1 : 0)));
      assert.equal(onesComplementSum(view), byDefinition(view), `${words} words at offset ${offset}`);
      assert.equal(onesComplementSum(view, 0x89abcdef), byDefinition(view, 0x89abcdefn), `${words} words at offset ${offset}, running`);
    }
  }
});
