/**
 * Injected source variability with known truth. A signal is a dimensionless rate factor m(t) >= 0
 * multiplying a source's mean rate; t is seconds from exposure start (the TIME column's origin).
 * Sinusoid phases run on absolute time, so every exposure of a target shows the same coherent
 * period: t_abs = (EXPSTART − epoch_mjd)·86400 + t.
 */

export type Signal =
  | { type: 'constant' }
  | {
      type: 'sinusoid';
      /** Period, seconds. */
      period: number;
      /** Fractional semi-amplitude, 0 <= amplitude < 1. */
      amplitude: number;
      /** Phase (radians) at epoch_mjd. */
      phase: number;
      /** MJD at which the phase is `phase`. */
      epoch_mjd: number;
    }
  | {
      type: 'flare';
      /** Peak time, seconds from exposure start. */
      t0: number;
      /** Peak excess over quiescence (m(t0) = 1 + amplitude). */
      amplitude: number;
      /** Exponential rise time before t0, seconds. */
      rise: number;
      /** Exponential decay time after t0, seconds. */
      decay: number;
    }
  | {
      type: 'dip';
      /** Mid-transit time, seconds from exposure start. */
      tc: number;
      /** Fractional depth at the flat bottom. */
      depth: number;
      /** First to last contact, seconds. */
      duration: number;
      /** Ingress (= egress) duration, seconds. */
      ingress: number;
    };

/** Per-exposure evaluation context. */
export interface SignalContext {
  /** Exposure start, MJD (only sinusoids use it). */
  expstart: number;
}

/** A compiled signal: m(t), its maximum, and its exact integral. */
export interface RateModel {
  readonly max: number;
  factor(t: number): number;
  /** ∫_a^b m(t) dt. */
  integral(a: number, b: number): number;
}

const SECONDS_PER_DAY = 86400;

export function compileSignal(signal: Signal, ctx: SignalContext): RateModel {
  switch (signal.type) {
    case 'constant':
      return { max: 1, factor: () => 1, integral: (a, b) => b - a };
    case 'sinusoid': {
      const w = (2 * Math.PI) / signal.period;
      // Reduce the absolute phase at t = 0 modulo 2π once, in double precision.
      const offset = (ctx.expstart - signal.epoch_mjd) * SECONDS_PER_DAY;
      const phi0 = (((w * offset + signal.phase) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
      const A = signal.amplitude;
      return {
        max: 1 + A,
        factor: (t) => 1 + A * Math.sin(w * t + phi0),
        integral: (a, b) => b - a - (A / w) * (Math.cos(w * b + phi0) - Math.cos(w * a + phi0)),
      };
    }
    case 'flare': {
      const { t0, amplitude: A, rise, decay } = signal;
      const excess = (t: number): number => (t < t0 ? A * Math.exp((t - t0) / rise) : A * Math.exp(-(t - t0) / decay));
      // Antiderivative of the excess, continuous at t0.
      const F = (t: number): number =>
        t < t0 ? A * rise * Math.exp((t - t0) / rise) : A * rise + A * decay * (1 - Math.exp(-(t - t0) / decay));
      return { max: 1 + A, factor: (t) => 1 + excess(t), integral: (a, b) => b - a + F(b) - F(a) };
    }
    case 'dip': {
      const { tc, depth, duration, ingress } = signal;
      const half = duration / 2;
      // Shape s(t) in [0,1]: 0 outside contacts, 1 on the flat bottom, linear in ingress/egress.
      const shape = (t: number): number => {
        const d = Math.abs(t - tc);
        if (d >= half) return 0;
        if (d <= half - ingress) return 1;
        return (half - d) / ingress;
      };
      // Antiderivative of s on the positive half-axis of u = |t − tc|.
      const S = (u: number): number => {
        if (u <= half - ingress) return u;
        if (u >= half) return half - ingress / 2;
        const x = u - (half - ingress);
        return half - ingress + x - (x * x) / (2 * ingress);
      };
      const G = (t: number): number => (t >= tc ? S(t - tc) : -S(tc - t));
      return { max: 1, factor: (t) => 1 - depth * shape(t), integral: (a, b) => b - a - depth * (G(b) - G(a)) };
    }
  }
}

/** ∫ m(t) dt over good time intervals. */
export function integrateOverGtis(model: RateModel, gtis: ReadonlyArray<readonly [number, number]>): number {
  let s = 0;
  for (const [a, b] of gtis) s += model.integral(a, b);
  return s;
}
