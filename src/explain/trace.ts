// The narrated head's arithmetic for the query token, read out of the ExplainContext's tensors: its input,
// query, every key and value, the dot products, the scores, the softmax (exps, their sum, the division)
// and the weighted sum. Values the model computed are taken from the cache; only the softmax's
// intermediate exps and the per-head output share are recomputed here (in float64), to be shown.

import type { Tensor } from '../engine/tensor.js';
import type { ExplainContext } from '../interpret/context.js';
import { norm } from './numbers.js';

export interface HeadTrace {
  layer: number;
  head: number;
  /** query token index */
  t: number;
  T: number;
  C: number;
  H: number;
  D: number;
  scale: number;
  causal: boolean;
  /** [C] what attention reads at the query token */
  x: number[];
  /** [D] the query */
  q: number[];
  /** [S][D] keys and values of every token for this head */
  keys: number[][];
  values: number[][];
  /** [S] raw q·k (computed for every token, masked ones included) */
  dot: number[];
  /** [S] scaled and masked scores (−Infinity where masked) */
  scores: number[];
  masked: boolean[];
  /** the largest score and the token it belongs to */
  maxScore: number;
  maxToken: number;
  /** [S] exp(score − max) (0 where masked), their sum, and exp/sum */
  exps: number[];
  sumExp: number;
  softmax: number[];
  /** [S] the model's own attention weights (hook_pattern) */
  weights: number[];
  /** [D] the model's weighted sum of values (hook_z) */
  z: number[];
  /** [S] ‖weight·v‖ of each token's term of z */
  termNorms: number[];
  /** [C] this head's share of the attention output: z·W_O[h] (bias excluded) */
  headOut: number[];
  attnOut: number[];
  residPre: number[];
  residMid: number[];
}

/** Row `i` of a [N, M] tensor, or the [i, h, :] slice of a [N, H, D] tensor, as a plain array. */
export function slice(t: Tensor, ...lead: number[]): number[] {
  const inner = t.shape.slice(lead.length).reduce((a, b) => a * b, 1);
  let off = 0;
  for (let d = 0; d < lead.length; d++) off = off * t.shape[d] + lead[d];
  return Array.from(t.data.subarray(off * inner, (off + 1) * inner));
}

export function headTrace(ctx: ExplainContext): HeadTrace {
  const { layer, head: h, queryToken: t } = ctx;
  const [T, C] = ctx.x.shape;
  const [, H, D] = ctx.q.shape;
  const S = ctx.pattern.shape[2];
  const keys = Array.from({ length: S }, (_, s) => slice(ctx.k, s, h));
  const values = Array.from({ length: S }, (_, s) => slice(ctx.v, s, h));
  const dot = slice(ctx.dot, h, t);
  const scores = slice(ctx.scores, h, t);
  const weights = slice(ctx.pattern, h, t);
  const masked = scores.map((s) => s === -Infinity);
  let maxToken = 0;
  for (let s = 1; s < S; s++) if (scores[s] > scores[maxToken]) maxToken = s;
  const maxScore = scores[maxToken];
  const exps = scores.map((s) => (s === -Infinity ? 0 : Math.exp(s - maxScore)));
  const sumExp = exps.reduce((a, b) => a + b, 0);
  const z = slice(ctx.z, t, h);
  const W_O = slice(ctx.W_O, h); // [D·C]
  const headOut = Array.from({ length: C }, (_, c) => {
    let acc = 0;
    for (let d = 0; d < D; d++) acc += z[d] * W_O[d * C + c];
    return acc;
  });
  return {
    layer, head: h, t, T, C, H, D, scale: ctx.scale, causal: ctx.config.causal,
    x: slice(ctx.x, t), q: slice(ctx.q, t, h), keys, values, dot, scores, masked, maxScore, maxToken,
    exps, sumExp, softmax: exps.map((e) => e / sumExp), weights, z,
    termNorms: values.map((v, s) => weights[s] * norm(v)),
    headOut, attnOut: slice(ctx.attnOut, t), residPre: slice(ctx.residPre, t), residMid: slice(ctx.residMid, t),
  };
}

/** The view item (word, or token in token mode) that token `s` belongs to. */
export function itemOfToken(ctx: ExplainContext, s: number): number {
  return ctx.view.items.findIndex((it) => it.tokens.includes(s));
}
