import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, jsonForScript, relativeUrl } from '../../src/plots/escape.js';

test('escapeHtml escapes the five markup characters and nothing else', () => {
  assert.equal(escapeHtml(`<img src=x onerror="alert('1')">&`), '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  assert.equal(escapeHtml('XTEJ1118+480 ÅΩ'), 'XTEJ1118+480 ÅΩ');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(12.5), '12.5');
});

test('jsonForScript cannot close a script block and parses back to the same value', () => {
  const value = { targname: '</script><script>alert(1)</script>', note: '<!-- x -->', amp: 'a&b', ls: 'a\u2028b', n: [1, NaN, Infinity] };
  const json = jsonForScript(value);
  assert.doesNotMatch(json, /<|>|&|\u2028/);
  assert.doesNotMatch(json.toLowerCase(), /<\/script/);
  assert.deepEqual(JSON.parse(json), { ...value, n: [1, null, null] });
});

test('relativeUrl percent-encodes each segment and keeps separators', () => {
  assert.equal(relativeUrl('composite/hlsp_xtej1118+480_52x0.2.png'), 'composite/hlsp_xtej1118%2B480_52x0.2.png');
  assert.equal(relativeUrl('../assets/a b#?.js'), '../assets/a%20b%23%3F.js');
});
