/**
 * Exact (direct sum, as scipy) vs fast (NUFFT + exact refinement of undecided peaks) Lomb-Scargle on
 * the compat grid (M = N trial periods per space, §11.3), for composite-like lightcurves of N 2-s bins
 * in 50-ish exposures spread over a few days (a 7.3 s signal in Poisson noise).
 *
 * The exact cost is N·M independent (time, frequency) terms, strictly linear in M, so above
 * `--exact-full` work it is timed on an evenly spread subset of `--exact-sample` frequencies and scaled
 * to M (reported as "extrapolated"). The fast time is the whole space: sums, powers, bounds, decisions
 * and any exact refinement.
 *
 *   node --import tsx bench/periodogram.ts [--sizes 1000,10000,50000] [--exact-sample 200] [--exact-full 2e7]
 */
import { performance } from 'node:perf_hooks';
import { compatGrid, lombScargleExact, PERIOD_SPACES, spacePeriodogram } from '../src/analysis/periodogram/index.js';
import { centered, mean } from '../src/analysis/samples.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

const sizes = arg('sizes', '1000,10000,50000').split(',').map(Number);
const exactSample = Number(arg('exact-sample', '200'));
const exactFull = Number(arg('exact-full', '2e7'));

/** N bins of 2 s in exposures of ≤1000 bins, one exposure per ~1.6 h (HST orbit), Poisson counts. */
function composite(n: number): { mjd: Float64Array; net: Float64Array } {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const mjd = new Float64Array(n);
  const net = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const exposure = Math.floor(i / 1000);
    const tSec = exposure * 5760 + (i % 1000) * 2;
    mjd[i] = 55500.25 + tSec / 86400;
    const rate = 10 * (1 + 0.1 * Math.sin((2 * Math.PI * tSec) / 7.3));
    // Normal approximation of Poisson(2·rate), per second.
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    net[i] = Math.max(0, Math.round(2 * rate + Math.sqrt(2 * rate) * g)) / 2;
  }
  return { mjd, net };
}

const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(1)} ms`);

console.log('N       space  exact                       fast (refined, undecided)   speed-up');
for (const n of sizes) {
  const lc = composite(n);
  const y = centered(lc.net, mean(lc.net));
  for (const space of PERIOD_SPACES) {
    const grid = compatGrid(space, n);
    let exactMs: number;
    let note: string;
    if (n * n <= exactFull) {
      const t0 = performance.now();
      lombScargleExact(lc.mjd, y, grid.omega);
      exactMs = performance.now() - t0;
      note = 'measured';
    } else {
      const picks = Float64Array.from({ length: exactSample }, (_, k) => grid.omega[Math.floor((k * n) / exactSample)]);
      const t0 = performance.now();
      lombScargleExact(lc.mjd, y, picks);
      exactMs = ((performance.now() - t0) * n) / exactSample;
      note = `extrapolated from ${exactSample}`;
    }
    const t1 = performance.now();
    const fast = spacePeriodogram(lc.mjd, lc.net, space, { grid: 'compat', method: 'fast' });
    const fastMs = performance.now() - t1;
    console.log(
      `${String(n).padEnd(7)} ${space.padEnd(6)} ${`${ms(exactMs)} (${note})`.padEnd(27)} ${`${ms(fastMs)} (${fast.refined}, ${fast.undecided})`.padEnd(27)} ${(exactMs / fastMs).toFixed(0)}×`,
    );
  }
}
