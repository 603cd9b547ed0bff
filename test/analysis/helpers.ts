/** Reference numerics for the analysis tests: scipy/astropy through test/analysis/reference.py. */
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON } from '../helpers/tools.js';

const SCRIPT = fileURLToPath(new URL('./reference.py', import.meta.url));

let scipyOk: boolean | undefined;
let astropyOk: boolean | undefined;

function need(ok: boolean, what: string): string | false {
  if (ok) return false;
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI (installed by .ci/run)`);
  return `${what} not installed`;
}

/** `false` when scipy is importable by PYTHON; otherwise a skip reason (a throw under CI). */
export function skipUnlessScipy(): string | false {
  scipyOk ??= spawnSync(PYTHON, ['-c', 'import scipy.stats, scipy.signal, numpy'], { stdio: 'ignore' }).status === 0;
  return need(scipyOk, `scipy for ${PYTHON} (apt install python3-scipy)`);
}

export function skipUnlessAstropyTimeseries(): string | false {
  astropyOk ??= spawnSync(PYTHON, ['-c', 'import astropy.timeseries, scipy'], { stdio: 'ignore' }).status === 0;
  return need(astropyOk, `astropy for ${PYTHON} (apt install python3-astropy)`);
}

/** Run one reference command with a JSON request; numbers that are not finite come back as null. */
export function reference<T>(command: 'pearsonr' | 'pvalue' | 'lombscargle' | 'astropy_ls', request: unknown): T {
  const out = execFileSync(PYTHON, [SCRIPT, command], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as T;
}

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box-Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Poisson deviate (Knuth for small λ, normal approximation above 50). */
export function poisson(rand: () => number, lambda: number): number {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rand)()));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** |a − b| / |b| (0 when both are 0). */
export function relErr(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}
