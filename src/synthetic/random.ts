/**
 * Seeded, deterministic random numbers for the synthetic archive: xoshiro128** (32-bit words, so
 * every step is a handful of `Math.imul`/shift operations on small integers), seeded through
 * splitmix32 from a numeric seed and a text label. A label names an independent stream (one per
 * file or per component), so adding a file to an archive never changes the bytes of another.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** FNV-1a over the UTF-16 code units of a label, then a murmur3 finaliser. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** splitmix32: a counter-based mixer used only to spread a seed over the generator state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = NaN;

  /**
   * `seed` may be any safe integer (both 32-bit halves are used); `label` selects the stream.
   */
  constructor(seed: number, label = '') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const st = { s: (lo ^ Math.imul(hi ^ 0x5bd1e995, 0x27d4eb2d) ^ hashLabel(label)) | 0 };
    this.s0 = splitmix32(st);
    this.s1 = splitmix32(st);
    this.s2 = splitmix32(st);
    this.s3 = splitmix32(st);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** An independent stream derived from this one's seed material and a label. */
  static stream(seed: number, ...labels: Array<string | number>): Rng {
    return new Rng(seed, labels.join('/'));
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return r >>> 0;
  }

  /** Uniform in [0, 1) with 32 random bits (fast path for positions and choices). */
  uniform(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform53(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform53();
  }

  /** Uniform integer in [lo, hi] (inclusive), unbiased by rejection. */
  int(lo: number, hi: number): number {
    const n = hi - lo + 1;
    if (!(n >= 1) || n > TWO_POW_32) throw new RangeError(`bad integer range [${lo}, ${hi}]`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return lo + (x % n);
    }
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** Exponential with unit mean (inverse CDF; 1 − u lies in (0, 1]). */
  exponential(): number {
    return -Math.log(1 - this.uniform53());
  }

  /**
   * Exponential with unit mean from 32 random bits (inverse CDF of a uniform in (0, 1) on a
   * 2^-32 grid; the tail is cut at 22.9, a relative bias below 1e-9): the fast path for arrival gaps.
   */
  exponential32(): number {
    return -Math.log((this.nextU32() + 0.5) / TWO_POW_32);
  }

  /** Standard normal (Marsaglia polar method, the second value cached). */
  normal(): number {
    const spare = this.spareNormal;
    if (spare === spare) {
      this.spareNormal = NaN;
      return spare;
    }
    for (;;) {
      const u = 2 * this.uniform53() - 1;
      const v = 2 * this.uniform53() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  /**
   * Poisson draw with mean `lambda`: multiplication of uniforms below 12, Hörmann's PTRS
   * transformed rejection (exact) above.
   */
  poisson(lambda: number): number {
    if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda < 12) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.uniform53();
      while (p > limit) {
        k++;
        p *= this.uniform53();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform53() - 0.5;
      const v = this.uniform53();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }
}

const LOG_FACT_TABLE: number[] = (() => {
  const t = [0];
  for (let k = 1; k < 64; k++) t.push(t[k - 1] + Math.log(k));
  return t;
})();

/** ln(k!) — a table below 64, the Stirling series above (error < 1e-14 there). */
export function logFactorial(k: number): number {
  if (k < 64) return LOG_FACT_TABLE[k];
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}
