// GPT-2 for training: a batched forward that keeps what the backward needs, and the backward itself,
// written out layer by layer (llm.c-style) rather than through a general tape: the graph is fixed, so
// each gradient is a visible line. The forward is models/gpt2/model.ts op for op on B sequences at once
// (rows b·T … b·T + T − 1 of every [B·T, ·] tensor belong to sequence b); in eval mode (no dropout) its
// logits equal the inference model's. Dropout sites as Hugging Face's GPT-2: after the embeddings
// (embd_pdrop), on the attention pattern (attn_pdrop), after each residual branch (resid_pdrop); masks
// are drawn in forward order (embeddings; per layer: patterns by sequence, attention out, MLP out).

import { Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
import { InputError } from '../errors.js';
import { checkLength } from '../models/input.js';
import type { ModelConfig } from '../models/config.js';
import { attentionBackward, attentionForward, type AttentionCache } from './attention-grad.js';
import { accumulate, applyMask, dropoutMask, embeddingBackward, geluBackward, layerNormBackward, linearBackward } from './grad-ops.js';
import { crossEntropy, IGNORE_INDEX } from './loss.js';
import { zerosLike, type Gpt2Params } from './params.js';
import type { Rng } from './rng.js';

/** B sequences of T token ids, row-major; targets (same layout) for the loss. */
export interface TokenBatch {
  B: number;
  T: number;
  /** B·T token ids */ ids: ArrayLike<number>;
  /** B·T next-token targets (ids, or IGNORE_INDEX to leave a position out) */ targets?: ArrayLike<number>;
}

export interface DropoutRates {
  embd: number;
  attn: number;
  resid: number;
}

export interface ForwardOptions {
  /** dropout probabilities; a number sets all three (default 0) */
  dropout?: number | Partial<DropoutRates>;
  /** draws the dropout masks; without it (eval mode) no dropout is applied at all */
  rng?: Rng;
}

interface BlockCache {
  x: Tensor; a: Tensor; q: Tensor; k: Tensor; v: Tensor; attn: AttentionCache; z: Tensor;
  attnMask: Float32Array | null; mid: Tensor; m: Tensor; pre: Tensor; post: Tensor; mlpMask: Float32Array | null;
}

/** Everything the backward reads, from one forward. */
export interface Gpt2Cache {
  batch: TokenBatch;
  positions: number[];
  embMask: Float32Array | null;
  blocks: BlockCache[];
  /** [B·T, C] the residual entering the final LayerNorm */ xLast: Tensor;
  /** [B·T, C] the final LayerNorm's output */ final: Tensor;
}

export function dropoutRates(d: ForwardOptions['dropout']): DropoutRates {
  if (typeof d === 'number') return { embd: d, attn: d, resid: d };
  return { embd: d?.embd ?? 0, attn: d?.attn ?? 0, resid: d?.resid ?? 0 };
}

/** Builds a TokenBatch from equal-length rows of ids (and optional targets). */
export function makeBatch(rows: ArrayLike<number>[], targets?: ArrayLike<number>[]): TokenBatch {
  const B = rows.length;
  const T = B ? rows[0].length : 0;
  if (B === 0 || rows.some((r) => r.length !== T)) throw new InputError('a batch needs at least one sequence, all of the same length');
  const flat = (rs: ArrayLike<number>[]) => {
    const out = new Int32Array(B * T);
    rs.forEach((r, b) => out.set(Array.from(r), b * T));
    return out;
  };
  if (targets && (targets.length !== B || targets.some((r) => r.length !== T))) throw new InputError('targets must have the same shape as the ids');
  return { B, T, ids: flat(rows), targets: targets && flat(targets) };
}

/** logits [B·T, V] for the batch, and the cache for gpt2Backward. */
export function gpt2Forward(p: Gpt2Params, cfg: ModelConfig, batch: TokenBatch, opt: ForwardOptions = {}): { logits: Tensor; cache: Gpt2Cache } {
  const { B, T } = batch;
  checkLength(T, cfg.nPositions);
  if (batch.ids.length !== B * T) throw new InputError(`the batch holds ${batch.ids.length} ids, expected B·T = ${B * T}`);
  const rate = dropoutRates(opt.dropout);
  const rng = opt.rng;
  const drop = (n: number, pr: number) => (rng && pr > 0 ? dropoutMask(n, pr, rng) : null);
  const positions = Array.from({ length: B * T }, (_, i) => i % T);
  const C = cfg.dModel;

  let x = ops.add(ops.embedding(p.wte, batch.ids), ops.embedding(p.wpe, positions)); // [B·T, C]
  const embMask = drop(x.size, rate.embd);
  x = applyMask(x, embMask);
  const blocks: BlockCache[] = [];
  p.blocks.forEach((w, l) => {
    const a = ops.layerNorm(x, w.ln1.w, w.ln1.b, cfg.lnEps); // [B·T, C]
    const q = ops.linear(a, w.attn.q.w, w.attn.q.b); // [B·T, C]
    const k = ops.linear(a, w.attn.k.w, w.attn.k.b);
    const v = ops.linear(a, w.attn.v.w, w.attn.v.b);
    const scale = 1 / Math.sqrt(cfg.dHead) / (cfg.scaleByInverseLayer ? l + 1 : 1);
    const { z, cache: attn } = attentionForward(q, k, v, { B, T, H: cfg.nHeads, scale }, rate.attn, rng); // [B·T, C]
    const attnMask = drop(B * T * C, rate.resid);
    const mid = ops.add(x, applyMask(ops.linear(z, w.attn.o.w, w.attn.o.b), attnMask)); // [B·T, C]
    const m = ops.layerNorm(mid, w.ln2.w, w.ln2.b, cfg.lnEps);
    const pre = ops.linear(m, w.mlp.up.w, w.mlp.up.b); // [B·T, F]
    const post = ops.gelu(pre, cfg.gelu); // [B·T, F]
    const mlpMask = drop(B * T * C, rate.resid);
    const out = ops.add(mid, applyMask(ops.linear(post, w.mlp.down.w, w.mlp.down.b), mlpMask)); // [B·T, C]
    blocks.push({ x, a, q, k, v, attn, z, attnMask, mid, m, pre, post, mlpMask });
    x = out;
  });
  const final = ops.layerNorm(x, p.lnF.w, p.lnF.b, cfg.lnEps); // [B·T, C]
  const logits = ops.linear(final, p.wte); // tied LM head: [B·T, V]
  return { logits, cache: { batch, positions, embMask, blocks, xLast: x, final } };
}

/** Adds the gradients of a loss with d(loss)/d(logits) = dlogits [B·T, V] into `g` (same structure as `p`). */
export function gpt2Backward(p: Gpt2Params, cfg: ModelConfig, cache: Gpt2Cache, dlogits: Tensor, g: Gpt2Params): void {
  // tied head: wte receives the LM head's gradient here and the embedding's at the end
  let dx = linearBackward(cache.final, p.wte, dlogits, g.wte); // [B·T, C]
  dx = layerNormBackward(cache.xLast, p.lnF.w, dx, cfg.lnEps, g.lnF.w, g.lnF.b);
  for (let l = p.blocks.length - 1; l >= 0; l--) {
    const w = p.blocks[l], gw = g.blocks[l], c = cache.blocks[l];
    // out = mid + drop(mlp(ln2(mid))): the residual passes dx straight through to dmid
    const dDown = applyMask(dx, c.mlpMask);
    const dPost = linearBackward(c.post, w.mlp.down.w, dDown, gw.mlp.down.w, gw.mlp.down.b); // [B·T, F]
    const dPre = geluBackward(c.pre, dPost, cfg.gelu);
    const dm = linearBackward(c.m, w.mlp.up.w, dPre, gw.mlp.up.w, gw.mlp.up.b); // [B·T, C]
    const dmid = layerNormBackward(c.mid, w.ln2.w, dm, cfg.lnEps, gw.ln2.w, gw.ln2.b);
    accumulate(dmid, dx);
    // mid = x + drop(o(attention(ln1(x))))
    const dO = applyMask(dmid, c.attnMask);
    const dz = linearBackward(c.z, w.attn.o.w, dO, gw.attn.o.w, gw.attn.o.b); // [B·T, C]
    const { dq, dk, dv } = attentionBackward(c.attn, dz);
    const da = linearBackward(c.a, w.attn.q.w, dq, gw.attn.q.w, gw.attn.q.b);
    accumulate(da, linearBackward(c.a, w.attn.k.w, dk, gw.attn.k.w, gw.attn.k.b));
    accumulate(da, linearBackward(c.a, w.attn.v.w, dv, gw.attn.v.w, gw.attn.v.b));
    dx = layerNormBackward(c.x, w.ln1.w, da, cfg.lnEps, gw.ln1.w, gw.ln1.b);
    accumulate(dx, dmid);
  }
  const dEmb = applyMask(dx, cache.embMask);
  embeddingBackward(cache.batch.ids, dEmb, g.wte);
  embeddingBackward(cache.positions, dEmb, g.wpe);
}

export interface LossAndGrads {
  /** mean next-token cross-entropy over the counted positions */ loss: number;
  /** gradients, same structure as the parameters */ grads: Gpt2Params;
  /** [B·T, V] */ logits: Tensor;
}

/** Forward, cross-entropy against batch.targets, backward: the loss and fresh gradients. */
export function lossAndGrads(p: Gpt2Params, cfg: ModelConfig, batch: TokenBatch, opt: ForwardOptions & { ignoreIndex?: number } = {}): LossAndGrads {
  if (!batch.targets) throw new InputError('the batch has no targets to compute a loss against');
  const { logits, cache } = gpt2Forward(p, cfg, batch, opt);
  const { loss, dlogits } = crossEntropy(logits, batch.targets, opt.ignoreIndex ?? IGNORE_INDEX);
  const grads = zerosLike(p);
  gpt2Backward(p, cfg, cache, dlogits, grads);
  return { loss, grads, logits };
}
