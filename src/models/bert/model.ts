// BERT (Devlin et al. 2019): word + position + token-type embeddings and a LayerNorm, L post-LayerNorm
// blocks of bidirectional self-attention and a GELU MLP, and the masked-LM head when the checkpoint has
// it. Every intermediate passes a named hook (docs/ARCHITECTURE.md; names follow TransformerLens' BERT).

import * as ops from '../../engine/ops.js';
import { InputError } from '../../errors.js';
import { headParamsOf, mlp, selfAttention, tap } from '../attention.js';
import type { ModelConfig } from '../config.js';
import { hookNames as n, type HookFn } from '../hook-names.js';
import type { Model, ModelInput, ModelOutput } from '../types.js';
import { checkLength } from '../input.js';
import type { BertWeights } from './convert.js';

export class BertModel implements Model {
  readonly ignoredTensors: readonly string[];

  constructor(readonly config: ModelConfig, private readonly w: BertWeights) {
    this.ignoredTensors = w.ignored;
  }

  forward(input: ModelInput, hook?: HookFn): ModelOutput {
    const cfg = this.config;
    const T = checkLength(input.ids.length, cfg.nPositions);
    const typeIds = input.typeIds ?? new Array<number>(T).fill(0);
    if (typeIds.length !== T) throw new InputError(`token type ids have length ${typeIds.length} but there are ${T} tokens`);
    for (let t = 0; t < T; t++) {
      if (typeIds[t] < 0 || typeIds[t] >= cfg.typeVocabSize || !Number.isInteger(typeIds[t])) {
        throw new InputError(`token type id ${typeIds[t]} at position ${t} is outside 0..${cfg.typeVocabSize - 1}`);
      }
    }
    const positions = Array.from({ length: T }, (_, t) => t);
    const embed = tap(hook, n.embed, ops.embedding(this.w.wordEmb, input.ids)); // [T, C]
    const pos = tap(hook, n.posEmbed, ops.embedding(this.w.posEmb, positions)); // [T, C]
    const type = tap(hook, n.tokenTypeEmbed, ops.embedding(this.w.typeEmb, typeIds)); // [T, C]
    let x = ops.layerNorm(ops.add(ops.add(embed, pos), type), this.w.embNorm.w, this.w.embNorm.b, cfg.lnEps);
    const scale = 1 / Math.sqrt(cfg.dHead);
    this.w.blocks.forEach((b, l) => {
      x = tap(hook, n.residPre(l), x);
      const attnOut = selfAttention(x, b.attn, { layer: l, nHeads: cfg.nHeads, causal: false, scale }, hook);
      const mid = tap(hook, n.residMid(l), ops.add(x, attnOut));
      const midNorm = tap(hook, n.ln1(l), ops.layerNorm(mid, b.ln1.w, b.ln1.b, cfg.lnEps));
      const resid = tap(hook, n.residPost(l), ops.add(midNorm, mlp(midNorm, b.mlp, cfg.gelu, l, hook)));
      x = tap(hook, n.normalizedResidPost(l), ops.layerNorm(resid, b.ln2.w, b.ln2.b, cfg.lnEps));
    });
    if (!this.w.mlm) return { kind: 'hidden', lastHidden: x };
    const head = this.w.mlm;
    const h = ops.layerNorm(ops.gelu(ops.linear(x, head.transform.w, head.transform.b), cfg.gelu), head.norm.w, head.norm.b, cfg.lnEps);
    return { kind: 'mlm', logits: ops.linear(h, head.decoder, head.bias), lastHidden: x }; // logits [T, V]
  }

  headParams(layer: number): ReturnType<typeof headParamsOf> {
    return headParamsOf(this.w.blocks[layer].attn, this.config.nHeads);
  }
}
