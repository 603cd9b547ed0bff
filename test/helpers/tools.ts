/**
 * Reference tools used by tests (fitsverify; astropy under Debian's python3). Locally a missing
 * tool skips the test with a reason; under CI it is a failure, since .ci/run installs them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's python3 carries python3-astropy; a pyenv python on PATH may not. */
export const PYTHON = process.env.HSTLC_TEST_PYTHON ?? '/usr/bin/python3';
export const FITS_REFERENCE = fileURLToPath(new URL('./fits_reference.py', import.meta.url));

function has(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

let astropyOk: boolean | undefined;
let fitsverifyOk: boolean | undefined;

/** `false` when available; otherwise a skip reason (or a throw under CI). */
function need(ok: boolean, what: string): string | false {
  if (ok) return false;
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI (installed by .ci/run)`);
  return `${what} not installed`;
}

export function skipUnlessAstropy(): string | false {
  astropyOk ??= has(PYTHON, ['-c', 'import astropy, numpy']);
  return need(astropyOk, `astropy for ${PYTHON} (apt install python3-astropy)`);
}

export function skipUnlessFitsverify(): string | false {
  fitsverifyOk ??= has('fitsverify', ['-h']) || spawnSync('fitsverify', [], { stdio: 'ignore' }).error === undefined;
  return need(fitsverifyOk, 'fitsverify (apt install fitsverify)');
}

/** Run the astropy reference script and parse its JSON output. */
export function astropy<T>(command: 'dump' | 'checksum' | 'write', arg: string): T {
  const out = execFileSync(PYTHON, ['-W', 'ignore', FITS_REFERENCE, command, arg], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as T;
}

/**
 * astropy's dump of each file, from one Python process (its start and astropy's import cost more than
 * most dumps), in the order given; each document is parsed when the caller reaches it.
 */
export function* astropyDumps<T>(paths: readonly string[]): Generator<T> {
  const out = execFileSync(PYTHON, ['-W', 'ignore', FITS_REFERENCE, 'dump', ...paths], { maxBuffer: 1 << 30 });
  let start = 0;
  for (let i = 0; i < paths.length; i++) {
    const end = out.indexOf(0x0a, start);
    if (end < 0) throw new Error(`astropy dumped ${i} of ${paths.length} files`);
    yield JSON.parse(out.toString('utf8', start, end)) as T;
    start = end + 1;
  }
}

export interface FitsverifyResult {
  ok: boolean;
  errors: number;
  warnings: number;
  output: string;
}

export function fitsverify(path: string): FitsverifyResult {
  const r = spawnSync('fitsverify', [path], { encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  const m = /found (\d+) warning\(s\) and (\d+) error\(s\)/.exec(output);
  const warnings = m ? Number(m[1]) : 0;
  const errors = m ? Number(m[2]) : r.status === 0 ? 0 : 1;
  return { ok: errors === 0 && warnings === 0, errors, warnings, output };
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'hstlc-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export { execFileSync };
