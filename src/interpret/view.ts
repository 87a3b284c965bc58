// AttentionView: what every chart and explanation of one word's attention shows, as plain data.
// Built by interpret/attend.ts from a run; read by render/ (terminal, SVG, PNG) and explain/.

export type Aggregate = 'head' | 'mean' | 'max' | 'rollout';
export type Unit = 'word' | 'token';

/** One column (and row) of the charts: a word of the sentence, or a token in --tokens mode. */
export interface ViewItem {
  index: number;
  /** what to print: the word's text, or the token string ([CLS], Ġbank) for tokens and special words */
  label: string;
  special: boolean;
  /** token indices this item covers */
  tokens: number[];
}

export interface Selection {
  aggregate: Aggregate;
  /** the layer shown (rollout: the layer the product runs up to, inclusive) */
  layer: number;
  /** the head, when aggregate is 'head' */
  head?: number;
}

export interface ViewModel {
  name: string;
  arch: 'gpt2' | 'bert';
  layers: number;
  heads: number;
  headWidth: number;
  /** causal (GPT-2): a position attends only to itself and earlier ones */
  causal: boolean;
}

export interface AttentionView {
  model: ViewModel;
  text: string;
  unit: Unit;
  items: ViewItem[];
  /** index into items of the word whose attention is shown */
  query: number;
  selection: Selection;
  /** attention of the query over every item, in [0, 1]; sums to 1 over all items (specials included) */
  row: number[];
  /** true where the query cannot look at all (causal models: items after the query) */
  blocked: boolean[];
  /** whether special items ([CLS], [SEP], <|endoftext|>) are to be hidden in charts */
  hideSpecial: boolean;
  /** row over the non-special items renormalised to sum to 1 (specials: null); always computed */
  renormalized: (number | null)[];
  /** [N][N] at the same selection: matrix[i][j] = attention of item i to item j */
  matrix: number[][];
  /** [L][H][N]: the query's row in every layer and head (the layers × heads grid) */
  grid: number[][][];
}

/** A short human description of the selection, e.g. "layer 2, head 5" or "mean of 12 heads, layer 11". */
export function describeSelection(v: Pick<AttentionView, 'selection' | 'model'>): string {
  const s = v.selection;
  switch (s.aggregate) {
    case 'head':
      return `layer ${s.layer}, head ${s.head}`;
    case 'mean':
      return `layer ${s.layer}, mean of ${v.model.heads} heads`;
    case 'max':
      return `layer ${s.layer}, max over ${v.model.heads} heads`;
    case 'rollout':
      return `attention rollout through layers 0–${s.layer}`;
  }
}
