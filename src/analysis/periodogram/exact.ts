/**
 * The direct O(N·M) Lomb-Scargle sum, operation for operation as scipy.signal.lombscargle (scipy 1.10)
 * evaluates it, so the original's powers (§11.3.4) are reproduced to rounding: the phase is fl(ω·t) on
 * the raw mjd (no time shift), sin and cos of it, five running sums, then τ from atan2.
 *
 * Accuracy: agrees with scipy to ~1e-12 relative (tested). Note that for t ≈ 5·10^4 days and ω up to
 * 1.1·10^5 rad/day, fl(ω·t) ≈ 6·10^9 carries an absolute phase rounding of up to 5·10^-7 rad per term;
 * this is inherent in the original's definition and is what `fast` is compared against.
 * Cost: ~350 ns per (time, frequency) pair for such large phases (full range reduction in sin/cos).
 */

/** Unnormalized classic periodogram of y (already mean-subtracted) at angular frequencies ω. */
export function lombScargleExact(t: Float64Array, y: Float64Array, omega: Float64Array, out = new Float64Array(omega.length)): Float64Array {
  const n = t.length;
  for (let i = 0; i < omega.length; i++) out[i] = lombScargleExactAt(t, y, omega[i], n);
  return out;
}

/** One frequency of `lombScargleExact` (the fast method refines candidate peaks with this). */
export function lombScargleExactAt(t: Float64Array, y: Float64Array, w: number, n = t.length): number {
  let xc = 0;
  let xs = 0;
  let cc = 0;
  let ss = 0;
  let cs = 0;
  for (let j = 0; j < n; j++) {
    const phase = w * t[j];
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    xc += y[j] * c;
    xs += y[j] * s;
    cc += c * c;
    ss += s * s;
    cs += c * s;
  }
  const tau = Math.atan2(2 * cs, cc - ss) / (2 * w);
  const cTau = Math.cos(w * tau);
  const sTau = Math.sin(w * tau);
  const cTau2 = cTau * cTau;
  const sTau2 = sTau * sTau;
  const csTau = 2 * cTau * sTau;
  const a = cTau * xc + sTau * xs;
  const b = cTau * xs - sTau * xc;
  return 0.5 * ((a * a) / (cTau2 * cc + csTau * cs + sTau2 * ss) + (b * b) / (cTau2 * ss - csTau * cs + sTau2 * cc));
}
