/**
 * Composite members replayed from the selection ingest kept (hst/member-events.ts, issue 14): every
 * golden composite, in compat and corrected, made from its members' sidecars is the composite made by
 * reading the members again — the same members kept, range, rows, every column value and every header
 * card but the creation date — and a sidecar whose file changed since is not used.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compositeFromFiles, extractFile } from '../../src/hst/extract.js';
import { memberEventsCount } from '../../src/hst/member-events.js';
import { stisX1dOf } from '../../src/hst/names.js';
import { COMPAT, CORRECTED } from '../../src/lightcurve/algorithm.js';
import { tempDir } from '../helpers/tools.js';
import { INPUTS, results } from '../lightcurve/golden.js';

const tmp = tempDir('hstlc-member-events-');
after(() => tmp.cleanup());
const refs = { env: {}, refDir: INPUTS };

/** The file's 80-byte cards and data blocks, creation-date cards (and the CHECKSUM over them) left out. */
function withoutDates(file: string): string[] {
  const b = readFileSync(file);
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 80) {
    const card = b.subarray(i, i + 80).toString('latin1');
    if (!/^(GEN_DATE|DATE    |CHECKSUM)/.test(card)) out.push(card);
  }
  return out;
}

const inputFor = (m: string): string => join(INPUTS, m.replace('_corrtag.fits', m.startsWith('o') ? '_tag.fits' : '_corrtag.fits'));

for (const [name, algorithm] of [['compat', COMPAT], ['corrected', CORRECTED]] as const) {
  describe(`composites from kept member selections equal composites read again (${name})`, () => {
    for (const c of results().composites.filter((g) => g.ok)) {
      it(c.output, async () => {
        const dir = join(tmp.dir, name, c.output);
        const sidecars = join(dir, 'member-events');
        mkdirSync(dir, { recursive: true });
        const opts = { step: 2, algorithm, refs };
        // As ingest does: each member extracted once, recording; a STIS tag's corrtag kept and used as the member.
        const members: string[] = [];
        for (const m of c.members) {
          const made = await extractFile(inputFor(m), { ...opts, memberEvents: { dir: sidecars, role: 'record' } }, inputFor(m).endsWith('_tag.fits') ? { corrtagDir: dir } : {});
          // Ingest archives the tag's x1d beside its corrtag (the extraction reads the box from it).
          if (made.corrtag !== undefined) {
            const x1d = stisX1dOf(inputFor(m));
            if (existsSync(x1d)) copyFileSync(x1d, join(dir, basename(x1d)));
          }
          members.push(made.corrtag ?? inputFor(m));
        }
        const read = await compositeFromFiles(members, join(dir, 'read.fits'), opts);
        const before = memberEventsCount.replayed;
        const replayed = await compositeFromFiles(members, join(dir, 'replayed.fits'), { ...opts, memberEvents: { dir: sidecars, role: 'replay' } });
        assert.equal(memberEventsCount.replayed - before, new Set(members.filter((f) => !/_b\.fits$/.test(f) || !members.includes(f.replace(/_b\.fits$/, '_a.fits')))).size, 'every member replayed');
        assert.deepEqual(replayed.members, read.members);
        assert.deepEqual(replayed.range, read.range);
        assert.deepEqual(replayed.columns, read.columns);
        assert.deepEqual(withoutDates(join(dir, 'replayed.fits')), withoutDates(join(dir, 'read.fits')));
      });
    }
  });
}

describe('a kept selection is used only for the very files it was made from', () => {
  it('a member rewritten since (same name and bytes, a new file) is read again', async () => {
    const dir = join(tmp.dir, 'stale');
    const sidecars = join(dir, 'member-events');
    mkdirSync(dir, { recursive: true });
    const member = join(dir, 'lcah0107q_corrtag.fits');
    copyFileSync(join(INPUTS, basename(member)), member);
    const opts = { step: 2, algorithm: COMPAT, refs };
    await extractFile(member, { ...opts, memberEvents: { dir: sidecars, role: 'record' } });
    rmSync(member);
    copyFileSync(join(INPUTS, basename(member)), member);
    const before = memberEventsCount.replayed;
    const replayed = await compositeFromFiles([member], join(dir, 'replayed.fits'), { ...opts, memberEvents: { dir: sidecars, role: 'replay' } });
    assert.equal(memberEventsCount.replayed, before, 'the sidecar of the old file is not used');
    const read = await compositeFromFiles([member], join(dir, 'read.fits'), opts);
    assert.deepEqual(replayed.columns, read.columns);
  });
});
