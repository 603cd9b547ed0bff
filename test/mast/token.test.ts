/**
 * The MAST token reaches MAST only: a run with a token against a MAST stub and a separate CRDS stub
 * (another origin, as hst-crds.stsci.edu is) records the headers each endpoint received. Download
 * URIs keep `mast:HST/product/<file>` unescaped, as astroquery sends them.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { baseHeaders, downloadUrl, isUnderUrl, MemoryLedger, runDownload, withoutToken } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { filesFor, referenceFile } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

const TOKEN = 'tok-ONLY-FOR-MAST-77';
const FILES = filesFor([{ rootname: 'lb9y01a1q', asn: 'lb9y01010', refs: { FLUXTAB: 'lref$aaa11111l_phot.fits' } }]);
const REFS = [referenceFile('aaa11111l_phot.fits')];

let mast: MastStub;
let crds: MastStub;
let d: Dirs;

beforeEach(async () => {
  mast = await startMastStub({ files: FILES });
  crds = await startMastStub({ references: REFS });
  d = dirs();
});
afterEach(async () => {
  await mast.close();
  await crds.close();
  d.cleanup();
});

describe('MAST token scope', () => {
  it('every MAST endpoint gets the token, no CRDS endpoint does', async () => {
    const report = await runDownload({
      mastUrl: mast.url,
      crdsUrl: crds.url,
      ingestDir: d.ingest,
      refDir: d.ref,
      http: fastHttp({ token: TOKEN }),
      ledger: new MemoryLedger(),
    });
    assert.equal(report.summary.failed, 0);
    assert.equal(report.summary.references_fetched, 1);

    const mastRoutes = new Set(mast.requests.map((r) => `${r.method} ${r.route}`));
    assert.deepEqual([...mastRoutes].sort(), ['GET columns', 'GET download', 'HEAD download', 'POST products', 'POST search']);
    for (const r of mast.requests) assert.ok(r.headers.includes('authorization'), `${r.method} ${r.path} lacks the token`);

    const crdsRoutes = new Set(crds.requests.map((r) => `${r.method} ${r.route}`));
    assert.deepEqual([...crdsRoutes].sort(), ['GET crds-file', 'POST crds-rpc']);
    for (const r of crds.requests) {
      assert.ok(!r.headers.includes('authorization'), `${r.method} ${r.path} received the MAST token`);
      assert.ok(r.headers.includes('user-agent'));
    }
  });

  it('the download URI keeps ":" and "/" unescaped', async () => {
    assert.equal(downloadUrl('https://mast.stsci.edu', 'lb9y01a1q_corrtag_a.fits'), 'https://mast.stsci.edu/api/v0.1/Download/file?uri=mast:HST/product/lb9y01a1q_corrtag_a.fits');
    await runDownload({ mastUrl: mast.url, crdsUrl: crds.url, ingestDir: d.ingest, refDir: d.ref, http: fastHttp(), ledger: new MemoryLedger(), references: false });
    const queries = mast.requests.filter((r) => r.route === 'download').map((r) => r.query);
    assert.ok(queries.length > 0);
    for (const q of queries) assert.match(q, /^\?uri=mast:HST\/product\/lb9y01a1q_[a-z_]+\.fits$/);
  });

  it('the scope is same origin and path prefix; withoutToken drops it', () => {
    assert.ok(isUnderUrl('https://mast.stsci.edu/api/v0.1/Download/file?uri=x', 'https://mast.stsci.edu'));
    assert.ok(isUnderUrl('https://mast.stsci.edu/search/hst', 'https://mast.stsci.edu/search'));
    assert.ok(!isUnderUrl('https://mast.stsci.edu/searchy', 'https://mast.stsci.edu/search'));
    assert.ok(!isUnderUrl('https://hst-crds.stsci.edu/json/', 'https://mast.stsci.edu'));
    assert.ok(!isUnderUrl('https://mast.stsci.edu.evil.example/x', 'https://mast.stsci.edu'));
    assert.ok(!isUnderUrl('http://mast.stsci.edu/x', 'https://mast.stsci.edu'));
    const http = fastHttp({ token: TOKEN, tokenScope: 'https://mast.stsci.edu' });
    assert.equal(baseHeaders(http, 'https://mast.stsci.edu/x')['Authorization'], `token ${TOKEN}`);
    assert.equal(baseHeaders(http, 'https://hst-crds.stsci.edu/json/')['Authorization'], undefined);
    assert.equal(baseHeaders(fastHttp({ token: TOKEN }), 'https://mast.stsci.edu/x')['Authorization'], undefined, 'no scope, no token');
    assert.equal(baseHeaders(withoutToken(http), 'https://mast.stsci.edu/x')['Authorization'], undefined);
  });
});
