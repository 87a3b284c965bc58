// The page's fixed elements (src/web/page/index.html), found once, and the shape of a result on screen.

import type { AttentionView } from '../../interpret/view.js';
import type { CompareResponse, ExplainJSON, ExplainResponse } from '../wire.js';
import { byId } from './dom.js';

export type Result = ExplainResponse | CompareResponse;
export type Side = 'a' | 'b';

export const el = {
  form: byId<HTMLFormElement>('input-form'),
  text: byId<HTMLTextAreaElement>('text'),
  textB: byId<HTMLTextAreaElement>('text-b'),
  textBField: byId('text-b-field'),
  compareOn: byId<HTMLInputElement>('compare-on'),
  hint: byId('text-hint'),
  go: byId<HTMLButtonElement>('go'),
  message: byId('message'),
  messageText: byId('message-text'),
  model: byId('model'),
  notice: byId('notice'),
  words: byId('words'),
  wordsTitle: byId('words-title'),
  wordsSub: byId('words-sub'),
  layer: byId<HTMLSelectElement>('layer'),
  head: byId<HTMLSelectElement>('head'),
  aggregate: byId('aggregate'),
  hideSpecial: byId<HTMLInputElement>('hide-special'),
  hideSpecialWrap: byId('hide-special-wrap'),
  tokens: byId<HTMLInputElement>('tokens'),
  barTitle: byId('bar-title'),
  barSub: byId('bar-sub'),
  bars: byId('bars'),
  barNote: byId('bar-note'),
  barLegend: byId('bar-legend'),
  barOrder: byId('bar-order'),
  similarity: byId('similarity'),
  levelTabs: byId('level-tabs'),
  explainPanel: byId('explain-panel'),
  gridSub: byId('grid-sub'),
  grid: byId('grid'),
  gridNote: byId('grid-note'),
  matrixSub: byId('matrix-sub'),
  matrix: byId('matrix'),
  matrixNote: byId('matrix-note'),
  matrixTabs: byId('matrix-tabs'),
  status: byId('status'),
};

export function views(r: Result): AttentionView[] {
  return r.kind === 'compare' ? [r.result.a.view, r.result.b.view] : [r.result.view];
}

export function runs(r: Result): ExplainJSON[] {
  return r.kind === 'compare' ? [r.result.a, r.result.b] : [r.result];
}

// findQuery's matching (src/interpret/query.ts): case-insensitive, subword markers stripped
export const norm = (s: string) => s.normalize('NFC').replace(/^[Ġ▁]|^##/, '').toLowerCase();

/** The 1-based occurrence of item `index` among items with the same text. */
export function occurrenceOf(v: AttentionView, index: number): { word: string; occurrence: number; count: number } {
  const word = v.items[index].label;
  const same = v.items.filter((it) => norm(it.label) === norm(word));
  return { word, occurrence: same.findIndex((it) => it.index === index) + 1, count: same.length };
}
