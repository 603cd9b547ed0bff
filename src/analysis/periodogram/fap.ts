/**
 * False-alarm probability of the highest peak, Baluev's alias-free approximation (Baluev 2008, MNRAS
 * 385, 1279, eq. 6 and Table 1), in the form astropy's LombScargle.false_alarm_probability(method=
 * 'baluev') evaluates it for the 'standard' normalization — which is exactly our 2/(N·σ²) power
 * (§11.3.4 is astropy's fit_mean=False, center_data=True, normalization='standard').
 * Beyond the original: stored with the best period.
 */
import type { Samples } from '../samples.js';
import { mean, sumSquaredDeviations } from '../samples.js';

// Lanczos approximation (g = 7, 9 terms): ~1e-15 relative for x > 0.5.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** astropy's _gamma(N) = √(2/N)·Γ(N/2)/Γ((N−1)/2) (→ 1 − 0.75/N). */
function gammaFactor(n: number): number {
  return Math.sqrt(2 / n) * Math.exp(logGamma(n / 2) - logGamma((n - 1) / 2));
}

/**
 * FAP of a peak of normalized power z found searching frequencies up to fmax (cycles per day, the
 * unit of t) in N points: 1 − (1 − fap_single)·e^{−τ}, τ the Davies/Baluev upcrossing term with the
 * effective baseline √(4π·Var t). NaN when z or the inputs make it undefined (N < 4, z ∉ [0, 1]).
 */
export function falseAlarmProbabilityBaluev(z: number, fmax: number, t: Samples): number {
  const n = t.length;
  if (!(n >= 4) || !(z >= 0 && z <= 1) || !Number.isFinite(fmax)) return NaN;
  const nh = n - 1; // dof of the null hypothesis (dH = 1)
  const nk = n - 3; // dof of the sinusoid model (dK = 3)
  const dt = sumSquaredDeviations(t, mean(t)) / n;
  const w = fmax * Math.sqrt(4 * Math.PI * dt);
  const fapSingle = Math.pow(1 - z, 0.5 * nk);
  const tau = gammaFactor(nh) * w * Math.pow(1 - z, 0.5 * (nk - 1)) * Math.sqrt(0.5 * nh * z);
  return -Math.expm1(-tau) + fapSingle * Math.exp(-tau);
}
