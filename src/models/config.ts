// Reads a Hugging Face config.json into attn's typed ModelConfig, with errors that name the field.

import { CheckpointError, UnsupportedError } from '../errors.js';
import type { GeluKind } from '../engine/registry.js';

export const SUPPORTED_MODEL_TYPES = ['gpt2', 'bert'] as const;
export type Architecture = (typeof SUPPORTED_MODEL_TYPES)[number];

export interface ModelConfig {
  arch: Architecture;
  /** L */ nLayers: number;
  /** H */ nHeads: number;
  /** C */ dModel: number;
  /** D = C / H */ dHead: number;
  /** F */ dMlp: number;
  /** the most positions the model has embeddings for */ nPositions: number;
  /** V */ vocabSize: number;
  lnEps: number;
  gelu: GeluKind;
  causal: boolean;
  /** BERT: number of token types (segments) */ typeVocabSize: number;
  /** GPT-2 option: scores are also divided by (layer index + 1) */ scaleByInverseLayer: boolean;
  /** the parsed config.json, for anything not modelled above */ raw: Record<string, unknown>;
}

const GELU_NAMES: Record<string, GeluKind> = { gelu: 'exact', gelu_new: 'tanh', gelu_pytorch_tanh: 'tanh', gelu_fast: 'tanh' };

export function parseConfig(raw: Record<string, unknown>, where = 'config.json'): ModelConfig {
  const type = raw.model_type;
  if (typeof type !== 'string') {
    throw new CheckpointError(`${where} has no "model_type"; attn needs it to know the architecture (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
  }
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedError(`${where}: model_type "${type}" is not supported; attn runs ${SUPPORTED_MODEL_TYPES.join(', ')} models`);
  }
  const int = (key: string, fallback?: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new CheckpointError(`${where}: "${key}" must be a positive integer, got ${JSON.stringify(raw[key])}`);
    }
    return v;
  };
  const num = (key: string, fallback: number): number => {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !(v >= 0)) throw new CheckpointError(`${where}: "${key}" must be a non-negative number, got ${JSON.stringify(v)}`);
    return v;
  };
  const gelu = (key: string, fallback: string): GeluKind => {
    const name = raw[key] ?? fallback;
    const kind = typeof name === 'string' ? GELU_NAMES[name] : undefined;
    if (!kind) throw new UnsupportedError(`${where}: ${key} "${String(name)}" is not supported; attn implements ${Object.keys(GELU_NAMES).join(', ')}`);
    return kind;
  };
  const headsCheck = (C: number, H: number) => {
    if (C % H !== 0) throw new CheckpointError(`${where}: width ${C} is not divisible by ${H} heads`);
    return C / H;
  };

  if (type === 'gpt2') {
    for (const flag of ['reorder_and_upcast_attn', 'add_cross_attention'] as const) {
      if (raw[flag] === true) throw new UnsupportedError(`${where}: "${flag}": true is not supported by attn's GPT-2`);
    }
    if (raw.scale_attn_weights === false) throw new UnsupportedError(`${where}: "scale_attn_weights": false is not supported by attn's GPT-2`);
    const C = int('n_embd'), H = int('n_head');
    return {
      arch: 'gpt2', nLayers: int('n_layer'), nHeads: H, dModel: C, dHead: headsCheck(C, H),
      dMlp: raw.n_inner == null ? 4 * C : int('n_inner'), nPositions: int('n_positions', raw.n_ctx as number),
      vocabSize: int('vocab_size'), lnEps: num('layer_norm_epsilon', 1e-5), gelu: gelu('activation_function', 'gelu_new'),
      causal: true, typeVocabSize: 0, scaleByInverseLayer: raw.scale_attn_by_inverse_layer_idx === true, raw,
    };
  }
  if (raw.position_embedding_type != null && raw.position_embedding_type !== 'absolute') {
    throw new UnsupportedError(`${where}: position_embedding_type "${String(raw.position_embedding_type)}" is not supported; attn's BERT uses absolute positions`);
  }
  if (raw.is_decoder === true) throw new UnsupportedError(`${where}: "is_decoder": true is not supported by attn's BERT`);
  const C = int('hidden_size'), H = int('num_attention_heads');
  return {
    arch: 'bert', nLayers: int('num_hidden_layers'), nHeads: H, dModel: C, dHead: headsCheck(C, H),
    dMlp: int('intermediate_size'), nPositions: int('max_position_embeddings'), vocabSize: int('vocab_size'),
    lnEps: num('layer_norm_eps', 1e-12), gelu: gelu('hidden_act', 'gelu'), causal: false,
    typeVocabSize: int('type_vocab_size', 2), scaleByInverseLayer: false, raw,
  };
}
