/**
 * The checks `npm test` runs on small archives, on the larger ones (issue 14: the suite stays within
 * minutes; these take many): the same test files, with the environment that widens them.
 *
 * - test/synthetic/stis-truth.test.ts on every demo size with STIS exposures (tiny, small, medium,
 *   large): corrected STIS recovers the injected source and background within 3σ, per order too.
 * - test/pipeline/e2e.test.ts on the whole tiny archive (the suite runs four of its composite groups):
 *   download → pipeline → reset → pipeline gives the same outputs, on SQLite and PostgreSQL.
 *
 *   npm run build && node --import tsx bench/large-archive-checks.ts [--only stis|e2e]
 *
 * Prints each file's wall time with the load average at its start; exits 1 if a check fails.
 * HSTLC_TEST_POSTGRES_URL as for the tests (the e2e's PostgreSQL half is skipped when unreachable,
 * unless CI=true).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));

const CHECKS = [
  { name: 'stis', file: 'test/synthetic/stis-truth.test.ts', env: { HSTLC_TEST_STIS_SIZES: 'tiny,small,medium,large' } },
  { name: 'e2e', file: 'test/pipeline/e2e.test.ts', env: { HSTLC_TEST_E2E_ARCHIVE: 'whole' } },
];

const i = process.argv.indexOf('--only');
const only = i >= 0 ? process.argv[i + 1] : undefined;
let failed = 0;
for (const check of CHECKS) {
  if (only !== undefined && check.name !== only) continue;
  const load = loadavg()[0]!.toFixed(2);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', path.join(REPO, check.file)], {
    cwd: REPO,
    env: { ...process.env, ...check.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${check.file} (${Object.entries(check.env).map(([k, v]) => `${k}=${v}`).join(' ')}): ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`}, ${seconds.toFixed(1)} s wall, load ${load} at start`);
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
