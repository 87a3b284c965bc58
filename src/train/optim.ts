// The optimiser side of training: AdamW (Loshchilov & Hutter 2019, decoupled weight decay), global-norm
// gradient clipping, and the learning-rate schedule (linear warm-up, then cosine decay). Each follows
// PyTorch 1.13's arithmetic (torch.optim.AdamW, torch.nn.utils.clip_grad_norm_) so one step can be
// checked against it; per-element arithmetic is float64, storage float32.

import { dataChanged } from '../engine/registry.js';
import type { Tensor } from '../engine/tensor.js';
import { namedParams, zerosLike, type Gpt2Params } from './params.js';

export interface AdamWOptions {
  /** default 0.9 */ beta1?: number;
  /** default 0.95 (GPT-2/3 practice; PyTorch's default is 0.999) */ beta2?: number;
  /** default 1e-8 */ eps?: number;
  /** default 0.1; applied only where namedParams says decay (linear weight matrices) */ weightDecay?: number;
}

/**
 * AdamW over a Gpt2Params. Decay rule: weight decay shrinks the weight matrices of the linear layers
 * (attention q/k/v/o, MLP up/down) and nothing else: not biases, not LayerNorm gains or shifts, not the
 * token or position embeddings (wte is also the LM head). Per element, as torch.optim.AdamW:
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;
 *   p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps)
 */
export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** updates taken so far (t in the bias corrections) */
  t = 0;
  readonly m: Gpt2Params;
  readonly v: Gpt2Params;

  constructor(params: Gpt2Params, o: AdamWOptions = {}) {
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.95;
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? 0.1;
    this.m = zerosLike(params);
    this.v = zerosLike(params);
  }

  /** Updates `params` in place from `grads` at learning rate `lr`. */
  step(params: Gpt2Params, grads: Gpt2Params, lr: number): void {
    this.t++;
    const { beta1: b1, beta2: b2, eps } = this;
    const bc1 = 1 - b1 ** this.t;
    const bc2Sqrt = Math.sqrt(1 - b2 ** this.t);
    const stepSize = lr / bc1;
    const ps = namedParams(params), gs = namedParams(grads), ms = namedParams(this.m), vs = namedParams(this.v);
    ps.forEach((pp, i) => {
      const P = pp.tensor.data, G = gs[i].tensor.data, M = ms[i].tensor.data, V = vs[i].tensor.data;
      const shrink = pp.decay ? 1 - lr * this.weightDecay : 1;
      for (let j = 0; j < P.length; j++) {
        const g = G[j];
        const m = (M[j] = b1 * M[j] + (1 - b1) * g);
        const v = (V[j] = b2 * V[j] + (1 - b2) * g * g);
        P[j] = P[j] * shrink - (stepSize * m) / (Math.sqrt(v) / bc2Sqrt + eps);
      }
      dataChanged(P); // fast kernels keep packed weights: they must repack this one
    });
  }
}

/** √(Σ g²) over every gradient, in float64. */
export function gradNorm(grads: Gpt2Params): number {
  let s = 0;
  for (const { tensor } of namedParams(grads)) {
    const d = tensor.data;
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  }
  return Math.sqrt(s);
}

/**
 * Scales all gradients by maxNorm/(norm + 1e-6) when their global norm exceeds maxNorm (the 1e-6 is
 * clip_grad_norm_'s). Returns the norm before clipping. maxNorm = Infinity turns clipping off.
 */
export function clipGradNorm(grads: Gpt2Params, maxNorm: number): number {
  const norm = gradNorm(grads);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const { tensor } of namedParams(grads)) scaleInPlace(tensor, coef);
  return norm;
}

function scaleInPlace(t: Tensor, s: number): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] *= s;
}

export interface Schedule {
  /** peak learning rate, reached at the end of warm-up */ lr: number;
  /** the floor cosine decay ends at (default lr/10) */ minLr?: number;
  /** steps of linear warm-up (default 0) */ warmupSteps?: number;
  /** the step at which the decay reaches minLr; later steps stay there */ totalSteps: number;
}

/**
 * Learning rate for update number `step` (0-based): lr·(step+1)/warmup during warm-up (so the first
 * update is not wasted at 0), then minLr + ½(lr − minLr)(1 + cos(π·progress)) with progress going from
 * 0 at step = warmup to 1 at step = totalSteps; minLr after that.
 */
export function learningRate(s: Schedule, step: number): number {
  const warm = s.warmupSteps ?? 0;
  const minLr = s.minLr ?? s.lr / 10;
  if (step < warm) return (s.lr * (step + 1)) / warm;
  if (step >= s.totalSteps) return minLr;
  const progress = (step - warm) / Math.max(1, s.totalSteps - warm);
  return minLr + 0.5 * (s.lr - minLr) * (1 + Math.cos(Math.PI * progress));
}
