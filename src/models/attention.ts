// The parts of a Transformer block shared by all architectures, each step passing a named hook:
// multi-head self-attention and the MLP.
// Vaswani et al. 2017, "Attention Is All You Need": A = softmax(QKᵀ/√d_k + M), Z = A·V, out = concat(Z)·W_Oᵀ.

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import { hookNames, type HookFn } from './hook-names.js';
import type { AttentionWeights, MlpWeights } from './types.js';
import type { GeluKind } from '../engine/registry.js';

/**
 * What the caller of forward will read, attached to its hook function as `hook.plan` (runWithCache does
 * this). It lets attention take the fused path (ops.attention: no [H, T, S] buffers) when neither the raw
 * q·k nor the scores are read. A hook without a plan sees every hook point, as before.
 */
export interface HookPlan {
  /** whether the hook point with this name is read (or may be replaced) */
  wants(name: string): boolean;
  /** keep only these query positions (distinct) of every [H, T, S] hook: they then carry [H, R, S] */
  rows?: readonly number[];
}

export type PlannedHook = HookFn & { plan?: HookPlan };

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
  const plan = hook ? (hook as PlannedHook).plan : undefined;
  const fused = !hook || (plan !== undefined && !plan.wants(hookNames.dot(l)) && !plan.wants(hookNames.attnScores(l)));
  const z = fused ? fusedCore(q, k, v, opt, hook, plan) : unfusedCore(q, k, v, opt, hook, plan?.rows);
  return tap(hook, hookNames.attnOut(l), ops.linear(z.reshape([T, C]), w.o.w, w.o.b)); // [T, C]
}

/** z [T, H, D] through ops.attention, asking it only for the pattern rows the plan reads. */
function fusedCore(q: Tensor, k: Tensor, v: Tensor, opt: AttentionOptions, hook: HookFn | undefined, plan: HookPlan | undefined): Tensor {
  const [T, H, D] = q.shape;
  const l = opt.layer;
  const rows = plan?.wants(hookNames.pattern(l)) ? plan.rows ?? Array.from({ length: T }, (_, t) => t) : undefined;
  const args = { heads: H, scale: opt.scale, causal: opt.causal, rows };
  const out = ops.attention(q.reshape([T, H * D]), k.reshape([T, H * D]), v.reshape([T, H * D]), args);
  let z = out.z; // [T, H·D]
  if (out.pattern) {
    const pattern = tap(hook, hookNames.pattern(l), out.pattern); // [H, R, S]
    if (pattern !== out.pattern) {
      // an intervention replaced the pattern: z must follow it
      if (plan?.rows) throw new Error(`hook ${hookNames.pattern(l)} replaced a pattern restricted to some rows; ask for all rows to intervene`);
      z = patternTimesValues(pattern, ops.splitHeads(v.reshape([T, H * D]), H));
    }
  }
  return tap(hook, hookNames.z(l), z.reshape([T, H, D])); // [T, H, D]
}

/** z [T, H, D] through every intermediate: q·k [H, T, S], scores, pattern, each passing its hook. */
function unfusedCore(q: Tensor, k: Tensor, v: Tensor, opt: AttentionOptions, hook: HookFn | undefined, rows?: readonly number[]): Tensor {
  const [T, H, D] = q.shape;
  const C = H * D;
  const l = opt.layer;
  // with rows, hooks see only those rows of the [H, T, S] intermediates (the computation uses them all)
  const tapRows = (name: string, x: Tensor) => {
    if (!rows) return tap(hook, name, x);
    const picked = pickRows(x, rows);
    if (tap(hook, name, picked) !== picked) throw new Error(`hook ${name} replaced a tensor restricted to some rows; ask for all rows to intervene`);
    return x;
  };
  const qh = ops.splitHeads(q.reshape([T, C]), H); // [H, T, D]
  const kh = ops.splitHeads(k.reshape([T, C]), H); // [H, S, D]
  const vh = ops.splitHeads(v.reshape([T, C]), H); // [H, S, D]

  const dots = new Float32Array(H * T * T);
  for (let h = 0; h < H; h++) dots.set(ops.matmulT(qh.row(h), kh.row(h)).data, h * T * T);
  const dot = tapRows(hookNames.dot(l), new Tensor(dots, [H, T, T])); // [H, T, S]
  let scores = ops.scale(dot, opt.scale);
  if (opt.causal) scores = ops.causalMask(scores);
  scores = tapRows(hookNames.attnScores(l), scores); // [H, T, S]
  const pattern = tapRows(hookNames.pattern(l), ops.softmax(scores)); // [H, T, S]
  return tap(hook, hookNames.z(l), patternTimesValues(pattern, vh).reshape([T, H, D])); // [T, H, D]
}

/** pattern [H, T, S] · values [H, S, D] per head → z [T, H·D] (heads side by side). */
function patternTimesValues(pattern: Tensor, vh: Tensor): Tensor {
  const [H, T] = pattern.shape;
  const D = vh.shape[2];
  const zh = new Float32Array(H * T * D);
  for (let h = 0; h < H; h++) {
    zh.set(ops.matmulT(pattern.row(h), ops.transpose2d(vh.row(h))).data, h * T * D); // [T, S]·[S, D]
  }
  return ops.mergeHeads(new Tensor(zh, [H, T, D])); // [T, H·D]
}

/** x [H, T, S] → [H, R, S]: the rows of each head at the given query positions. */
function pickRows(x: Tensor, rows: readonly number[]): Tensor {
  const [H, T, S] = x.shape;
  const out = new Float32Array(H * rows.length * S);
  for (let h = 0; h < H; h++) rows.forEach((t, i) => out.set(x.data.subarray((h * T + t) * S, (h * T + t + 1) * S), (h * rows.length + i) * S));
  return new Tensor(out, [H, rows.length, S]);
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
