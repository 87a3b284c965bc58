// GPT-2 (Radford et al. 2019): token + position embeddings, L pre-LayerNorm blocks of causal
// self-attention and a GELU MLP, final LayerNorm, logits through the tied embedding. Every
// intermediate passes a named hook (docs/ARCHITECTURE.md).

import * as ops from '../../engine/ops.js';
import { checkLength } from '../input.js';
import { headParamsOf, mlp, selfAttention, tap } from '../attention.js';
import type { ModelConfig } from '../config.js';
import { hookNames as n, type HookFn } from '../hook-names.js';
import type { Model, ModelInput, ModelOutput } from '../types.js';
import type { Gpt2Weights } from './convert.js';

export class Gpt2Model implements Model {
  readonly ignoredTensors: readonly string[];

  constructor(readonly config: ModelConfig, private readonly w: Gpt2Weights) {
    this.ignoredTensors = w.ignored;
  }

  forward(input: ModelInput, hook?: HookFn): ModelOutput {
    const T = checkLength(input.ids.length, this.config.nPositions);
    const cfg = this.config;
    const positions = Array.from({ length: T }, (_, t) => t);
    const embed = tap(hook, n.embed, ops.embedding(this.w.wte, input.ids)); // [T, C]
    const pos = tap(hook, n.posEmbed, ops.embedding(this.w.wpe, positions)); // [T, C]
    let x = ops.add(embed, pos);
    this.w.blocks.forEach((b, l) => {
      x = tap(hook, n.residPre(l), x);
      const a = tap(hook, n.ln1(l), ops.layerNorm(x, b.ln1.w, b.ln1.b, cfg.lnEps));
      const scale = 1 / Math.sqrt(cfg.dHead) / (cfg.scaleByInverseLayer ? l + 1 : 1);
      const attnOut = selfAttention(a, b.attn, { layer: l, nHeads: cfg.nHeads, causal: true, scale }, hook);
      const mid = tap(hook, n.residMid(l), ops.add(x, attnOut));
      const m = tap(hook, n.ln2(l), ops.layerNorm(mid, b.ln2.w, b.ln2.b, cfg.lnEps));
      x = tap(hook, n.residPost(l), ops.add(mid, mlp(m, b.mlp, cfg.gelu, l, hook)));
    });
    const final = tap(hook, n.lnFinal, ops.layerNorm(x, this.w.lnF.w, this.w.lnF.b, cfg.lnEps));
    return { kind: 'lm', logits: ops.linear(final, this.w.lmHead), lastHidden: final }; // logits [T, V]
  }

  headParams(layer: number): ReturnType<typeof headParamsOf> {
    return headParamsOf(this.w.blocks[layer].attn, this.config.nHeads);
  }
}
