/**
 * Event arrival times. All components of one event list are drawn as a single superposed Poisson
 * process: candidate times come from a homogeneous process of the summed peak rate (exponential
 * gaps, so they are sorted by construction and nothing needs sorting or merging), each candidate
 * is given a component with probability proportional to the component's peak rate, and a
 * time-varying component keeps it with probability m(t)/max m (thinning). Only good time
 * intervals are simulated.
 */
import type { Rng } from './random.js';
import type { RateModel } from './signals.js';

export type Gti = readonly [start: number, stop: number];

export interface TimeComponent {
  /** Mean rate (events/s) at m(t) = 1. */
  rate: number;
  /** Variability; absent = constant. */
  model?: RateModel;
}

export interface EventTimes {
  /** Seconds from exposure start, non-decreasing. */
  time: Float64Array;
  /** Index into the component list, per event. */
  component: Uint8Array;
  count: number;
}

/** Sum over GTIs of their lengths. */
export function gtiLength(gtis: readonly Gti[]): number {
  let s = 0;
  for (const [a, b] of gtis) s += b - a;
  return s;
}

/**
 * The arrival times of one file's components (source, background, dark…), of which the variable ones
 * follow the injected signal, and each component's expected count: the truth a test compares with.
 */
export function drawComponentTimes(
  rng: Rng,
  gtis: readonly Gti[],
  signal: RateModel,
  components: readonly { rate: number; variable: boolean }[],
): { expected: number[]; times: EventTimes } {
  const timeComps: TimeComponent[] = components.map((c) => ({ rate: c.rate, model: c.variable ? signal : undefined }));
  return { expected: timeComps.map((c) => expectedCount(c, gtis)), times: drawEventTimes(rng, gtis, timeComps) };
}

/** Simulate arrival times of every component within the GTIs. */
export function drawEventTimes(rng: Rng, gtis: readonly Gti[], components: readonly TimeComponent[]): EventTimes {
  if (components.length > 255) throw new RangeError('at most 255 components');
  const peak = components.map((c) => c.rate * (c.model ? c.model.max : 1));
  const total = peak.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(components.length);
  let acc = 0;
  for (let i = 0; i < peak.length; i++) {
    acc += peak[i];
    cumulative[i] = acc / total;
  }
  cumulative[cumulative.length - 1] = 1;
  const models = components.map((c) => c.model);
  const nc = components.length;

  const live = gtiLength(gtis);
  const mean = total * live;
  let capacity = Math.max(16, Math.ceil(mean + 6 * Math.sqrt(mean) + 16));
  let time = new Float64Array(capacity);
  let component = new Uint8Array(capacity);
  let n = 0;
  if (!(total > 0) || !(live > 0)) return { time: time.subarray(0, 0), component: component.subarray(0, 0), count: 0 };

  const invTotal = 1 / total;
  for (const [start, stop] of gtis) {
    let t = start;
    for (;;) {
      t += rng.exponential32() * invTotal;
      if (t >= stop) break;
      const u = rng.uniform();
      let c = 0;
      while (c < nc - 1 && u >= cumulative[c]) c++;
      const model = models[c];
      if (model !== undefined && rng.uniform() * model.max >= model.factor(t)) continue;
      if (n === capacity) {
        capacity = Math.ceil(capacity * 1.5);
        const t2 = new Float64Array(capacity);
        t2.set(time);
        time = t2;
        const c2 = new Uint8Array(capacity);
        c2.set(component);
        component = c2;
      }
      time[n] = t;
      component[n] = c;
      n++;
    }
  }
  return { time: time.subarray(0, n), component: component.subarray(0, n), count: n };
}

/** Expected number of events of one component within the GTIs. */
export function expectedCount(component: TimeComponent, gtis: readonly Gti[]): number {
  if (!component.model) return component.rate * gtiLength(gtis);
  let s = 0;
  for (const [a, b] of gtis) s += component.model.integral(a, b);
  return component.rate * s;
}
