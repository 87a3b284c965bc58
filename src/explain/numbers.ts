// Number and word formatting shared by the three explanation levels, plus the few statistics they quote.
// One place decides how a number is rounded for display, so tests can undo the rounding exactly.

/** A display number: fixed decimals; tiny non-zero values in exponent form; −∞ for masked scores. */
export function num(x: number, digits = 3): string {
  if (x === -Infinity) return '−∞';
  if (x === Infinity) return '∞';
  if (Number.isNaN(x)) return 'NaN';
  const a = Math.abs(x);
  if (a !== 0 && a < 0.5 * 10 ** -digits) return x.toExponential(2);
  if (a >= 1e6) return x.toExponential(3);
  return x.toFixed(digits);
}

/** An attention weight (a probability): four decimals. */
export const w4 = (x: number): string => num(x, 4);

/** A rounded percentage for plain text: "80%", "under 1%", "0%". */
export function pct(x: number): string {
  if (x <= 0) return '0%';
  if (x < 0.005) return 'under 1%';
  if (x > 0.995 && x < 1) return 'over 99%';
  return `${Math.round(x * 100)}%`;
}

/** The first `n` entries of a vector: "[0.123, -0.456, …]". */
export function vec(xs: ArrayLike<number>, n = 6, digits = 3): string {
  const shown = Array.from({ length: Math.min(n, xs.length) }, (_, i) => num(xs[i], digits));
  return `[${shown.join(', ')}${xs.length > n ? ', …' : ''}]`;
}

/** An integer with thousands separators. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A byte count: "784 B", "12.5 KiB", "3.0 MiB". */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/** A word or token in running text, in curly quotes. */
export const q = (label: string): string => `“${label}”`;

/** "a", "a and b", "a, b and c". */
export function list(parts: string[], conj = 'and'): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${conj} ${parts[parts.length - 1]}`;
}

/** "1 word", "3 words". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Small counts in words, for plain text. */
export function count(n: number): string {
  const words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
  return n >= 0 && n < words.length ? words[n] : String(n);
}

export const sum = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};

export function norm(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i];
  return Math.sqrt(s);
}

/** Shannon entropy in nats of a distribution (zeros contribute nothing). */
export function entropy(ps: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < ps.length; i++) if (ps[i] > 0) h -= ps[i] * Math.log(ps[i]);
  return h;
}

/** Total variation distance ½·Σ|a−b| between two distributions: 0 identical, 1 disjoint. */
export function totalVariation(a: readonly number[], b: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / 2;
}

/** Indices sorted by value, largest first (ties: lower index first). */
export function ranked(xs: readonly number[], keep: (i: number) => boolean = () => true): number[] {
  return xs.map((_, i) => i).filter(keep).sort((i, j) => xs[j] - xs[i] || i - j);
}
