// Reverse-mode gradients of the row-wise ops GPT-2 uses: linear, LayerNorm, GELU (tanh and exact),
// embedding lookup, dropout. Each backward takes the forward's inputs and the gradient of the output,
// returns the gradient of the input and *adds* parameter gradients into the given tensors (a parameter
// used twice, like the tied wte, collects both). Matrix products go through the engine's ops, so a fast
// matmul kernel speeds the backward pass as much as the forward. Sums are taken in float64.

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import type { GeluKind } from '../engine/registry.js';
import type { Rng } from './rng.js';
import { rowStats } from '../engine/reference/rows.js';
import { transposeTiled } from '../engine/reference/matmul.js';

/** into += from, elementwise (same size). */
export function accumulate(into: Tensor, from: Tensor): void {
  const a = into.data, b = from.data;
  if (a.length !== b.length) throw new Error(`accumulate: ${into} and ${from} differ in size`);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** x [R, C] → [C, R] (tiled; the engine's reference transpose used by its matmul variants). */
export function transpose(x: Tensor): Tensor {
  return transposeTiled(x);
}

/**
 * y = x·wᵀ + b with x [N, in], w [out, in]. Given dy [N, out]: returns dx = dy·w [N, in];
 * gw += dyᵀ·x [out, in]; gb += Σ_rows dy [out]. Both products read their operands as stored (the
 * matmul and matmulTN ops), so nothing is transposed. `_xT` is accepted for compatibility and unused.
 */
export function linearBackward(x: Tensor, w: Tensor, dy: Tensor, gw: Tensor, gb?: Tensor, _xT?: Tensor): Tensor {
  const dx = ops.matmul(dy, w); // [N, out]·[out, in] → [N, in]
  accumulate(gw, ops.matmulTN(dy, x)); // [N, out]ᵀ·[N, in] → [out, in]
  if (gb) {
    const [N, O] = dy.shape;
    const d = dy.data, g = gb.data;
    const sum = new Float64Array(O);
    for (let n = 0, i = 0; n < N; n++) for (let o = 0; o < O; o++, i++) sum[o] += d[i];
    for (let o = 0; o < O; o++) g[o] += sum[o];
  }
  return dx;
}

/**
 * y = (x − mean)/√(var + eps)·w + b over the last dimension of x [N, C] (biased variance, as the forward).
 * Given dy [N, C]: returns dx [N, C]; gw += Σ dy·x̂, gb += Σ dy. With x̂ the normalised row and
 * g = dy·w: dx = (g − mean(g) − x̂·mean(g·x̂)) / √(var + eps).
 */
export function layerNormBackward(x: Tensor, w: Tensor, dy: Tensor, eps: number, gw: Tensor, gb: Tensor): Tensor {
  const C = x.shape[x.rank - 1];
  const N = x.size / C;
  const X = x.data, W = w.data, DY = dy.data;
  const dx = new Float32Array(x.size);
  const sw = new Float64Array(C), sb = new Float64Array(C);
  const xhat = new Float64Array(C), g = new Float64Array(C);
  for (let n = 0; n < N; n++) {
    const o = n * C;
    // mean and variance exactly as the forward computes them
    const { mean, inv } = rowStats(X, o, C, eps);
    let gMean = 0, gxMean = 0;
    for (let c = 0; c < C; c++) {
      xhat[c] = (X[o + c] - mean) * inv;
      g[c] = DY[o + c] * W[c];
      gMean += g[c];
      gxMean += g[c] * xhat[c];
      sw[c] += DY[o + c] * xhat[c];
      sb[c] += DY[o + c];
    }
    gMean /= C;
    gxMean /= C;
    for (let c = 0; c < C; c++) dx[o + c] = (g[c] - gMean - xhat[c] * gxMean) * inv;
  }
  for (let c = 0; c < C; c++) {
    gw.data[c] += sw[c];
    gb.data[c] += sb[c];
  }
  return new Tensor(dx, x.shape);
}

/** Given the GELU's input x and dy (same shape): dx = gelu'(x)·dy (the engine's geluBackward op). */
export function geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor {
  return ops.geluBackward(x, dy, kind);
}

/** Embedding lookup out[n] = table[ids[n]]: gTable[ids[n]] += dy[n] for dy [N, C]. */
export function embeddingBackward(ids: ArrayLike<number>, dy: Tensor, gTable: Tensor): void {
  const C = dy.shape[1];
  const D = dy.data, G = gTable.data;
  for (let n = 0; n < ids.length; n++) {
    const src = n * C, dst = ids[n] * C;
    for (let c = 0; c < C; c++) G[dst + c] += D[src + c];
  }
}

/**
 * An inverted-dropout mask for `n` values: each entry 0 with probability p, else 1/(1 − p), so the
 * expected activation is unchanged and evaluation needs no rescaling. Null when p = 0 (nothing to do).
 * One 32-bit draw per entry, in order, from `rng`; the entry drops when the draw is below p·2³².
 */
export function dropoutMask(n: number, p: number, rng: Rng): Float32Array | null {
  if (!(p >= 0 && p < 1)) throw new RangeError(`dropout probability must be in [0, 1), got ${p}`);
  if (p === 0) return null;
  const keep = 1 / (1 - p);
  const threshold = p * 4294967296;
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) m[i] = rng.nextU32() < threshold ? 0 : keep;
  return m;
}

/** x ⊙ mask (the forward and, with the same mask, the backward of dropout); x itself when mask is null. */
export function applyMask(x: Tensor, mask: Float32Array | null): Tensor {
  if (!mask) return x;
  const out = new Float32Array(x.size);
  const X = x.data;
  for (let i = 0; i < out.length; i++) out[i] = X[i] * mask[i];
  return new Tensor(out, x.shape);
}
