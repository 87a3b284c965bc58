// The chart spec: what every backend draws, computed once from an AttentionView — which items are shown,
// the value of each bar (raw, or renormalised when specials are hidden), the top two, blocked items and
// the notes that explain them. Terminal and SVG only lay this out.

import { ShapeError } from '../errors.js';
import { describeSelection, type AttentionView } from '../interpret/view.js';
import { cleanLabel, listJoin, pct, quoted } from './format.js';

export interface Bar {
  /** index into view.items */
  index: number;
  label: string;
  /** what the bar shows: view.row, or view.renormalized when specials are hidden */
  value: number;
  raw: number;
  renorm: number | null;
  blocked: boolean;
  special: boolean;
  query: boolean;
  /** 1 for the highest visible weight, 2 for the second, else 0 */
  rank: 0 | 1 | 2;
}

export interface BarSpec {
  /** Where does “bank” look? */
  title: string;
  /** model name · selection */
  subtitle: string;
  sentence: string;
  queryLabel: string;
  unit: 'word' | 'token';
  bars: Bar[];
  /** largest value among visible, unblocked bars */
  max: number;
  /** values are renormalised over the non-special items (specials hidden) */
  renormalized: boolean;
  /** labels of the hidden special items and the raw attention they took */
  hidden: { labels: string[]; total: number };
  /** explanation for blocked items, or null when none is blocked */
  blockedNote: string | null;
  /** one sentence on hidden specials (empty when none is hidden) */
  hiddenNote: string;
}

/** Checks that the view's arrays agree with its items; charts index them freely after this. */
export function checkView(v: AttentionView): void {
  const n = v.items.length;
  const bad = (what: string) => {
    throw new ShapeError(`render: the attention view is inconsistent: ${what} (the sentence has ${n} items)`);
  };
  if (n === 0) bad('no items');
  if (!Number.isInteger(v.query) || v.query < 0 || v.query >= n) bad(`query index ${v.query} is out of range`);
  if (v.row.length !== n) bad(`row has ${v.row.length} weights`);
  if (v.blocked.length !== n) bad(`blocked has ${v.blocked.length} entries`);
  if (v.renormalized.length !== n) bad(`renormalized has ${v.renormalized.length} entries`);
  if (v.matrix.length !== n || v.matrix.some((r) => r.length !== n)) bad('matrix is not N × N');
  if (v.grid.some((layer) => layer.some((row) => row.length !== n))) bad('a grid row does not have N weights');
}

/** Whether item i is drawn (specials are left out when hideSpecial; the query always stays). */
export function visibleItems(v: AttentionView): number[] {
  return v.items.filter((it) => !(v.hideSpecial && it.special && it.index !== v.query)).map((it) => it.index);
}

function finite(x: number | null | undefined): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

export function queryLabel(v: AttentionView): string {
  return cleanLabel(v.items[v.query].label);
}

export function barSpec(v: AttentionView): BarSpec {
  checkView(v);
  const keep = visibleItems(v);
  const kept = new Set(keep);
  const hiddenIdx = v.items.map((_, i) => i).filter((i) => !kept.has(i));
  const renormalized = hiddenIdx.length > 0;
  const q = queryLabel(v);
  const bars: Bar[] = keep.map((i) => ({
    index: i,
    label: cleanLabel(v.items[i].label),
    value: renormalized ? finite(v.renormalized[i]) : finite(v.row[i]),
    raw: finite(v.row[i]),
    renorm: v.renormalized[i] ?? null,
    blocked: Boolean(v.blocked[i]),
    special: v.items[i].special,
    query: i === v.query,
    rank: 0,
  }));
  // the two highest visible weights; ties go to the earlier item
  const order = bars
    .filter((b) => !b.blocked && b.value > 0)
    .sort((a, b) => b.value - a.value || a.index - b.index);
  if (order[0]) order[0].rank = 1;
  if (order[1]) order[1].rank = 2;
  const max = Math.max(0, ...bars.filter((b) => !b.blocked).map((b) => b.value));
  const hiddenLabels = hiddenIdx.map((i) => cleanLabel(v.items[i].label));
  // "[CLS] (×2) and [SEP]" rather than "[CLS], [CLS] and [SEP]"
  const counts = new Map<string, number>();
  for (const l of hiddenLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const hiddenNames = [...counts].map(([l, k]) => (k > 1 ? `${l} (×${k})` : l));
  const hiddenTotal = hiddenIdx.reduce((s, i) => s + finite(v.row[i]), 0);
  const unit = v.unit;
  const nWords = bars.filter((b) => !b.special).length;
  return {
    title: `Where does ${quoted(q)} look?`,
    subtitle: `${cleanLabel(v.model.name)} · ${describeSelection(v)}`,
    sentence: cleanLabel(v.text),
    queryLabel: q,
    unit,
    bars,
    max,
    renormalized,
    hidden: { labels: hiddenLabels, total: hiddenTotal },
    blockedNote: bars.some((b) => b.blocked) ? `after ${quoted(q)}: a causal model cannot look ahead` : null,
    hiddenNote: renormalized
      ? `${listJoin(hiddenNames)} hidden (${pct(hiddenTotal)} of the attention); ` +
        `the rest is rescaled to 100% over the ${nWords} ${unit}${nWords === 1 ? '' : 's'}`
      : '',
  };
}

export interface MatrixSpec {
  /** indices into view.items of the rows and columns shown */
  items: number[];
  labels: string[];
  special: boolean[];
  /** values[r][c]: attention of shown item r to shown item c (rows renormalised when specials are hidden) */
  values: number[][];
  /** blocked[r][c]: a causal model cannot attend there (column after row) */
  blocked: boolean[][];
  /** position of the query among the rows */
  queryRow: number;
  renormalized: boolean;
  /** largest unblocked value */
  max: number;
}

/** Rows over the kept columns, rescaled to sum to 1 when some columns were dropped (as view.renormalized is). */
function keepRow(row: number[], keep: number[], renormalize: boolean): number[] {
  const vals = keep.map((j) => finite(row[j]));
  if (!renormalize) return vals;
  const s = vals.reduce((a, b) => a + b, 0);
  return s > 0 ? vals.map((x) => x / s) : vals;
}

export function matrixSpec(v: AttentionView): MatrixSpec {
  checkView(v);
  const keep = visibleItems(v);
  const renormalized = keep.length < v.items.length;
  const values = keep.map((i) => keepRow(v.matrix[i], keep, renormalized));
  // the query row is the view's own row, so the heatmap and the bar chart always agree
  const qr = keep.indexOf(v.query);
  values[qr] = keep.map((j) => (renormalized ? finite(v.renormalized[j]) : finite(v.row[j])));
  const blocked = keep.map((i, r) =>
    keep.map((j) => (r === qr ? Boolean(v.blocked[j]) : v.model.causal && j > i)),
  );
  let max = 0;
  values.forEach((row, r) => row.forEach((x, c) => { if (!blocked[r][c] && x > max) max = x; }));
  return {
    items: keep,
    labels: keep.map((i) => cleanLabel(v.items[i].label)),
    special: keep.map((i) => v.items[i].special),
    values,
    blocked,
    queryRow: qr,
    renormalized,
    max,
  };
}

export interface GridSpec {
  layers: number;
  heads: number;
  items: number[];
  labels: string[];
  special: boolean[];
  blocked: boolean[];
  /** cells[l][h][c]: the query's attention to shown item c in layer l, head h */
  cells: number[][][];
  /** position of the query among the shown items */
  queryCol: number;
  renormalized: boolean;
  /** whether the selection covers cell (l, h): one head, a whole layer (mean/max), or layers 0..l (rollout) */
  selected(l: number, h: number): boolean;
}

export function gridSpec(v: AttentionView): GridSpec {
  checkView(v);
  const keep = visibleItems(v);
  const renormalized = keep.length < v.items.length;
  const s = v.selection;
  return {
    layers: v.grid.length,
    heads: Math.max(0, ...v.grid.map((l) => l.length)),
    items: keep,
    labels: keep.map((i) => cleanLabel(v.items[i].label)),
    special: keep.map((i) => v.items[i].special),
    blocked: keep.map((i) => Boolean(v.blocked[i])),
    cells: v.grid.map((layer) => layer.map((row) => keepRow(row, keep, renormalized))),
    queryCol: keep.indexOf(v.query),
    renormalized,
    selected(l, h) {
      switch (s.aggregate) {
        case 'head':
          return l === s.layer && h === s.head;
        case 'mean':
        case 'max':
          return l === s.layer;
        case 'rollout':
          return l <= s.layer;
      }
    },
  };
}

/** A title for two views side by side: “bank” in two sentences, or “bank” vs “shore”. */
export function compareTitle(a: AttentionView, b: AttentionView): string {
  const qa = queryLabel(a);
  const qb = queryLabel(b);
  return qa === qb ? `Where does ${quoted(qa)} look? Two sentences` : `Where do ${quoted(qa)} and ${quoted(qb)} look?`;
}
