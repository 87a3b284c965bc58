// Attention at the level of words. Models attend between subword tokens; people read words. Rules:
// - attention TO a word = the sum of the weights on its tokens (so a row still sums to 1);
// - attention FROM a word = for a causal model, the row of the word's LAST token (the only token that has
//   seen the whole word); for a bidirectional model, the mean of its tokens' rows.

import type { Matrix } from './aggregate.js';

export interface Span {
  /** token indices, ascending */
  tokens: readonly number[];
}

/** The token rows that stand for `item` as a query, with their weights (see the rules above). */
export function queryRows(item: Span, causal: boolean): { token: number; weight: number }[] {
  if (causal) return [{ token: item.tokens[item.tokens.length - 1], weight: 1 }];
  return item.tokens.map((token) => ({ token, weight: 1 / item.tokens.length }));
}

/** Merges a token-level [T][S] matrix into an item-level [N][N] one with the rules above. */
export function mergeMatrix(m: Matrix, items: readonly Span[], causal: boolean): number[][] {
  return items.map((from) => mergeRow(m, items, from, causal));
}

/** The item-level row of `from` (one weight per item). */
export function mergeRow(m: Matrix, items: readonly Span[], from: Span, causal: boolean): number[] {
  const S = m[0].length;
  const tokenRow = new Float64Array(S);
  for (const { token, weight } of queryRows(from, causal)) {
    const r = m[token];
    for (let s = 0; s < S; s++) tokenRow[s] += r[s] * weight;
  }
  return items.map((it) => it.tokens.reduce((sum, s) => sum + tokenRow[s], 0));
}
