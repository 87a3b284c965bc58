// Hand-made AttentionViews for the render tests: fixed numbers (a seeded generator fills the matrix and the
// grid), shaped like the real thing: GPT-2 words, BERT with [CLS]/[SEP], a causal query mid-sentence,
// a 64-word paragraph, and labels chosen to break naive escaping.

import type { AttentionView, Selection, ViewModel } from '../../src/interpret/view.js';

const GPT2: ViewModel = { name: 'gpt2', arch: 'gpt2', layers: 12, heads: 12, headWidth: 64, causal: true };
const BERT: ViewModel = { name: 'bert-base-uncased', arch: 'bert', layers: 12, heads: 12, headWidth: 64, causal: false };

/** mulberry32: a tiny seeded generator, so the numbers never change. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A softmax row over the positions a query at `i` may see (all, or 0..i when causal), rounded to 4 decimals. */
function randomRow(n: number, i: number, causal: boolean, next: () => number, sharp = 3): number[] {
  const scores = Array.from({ length: n }, (_, j) => (causal && j > i ? -Infinity : next() * sharp + (j === i ? 0.5 : 0)));
  const mx = Math.max(...scores);
  const e = scores.map((s) => (s === -Infinity ? 0 : Math.exp(s - mx)));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => Math.round((x / sum) * 1e4) / 1e4);
}

interface Make {
  model: ViewModel;
  text: string;
  labels: string[];
  special?: boolean[];
  query: number;
  selection: Selection;
  /** the query's row at the selection; random when omitted */
  row?: number[];
  hideSpecial?: boolean;
  seed: number;
  unit?: 'word' | 'token';
}

export function makeView(o: Make): AttentionView {
  const n = o.labels.length;
  const next = rng(o.seed);
  const special = o.special ?? o.labels.map(() => false);
  const causal = o.model.causal;
  const row = o.row ?? randomRow(n, o.query, causal, next);
  const matrix = Array.from({ length: n }, (_, i) => (i === o.query ? row.slice() : randomRow(n, i, causal, next)));
  const grid = Array.from({ length: o.model.layers }, (_, l) =>
    Array.from({ length: o.model.heads }, (_, h) =>
      o.selection.aggregate === 'head' && l === o.selection.layer && h === o.selection.head
        ? row.slice()
        : randomRow(n, o.query, causal, next, 1 + (l % 4) * 2),
    ),
  );
  const words = row.reduce((s, x, j) => (special[j] ? s : s + x), 0);
  return {
    model: o.model,
    text: o.text,
    unit: o.unit ?? 'word',
    items: o.labels.map((label, index) => ({ index, label, special: special[index], tokens: [index] })),
    query: o.query,
    selection: o.selection,
    row,
    blocked: row.map((_, j) => causal && j > o.query),
    hideSpecial: o.hideSpecial ?? false,
    renormalized: row.map((x, j) => (special[j] ? null : x / words)),
    matrix,
    grid,
  };
}

/** The seed sentence on GPT-2: “bank” is last, so nothing is blocked. */
export function riverView(): AttentionView {
  return makeView({
    model: GPT2,
    text: "He sat on the river's bank",
    labels: ['He', 'sat', 'on', 'the', "river's", 'bank'],
    query: 5,
    selection: { aggregate: 'head', layer: 5, head: 1 },
    row: [0.12, 0.06, 0.03, 0.05, 0.46, 0.28],
    seed: 1,
  });
}

const BERT_LABELS = ['[CLS]', 'he', 'sat', 'on', 'the', "river's", 'bank', '[SEP]'];
const BERT_SPECIAL = BERT_LABELS.map((l) => l.startsWith('['));

/** BERT with its special tokens hidden: bars renormalised over the six words. */
export function bertView(hideSpecial = true): AttentionView {
  return makeView({
    model: BERT,
    text: "He sat on the river's bank",
    labels: BERT_LABELS,
    special: BERT_SPECIAL,
    query: 6,
    selection: { aggregate: 'mean', layer: 9 },
    row: [0.21, 0.04, 0.05, 0.02, 0.03, 0.31, 0.12, 0.22],
    hideSpecial,
    seed: 2,
  });
}

/** GPT-2 with the query mid-sentence: the words after “bank” are blocked. */
export function causalView(): AttentionView {
  return makeView({
    model: GPT2,
    text: 'The bank of the river was steep and muddy',
    labels: ['The', 'bank', 'of', 'the', 'river', 'was', 'steep', 'and', 'muddy'],
    query: 1,
    selection: { aggregate: 'max', layer: 3 },
    row: [0.6425, 0.3575, 0, 0, 0, 0, 0, 0, 0],
    seed: 3,
  });
}

const PARAGRAPH =
  'The old fisherman walked slowly along the muddy bank of the river every morning before dawn, ' +
  'checking his nets and watching the herons, while across town the clerks at the savings bank unlocked ' +
  'the heavy doors, counted the coins, and waited for the first customers of a long and quiet day ' +
  'that would end, as always, with ledgers closed and lamps turned low';

/** 63 words on GPT-2 (gpt2-medium sized: 24 × 16), the query (the second “bank”) mid-text: long and partly blocked. */
export function longView(): AttentionView {
  const labels = PARAGRAPH.replace(/[,]/g, '').split(' ');
  return makeView({
    model: { ...GPT2, name: 'gpt2-medium', layers: 24, heads: 16 },
    text: PARAGRAPH,
    labels,
    query: labels.indexOf('bank', 10),
    selection: { aggregate: 'rollout', layer: 23 },
    seed: 4,
  });
}

/** Labels that must be escaped or made safe: markup, quotes, ampersands, emoji, CJK, ESC, RTL override. */
export function hostileView(): AttentionView {
  return makeView({
    model: { ...BERT, name: 'bert <"evil"> & co', layers: 2, heads: 3 },
    text: '<script>alert("x")</script> & “quotes” 🏦 銀行 \u001b[31mred \u202Egnp.exe',
    labels: ['<script>', 'alert("x")', '&amp;', "it's", '🏦', '銀行', '\u001b[31mred', '\u202Egnp.exe'],
    query: 4,
    selection: { aggregate: 'head', layer: 1, head: 2 },
    seed: 5,
  });
}

/** The other “bank”, for comparisons with riverView. */
export function moneyView(): AttentionView {
  return makeView({
    model: GPT2,
    text: 'She deposited the cheque at the bank',
    labels: ['She', 'deposited', 'the', 'cheque', 'at', 'the', 'bank'],
    query: 6,
    selection: { aggregate: 'head', layer: 5, head: 1 },
    row: [0.08, 0.31, 0.02, 0.22, 0.07, 0.04, 0.26],
    seed: 6,
  });
}

/** Every hand-made view, by name, for tests that run over all of them. */
export const VIEWS: [string, () => AttentionView][] = [
  ['river', riverView],
  ['bert', () => bertView(true)],
  ['bert-shown', () => bertView(false)],
  ['causal', causalView],
  ['long', longView],
  ['hostile', hostileView],
];
