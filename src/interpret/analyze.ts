// One call from text to everything the explainer shows: tokens and words, the run, the view of the
// query word at the chosen selection, and the numbers of the narrated head (ExplainContext).

import type { Encoding } from '../tokenize/tokenizer.js';
import { hookNames as n } from '../models/hook-names.js';
import type { ModelOutput } from '../models/types.js';
import type { ActivationCache } from './cache.js';
import { attentionView, resolveSelection, type ViewOptions } from './attend.js';
import { contextHooks, explainContext, type ExplainContext } from './context.js';
import type { Transformer } from './load.js';
import { runWithCache } from './run.js';
import type { AttentionView } from './view.js';

export interface Analysis {
  encoding: Encoding;
  view: AttentionView;
  context: ExplainContext;
  output: ModelOutput;
  cache: ActivationCache;
}

export function analyze(tf: Transformer, text: string, options: ViewOptions = {}): Analysis {
  const encoding = tf.tokenizer.encode(text);
  const cfg = tf.config;
  const { layer } = resolveSelection(cfg, options);
  // the block outputs (GPT-2: resid_post; BERT: after its final LayerNorm) feed compare's per-layer similarity
  const hooks = ['pattern', cfg.arch === 'bert' ? 'normalized_resid_post' : 'resid_post', ...contextHooks(cfg, layer)];
  const { output, cache } = runWithCache(tf.model, { ids: encoding.ids, typeIds: encoding.typeIds }, { hooks });
  const patterns = Array.from({ length: cfg.nLayers }, (_, l) => cache.get(n.pattern(l)));
  const view = attentionView(tf, encoding, patterns, options);
  const context = explainContext(view, cache, cfg, encoding.tokens);
  return { encoding, view, context, output, cache };
}
