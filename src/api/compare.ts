// Compare: the same word in two sentences — both attention views, and how different the word's vector
// is in the two contexts (cosine similarity after every layer and at the output), explained at a level.

import { InputError } from '../errors.js';
import { analyze } from '../interpret/analyze.js';
import type { Transformer } from '../interpret/load.js';
import { hookNames } from '../models/hook-names.js';
import type { Explanation, Level } from '../explain/types.js';
import { explainAnalysis, type ExplainOptions, type ExplainResult } from './explain.js';
import { compareExplanation } from './compare-text.js';
import { cosine, itemVector } from './vectors.js';

export interface CompareResult {
  format: 'attn.compare/1';
  word: string;
  a: ExplainResult;
  b: ExplainResult;
  similarity: {
    /** cosine of the word's final vectors (GPT-2: after the final LayerNorm; BERT: last hidden state) */
    final: number;
    /** cosine after each block, layer 0 first */
    layers: number[];
  };
  explanation: Explanation;
}

export interface CompareOptions extends Omit<ExplainOptions, 'occurrence'> {
  occurrenceA?: number;
  occurrenceB?: number;
}

export function compare(tf: Transformer, textA: string, textB: string, options: CompareOptions = {}): CompareResult {
  const level: Level = options.level ?? 'newbie';
  const word = options.word;
  if (word === undefined) throw new InputError('compare needs --word: the word to follow in both sentences');
  const a = analyze(tf, textA, { ...options, occurrence: options.occurrenceA });
  const b = analyze(tf, textB, { ...options, occurrence: options.occurrenceB });
  const cfg = tf.config;
  const block = (l: number) => (cfg.arch === 'bert' ? hookNames.normalizedResidPost(l) : hookNames.residPost(l));
  const vec = (x: typeof a, t: import('../engine/tensor.js').Tensor) => itemVector(t, x.view.items[x.view.query], cfg.causal);
  const layers = Array.from({ length: cfg.nLayers }, (_, l) => cosine(vec(a, a.cache.get(block(l))), vec(b, b.cache.get(block(l)))));
  const final = cosine(vec(a, a.output.lastHidden), vec(b, b.output.lastHidden));
  const ra = explainAnalysis(a, level), rb = explainAnalysis(b, level);
  return {
    format: 'attn.compare/1', word, a: ra, b: rb, similarity: { final, layers },
    explanation: compareExplanation(level, ra, rb, { final, layers }, cfg.arch),
  };
}
