// Builds the AttentionView of one word from a run: the items (words or tokens), the query, and its
// attention at the chosen selection, plus the full matrix and the layers × heads grid.

import { InputError } from '../errors.js';
import type { Tensor } from '../engine/tensor.js';
import type { ModelConfig } from '../models/config.js';
import type { Encoding } from '../tokenize/tokenizer.js';
import { combineHeads, tokenMatrix } from './aggregate.js';
import { findQuery } from './query.js';
import { mergeMatrix, mergeRow } from './words.js';
import type { Aggregate, AttentionView, Unit, ViewItem } from './view.js';

export interface ViewOptions {
  /** the word to look at (default: the last word) */
  word?: string;
  /** 1-based, when the word occurs more than once */
  occurrence?: number;
  /** default: the last layer */
  layer?: number;
  /** a head implies aggregate 'head' */
  head?: number;
  /** default: 'head' when a head is given, else 'mean' */
  aggregate?: Aggregate;
  unit?: Unit;
  hideSpecial?: boolean;
}

export const AGGREGATES: readonly Aggregate[] = ['head', 'mean', 'max', 'rollout'];

/** The items of the view: words (default) or tokens. */
export function viewItems(enc: Encoding, unit: Unit): ViewItem[] {
  if (unit === 'token') {
    return enc.tokens.map((t, i) => ({ index: i, label: t.text, special: t.special, tokens: [i] }));
  }
  return enc.words.map((w, i) => ({
    index: i,
    label: w.special || w.text === '' ? w.tokens.map((t) => enc.tokens[t].text).join('') : w.text,
    special: w.special,
    tokens: [...w.tokens],
  }));
}

/** Checks layer/head/aggregate against the model and fills in the defaults. */
export function resolveSelection(cfg: ModelConfig, o: ViewOptions): { aggregate: Aggregate; layer: number; head?: number } {
  const L = cfg.nLayers, H = cfg.nHeads;
  const layer = o.layer ?? L - 1;
  if (!Number.isInteger(layer) || layer < 0 || layer >= L) {
    throw new InputError(`--layer ${o.layer} does not exist: this model has ${L} layers (0..${L - 1})`);
  }
  if (o.head !== undefined && (!Number.isInteger(o.head) || o.head < 0 || o.head >= H)) {
    throw new InputError(`--head ${o.head} does not exist: this model has ${H} heads per layer (0..${H - 1})`);
  }
  const aggregate = o.aggregate ?? (o.head !== undefined ? 'head' : 'mean');
  if (!AGGREGATES.includes(aggregate)) throw new InputError(`--aggregate "${aggregate}" is unknown; use ${AGGREGATES.join(', ')}`);
  if (aggregate !== 'head' && o.head !== undefined) {
    throw new InputError(`--head ${o.head} only applies with --aggregate head (got --aggregate ${aggregate})`);
  }
  return aggregate === 'head' ? { aggregate, layer, head: o.head ?? 0 } : { aggregate, layer };
}

/**
 * The view of the query word. `patterns` are the [H, T, S] attention patterns of every layer.
 */
export function attentionView(
  model: { name: string; config: ModelConfig },
  enc: Encoding,
  patterns: readonly Tensor[],
  options: ViewOptions = {},
): AttentionView {
  const cfg = model.config;
  const unit = options.unit ?? 'word';
  const items = viewItems(enc, unit);
  const query = findQuery(items, options.word, options.occurrence);
  const selection = resolveSelection(cfg, options);
  const causal = cfg.causal;
  const matrix = mergeMatrix(tokenMatrix(patterns, selection.aggregate, selection.layer, selection.head), items, causal);
  const row = matrix[query];
  const lastQueryToken = Math.max(...items[query].tokens);
  const blocked = items.map((it) => causal && Math.min(...it.tokens) > lastQueryToken);
  const visible = row.reduce((sum, w, i) => (items[i].special ? sum : sum + w), 0);
  const renormalized = row.map((w, i) => (items[i].special ? null : visible > 0 ? w / visible : 0));
  const grid = patterns.map((p) => Array.from({ length: cfg.nHeads }, (_, h) => mergeRow(combineHeads(p, h), items, items[query], causal)));
  return {
    model: { name: model.name, arch: cfg.arch, layers: cfg.nLayers, heads: cfg.nHeads, headWidth: cfg.dHead, causal },
    text: enc.text,
    unit,
    items,
    query,
    selection,
    row,
    blocked,
    hideSpecial: options.hideSpecial ?? false,
    renormalized,
    matrix,
    grid,
  };
}
