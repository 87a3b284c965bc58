// Token-level attention matrices for one selection: a single head, the mean or max over heads, or
// attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): each layer's
// head-averaged attention mixed half-and-half with the identity (the residual connection), rows
// renormalised, multiplied from layer 0 up to the chosen layer.

import { InputError } from '../errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { Aggregate } from './view.js';

/** A [T][S] matrix as rows of float64. */
export type Matrix = Float64Array[];

/** pattern [H, T, S] → [T][S] for one head, or the mean / max over heads. */
export function combineHeads(pattern: Tensor, how: 'mean' | 'max' | number): Matrix {
  const [H, T, S] = pattern.shape;
  if (typeof how === 'number' && (!Number.isInteger(how) || how < 0 || how >= H)) {
    throw new InputError(`head ${how} does not exist: this model has ${H} heads per layer (0..${H - 1})`);
  }
  const P = pattern.data;
  const out: Matrix = [];
  for (let t = 0; t < T; t++) {
    const row = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (typeof how === 'number') row[s] = P[(how * T + t) * S + s];
      else {
        let acc = how === 'max' ? -Infinity : 0;
        for (let h = 0; h < H; h++) {
          const v = P[(h * T + t) * S + s];
          acc = how === 'max' ? Math.max(acc, v) : acc + v / H;
        }
        row[s] = acc;
      }
    }
    out.push(row);
  }
  return out;
}

/** Rollout through patterns[0..upTo]: R = Ā_upTo ⋯ Ā_0 with Ā = ½·mean_h(A) + ½·I. Rows sum to 1. */
export function rollout(patterns: readonly Tensor[], upTo: number): Matrix {
  let r: Matrix | null = null;
  for (let l = 0; l <= upTo; l++) {
    const a = combineHeads(patterns[l], 'mean');
    const T = a.length;
    for (let t = 0; t < T; t++) {
      const row = a[t];
      for (let s = 0; s < row.length; s++) row[s] = 0.5 * row[s] + (s === t ? 0.5 : 0);
      const sum = row.reduce((x, y) => x + y, 0);
      for (let s = 0; s < row.length; s++) row[s] /= sum;
    }
    r = r === null ? a : multiply(a, r);
  }
  if (r === null) throw new InputError('rollout needs at least one layer');
  return r;
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const n = a.length, m = b[0].length, k = b.length;
  const out: Matrix = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(m);
    for (let j = 0; j < k; j++) {
      const w = a[i][j];
      if (w === 0) continue;
      const bj = b[j];
      for (let c = 0; c < m; c++) row[c] += w * bj[c];
    }
    out.push(row);
  }
  return out;
}

/** The token-level matrix for an aggregation at a layer. */
export function tokenMatrix(patterns: readonly Tensor[], aggregate: Aggregate, layer: number, head?: number): Matrix {
  if (aggregate === 'rollout') return rollout(patterns, layer);
  if (aggregate === 'head') return combineHeads(patterns[layer], head ?? 0);
  return combineHeads(patterns[layer], aggregate);
}
