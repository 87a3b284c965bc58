// Scales shared by the charts: a linear map from data to pixels and "nice" round ticks for an axis
// that starts at zero (attention weights are in [0, 1]).

export interface LinearScale {
  (v: number): number;
  domain: [number, number];
  range: [number, number];
}

/** The linear map taking domain[0] → range[0] and domain[1] → range[1]. */
export function linear(domain: [number, number], range: [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as LinearScale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** A round step (1, 2 or 5 × 10^k) giving about `count` intervals over [0, max]. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 0.1;
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return m * mag;
}

export interface Ticks {
  /** the axis end: max rounded up to a whole step, at most 1 */
  max: number;
  step: number;
  values: number[];
  /** decimals needed to print the ticks as percentages */
  decimals: number;
}

/** Ticks from 0 to max rounded up to a whole step (capped at 1 = 100%), for weights in [0, 1]. */
export function ticks(max: number, count = 5): Ticks {
  // an all-zero (or empty) row still gets a readable axis
  if (!(max > 0)) max = 0.1;
  const step = niceStep(Math.min(Math.max(max, 1e-4), 1), count);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const top = Math.min(1, round12(n * step));
  const values: number[] = [];
  for (let i = 0; round12(i * step) <= top + 1e-12; i++) values.push(round12(i * step));
  // decimals so that every tick prints exactly as a percentage (step 0.005 → 0.5% → one decimal)
  let decimals = 0;
  while (decimals < 4 && values.some((v) => Math.abs(Number((v * 100).toFixed(decimals)) - v * 100) > 1e-9)) decimals++;
  return { max: top, step, values, decimals };
}

function round12(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
