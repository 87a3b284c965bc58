// The parts of a Transformer block shared by all architectures, each step passing a named hook:
// multi-head self-attention and the MLP.
// Vaswani et al. 2017, "Attention Is All You Need": A = softmax(QKᵀ/√d_k + M), Z = A·V, out = concat(Z)·W_Oᵀ.

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import { hookNames, type HookFn } from './hook-names.js';
import type { AttentionWeights, MlpWeights } from './types.js';
import type { GeluKind } from '../engine/registry.js';

export interface AttentionOptions {
  layer: number;
  nHeads: number;
  causal: boolean;
  /** multiplies q·k; usually 1/√D */
  scale: number;
}

/** Runs `value` through the hook (if any), which may replace it. */
export function tap(hook: HookFn | undefined, name: string, value: Tensor): Tensor {
  if (!hook) return value;
  const replaced = hook(name, value);
  if (replaced === undefined) return value;
  if (replaced.shape.length !== value.shape.length || replaced.shape.some((d, i) => d !== value.shape[i])) {
    throw new Error(`hook ${name} returned shape [${replaced.shape.join(', ')}], expected [${value.shape.join(', ')}]`);
  }
  return replaced;
}

/** The position-wise MLP of block `layer`: x [T, C] → [T, C], through [T, F] with GELU in between. */
export function mlp(x: Tensor, w: MlpWeights, gelu: GeluKind, layer: number, hook?: HookFn): Tensor {
  const pre = tap(hook, hookNames.mlpPre(layer), ops.linear(x, w.up.w, w.up.b)); // [T, F]
  const post = tap(hook, hookNames.mlpPost(layer), ops.gelu(pre, gelu)); // [T, F]
  return tap(hook, hookNames.mlpOut(layer), ops.linear(post, w.down.w, w.down.b)); // [T, C]
}

/** x [T, C] → attention output [T, C] (after the output projection, bias included). */
export function selfAttention(x: Tensor, w: AttentionWeights, opt: AttentionOptions, hook?: HookFn): Tensor {
  const [T, C] = x.shape;
  const H = opt.nHeads;
  const D = C / H;
  const l = opt.layer;
  const q = tap(hook, hookNames.q(l), ops.linear(x, w.q.w, w.q.b).reshape([T, H, D])); // [T, H, D]
  const k = tap(hook, hookNames.k(l), ops.linear(x, w.k.w, w.k.b).reshape([T, H, D])); // [T, H, D]
  const v = tap(hook, hookNames.v(l), ops.linear(x, w.v.w, w.v.b).reshape([T, H, D])); // [T, H, D]
  const qh = ops.splitHeads(q.reshape([T, C]), H); // [H, T, D]
  const kh = ops.splitHeads(k.reshape([T, C]), H); // [H, S, D]
  const vh = ops.splitHeads(v.reshape([T, C]), H); // [H, S, D]

  const dots = new Float32Array(H * T * T);
  for (let h = 0; h < H; h++) dots.set(ops.matmulT(qh.row(h), kh.row(h)).data, h * T * T);
  const dot = tap(hook, hookNames.dot(l), new Tensor(dots, [H, T, T])); // [H, T, S]
  let scores = ops.scale(dot, opt.scale);
  if (opt.causal) scores = ops.causalMask(scores);
  scores = tap(hook, hookNames.attnScores(l), scores); // [H, T, S]
  const pattern = tap(hook, hookNames.pattern(l), ops.softmax(scores)); // [H, T, S]

  const zh = new Float32Array(H * T * D);
  for (let h = 0; h < H; h++) {
    zh.set(ops.matmulT(pattern.row(h), ops.transpose2d(vh.row(h))).data, h * T * D); // [T, S]·[S, D]
  }
  const z = tap(hook, hookNames.z(l), ops.mergeHeads(new Tensor(zh, [H, T, D])).reshape([T, H, D])); // [T, H, D]
  return tap(hook, hookNames.attnOut(l), ops.linear(z.reshape([T, C]), w.o.w, w.o.b)); // [T, C]
}

/** TransformerLens-layout per-head parameters from attn's [out, in] projections. */
export function headParamsOf(w: AttentionWeights, H: number): Record<'W_Q' | 'b_Q' | 'W_K' | 'b_K' | 'W_V' | 'b_V' | 'W_O' | 'b_O', Tensor> {
  const C = w.q.w.shape[1];
  const D = C / H;
  // W_X[h, c, d] = Wx[h·D + d, c]: the columns of head h, as a [C, D] matrix per head
  const inProj = (lin: { w: Tensor }) => {
    const out = new Float32Array(H * C * D);
    const W = lin.w.data;
    for (let h = 0; h < H; h++) for (let c = 0; c < C; c++) for (let d = 0; d < D; d++) out[(h * C + c) * D + d] = W[(h * D + d) * C + c];
    return new Tensor(out, [H, C, D]);
  };
  // W_O[h, d, c] = Wo[c, h·D + d]
  const Wo = w.o.w.data;
  const wO = new Float32Array(H * D * C);
  for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) for (let c = 0; c < C; c++) wO[(h * D + d) * C + c] = Wo[c * C + h * D + d];
  return {
    W_Q: inProj(w.q), b_Q: w.q.b.reshape([H, D]),
    W_K: inProj(w.k), b_K: w.k.b.reshape([H, D]),
    W_V: inProj(w.v), b_V: w.v.b.reshape([H, D]),
    W_O: new Tensor(wO, [H, D, C]), b_O: w.o.b,
  };
}
