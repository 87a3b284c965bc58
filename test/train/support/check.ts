// Shared helpers of the gradient tests: seeded random tensors and the comparison of an analytic float32
// gradient with float64 central differences, under one stated tolerance.

import assert from 'node:assert/strict';
import { Tensor } from '../../../src/engine/tensor.js';
import type { Rng } from '../../../src/train/rng.js';
import { centralDiff } from './f64.js';

/**
 * The tolerance of every finite-difference check: |analytic − numeric| ≤ ATOL + RTOL·|numeric|.
 * The analytic side is float32 (relative error ~1e-6 after a few sums); the numeric side float64 with
 * h = 1e-5 (error ~1e-9). Measured worst |Δ| (reported by each test as a diagnostic): 2.4e-7 per op,
 * 1e-7 for the whole model, so the bound has a 20× margin yet catches any wrong term.
 */
export const ATOL = 5e-6;
export const RTOL = 1e-4;

export function randn(shape: number[], rng: Rng, std = 1, mean = 0): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

export const f64 = (t: Tensor): Float64Array => Float64Array.from(t.data);

/** Σ w ⊙ y: a scalar whose gradient with respect to y is w. */
export function dotWith(w: Tensor, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += w.data[i] * y[i];
  return s;
}

/**
 * Checks analytic[i] against the central difference of f in arr[i] for every i in `indices` (all by
 * default). Returns the worst |analytic − numeric| relative to the tolerance's allowance (≤ 1 passes).
 */
export function checkGrad(what: string, analytic: Float32Array, f: () => number, arr: Float64Array, indices?: number[]): { worstAbs: number; worstRatio: number } {
  assert.equal(analytic.length, arr.length, `${what}: gradient and parameter sizes differ`);
  let worstAbs = 0, worstRatio = 0;
  for (const i of indices ?? arr.keys()) {
    const num = centralDiff(f, arr, i);
    const err = Math.abs(analytic[i] - num);
    const ratio = err / (ATOL + RTOL * Math.abs(num));
    worstAbs = Math.max(worstAbs, err);
    worstRatio = Math.max(worstRatio, ratio);
    assert.ok(ratio <= 1, `${what}[${i}]: analytic ${analytic[i]} vs finite difference ${num} (|Δ| = ${err.toExponential(2)})`);
  }
  return { worstAbs, worstRatio };
}
