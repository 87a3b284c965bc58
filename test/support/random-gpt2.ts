// Random-weight GPT-2 checkpoints with Hugging Face names, built in memory (seeded), for tests that need
// a real-sized model (GPT-2 small: 12 layers, width 768, vocab 50257) without shipping its weights.

import { Tensor } from '../../src/engine/tensor.js';

export function gpt2Config(o: { nLayer: number; nEmbd: number; nHead: number; vocab: number; nPositions: number }): Record<string, unknown> {
  return {
    model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_layer: o.nLayer, n_embd: o.nEmbd, n_head: o.nHead,
    vocab_size: o.vocab, n_positions: o.nPositions, n_ctx: o.nPositions, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5,
  };
}

/** xorshift32 uniform in [-scale, scale) */
function filler(seed: number, scale: number): (n: number) => Float32Array {
  let s = seed >>> 0 || 1;
  return (n) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      a[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
    }
    return a;
  };
}

export function randomGpt2Weights(cfg: Record<string, unknown>, seed = 1): Map<string, Tensor> {
  const L = cfg.n_layer as number, C = cfg.n_embd as number, V = cfg.vocab_size as number, P = cfg.n_positions as number;
  const rnd = filler(seed, 0.05);
  const m = new Map<string, Tensor>();
  const put = (name: string, shape: number[], fill?: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    m.set(name, new Tensor(fill === undefined ? rnd(n) : new Float32Array(n).fill(fill), shape));
  };
  put('wte.weight', [V, C]);
  put('wpe.weight', [P, C]);
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    put(`${p}.ln_1.weight`, [C], 1); put(`${p}.ln_1.bias`, [C], 0);
    put(`${p}.attn.c_attn.weight`, [C, 3 * C]); put(`${p}.attn.c_attn.bias`, [3 * C]);
    put(`${p}.attn.c_proj.weight`, [C, C]); put(`${p}.attn.c_proj.bias`, [C]);
    put(`${p}.ln_2.weight`, [C], 1); put(`${p}.ln_2.bias`, [C], 0);
    put(`${p}.mlp.c_fc.weight`, [C, 4 * C]); put(`${p}.mlp.c_fc.bias`, [4 * C]);
    put(`${p}.mlp.c_proj.weight`, [4 * C, C]); put(`${p}.mlp.c_proj.bias`, [C]);
  }
  put('ln_f.weight', [C], 1); put('ln_f.bias', [C], 0);
  return m;
}
