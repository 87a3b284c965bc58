// The bar chart of one word's attention, laid out in HTML from the CLI's own chart spec (render/spec.ts
// barSpec: the same values, top two, blocked and hidden items as `attn --format svg`): vertical bars for
// short sentences, horizontal rows (scrolling, optionally sorted by weight) for long ones.

import type { Bar, BarSpec } from '../../render/spec.js';
import { pct } from '../../render/format.js';
import { ticks, type Ticks } from '../../render/scale.js';
import { fixed, h, rovingFocus, setTabStop, tokenList } from './dom.js';
import { tipLines, tooltip } from './tooltip.js';

export interface BarOptions {
  /** the tokens of the run, for the tooltips */
  tokens: { text: string }[];
  /** token indices of each item (view.items[i].tokens) */
  itemTokens: number[][];
  /** a shared axis (compare mode); default from this spec */
  axis?: Ticks;
  /** horizontal rows sorted by weight instead of sentence order */
  byWeight?: boolean;
  /** force horizontal rows (narrow panels) */
  horizontal?: boolean;
  /** a click on a bar: look at that word instead */
  onPick?: (index: number) => void;
}

/** Vertical bars up to this many items (as the SVG chart), when each gets at least MIN_BAND px. */
const VERTICAL_MAX = 16;
const MIN_BAND = 44;

export function useHorizontal(spec: BarSpec, width: number): boolean {
  return spec.bars.length > VERTICAL_MAX || width / Math.max(1, spec.bars.length) < MIN_BAND;
}

function barTip(spec: BarSpec, b: Bar, o: BarOptions): () => ReturnType<typeof tipLines> {
  return () =>
    tipLines(
      b.label,
      b.blocked ? spec.blockedNote : `attention from “${spec.queryLabel}”: ${fixed(b.value, 4)} (${pct(b.value, 2)})`,
      spec.renormalized && !b.blocked ? `before hiding special tokens: ${fixed(b.raw, 4)}` : null,
      `token${o.itemTokens[b.index].length > 1 ? 's' : ''}: ${tokenList(o.tokens, o.itemTokens[b.index])}`,
      b.query ? `“${b.label}” itself: the query word` : b.rank === 1 ? 'the highest weight' : b.rank === 2 ? 'the second highest weight' : null,
    );
}

function classes(b: Bar): string {
  return ['bar-item', b.query && 'is-query', b.special && 'is-special', b.blocked && 'is-blocked', b.rank && `rank-${b.rank}`].filter(Boolean).join(' ');
}

function dataset(el: HTMLElement, b: Bar): HTMLElement {
  el.dataset.index = String(b.index);
  el.dataset.value = String(b.value);
  el.dataset.raw = String(b.raw);
  el.dataset.label = b.label;
  el.setAttribute('aria-label', b.blocked ? `${b.label}: not visible to ${'the query'} (causal model)` : `${b.label}: ${pct(b.value, 1)}`);
  return el;
}

function vertical(spec: BarSpec, axis: Ticks, o: BarOptions): HTMLElement {
  const n = spec.bars.length;
  const cols = h('div', { class: 'v-cols' });
  cols.style.setProperty('--n', String(n));
  const labels = h('div', { class: 'v-labels' });
  labels.style.setProperty('--n', String(n));
  const showAll = n <= 10;
  for (const b of spec.bars) {
    const col = dataset(h('button', { type: 'button', class: classes(b) }), b);
    if (!b.blocked) {
      const bar = h('span', { class: 'bar' });
      bar.style.height = `${(Math.min(b.value, axis.max) / axis.max) * 100}%`;
      col.append(h('span', { class: 'value' + (showAll || b.rank || b.query ? '' : ' is-faint') }, pct(b.value)), bar);
    }
    if (o.onPick) col.addEventListener('click', () => o.onPick!(b.index));
    tooltip(col, barTip(spec, b, o));
    cols.append(col);
    labels.append(h('span', { class: 'v-label' + (b.query ? ' is-query' : b.special || b.blocked ? ' is-faint' : '') }, b.label));
  }
  const grid = h('div', { class: 'v-grid', 'aria-hidden': 'true' });
  for (const t of axis.values) {
    const line = h('div', { class: 'gridline' + (t === 0 ? ' is-zero' : '') }, h('span', { class: 'tick' }, pct(t, axis.decimals)));
    line.style.bottom = `${(t / axis.max) * 100}%`;
    grid.append(line);
  }
  const plot = h('div', { class: 'v-plot' }, grid);
  const blocked = spec.bars.map((b, k) => (b.blocked ? k : -1)).filter((k) => k >= 0);
  if (blocked.length) {
    const hatch = h('div', { class: 'hatch' }, blocked.length >= 2 ? h('span', { class: 'hatch-note' }, spec.blockedNote) : null);
    hatch.style.left = `${(blocked[0] / n) * 100}%`;
    hatch.style.width = `${(blocked.length / n) * 100}%`;
    plot.append(hatch);
  }
  plot.append(cols);
  const wrap = h('div', { class: 'bars vertical', role: 'group' }, h('div', { class: 'axis-title', 'aria-hidden': 'true' }, 'attention weight'), plot, labels);
  const items = [...cols.querySelectorAll<HTMLElement>('button')];
  setTabStop(items, items.find((x) => x.classList.contains('is-query')));
  rovingFocus(cols, 'button');
  return wrap;
}

function horizontal(spec: BarSpec, axis: Ticks, o: BarOptions, width: number): HTMLElement {
  const bars = o.byWeight ? [...spec.bars].sort((a, b) => Number(a.blocked) - Number(b.blocked) || b.value - a.value || a.index - b.index) : spec.bars;
  const head = h('div', { class: 'h-axis', 'aria-hidden': 'true' }, h('span'), h('span', { class: 'h-axis-title' }, 'attention weight'), h('span'), h('span'));
  const scale = h('div', { class: 'h-scale' });
  // tick labels need ~48 px each: thin them out on narrow tracks (the gridlines stay)
  const track = Math.max(60, width - (width < 640 ? 96 + 48 : 150 + 58) - 24);
  const every = Math.ceil((axis.values.length * 48) / track);
  for (const [k, t] of axis.values.entries()) {
    if (k % every !== 0 && k !== axis.values.length - 1) continue;
    const tick = h('span', { class: 'tick' }, pct(t, axis.decimals));
    tick.style.left = `${(t / axis.max) * 100}%`;
    scale.append(tick);
  }
  head.append(scale, h('span'));
  const rows = h('div', { class: 'h-rows' + (bars.length > 24 ? ' is-long' : '') });
  let noted = false;
  for (const b of bars) {
    const track = h('span', { class: 'track' });
    for (const t of axis.values) {
      const g = h('span', { class: 'gridline' + (t === 0 ? ' is-zero' : '') });
      g.style.left = `${(t / axis.max) * 100}%`;
      track.append(g);
    }
    if (b.blocked) {
      track.classList.add('hatch');
      if (!noted) track.append(h('span', { class: 'hatch-note' }, spec.blockedNote));
      noted = true;
    } else {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${(Math.min(b.value, axis.max) / axis.max) * 100}%`;
      track.append(bar);
    }
    const row = dataset(
      h('button', { type: 'button', class: classes(b) }, h('span', { class: 'h-label' }, b.label), track, h('span', { class: 'value' }, b.blocked ? '' : pct(b.value))),
      b,
    );
    if (o.onPick) row.addEventListener('click', () => o.onPick!(b.index));
    tooltip(row, barTip(spec, b, o));
    rows.append(row);
  }
  const items = [...rows.querySelectorAll<HTMLElement>('button')];
  setTabStop(items, items.find((x) => x.classList.contains('is-query')));
  rovingFocus(rows, 'button');
  return h('div', { class: 'bars horizontal', role: 'group' }, head, rows);
}

/** The chart for `spec`, sized for a container `width` px wide. */
export function barChart(spec: BarSpec, width: number, o: BarOptions): HTMLElement {
  const axis = o.axis ?? ticks(spec.max);
  const el = o.horizontal || useHorizontal(spec, width) ? horizontal(spec, axis, o, width) : vertical(spec, axis, o);
  el.setAttribute('aria-label', `${spec.title} ${spec.subtitle}`);
  return el;
}

/** What the marks mean: the query's colour, the hatching, the special tokens' grey (as the SVG legend). */
export function barLegend(specs: BarSpec[]): HTMLElement {
  const el = h('div', { class: 'legend' });
  const qs = [...new Set(specs.map((s) => s.queryLabel))];
  el.append(h('span', { class: 'key' }, h('span', { class: 'swatch is-query' }), qs.length === 1 ? `“${qs[0]}” itself (the query ${specs[0].unit})` : 'the query word itself'));
  const note = specs.map((s) => s.blockedNote).find((x) => x);
  if (note) el.append(h('span', { class: 'key' }, h('span', { class: 'swatch hatch' }), note));
  if (specs.some((s) => s.bars.some((b) => b.special))) el.append(h('span', { class: 'key' }, h('span', { class: 'swatch is-special' }), 'special tokens'));
  return el;
}
