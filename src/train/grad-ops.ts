// Reverse-mode gradients of the row-wise ops GPT-2 uses: linear, LayerNorm, GELU (tanh and exact),
// embedding lookup, dropout. Each backward takes the forward's inputs and the gradient of the output,
// returns the gradient of the input and *adds* parameter gradients into the given tensors (a parameter
// used twice, like the tied wte, collects both). Matrix products go through the engine's ops, so a fast
// matmul kernel speeds the backward pass as much as the forward. Sums are taken in float64.

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import { erfc } from '../engine/reference/elementwise.js';
import type { GeluKind } from '../engine/registry.js';
import type { Rng } from './rng.js';
import { rowStats } from '../engine/reference/rows.js';

/** into += from, elementwise (same size). */
export function accumulate(into: Tensor, from: Tensor): void {
  const a = into.data, b = from.data;
  if (a.length !== b.length) throw new Error(`accumulate: ${into} and ${from} differ in size`);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/**
 * x [R, C] → [C, R], in 32×32 tiles so that both the reads and the writes stay in cache: the weight
 * gradients transpose every activation (the LM head's [B·T, V] logits gradient included), and a plain
 * strided loop made that a third of a training step.
 */
export function transpose(x: Tensor): Tensor {
  const [R, C] = x.shape;
  const X = x.data;
  const out = new Float32Array(R * C);
  const TILE = 32;
  for (let r0 = 0; r0 < R; r0 += TILE) {
    const r1 = Math.min(R, r0 + TILE);
    for (let c0 = 0; c0 < C; c0 += TILE) {
      const c1 = Math.min(C, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        const o = c * R; // the write runs along a row of the output; the reads step down a tile column
        for (let r = r0, i = r0 * C + c; r < r1; r++, i += C) out[o + r] = X[i];
      }
    }
  }
  return new Tensor(out, [C, R]);
}

/**
 * y = x·wᵀ + b with x [N, in], w [out, in]. Given dy [N, out]: returns dx = dy·w [N, in];
 * gw += dyᵀ·x [out, in]; gb += Σ_rows dy [out]. The op table multiplies a·bᵀ only, so the sum over N
 * needs dy and x transposed; pass `xT` = xᵀ when several linears read the same x (q, k, v).
 */
export function linearBackward(x: Tensor, w: Tensor, dy: Tensor, gw: Tensor, gb?: Tensor, xT = transpose(x)): Tensor {
  const dx = ops.linear(dy, transpose(w)); // [N, out]·[out, in] → [N, in]
  accumulate(gw, ops.linear(transpose(dy), xT)); // [out, N]·[N, in] → [out, in]
  if (gb) {
    const [N, O] = dy.shape;
    const d = dy.data, g = gb.data;
    const sum = new Float64Array(O);
    for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) sum[o] += d[n * O + o];
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

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Given the GELU's input x and dy (same shape): dx = gelu'(x)·dy. */
export function geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor {
  const X = x.data, DY = dy.data;
  const dx = new Float32Array(x.size);
  if (kind === 'tanh') {
    // y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); y' = ½(1 + tanh u) + ½x(1 − tanh²u)·u'
    for (let i = 0; i < dx.length; i++) {
      const v = X[i];
      const th = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
      const du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
      dx[i] = DY[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * du);
    }
  } else {
    // y = x·Φ(x); y' = Φ(x) + x·φ(x), with Φ(x) = ½erfc(−x/√2) as in the forward
    for (let i = 0; i < dx.length; i++) {
      const v = X[i];
      dx[i] = DY[i] * (0.5 * erfc(-v * Math.SQRT1_2) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
  }
  return new Tensor(dx, x.shape);
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
