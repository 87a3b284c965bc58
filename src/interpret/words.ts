// Attention at the level of words. Models attend between subword tokens; people read words. Rules:
// - attention TO a word = the sum of the weights on its tokens (so a row still sums to 1);
// - attention FROM a word = for a causal model, the row of the word's LAST token (the only token that has
//   seen the whole word); for a bidirectional model, the mean of its tokens' rows.

import { InputError } from '../errors.js';
import type { Tensor } from '../engine/tensor.js';

export interface WordSpan {
  text: string;
  /** token indices, ascending */
  tokens: readonly number[];
  special: boolean;
}

export type HeadChoice = number | 'mean';

/** The token rows that stand for `word` as a query, with their weights (see the rules above). */
export function queryRows(word: WordSpan, causal: boolean): { token: number; weight: number }[] {
  if (causal) return [{ token: word.tokens[word.tokens.length - 1], weight: 1 }];
  return word.tokens.map((token) => ({ token, weight: 1 / word.tokens.length }));
}

/**
 * Attention of word `from` over every word, from pattern [H, T, S] for one head or the mean over heads.
 * Returns one weight per word (sums to 1 over all words, special ones included).
 */
export function wordAttentionRow(pattern: Tensor, words: readonly WordSpan[], from: number, head: HeadChoice, causal: boolean): number[] {
  const [H, T, S] = pattern.shape;
  if (typeof head === 'number' && (!Number.isInteger(head) || head < 0 || head >= H)) {
    throw new InputError(`head ${head} does not exist; this layer has heads 0..${H - 1}`);
  }
  const heads = head === 'mean' ? Array.from({ length: H }, (_, h) => h) : [head];
  const tokenRow = new Float64Array(S);
  for (const { token, weight } of queryRows(words[from], causal)) {
    for (const h of heads) {
      const off = (h * T + token) * S;
      for (let s = 0; s < S; s++) tokenRow[s] += (pattern.data[off + s] * weight) / heads.length;
    }
  }
  return words.map((w) => w.tokens.reduce((sum, s) => sum + tokenRow[s], 0));
}
