// What the view's numbers say, as categories the wording branches on: where the query word's attention
// goes (itself, a special token, the previous word, one other word), how concentrated it is, what a causal
// model hides, and how the narrated head compares with the rest of its layer. Computed once, shared by
// all three levels, so they never disagree.

import type { ExplainContext } from '../interpret/context.js';
import { describeSelection } from '../interpret/view.js';
import { entropy, ranked, sum, totalVariation } from './numbers.js';

/** How the attention is distributed. */
export type Shape =
  /** the word can see only itself (the first word of a causal model) */
  | 'alone'
  /** one item takes most of it */
  | 'focused'
  /** two items share most of it */
  | 'pair'
  /** close to even over what it can see */
  | 'spread'
  /** a clear favourite, but much left over */
  | 'leaning';

/** What the top item is, relative to the query. */
export type TopKind = 'self' | 'special' | 'previous' | 'first' | 'other';

export interface Reading {
  word: string;
  /** the query's item index */
  query: number;
  causal: boolean;
  /** the view's row (word or token level) */
  row: number[];
  /** the row scaled to sum to 1 (differs from row only for the 'max' aggregate) */
  share: number[];
  /** items the query can see, ranked by weight */
  order: number[];
  top: number;
  /** -1 when only one item is visible */
  second: number;
  topKind: TopKind;
  selfWeight: number;
  /** visible special items ([CLS], [SEP], <|endoftext|>) with their weight */
  specials: number[];
  specialWeight: number;
  /** the nearest item before the query, if it is not special; else -1 */
  previous: number;
  /** the best-weighted item that is neither the query nor special; -1 if none */
  topContext: number;
  /** items a causal model cannot see (after the query) */
  blocked: number[];
  entropy: number;
  /** entropy / log(number of visible items), 0 (one item) … 1 (even) */
  evenness: number;
  /** exp(entropy): how many items' worth of attention */
  effective: number;
  top2: number;
  shape: Shape;
  selection: string;
  /** the narrated layer's rows per head (from the view's grid) and their mean */
  headRows: number[][];
  meanRow: number[];
  /** the narrated head's row, its top item, and its distance from the layer mean */
  headRow: number[];
  headTop: number;
  headVsMean: number;
  /** each head's top item in the narrated layer */
  headTops: number[];
}

export function readView(ctx: ExplainContext): Reading {
  const v = ctx.view;
  const row = v.row;
  const total = sum(row);
  const share = row.map((w) => (total > 0 ? w / total : 0));
  const visibleIdx = v.items.map((_, i) => i).filter((i) => !v.blocked[i]);
  const order = ranked(row, (i) => !v.blocked[i]);
  const top = order[0];
  const second = order.length > 1 ? order[1] : -1;
  const specials = visibleIdx.filter((i) => v.items[i].special);
  const qi = v.query;
  let previous = -1;
  for (let i = qi - 1; i >= 0; i--) {
    if (!v.items[i].special) previous = i;
    break;
  }
  const firstReal = v.items.findIndex((it) => !it.special);
  const topKind: TopKind =
    top === qi ? 'self' : v.items[top].special ? 'special' : top === previous ? 'previous' : top === firstReal ? 'first' : 'other';
  const topContext = order.find((i) => i !== qi && !v.items[i].special) ?? -1;
  const visShare = visibleIdx.map((i) => share[i]);
  const h = entropy(visShare);
  const evenness = visibleIdx.length > 1 ? h / Math.log(visibleIdx.length) : 0;
  const top2 = share[top] + (second >= 0 ? share[second] : 0);
  const t = share[top], s2 = second >= 0 ? share[second] : 0;
  const shape: Shape =
    visibleIdx.length === 1 ? 'alone'
    : t >= 0.6 ? 'focused'
    : s2 >= 0.2 && top2 >= 0.7 ? 'pair'
    : evenness >= 0.85 && t < Math.max(0.3, 2 / visibleIdx.length) ? 'spread'
    : 'leaning';
  const headRows = v.grid[ctx.layer];
  const H = headRows.length;
  const meanRow = row.map((_, i) => headRows.reduce((a, r) => a + r[i], 0) / H);
  const headRow = headRows[ctx.head];
  const headTops = headRows.map((r) => ranked(r)[0]);
  return {
    word: labelOf(ctx, qi), query: qi, causal: v.model.causal, row, share, order, top, second, topKind,
    selfWeight: row[qi], specials, specialWeight: specials.reduce((a, i) => a + row[i], 0), previous, topContext,
    blocked: v.items.map((_, i) => i).filter((i) => v.blocked[i]),
    entropy: h, evenness, effective: Math.exp(h), top2, shape, selection: describeSelection(v),
    headRows, meanRow, headRow, headTop: headTops[ctx.head], headVsMean: totalVariation(headRow, meanRow), headTops,
  };
}

/** Labels of items, for text; in token mode without the tokenizer's space and continuation marks (Ġ, ▁, ##). */
export function labelOf(ctx: ExplainContext, i: number): string {
  const it = ctx.view.items[i];
  if (ctx.view.unit !== 'token' || it.special) return it.label;
  return it.label.replace(/^[Ġ▁]|^##/, '') || it.label;
}
