/**
 * `hstlc resolve-target`: one NAME<TAB>CANONICAL line per input in input order, with the rules, the
 * config's alias file, and names already in the database within the radius reported, never taken.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanupSandboxes, run, sandbox } from '../cli/helpers.js';
import { connectDatabase, recordTargetName } from '../../src/db/index.js';
import { loadConfig } from '../../src/config/load.js';

after(cleanupSandboxes);

test('resolve-target: rules, aliases from the config, candidates by position, input order', async () => {
  const dirs = await sandbox();
  const aliases = path.join(dirs.cwd, 'my_aliases.yaml');
  await writeFile(aliases, 'V-HYA: VHYDRAE\n');
  await writeFile(path.join(dirs.cwd, 'hstlc.yaml'), `home_dir: data\ntarget_aliases: ${aliases}\ntarget_match_radius: 10\n`);
  const io = { cwd: dirs.cwd, homedir: dirs.homedir };

  const r = await run(['resolve-target', 'HD-209458', 'GD-71', 'GW-LIB-COPY2', 'TOL26-UPDATED', 'V-HYA', '../evil'], io);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(lines.slice(0, 5), [
    ['HD-209458', 'HD209458'],
    ['GD-71', 'GD71'],
    ['GW-LIB-COPY2', 'GWLIB'],
    ['TOL26-UPDATED', 'TOL26'],
    ['V-HYA', 'VHYDRAE'],
  ]);
  assert.equal(lines[5][0], '../evil');
  assert.ok(!lines[5][1].includes('/') && lines[5][1] !== '..' && lines[5][1] !== '.', lines[5][1]);

  // A name already in the database, 4.3″ away (0.0012° in Dec): within the configured 10″ radius.
  const cfg = await loadConfig({ cwd: dirs.cwd, homedir: dirs.homedir, env: {} });
  const handle = await connectDatabase(cfg.db);
  try {
    await recordTargetName(handle, { header_name: 'WD-0308-565', canonical: 'WD0308-565', method: 'rule', ra_targ: 47.4743, dec_targ: -56.3606 });
  } finally {
    await handle.close();
  }
  // Reported as a candidate for an alias, never taken.
  const near = await run(['resolve-target', 'SOME-OTHER-NAME', '--ra', '47.4743', '--dec', '-56.3618'], io);
  assert.equal(near.stdout, 'SOME-OTHER-NAME\tSOME-OTHER-NAME\n', near.stderr);
  assert.match(near.stderr, /SOME-OTHER-NAME: 4\.32″ from WD0308-565, kept apart/);
  const far = await run(['resolve-target', 'SOME-OTHER-NAME', '--ra', '47.4743', '--dec', '-56.3706'], io);
  assert.equal(far.stdout, 'SOME-OTHER-NAME\tSOME-OTHER-NAME\n');
  assert.equal(far.stderr, '');
  const json = JSON.parse((await run(['--json', 'resolve-target', 'GD-71', '--no-database'], io)).stdout);
  assert.equal(json[0].canonical, 'GD71');
  assert.equal(json[0].method, 'rule');
  assert.equal((await run(['resolve-target', 'X', '--ra', '10'], io)).code, 2, '--ra without --dec');
  // MTFLAG: a moving target's visit numbers are kept, a fixed one's dropped; SIMBAD identifiers resolve
  const moving = await run(['resolve-target', 'SATURN-VISIT11-SLEW', 'FOO-VISIT2', 'V* YZ CMi', '--no-database'], io);
  assert.equal(moving.stdout, 'SATURN-VISIT11-SLEW\tSATURN-VISIT11-SLEW\nFOO-VISIT2\tFOO\nV* YZ CMi\tYZCMI\n', moving.stderr);
  assert.equal((await run(['resolve-target', 'FOO-VISIT2', '--mtflag', 'T', '--no-database'], io)).stdout, 'FOO-VISIT2\tFOO-VISIT2\n');
  assert.equal((await run(['resolve-target', 'FOO', '--mtflag', 'maybe'], io)).code, 2);
});
