// Reference ops that work row by row over the last dimension: LayerNorm (Ba et al. 2016) and softmax.
// Both compute in float64 and store float32.

import { Tensor } from '../tensor.js';

/** Mean and 1/√(variance + eps) of X[o .. o+C), in float64: LayerNorm's statistics (shared with its backward). */
export function rowStats(X: Float32Array, o: number, C: number, eps: number): { mean: number; inv: number } {
  let mean = 0;
  for (let c = 0; c < C; c++) mean += X[o + c];
  mean /= C;
  let v = 0;
  for (let c = 0; c < C; c++) {
    const d = X[o + c] - mean;
    v += d * d;
  }
  return { mean, inv: 1 / Math.sqrt(v / C + eps) };
}

export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const C = x.shape[x.rank - 1];
  const R = x.size / C;
  const X = x.data, W = weight.data, Bv = bias.data;
  const out = new Float32Array(x.size);
  for (let r = 0; r < R; r++) {
    const o = r * C;
    const { mean, inv } = rowStats(X, o, C, eps);
    for (let c = 0; c < C; c++) out[o + c] = (X[o + c] - mean) * inv * W[c] + Bv[c];
  }
  return new Tensor(out, x.shape);
}

export function softmax(x: Tensor): Tensor {
  const S = x.shape[x.rank - 1];
  const R = S === 0 ? 0 : x.size / S;
  const X = x.data;
  const out = new Float32Array(x.size);
  for (let r = 0; r < R; r++) {
    const o = r * S;
    let max = -Infinity;
    for (let s = 0; s < S; s++) if (X[o + s] > max) max = X[o + s];
    if (max === -Infinity) continue; // a fully masked row attends to nothing: all zeros
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const e = Math.exp(X[o + s] - max);
      out[o + s] = e;
      sum += e;
    }
    for (let s = 0; s < S; s++) out[o + s] /= sum;
  }
  return new Tensor(out, x.shape);
}
