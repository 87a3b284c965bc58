// attn's canonical weight layout and the Model interface every architecture implements.
// Linear weights are [out, in] (PyTorch nn.Linear): y = x·Wᵀ + b. See docs/ARCHITECTURE.md.

import type { Tensor } from '../engine/tensor.js';
import type { ModelConfig } from './config.js';
import type { HeadParam, HookFn } from './hook-names.js';

export interface Linear {
  /** [out, in] */ w: Tensor;
  /** [out] */ b: Tensor;
}

export interface Norm {
  /** [C] */ w: Tensor;
  /** [C] */ b: Tensor;
}

/** Multi-head self-attention: Q, K, V projections [C, C] each (heads side by side), output projection [C, C]. */
export interface AttentionWeights {
  q: Linear;
  k: Linear;
  v: Linear;
  o: Linear;
}

export interface MlpWeights {
  /** [F, C] */ up: Linear;
  /** [C, F] */ down: Linear;
}

export interface ModelInput {
  /** token ids, length T */ ids: ArrayLike<number>;
  /** BERT segment ids, length T (default all 0) */ typeIds?: ArrayLike<number>;
}

export interface ModelOutput {
  /** 'lm': next-token logits; 'mlm': masked-LM logits; 'hidden': no head, see lastHidden */
  kind: 'lm' | 'mlm' | 'hidden';
  /** [T, V], absent when kind is 'hidden' */ logits?: Tensor;
  /** [T, C] the final hidden state (after GPT-2's final LayerNorm; BERT's last block output) */ lastHidden: Tensor;
}

export interface Model {
  readonly config: ModelConfig;
  /** Runs one sequence; `hook` sees (and may replace) every activation by its hook name. */
  forward(input: ModelInput, hook?: HookFn): ModelOutput;
  /** Per-head projection parameters of layer l, TransformerLens layout (W_Q [H, C, D], W_O [H, D, C], …). */
  headParams(layer: number): Record<HeadParam, Tensor>;
  /** Checkpoint tensors that were present but not used (other heads, buffers), for --verbose. */
  readonly ignoredTensors: readonly string[];
}
