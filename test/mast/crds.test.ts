/**
 * CRDS get_file_info in the shapes its server uses: a sha1sum of '' or 'none' (the CRDS client skips
 * the check; size and FITS checksums decide), a result wrapped as crds_encoded 1.0 (base64 of gzip
 * JSON), and errors as HTTP 200 with an `error` object whose message is reported.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, it } from 'node:test';
import { decodeCrdsResult, fetchReferences, getFileInfo, type WantedReference } from '../../src/mast/index.js';
import { startMastStub, type MastStub } from '../../src/mast/stub/index.js';
import { referenceFile, sha256 } from './fixtures.js';
import { dirs, fastHttp, type Dirs } from './helpers.js';

const REF = referenceFile('aaa11111l_phot.fits');
const WANTED: WantedReference = { file: REF.name, dir: 'lref', keyword: 'FLUXTAB', namedBy: 'lb9y01a1q_corrtag_a.fits' };

let stub: MastStub | undefined;
let d: Dirs | undefined;
afterEach(async () => {
  await stub?.close();
  d?.cleanup();
  stub = undefined;
  d = undefined;
});

describe('CRDS get_file_info', () => {
  it('reads size (a string) and sha1sum as CRDS gives them', async () => {
    stub = await startMastStub({ references: [REF] });
    const info = await getFileInfo(stub.url, REF.name, fastHttp());
    assert.equal(info.size, REF.bytes.length);
    assert.match(info.sha1sum ?? '', /^[0-9a-f]{40}$/);
  });

  for (const sha1 of ['', 'none'] as const) {
    it(`sha1sum '${sha1}' is accepted; the file is fetched and checked by size and FITS checksums`, async () => {
      stub = await startMastStub({ references: [REF], crdsSha1: sha1 });
      assert.deepEqual(await getFileInfo(stub.url, REF.name, fastHttp()), { size: REF.bytes.length, sha1sum: undefined });
      d = dirs();
      const [result] = await fetchReferences([WANTED], d.ref, stub.url, { http: fastHttp() });
      assert.equal(result?.status, 'done');
      assert.equal(sha256(await readFile(path.join(d.ref, 'lref', REF.name))), sha256(REF.bytes));
    });
  }

  it("without a sha1, a corrupted reference still fails its FITS checksums", async () => {
    stub = await startMastStub({ references: [REF], crdsSha1: 'none' });
    stub.addFault({ route: 'crds-file', kind: 'corrupt', times: Infinity });
    d = dirs();
    await mkdir(path.join(d.ref, 'lref'), { recursive: true });
    const [result] = await fetchReferences([WANTED], d.ref, stub.url, { http: fastHttp() });
    assert.equal(result?.status, 'failed');
    assert.match(result?.reason ?? '', /verification failed/);
  });

  it('decodes a crds_encoded 1.0 result', async () => {
    stub = await startMastStub({ references: [REF], crdsEncoded: true });
    const info = await getFileInfo(stub.url, REF.name, fastHttp());
    assert.equal(info.size, REF.bytes.length);
    // Independent of the stub: a payload built here by hand.
    const payload = gzipSync(Buffer.from('{"size": "2880", "sha1sum": "none"}')).toString('base64');
    assert.deepEqual(decodeCrdsResult({ crds_encoded: '1.0', crds_payload: payload }), { size: '2880', sha1sum: 'none' });
    assert.deepEqual(decodeCrdsResult({ size: '1' }), { size: '1' });
    assert.throws(() => decodeCrdsResult({ crds_encoded: '2.0', crds_payload: payload }), /only 1\.0/);
    assert.throws(() => decodeCrdsResult({ crds_encoded: '1.0', crds_payload: 'bm90IGd6aXA=' }), /does not decode/);
  });

  it('an HTTP-200 error object is reported by its message', async () => {
    stub = await startMastStub({ references: [] });
    await assert.rejects(getFileInfo(stub.url, 'zzz00000l_phot.fits', fastHttp()), /CRDS get_file_info: OtherError: No catalog entry for 'zzz00000l_phot\.fits'/);
  });
});
