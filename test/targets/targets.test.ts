import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  aliasTable,
  isSolarSystemTarget,
  loadAliasFile,
  normalizeTargetName,
  resolveTarget,
  safePathComponent,
  separationArcsec,
  targetCandidates,
} from '../../src/targets/index.js';
import { tempDir } from '../helpers/tools.js';

const manifest = JSON.parse(readFileSync(new URL('../fixtures/golden/inputs/manifest.json', import.meta.url), 'utf8')) as {
  datasets: Array<{ targname: string; resolved_targname: string }>;
};

describe('target-name rules', () => {
  it("resolve the golden manifest's header names as the original did", () => {
    for (const d of manifest.datasets) assert.equal(resolveTarget(d.targname).canonical, d.resolved_targname, d.targname);
  });

  it("resolve the issue's examples", () => {
    const cases: Record<string, string> = {
      'HD-209458': 'HD209458',
      'GD-71': 'GD71',
      'NGC-6905': 'NGC6905',
      'GW-LIB-COPY2': 'GWLIB',
      'TOL26-UPDATED': 'TOL26',
      'JUPITER-NORTH-14': 'JUPITER-NORTH',
    };
    for (const [from, to] of Object.entries(cases)) assert.equal(resolveTarget(from).canonical, to, from);
  });

  it('resolve the spec §4.2 examples of the original table', () => {
    const cases: Record<string, string> = {
      '1RXS-J023238.8-371812': '1RXSJ023238.8-371812',
      'AZV-148': 'AZV148',
      '4C--01.61': '4C01.61',
      'ESO-031--G-008': 'ESO031-G008',
      'SK-65-22': 'SK6522',
      'FBQS.J130451.4+245445': 'FBQSJ130451.4+245445',
      'CALLISTO-COPY': 'CALLISTO',
      EUROPA2: 'EUROPA',
      'COMET-ISON-EPOCH2-OFFSET': 'COMET-ISON-OFFSET',
      'JUPITER-NORTH-1': 'JUPITER-NORTH',
      'JUP-S-1-VISIT2': 'JUP-S-1',
      'GW-LIB': 'GWLIB',
      'GW-LIB-COPY': 'GWLIB',
      'LHS2065-UPDAT': 'LHS2065',
      'SDSS-J151237.05+012846.': 'SDSSJ151237.05+012846.',
      'XTE-J1118+480': 'XTEJ1118+480',
      // names the original kept: no rule may touch them
      '0255035-470050': '0255035-470050',
      '103P-HARTLEY-2': '103P-HARTLEY-2',
      '1ES1028+511': '1ES1028+511',
      MRK421: 'MRK421',
      'WD2359-324': 'WD2359-324',
      WZSGE: 'WZSGE',
      YZCMI: 'YZCMI',
    };
    for (const [from, to] of Object.entries(cases)) assert.equal(resolveTarget(from).canonical, to, from);
  });

  it('never merge moving targets by suffix rules: visit, orbit and pointing numbers name other observations', () => {
    // pairs that must stay apart (the examples and the like)
    const apart = [
      ['SATURN-VISIT11-SLEW-ORBIT1', 'SATURN-VISIT21-SLEW-ORBIT1'],
      ['JUP-IMAGE-NORTH2', 'JUP-IMAGE-NORTH3'],
      ['EUROPA-4', 'EUROPA-5'],
      ['MARS-1', 'MARS-2'],
      ['SKY-NEAR-MARS-VISIT-01', 'SKY-NEAR-MARS-VISIT-02'],
      ['COMET-LEE1', 'COMET-LEE2'],
      ['TITAN-EPOCH1', 'TITAN-EPOCH2'],
      ['103P-VISIT1', '103P-VISIT2'],
    ];
    for (const [a, b] of apart) {
      assert.notEqual(resolveTarget(a!).canonical, resolveTarget(b!).canonical, `${a} / ${b}`);
      // each is kept exactly as written (cleaned), not just kept apart
      assert.equal(resolveTarget(a!).canonical, a);
    }
    for (const name of ['SATURN', 'EUROPA-4', 'SKY-NEAR-MARS', 'JUP-IMAGE-NORTH2', '103P-HARTLEY-2', 'C/2012-S1', 'GANYMEDE1A']) {
      assert.equal(isSolarSystemTarget(name), true, name);
    }
    // IO, JUP, MOON … mark a moving target only as the first token; stars are not moving
    for (const name of ['GD71', 'HD209458', 'V-IO-STAR', 'TOL26-VISIT2', 'WASP-12']) assert.equal(isSolarSystemTarget(name), false, name);
  });

  it("the header's MTFLAG decides, and an alias may still say two names are one target", () => {
    assert.equal(resolveTarget('FOO-VISIT2', { moving: true }).canonical, 'FOO-VISIT2');
    assert.equal(resolveTarget('FOO-VISIT2', { moving: false }).canonical, 'FOO');
    assert.equal(resolveTarget('EUROPA-4', { aliases: aliasTable([['EUROPA-4', 'EUROPA'], ['EUROPA-5', 'EUROPA']]) }).canonical, 'EUROPA');
    // the original's table (§4.2) merged some by hand: built-in aliases keep those
    assert.equal(resolveTarget('JUPITER-NORTH-14').canonical, 'JUPITER-NORTH');
    assert.equal(resolveTarget('EUROPA2').method, 'alias');
  });

  it('resolve SIMBAD identifiers: object-type prefixes dropped, GCVS names in one word', () => {
    const cases: Record<string, string> = {
      'V* YZ CMi': 'YZCMI',
      'V* WZ Sge': 'WZSGE',
      'V* V1108 Her': 'V1108HER',
      'V* EX Hya': 'EXHYA',
      'NAME RW Aur A': 'RW-AUR-A',
      'NAME Europa': 'EUROPA',
      '* alf Cen A': 'ALF-CEN-A',
      '** STF 2272': 'STF-2272',
      'EM* MWC 480': 'MWC-480',
      '2MASS J05325346-0301317': '2MASSJ05325346-0301317',
      'HD 209458': 'HD209458',
      'GJ 436': 'GJ436',
    };
    for (const [from, to] of Object.entries(cases)) assert.equal(resolveTarget(from).canonical, to, from);
    assert.equal(resolveTarget('V* YZ CMi').method, 'rule');
  });

  it('leave designations whose hyphen is part of the name', () => {
    for (const name of ['WASP-12', 'EX-HYA', 'AM-HER', 'IR-COM', 'BD-13D3442', 'CD-314800', 'KOI-81', 'HE-2-38', 'LMC-SMP-10', 'JUP-S-1', 'MCG-02-16-004', 'BPM37093-2', 'GANYMEDE1A']) {
      assert.deepEqual(normalizeTargetName(name), { name, rules: [] }, name);
    }
  });

  it('give distinct targets distinct names', () => {
    const distinct = ['JUP-S-1', 'JUP-S-2', 'LMC-SMP-10', 'LMC-SMP-102', 'WASP-12', 'WASP-121', 'EUROPA-EAST-A', 'EUROPA-WEST-A', 'HD209458', 'HD189733', 'GD71', 'GD153', 'SK-67-5', 'SK-67-50', 'EX-HYA', 'GW-LIB'];
    const canonical = distinct.map((n) => resolveTarget(n).canonical);
    assert.equal(new Set(canonical).size, distinct.length, canonical.join(' '));
  });

  it('give every spelling of one target one name', () => {
    const spellings = [['HD-209458', 'HD209458', 'hd 209458', 'HD_209458'], ['JUPITER-NORTH-3', 'JUPITER-NORTH', 'JUPITER-NORTH-12'], ['LHS-310', 'LHS-310-UPDATED', 'LHS310']];
    for (const group of spellings) assert.equal(new Set(group.map((n) => resolveTarget(n).canonical)).size, 1, group.join(', '));
  });

  it('say how a name was reached', () => {
    assert.equal(resolveTarget('GD153').method, 'unchanged');
    assert.equal(resolveTarget('GD-71').method, 'rule');
    assert.equal(resolveTarget('GW-LIB').method, 'alias');
  });
});

describe('aliases and coordinates', () => {
  const tmp = tempDir();
  after(tmp.cleanup);

  it('use the user alias table before the rules', async () => {
    const file = path.join(tmp.dir, 'aliases.yaml');
    writeFileSync(file, 'aliases:\n  hd-209458: HD 209458 b\n  "V* EX Hya": ex-hya\n');
    const aliases = await loadAliasFile(file);
    assert.equal(resolveTarget('HD-209458', { aliases }).canonical, 'HD-209458-B');
    assert.equal(resolveTarget('V* EX Hya', { aliases }).canonical, 'EX-HYA');
    assert.equal((await loadAliasFile(path.join(tmp.dir, 'absent.yaml'))).size, 0);
    writeFileSync(file, 'X: [1, 2]\n');
    await assert.rejects(loadAliasFile(file), /must map to a name/);
  });

  it('never rename by position: a known target of another name nearby is a candidate', () => {
    const known = [{ name: 'HD209458', ra: 330.794887, dec: 18.884319 }, { name: 'GD71', ra: 88.115, dec: 15.886 }];
    // 3″ north of HD 209458
    const near = resolveTarget('HD209458B', { known, ra: 330.794887, dec: 18.884319 + 3 / 3600 });
    assert.equal(near.canonical, 'HD209458B');
    assert.equal(near.method, 'unchanged');
    assert.equal(near.candidate?.name, 'HD209458');
    assert.ok(Math.abs(near.candidate.separationArcsec - 3) < 1e-6);
    // 6″ away: outside the default radius, inside 10″
    assert.equal(resolveTarget('HD209458B', { known, ra: 330.794887, dec: 18.884319 + 6 / 3600 }).candidate, undefined);
    assert.equal(resolveTarget('HD209458B', { known, ra: 330.794887, dec: 18.884319 + 6 / 3600, radiusArcsec: 10 }).candidate?.name, 'HD209458');
    // A hostile name at a real target's position keeps its own (safe) name, and so does the real one.
    const hostile = resolveTarget('rf --no-preserve-root', { known, ra: 330.794887, dec: 18.884319 });
    assert.notEqual(hostile.canonical, 'HD209458');
    assert.equal(hostile.candidate?.name, 'HD209458');
    assert.equal(resolveTarget('HD209458', { known: [{ name: hostile.canonical, ra: 330.794887, dec: 18.884319 }], ra: 330.794887, dec: 18.884319 }).canonical, 'HD209458');
    // An alias decides: no candidate then.
    assert.equal(resolveTarget('HD209458B', { known, aliases: aliasTable([['HD209458B', 'HD209458']]), ra: 330.794887, dec: 18.884319 }).canonical, 'HD209458');
    // moving targets and unset positions are never candidates
    assert.equal(resolveTarget('MARS', { known: [{ name: 'JUPITER', ra: 10, dec: 1 }], ra: 10, dec: 1 }).candidate, undefined);
    assert.equal(resolveTarget('X1', { known: [{ name: 'Y', ra: 0, dec: 0 }], ra: 0, dec: 0 }).candidate, undefined);
  });

  it('list candidate pairs the same whatever the order, and leave out pairs an alias settled', () => {
    const targets = [
      { name: 'WD2359-324', ra: 0.5, dec: -32.2 },
      { name: 'RF_--NO-PRESERVE-ROOT-1a2b3c', ra: 0.5, dec: -32.2 },
      { name: 'FAR', ra: 0.5, dec: -32.2 + 10 / 3600 },
      { name: 'ACROSS-RA0', ra: 359.9999, dec: 0.1 },
      { name: 'ACROSS-RA0-B', ra: 0.0001, dec: 0.1 },
      { name: 'NOPOS' },
    ];
    const expected = [
      { names: ['ACROSS-RA0', 'ACROSS-RA0-B'], separationArcsec: separationArcsec(359.9999, 0.1, 0.0001, 0.1) },
      { names: ['RF_--NO-PRESERVE-ROOT-1a2b3c', 'WD2359-324'], separationArcsec: 0 },
    ];
    assert.deepEqual(targetCandidates(targets), expected);
    assert.deepEqual(targetCandidates([...targets].reverse()), expected);
    assert.deepEqual(targetCandidates(targets, 5, aliasTable([['WD2359-324', 'WD2359-324']])), expected.slice(0, 1));
    assert.equal(targetCandidates(targets, 11).length, 4);
  });

  it('compute separations correctly across RA = 0 and near the pole', () => {
    assert.ok(Math.abs(separationArcsec(359.999, 0, 0.001, 0) - 7.2) < 1e-6);
    assert.ok(Math.abs(separationArcsec(0, 89.9999, 180, 89.9999) - 0.72) < 1e-6);
    assert.ok(Math.abs(separationArcsec(10, -30, 10, -30.5) - 1800) < 1e-6);
  });
});

describe('safe directory names', () => {
  it('keep ordinary target names as they are', () => {
    for (const n of ['HD209458', 'WD0308-565', 'XTEJ1118+480', 'SDSSJ151237.05+012846.']) assert.deepEqual(safePathComponent(n), { name: n, changed: false });
  });

  it('neutralize names that would escape or hide, with a hash against collisions', () => {
    const hostile = ['..', '.', '../../etc/passwd', 'a/b', 'a\\b', '', '   ', '<script>alert(1)</script>', "O'REILLY", 'x\u0000y', 'x\ny', '-rf', '.hidden', 'É-TOILE', 'A'.repeat(40)];
    const names = hostile.map((h) => safePathComponent(h));
    for (const [i, r] of names.entries()) {
      assert.equal(r.changed, true, JSON.stringify(hostile[i]));
      assert.match(r.name, /^[A-Za-z0-9_+][A-Za-z0-9+._-]*$/);
      assert.ok(r.name !== '.' && r.name !== '..' && r.name.length <= 30);
    }
    assert.equal(new Set(names.map((r) => r.name)).size, hostile.length);
    // what resolveTarget returns is always safe, and says so
    const r = resolveTarget('../../<script>');
    assert.equal(r.method, 'sanitized');
    assert.ok(!r.canonical.includes('/') && !r.canonical.startsWith('.'));
    assert.match(r.notes.join(' '), /made safe/);
  });
});
