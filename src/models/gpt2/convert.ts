// GPT-2 checkpoint (Hugging Face names) → attn's layout. The quirks, all handled here:
// - Conv1D stores weights [in, out]: transposed to [out, in].
// - attn.c_attn fuses Q, K, V as [C, 3C]: split into three [C, C] linears.
// - GPT2LMHeadModel prefixes the body with "transformer."; GPT2Model does not.
// - lm_head.weight is tied to wte.weight and usually absent; used when present.
// - h.{l}.attn.bias / masked_bias are old causal-mask buffers: skipped.

import { Tensor } from '../../engine/tensor.js';
import { transpose2d } from '../../engine/ops.js';
import { CheckpointReader, type TensorSource } from '../checkpoint.js';
import type { ModelConfig } from '../config.js';
import type { AttentionWeights, Linear, MlpWeights, Norm } from '../types.js';

export interface Gpt2Block {
  ln1: Norm;
  attn: AttentionWeights;
  ln2: Norm;
  mlp: MlpWeights;
}

export interface Gpt2Weights {
  /** [V, C] */ wte: Tensor;
  /** [P, C] */ wpe: Tensor;
  blocks: Gpt2Block[];
  lnF: Norm;
  /** [V, C]; the same tensor as wte when tied */ lmHead: Tensor;
  ignored: string[];
}

export function convertGpt2(src: TensorSource, cfg: ModelConfig): Gpt2Weights {
  const ck = new CheckpointReader(src, 'GPT-2', 'wte.weight', ['transformer.']);
  const { dModel: C, dMlp: F, vocabSize: V, nPositions: P } = cfg;
  const norm = (p: string): Norm => ({ w: ck.get(`${p}.weight`, [C]), b: ck.get(`${p}.bias`, [C]) });
  // Conv1D: weight [in, out] → [out, in]
  const conv = (p: string, inDim: number, outDim: number): Linear => ({
    w: transpose2d(ck.get(`${p}.weight`, [inDim, outDim])),
    b: ck.get(`${p}.bias`, [outDim]),
  });

  const blocks: Gpt2Block[] = [];
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = `h.${l}`;
    const qkv = conv(`${p}.attn.c_attn`, C, 3 * C); // w [3C, C], rows: Q then K then V
    const part = (i: number): Linear => ({
      w: new Tensor(qkv.w.data.slice(i * C * C, (i + 1) * C * C), [C, C]),
      b: new Tensor(qkv.b.data.slice(i * C, (i + 1) * C), [C]),
    });
    blocks.push({
      ln1: norm(`${p}.ln_1`),
      attn: { q: part(0), k: part(1), v: part(2), o: conv(`${p}.attn.c_proj`, C, C) },
      ln2: norm(`${p}.ln_2`),
      mlp: { up: conv(`${p}.mlp.c_fc`, C, F), down: conv(`${p}.mlp.c_proj`, F, C) },
    });
    ck.skip([`${ck.prefix}${p}.attn.bias`, `${ck.prefix}${p}.attn.masked_bias`]);
  }
  const wte = ck.get('wte.weight', [V, C], false, `token embeddings, vocab_size ${V} × n_embd ${C}`);
  const lmHead = ck.has('lm_head.weight', true) ? ck.get('lm_head.weight', [V, C], true) : wte;
  return { wte, wpe: ck.get('wpe.weight', [P, C]), blocks, lnF: norm('ln_f'), lmHead, ignored: ck.unused() };
}
