// The trainable GPT-2 parameters in attn's canonical layout (models/gpt2/convert.ts: linears [out, in],
// Q/K/V split), their GPT-2 initialisation, and the way back to Hugging Face names (Conv1D [in, out],
// fused c_attn) so a trained model loads with buildModel, writeSafetensors and transformers alike.
// Gradients and optimiser state use this same structure.

import { Tensor } from '../engine/tensor.js';
import { transpose2d } from '../engine/ops.js';
import { parseConfig, type ModelConfig } from '../models/config.js';
import type { TensorSource } from '../models/checkpoint.js';
import { convertGpt2, type Gpt2Block } from '../models/gpt2/convert.js';
import { UnsupportedError } from '../errors.js';
import type { Rng } from './rng.js';

/** GPT-2's weights; the LM head is tied to `wte` (it is the same tensor, so it has one gradient). */
export interface Gpt2Params {
  /** [V, C] */ wte: Tensor;
  /** [P, C] */ wpe: Tensor;
  blocks: Gpt2Block[];
  lnF: { w: Tensor; b: Tensor };
}

/** One parameter tensor with its canonical name and whether AdamW decays it. */
export interface NamedParam {
  /** e.g. 'wte', 'blocks.0.attn.q.w', 'blocks.1.mlp.down.b', 'lnF.w' */
  name: string;
  tensor: Tensor;
  /** weight decay applies to the weight matrices of linear layers only (attention q/k/v/o, MLP up/down) */
  decay: boolean;
}

/** Every parameter of `p` in a fixed order (the order of init draws and of the optimiser state). */
export function namedParams(p: Gpt2Params): NamedParam[] {
  const out: NamedParam[] = [
    { name: 'wte', tensor: p.wte, decay: false },
    { name: 'wpe', tensor: p.wpe, decay: false },
  ];
  p.blocks.forEach((b, l) => {
    const pre = `blocks.${l}`;
    const lin = (n: string, x: { w: Tensor; b: Tensor }) =>
      out.push({ name: `${pre}.${n}.w`, tensor: x.w, decay: true }, { name: `${pre}.${n}.b`, tensor: x.b, decay: false });
    const norm = (n: string, x: { w: Tensor; b: Tensor }) =>
      out.push({ name: `${pre}.${n}.w`, tensor: x.w, decay: false }, { name: `${pre}.${n}.b`, tensor: x.b, decay: false });
    norm('ln1', b.ln1);
    lin('attn.q', b.attn.q);
    lin('attn.k', b.attn.k);
    lin('attn.v', b.attn.v);
    lin('attn.o', b.attn.o);
    norm('ln2', b.ln2);
    lin('mlp.up', b.mlp.up);
    lin('mlp.down', b.mlp.down);
  });
  out.push({ name: 'lnF.w', tensor: p.lnF.w, decay: false }, { name: 'lnF.b', tensor: p.lnF.b, decay: false });
  return out;
}

/** Number of values in every parameter (the tied LM head counted once, as in the checkpoint). */
export function countParams(p: Gpt2Params): number {
  return namedParams(p).reduce((n, x) => n + x.tensor.size, 0);
}

/** A structure like `p` whose every tensor is made by `f` (zeros for gradients, clones for snapshots). */
export function mapParams(p: Gpt2Params, f: (t: Tensor) => Tensor): Gpt2Params {
  const lin = (x: { w: Tensor; b: Tensor }) => ({ w: f(x.w), b: f(x.b) });
  return {
    wte: f(p.wte),
    wpe: f(p.wpe),
    blocks: p.blocks.map((b) => ({
      ln1: lin(b.ln1),
      attn: { q: lin(b.attn.q), k: lin(b.attn.k), v: lin(b.attn.v), o: lin(b.attn.o) },
      ln2: lin(b.ln2),
      mlp: { up: lin(b.mlp.up), down: lin(b.mlp.down) },
    })),
    lnF: lin(p.lnF),
  };
}

export const zerosLike = (p: Gpt2Params): Gpt2Params => mapParams(p, (t) => Tensor.zeros(t.shape));
export const cloneParams = (p: Gpt2Params): Gpt2Params => mapParams(p, (t) => t.clone());

export interface Gpt2Size {
  vocabSize: number;
  nPositions: number;
  nEmbd: number;
  nLayer: number;
  nHead: number;
  /** 'gelu_new' (tanh, GPT-2's) by default, or 'gelu' (exact) */
  activation?: 'gelu_new' | 'gelu';
  /** stored in config.json for the record; the trainer takes its dropout from TrainOptions */
  dropout?: number;
}

/** A Hugging Face GPT-2 config.json for a model of this size (GPT2LMHeadModel, tied LM head). */
export function gpt2ConfigJson(s: Gpt2Size): Record<string, unknown> {
  const p = s.dropout ?? 0.1;
  return {
    activation_function: s.activation ?? 'gelu_new', architectures: ['GPT2LMHeadModel'], attn_pdrop: p,
    embd_pdrop: p, initializer_range: 0.02, layer_norm_epsilon: 1e-5, model_type: 'gpt2', n_ctx: s.nPositions,
    n_embd: s.nEmbd, n_head: s.nHead, n_inner: null, n_layer: s.nLayer, n_positions: s.nPositions,
    resid_pdrop: p, scale_attn_weights: true, tie_word_embeddings: true, vocab_size: s.vocabSize,
  };
}

/** Checks that `cfg` is a GPT-2 this trainer handles. */
export function checkTrainable(cfg: ModelConfig): void {
  if (cfg.arch !== 'gpt2') throw new UnsupportedError(`attn trains GPT-2 models only; this config is ${cfg.arch}`);
}

/**
 * GPT-2's initialisation (Radford et al. 2019, as in Hugging Face's GPT2PreTrainedModel and nanoGPT):
 * every linear weight and both embeddings ~ N(0, 0.02²); the two projections that write into the residual
 * stream (attn.o = c_proj, mlp.down = mlp.c_proj) ~ N(0, (0.02/√(2L))²) so the residual's variance does
 * not grow with depth; biases 0; LayerNorm weight 1, bias 0. Draws follow namedParams' order, row-major.
 */
export function initGpt2Params(cfgIn: ModelConfig | Record<string, unknown>, rng: Rng, std = 0.02): Gpt2Params {
  const cfg = 'arch' in cfgIn ? (cfgIn as ModelConfig) : parseConfig(cfgIn);
  checkTrainable(cfg);
  const { dModel: C, dMlp: F, vocabSize: V, nPositions: P, nLayers: L } = cfg;
  const lin = (o: number, i: number) => ({ w: Tensor.zeros([o, i]), b: Tensor.zeros([o]) });
  const norm = () => ({ w: new Tensor(new Float32Array(C).fill(1), [C]), b: Tensor.zeros([C]) });
  const p: Gpt2Params = {
    wte: Tensor.zeros([V, C]),
    wpe: Tensor.zeros([P, C]),
    blocks: Array.from({ length: L }, () => ({
      ln1: norm(),
      attn: { q: lin(C, C), k: lin(C, C), v: lin(C, C), o: lin(C, C) },
      ln2: norm(),
      mlp: { up: lin(F, C), down: lin(C, F) },
    })),
    lnF: norm(),
  };
  const residStd = std / Math.sqrt(2 * L);
  for (const { name, tensor } of namedParams(p)) {
    const isMatrix = name === 'wte' || name === 'wpe' || (tensor.rank === 2 && name.endsWith('.w'));
    if (!isMatrix) continue;
    const s = name.endsWith('attn.o.w') || name.endsWith('mlp.down.w') ? residStd : std;
    const d = tensor.data;
    for (let i = 0; i < d.length; i++) d[i] = rng.normal() * s;
  }
  return p;
}

/** Parameters from a GPT-2 checkpoint (Hugging Face names), copied so training never writes into the source. */
export function paramsFromCheckpoint(src: TensorSource, cfg: ModelConfig): Gpt2Params {
  checkTrainable(cfg);
  const w = convertGpt2(src, cfg);
  // some checkpoints store the tied head as a copy of wte: fine; a head that differs cannot be trained here
  if (w.lmHead !== w.wte && w.lmHead.data.some((x, i) => x !== w.wte.data[i])) {
    throw new UnsupportedError('this checkpoint has an lm_head.weight that differs from wte.weight; attn trains GPT-2 with the LM head tied to wte');
  }
  return cloneParams({ wte: w.wte, wpe: w.wpe, blocks: w.blocks, lnF: w.lnF });
}

/**
 * Hugging Face GPT-2 tensors (GPT2Model names, as the Hub's gpt2 checkpoint stores them; pass
 * prefix 'transformer.' for GPT2LMHeadModel names): Conv1D weights transposed back to [in, out], Q/K/V
 * fused into c_attn [C, 3C]. The tied LM head is not stored (Hugging Face ties it to wte on load).
 * Works on gradients too, since they share the structure. Returns fresh tensors.
 */
export function exportGpt2(p: Gpt2Params, prefix = ''): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  const put = (name: string, t: Tensor) => m.set(prefix + name, t);
  put('wte.weight', p.wte.clone());
  put('wpe.weight', p.wpe.clone());
  p.blocks.forEach((b, l) => {
    const h = `h.${l}`;
    const C = b.attn.q.w.shape[1];
    put(`${h}.ln_1.weight`, b.ln1.w.clone());
    put(`${h}.ln_1.bias`, b.ln1.b.clone());
    // c_attn [C, 3C]: column block i holds Q, K or V, i.e. row c = [Wq[:, c] | Wk[:, c] | Wv[:, c]]
    const fused = new Float32Array(3 * C * C);
    const bias = new Float32Array(3 * C);
    [b.attn.q, b.attn.k, b.attn.v].forEach((lin, i) => {
      const W = lin.w.data;
      for (let o = 0; o < C; o++) for (let c = 0; c < C; c++) fused[c * 3 * C + i * C + o] = W[o * C + c];
      bias.set(lin.b.data, i * C);
    });
    put(`${h}.attn.c_attn.weight`, new Tensor(fused, [C, 3 * C]));
    put(`${h}.attn.c_attn.bias`, new Tensor(bias, [3 * C]));
    put(`${h}.attn.c_proj.weight`, transpose2d(b.attn.o.w));
    put(`${h}.attn.c_proj.bias`, b.attn.o.b.clone());
    put(`${h}.ln_2.weight`, b.ln2.w.clone());
    put(`${h}.ln_2.bias`, b.ln2.b.clone());
    put(`${h}.mlp.c_fc.weight`, transpose2d(b.mlp.up.w));
    put(`${h}.mlp.c_fc.bias`, b.mlp.up.b.clone());
    put(`${h}.mlp.c_proj.weight`, transpose2d(b.mlp.down.w));
    put(`${h}.mlp.c_proj.bias`, b.mlp.down.b.clone());
  });
  put('ln_f.weight', p.lnF.w.clone());
  put('ln_f.bias', p.lnF.b.clone());
  return m;
}
