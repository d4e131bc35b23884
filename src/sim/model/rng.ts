import { xoroshiro128plus } from 'pure-rand';

/** Serializable state of one random stream: a generator state, so model state stays plain data. */
export type RngState = readonly number[];

/** FNV-1a of the seed and a stream name: each stream (weather, one space's occupancy, ...) is independent. */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function newStream(seed: number, name: string): RngState {
  return xoroshiro128plus(streamSeed(seed, name)).getState();
}

/** A uniform value in [0, 1) that depends only on the seed and a name (no stream to carry). */
export function hashUniform(seed: number, name: string): number {
  return (streamSeed(seed, name) >>> 0) / 4_294_967_296;
}

/**
 * A mutable view on a stream, used inside one pure step: created from a state, drawn from, and
 * turned back into a state at the end. The input state is never altered.
 */
export class Rng {
  private readonly gen;

  constructor(state: RngState) {
    this.gen = xoroshiro128plus.fromState(state);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return (this.gen.unsafeNext() >>> 0) / 4_294_967_296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Poisson count with mean `lambda` (Knuth for small means, normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  /** Number of successes in `n` trials of probability `p`. */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n > 50) {
      const mean = n * p;
      const sd = Math.sqrt(mean * (1 - p));
      return Math.min(n, Math.max(0, Math.round(mean + sd * this.normal())));
    }
    let k = 0;
    for (let i = 0; i < n; i++) if (this.uniform() < p) k++;
    return k;
  }

  state(): RngState {
    return this.gen.getState();
  }
}
