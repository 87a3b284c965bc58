// A seeded pseudo-random generator for training: weight init and dropout masks. xoshiro128** (Blackman &
// Vigna 2018) seeded through splitmix32, so a run is reproducible bit for bit from one integer seed.
// Math.random is never used. Normals come from Box–Muller; V8's Math.log/cos/sqrt are fdlibm ports, the
// same on every platform, so the same seed gives the same weights everywhere Node runs.

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** the second Box–Muller value, kept for the next normal() call */
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`Rng seed must be an integer, got ${seed}`);
    // splitmix32 spreads a small seed over the 128-bit state (an all-zero state would stay zero)
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (mean 0, std 1), Box–Muller. */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** The generator's whole state, to save with a checkpoint and give back to `restore`. */
  state(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, ...(this.spare === undefined ? [] : [this.spare])];
  }

  /** Continues from a `state()`: the numbers drawn next are those the saved generator would have drawn. */
  restore(state: readonly number[]): void {
    if (state.length < 4 || state.length > 5 || state.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new RangeError('an Rng state is 4 unsigned integers and an optional spare normal');
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((x) => x | 0);
    this.spare = state[4];
  }

  /** A new generator seeded from this one's stream: independent streams (init, dropout) from one seed. */
  fork(): Rng {
    return new Rng(this.nextU32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
