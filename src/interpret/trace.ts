// The trace: text → tokens, words and the requested hooks as plain JSON-ready data. The format is public
// and documented in docs/trace-format.md; change it only with a new format version.

import type { Tensor } from '../engine/tensor.js';
import type { Encoding } from '../tokenize/tokenizer.js';
import { runWithCache } from './run.js';
import type { HookSelection } from './select.js';
import type { Transformer } from './load.js';

export const TRACE_FORMAT = 'attn.trace/1';

export interface TensorJSON {
  shape: number[];
  /** row-major values; -Infinity (masked scores) is written as null */
  data: (number | null)[];
}

export interface TraceJSON {
  format: typeof TRACE_FORMAT;
  model: { name: string; arch: string; layers: number; heads: number; width: number; headWidth: number; positions: number; vocab: number };
  text: string;
  tokens: { id: number; text: string; start: number; end: number; special: boolean }[];
  words: { text: string; start: number; end: number; tokens: number[]; special: boolean }[];
  hooks: Record<string, TensorJSON>;
  output: { kind: 'lm' | 'mlm' | 'hidden' };
  logits?: TensorJSON;
  lastHidden?: TensorJSON;
}

export interface TraceOptions {
  hooks?: HookSelection;
  /** include the logits [T, V] (large for real vocabularies) */
  logits?: boolean;
  /** include the final hidden state [T, C] */
  lastHidden?: boolean;
}

/** float32 values with their shortest round-tripping decimal; -Infinity → null; NaN kept out of JSON as null too. */
export function tensorJSON(t: Tensor): TensorJSON {
  const data = new Array<number | null>(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    data[i] = Number.isFinite(v) ? Number(v.toPrecision(9)) : null;
  }
  return { shape: [...t.shape], data };
}

/** The tokens of an encoding as the public formats write them. */
export function tokensJSON(enc: Encoding): TraceJSON['tokens'] {
  return enc.tokens.map((t) => ({ id: t.id, text: t.text, start: t.start, end: t.end, special: t.special }));
}

export function trace(tf: Transformer, text: string, options: TraceOptions = {}): TraceJSON {
  const enc: Encoding = tf.tokenizer.encode(text);
  const { output, cache } = runWithCache(tf.model, { ids: enc.ids, typeIds: enc.typeIds }, { hooks: options.hooks ?? 'pattern' });
  const c = tf.config;
  const result: TraceJSON = {
    format: TRACE_FORMAT,
    model: { name: tf.name, arch: c.arch, layers: c.nLayers, heads: c.nHeads, width: c.dModel, headWidth: c.dHead, positions: c.nPositions, vocab: c.vocabSize },
    text,
    tokens: tokensJSON(enc),
    words: enc.words.map((w) => ({ text: w.text, start: w.start, end: w.end, tokens: [...w.tokens], special: w.special })),
    hooks: Object.fromEntries([...cache.entries()].map(([name, t]) => [name, tensorJSON(t)])),
    output: { kind: output.kind },
  };
  if (options.logits && output.logits) result.logits = tensorJSON(output.logits);
  if (options.lastHidden) result.lastHidden = tensorJSON(output.lastHidden);
  return result;
}
