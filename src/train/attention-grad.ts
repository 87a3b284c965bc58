// Causal multi-head self-attention over a batch, forward (kept for the backward) and backward.
// The forward is the inference model's (models/attention.ts): the fused ops.attention op without
// dropout, the unfused steps (q·kᵀ per head, scale, causal mask, softmax, pattern·v) when GPT-2's
// attn_pdrop drops pattern entries. Backward, per sequence b and head h, with P the pattern,
// P' = P ⊙ mask the dropped pattern and s the scale:
//   dP' = dZ·Vᵀ,  dV = P'ᵀ·dZ,  dP = dP' ⊙ mask,  dScores = P ⊙ (dP − rowsum(P ⊙ dP)),
//   dDot = s·dScores,  dQ = dDot·K,  dK = dDotᵀ·Q.          (masked entries have P = 0: no gradient)

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import { applyMask, dropoutMask } from './grad-ops.js';
import type { Rng } from './rng.js';

export interface AttentionShape {
  /** sequences in the batch */ B: number;
  /** positions per sequence */ T: number;
  /** heads */ H: number;
  /** multiplies q·k: 1/√D (GPT-2 may also divide by l + 1) */ scale: number;
}

/** What the backward needs from one forward. */
export interface AttentionCache {
  shape: AttentionShape;
  /** per sequence: [T, C] views of q, k, v */ q: Tensor[]; k: Tensor[]; v: Tensor[];
  /** per sequence: [H, T, S] softmax(mask(scale·q·kᵀ)), before dropout */ pattern: Tensor[];
  /** per sequence: dropout mask over [H, T, S], or null */ mask: (Float32Array | null)[];
}

/** Rows b·T … (b+1)·T − 1 of x [B·T, C] as a [T, C] view (no copy). */
function rowsOf(x: Tensor, b: number, T: number): Tensor {
  const C = x.shape[1];
  return new Tensor(x.data.subarray(b * T * C, (b + 1) * T * C), [T, C]);
}

/**
 * q, k, v [B·T, C] (heads side by side, sequence b in rows b·T…) → z [B·T, C], the weighted sums of
 * values before the output projection. Dropout with probability `dropP` on the pattern when `rng` is given.
 * Without dropout this is ops.attention asked for every pattern row, the op the inference model runs
 * (so a fast attention kernel serves both); with dropout the pattern must be masked before it meets v,
 * so the steps run one by one as in models/attention.ts's unfused path.
 */
export function attentionForward(q: Tensor, k: Tensor, v: Tensor, shape: AttentionShape, dropP = 0, rng?: Rng): { z: Tensor; cache: AttentionCache } {
  const { B, T, H, scale } = shape;
  const C = q.shape[1];
  const D = C / H;
  const cache: AttentionCache = { shape, q: [], k: [], v: [], pattern: [], mask: [] };
  const z = new Float32Array(B * T * C);
  const allRows = Array.from({ length: T }, (_, t) => t);
  for (let b = 0; b < B; b++) {
    const qb = rowsOf(q, b, T), kb = rowsOf(k, b, T), vb = rowsOf(v, b, T); // [T, C]
    let pattern: Tensor; // [H, T, S]
    let mask: Float32Array | null = null;
    if (!rng || dropP === 0) {
      const out = ops.attention(qb, kb, vb, { heads: H, scale, causal: true, rows: allRows });
      pattern = out.pattern!;
      z.set(out.z.data, b * T * C);
    } else {
      const qh = ops.splitHeads(qb, H), kh = ops.splitHeads(kb, H), vh = ops.splitHeads(vb, H); // [H, T, D]
      const dots = new Float32Array(H * T * T);
      for (let h = 0; h < H; h++) dots.set(ops.matmulT(qh.row(h), kh.row(h)).data, h * T * T);
      pattern = ops.softmax(ops.causalMask(ops.scale(new Tensor(dots, [H, T, T]), scale))); // [H, T, S]
      mask = dropoutMask(pattern.size, dropP, rng);
      const used = applyMask(pattern, mask); // [H, T, S]
      const zh = new Float32Array(H * T * D);
      for (let h = 0; h < H; h++) zh.set(ops.matmul(used.row(h), vh.row(h)).data, h * T * D); // [T, S]·[S, D]
      z.set(ops.mergeHeads(new Tensor(zh, [H, T, D])).data, b * T * C); // [T, C]
    }
    cache.q.push(qb);
    cache.k.push(kb);
    cache.v.push(vb);
    cache.pattern.push(pattern);
    cache.mask.push(mask);
  }
  return { z: new Tensor(z, [B * T, C]), cache };
}

/** dz [B·T, C] → dq, dk, dv [B·T, C]. */
export function attentionBackward(cache: AttentionCache, dz: Tensor): { dq: Tensor; dk: Tensor; dv: Tensor } {
  const { B, T, H, scale } = cache.shape;
  const C = dz.shape[1];
  const D = C / H;
  const dq = new Float32Array(B * T * C), dk = new Float32Array(B * T * C), dv = new Float32Array(B * T * C);
  for (let b = 0; b < B; b++) {
    const dzh = ops.splitHeads(rowsOf(dz, b, T), H); // [H, T, D]
    const qh = ops.splitHeads(cache.q[b], H), kh = ops.splitHeads(cache.k[b], H), vh = ops.splitHeads(cache.v[b], H); // [H, T, D]
    const P = cache.pattern[b], mask = cache.mask[b];
    const used = applyMask(P, mask); // [H, T, S]
    const dqh = new Float32Array(H * T * D), dkh = new Float32Array(H * T * D), dvh = new Float32Array(H * T * D);
    for (let h = 0; h < H; h++) {
      const dzr = dzh.row(h); // [T, D]
      const dUsed = ops.matmulT(dzr, vh.row(h)); // [T, D]·[S, D]ᵀ → [T, S]
      dvh.set(ops.matmulTN(used.row(h), dzr).data, h * T * D); // [T, S]ᵀ·[T, D] → [S, D]
      const dDot = softmaxBackwardScaled(P.row(h), dUsed, mask, h * T * T, scale); // [T, S]
      dqh.set(ops.matmul(dDot, kh.row(h)).data, h * T * D); // [T, S]·[S, D] → [T, D]
      dkh.set(ops.matmulTN(dDot, qh.row(h)).data, h * T * D); // [T, S]ᵀ·[T, D] → [S, D]
    }
    dq.set(ops.mergeHeads(new Tensor(dqh, [H, T, D])).data, b * T * C);
    dk.set(ops.mergeHeads(new Tensor(dkh, [H, T, D])).data, b * T * C);
    dv.set(ops.mergeHeads(new Tensor(dvh, [H, T, D])).data, b * T * C);
  }
  const shape = [B * T, C];
  return { dq: new Tensor(dq, shape), dk: new Tensor(dk, shape), dv: new Tensor(dv, shape) };
}

/**
 * One head's pattern P [T, S] and the gradient of the dropped pattern → gradient of the unscaled dot
 * products: scale · P ⊙ (dP − rowsum(P ⊙ dP)), where dP = dUsed ⊙ mask (mask read from offset `mo`).
 */
function softmaxBackwardScaled(P: Tensor, dUsed: Tensor, mask: Float32Array | null, mo: number, scale: number): Tensor {
  const [T, S] = P.shape;
  const p = P.data, g = dUsed.data;
  const out = new Float32Array(T * S);
  const dP = new Float64Array(S);
  for (let t = 0; t < T; t++) {
    const o = t * S;
    let dot = 0;
    for (let s = 0; s < S; s++) {
      dP[s] = mask ? g[o + s] * mask[mo + o + s] : g[o + s];
      dot += p[o + s] * dP[s];
    }
    for (let s = 0; s < S; s++) out[o + s] = scale * p[o + s] * (dP[s] - dot);
  }
  return new Tensor(out, [T, S]);
}
