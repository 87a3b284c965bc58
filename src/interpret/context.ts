// The numbers an explanation narrates: for one layer and head, the query token's input vector, its
// query, every key and value, the dot products, the scaling, the softmax and the weighted sum, taken
// from a real run's cache (never recomputed here, so every number shown is the model's own).

import type { Tensor } from '../engine/tensor.js';
import type { ModelConfig } from '../models/config.js';
import { hookNames as n, paramName } from '../models/hook-names.js';
import type { Token } from '../tokenize/tokenizer.js';
import type { ActivationCache } from './cache.js';
import { queryRows } from './words.js';
import type { AttentionView } from './view.js';

export interface ExplainContext {
  view: AttentionView;
  config: ModelConfig;
  tokens: readonly Token[];
  /** the layer and head whose arithmetic is narrated */
  layer: number;
  head: number;
  /** why this head: the user chose it, or it is the layer's most focused head for this word */
  headReason: 'chosen' | 'most-focused';
  /** the token whose row is narrated (causal: the word's last token; otherwise its first) */
  queryToken: number;
  /** the scale applied to q·k (1/√D, GPT-2 may also divide by layer+1) */
  scale: number;
  /** [T, C] what the attention reads (GPT-2: ln1 output; BERT: the residual stream) */
  x: Tensor;
  /** [T, H, D] */ q: Tensor;
  /** [T, H, D] */ k: Tensor;
  /** [T, H, D] */ v: Tensor;
  /** [H, T, S] raw q·k */ dot: Tensor;
  /** [H, T, S] scaled and masked */ scores: Tensor;
  /** [H, T, S] */ pattern: Tensor;
  /** [T, H, D] */ z: Tensor;
  /** [T, C] after the output projection */ attnOut: Tensor;
  /** [T, C] */ residPre: Tensor;
  /** [T, C] */ residMid: Tensor;
  /** [H, C, D] */ W_Q: Tensor;
  /** [H, C, D] */ W_K: Tensor;
  /** [H, C, D] */ W_V: Tensor;
  /** [H, D, C] */ W_O: Tensor;
  /** [H, D] */ b_Q: Tensor;
  /** [H, D] */ b_K: Tensor;
  /** [H, D] */ b_V: Tensor;
}

/** The hooks a context for `layer` needs (ask runWithCache for these, plus every layer's pattern). */
export function contextHooks(cfg: ModelConfig, layer: number): string[] {
  const l = layer;
  return [
    cfg.arch === 'gpt2' ? n.ln1(l) : n.residPre(l),
    n.residPre(l), n.q(l), n.k(l), n.v(l), n.dot(l), n.attnScores(l), n.pattern(l), n.z(l), n.attnOut(l), n.residMid(l),
    ...(['W_Q', 'W_K', 'W_V', 'W_O', 'b_Q', 'b_K', 'b_V'] as const).map((p) => paramName(l, p)),
  ];
}

/** The head of `layer` whose row for `token` has the largest single weight (ties: the lower index). */
export function mostFocusedHead(pattern: Tensor, token: number): number {
  const [H, T, S] = pattern.shape;
  let best = 0, bestMax = -1;
  for (let h = 0; h < H; h++) {
    let m = 0;
    for (let s = 0; s < S; s++) m = Math.max(m, pattern.data[(h * T + token) * S + s]);
    if (m > bestMax + 1e-12) [best, bestMax] = [h, m];
  }
  return best;
}

export function explainContext(view: AttentionView, cache: ActivationCache, cfg: ModelConfig, tokens: readonly Token[]): ExplainContext {
  const layer = view.selection.layer;
  const queryToken = queryRows(view.items[view.query], cfg.causal)[0].token;
  const pattern = cache.get(n.pattern(layer));
  const chosen = view.selection.aggregate === 'head' && view.selection.head !== undefined;
  const head = chosen ? view.selection.head! : mostFocusedHead(pattern, queryToken);
  const p = (name: 'W_Q' | 'W_K' | 'W_V' | 'W_O' | 'b_Q' | 'b_K' | 'b_V') => cache.get(paramName(layer, name));
  return {
    view, config: cfg, tokens, layer, head, headReason: chosen ? 'chosen' : 'most-focused', queryToken,
    scale: 1 / Math.sqrt(cfg.dHead) / (cfg.scaleByInverseLayer ? layer + 1 : 1),
    x: cache.get(cfg.arch === 'gpt2' ? n.ln1(layer) : n.residPre(layer)),
    q: cache.get(n.q(layer)), k: cache.get(n.k(layer)), v: cache.get(n.v(layer)),
    dot: cache.get(n.dot(layer)), scores: cache.get(n.attnScores(layer)), pattern,
    z: cache.get(n.z(layer)), attnOut: cache.get(n.attnOut(layer)),
    residPre: cache.get(n.residPre(layer)), residMid: cache.get(n.residMid(layer)),
    W_Q: p('W_Q'), W_K: p('W_K'), W_V: p('W_V'), W_O: cache.get(paramName(layer, 'W_O')),
    b_Q: p('b_Q'), b_K: p('b_K'), b_V: p('b_V'),
  };
}
