// Drawing the result into the page's cards: the words, the bar chart(s), the layers × heads grid, the
// matrix (heatmap or head view) and the explanation. Pure layout over the API's JSON and the CLI's chart specs.

import { barSpec, compareTitle } from '../../render/spec.js';
import { ticks } from '../../render/scale.js';
import { describeSelection, type AttentionView } from '../../interpret/view.js';
import type { Level } from '../../explain/types.js';
import type { AggregateParam } from '../params.js';
import type { CompareResponse, ExplainJSON, ModelInfo } from '../wire.js';
import { barChart, barLegend, useHorizontal } from './bars.js';
import { clear, h } from './dom.js';
import { el, runs, views, type Result, type Side } from './elements.js';
import { explanationPanel } from './explain.js';
import { gridNote, headGrid } from './grid.js';
import { heatmap, headView } from './matrix.js';
import { wordChips } from './sentence.js';

/** What the panels need from the page: its view settings and what to do on a click. */
export interface App {
  ui: { step: number; all: boolean; matrix: 'heatmap' | 'headview'; byWeight: boolean; side: Side };
  level(): Level;
  pick(side: Side, index: number): void;
  select(s: { layer?: number; aggregate?: AggregateParam; head?: number }): void;
  render(): void;
}

export function widthOf(node: HTMLElement): number {
  return Math.max(260, node.clientWidth || node.parentElement?.clientWidth || 600);
}

export function renderModel(m: ModelInfo): void {
  const params = m.parameters >= 1e9 ? `${(m.parameters / 1e9).toFixed(1)}B` : m.parameters >= 1e6 ? `${(m.parameters / 1e6).toFixed(1)}M` : `${Math.round(m.parameters / 1e3)}k`;
  clear(el.model);
  el.model.append(
    h('span', { class: 'model-name' }, m.name),
    h('span', { class: 'model-facts' }, `${m.arch === 'gpt2' ? 'GPT-2' : 'BERT'} · ${m.layers} layers × ${m.heads} heads · ${params} parameters · up to ${m.positions} tokens`),
  );
  if (m.notice) {
    el.notice.textContent = m.notice;
    el.notice.hidden = false;
  }
  el.layer.replaceChildren(...Array.from({ length: m.layers }, (_, l) => h('option', { value: l }, `Layer ${l}${l === m.layers - 1 ? ' (last)' : ''}`)));
  el.head.replaceChildren(...Array.from({ length: m.heads }, (_, hd) => h('option', { value: hd }, `Head ${hd}`)));
  el.hint.textContent = `Up to ${m.positions} tokens for this model. Enter to run, Shift+Enter for a new line.`;
}

export function renderWords(r: Result, app: App): void {
  const vs = views(r);
  const rs = runs(r);
  clear(el.words);
  vs.forEach((v, i) => {
    const side: Side = i === 0 ? 'a' : 'b';
    const chips = wordChips(v, barSpec(v), { tokens: rs[i].tokens, onPick: (idx) => app.pick(side, idx), label: vs.length > 1 ? `Words of sentence ${side.toUpperCase()}` : 'Words of the sentence' });
    el.words.append(vs.length > 1 ? h('div', { class: 'words-side' }, h('span', { class: 'side-tag' }, side.toUpperCase()), chips) : chips);
  });
  // long texts scroll inside their box: bring the chosen word into view there
  for (const box of el.words.querySelectorAll<HTMLElement>('.words.is-long')) {
    const chip = box.querySelector<HTMLElement>('.word.is-query');
    if (chip) box.scrollTop = Math.max(0, chip.offsetTop - box.clientHeight / 2);
  }
  const q = vs[0].items[vs[0].query].label;
  el.wordsTitle.textContent = vs.length > 1 ? 'Click a word in either sentence' : 'Click a word';
  el.wordsSub.textContent = `Shading shows how much “${q}” attends to each ${vs[0].unit}. Hover for exact weights and tokens; arrow keys move between ${vs[0].unit}s.`;
}

export function renderBars(r: Result, app: App): void {
  const vs = views(r);
  const rs = runs(r);
  const specs = vs.map((v) => barSpec(v));
  const width = widthOf(el.bars);
  clear(el.bars);
  el.similarity.hidden = true;
  if (r.kind === 'explain') {
    const spec = specs[0];
    el.barTitle.textContent = spec.title;
    el.barSub.textContent = spec.subtitle;
    const horizontal = useHorizontal(spec, width);
    el.barOrder.hidden = !horizontal || spec.bars.length < 12;
    el.bars.append(barChart(spec, width, { tokens: rs[0].tokens, itemTokens: vs[0].items.map((it) => it.tokens), byWeight: app.ui.byWeight, onPick: (i) => app.pick('a', i) }));
  } else {
    el.barTitle.textContent = compareTitle(vs[0], vs[1]);
    el.barSub.textContent = `${vs[0].model.name} · ${describeSelection(vs[0])} · both charts on one scale`;
    const axis = ticks(Math.max(specs[0].max, specs[1].max));
    const half = width >= 720 ? (width - 32) / 2 : width;
    const horizontal = specs.some((s) => useHorizontal(s, half));
    el.barOrder.hidden = !horizontal || Math.max(...specs.map((s) => s.bars.length)) < 12;
    const panels = specs.map((spec, i) =>
      h(
        'div',
        { class: 'compare-panel' },
        h('p', { class: 'compare-sentence' }, h('span', { class: 'side-tag' }, i === 0 ? 'A' : 'B'), `“${spec.sentence}”`),
        barChart(spec, half, { tokens: rs[i].tokens, itemTokens: vs[i].items.map((it) => it.tokens), axis, byWeight: app.ui.byWeight, horizontal, onPick: (idx) => app.pick(i === 0 ? 'a' : 'b', idx) }),
      ),
    );
    el.bars.append(h('div', { class: 'compare-panels' + (width >= 720 ? ' is-side-by-side' : '') }, ...panels));
    renderSimilarity(r);
  }
  const notes = specs.map((s) => s.hiddenNote).filter(Boolean);
  el.barNote.hidden = notes.length === 0;
  el.barNote.textContent = [...new Set(notes)].join(' · ');
  clear(el.barLegend);
  el.barLegend.append(barLegend(specs));
}

export function renderSimilarity(r: CompareResponse): void {
  const s = r.result.similarity;
  const rows = s.layers.map((x, l) => ({ label: `after layer ${l}`, x }));
  rows.push({ label: 'output', x: s.final });
  const list = h('div', { class: 'sim-bars' });
  for (const row of rows) {
    const bar = h('span', { class: 'sim-bar' });
    bar.style.width = `${Math.max(0, Math.min(1, row.x)) * 100}%`;
    list.append(h('span', { class: 'sim-label' }, row.label), h('span', { class: 'sim-track' }, bar), h('span', { class: 'sim-num' }, row.x.toFixed(3)));
  }
  clear(el.similarity);
  el.similarity.append(
    h('h3', {}, `How alike are the two “${r.result.word}”s?`),
    h('p', { class: 'sub' }, `Cosine similarity of the word's vectors in the two sentences (1 = same direction). At the output: ${s.final.toFixed(3)}.`),
    list,
  );
  el.similarity.hidden = false;
}

export function sideView(r: Result, app: App): { view: AttentionView; run: ExplainJSON; side: Side } {
  const side: Side = r.kind === 'compare' ? app.ui.side : 'a';
  return { view: views(r)[side === 'a' ? 0 : 1], run: runs(r)[side === 'a' ? 0 : 1], side };
}

export function renderSideSwitches(r: Result, app: App): void {
  for (const box of document.querySelectorAll<HTMLElement>('[data-side-switch]')) {
    box.hidden = r.kind !== 'compare';
    if (r.kind !== 'compare') continue;
    const seg = h('div', { class: 'segmented small', role: 'radiogroup', 'aria-label': 'Which sentence' });
    for (const s of ['a', 'b'] as Side[]) {
      const b = h('button', { type: 'button', role: 'radio', 'aria-checked': String(app.ui.side === s) }, `Sentence ${s.toUpperCase()}`);
      b.addEventListener('click', () => {
        app.ui.side = s;
        app.render();
      });
      seg.append(b);
    }
    box.replaceChildren(seg);
  }
}

export function renderGrid(r: Result, app: App): void {
  const { view, side } = sideView(r, app);
  clear(el.grid);
  el.grid.append(
    headGrid(view, {
      width: widthOf(el.grid),
      onHead: (layer, head) => app.select({ layer, aggregate: 'head', head }),
      onLayer: (layer) => app.select({ layer, aggregate: 'mean' }),
    }),
  );
  const q = view.items[view.query].label;
  el.gridSub.textContent = `“${q}”${r.kind === 'compare' ? ` in sentence ${side.toUpperCase()}` : ''} in each of the ${view.model.layers * view.model.heads} heads; outlined: ${describeSelection(view)}`;
  el.gridNote.textContent = gridNote(view);
}

export function renderMatrix(r: Result, app: App): void {
  const { view, side } = sideView(r, app);
  clear(el.matrix);
  const o = { width: widthOf(el.matrix), onPick: (i: number) => app.pick(side, i) };
  el.matrix.append(app.ui.matrix === 'heatmap' ? heatmap(view, o) : headView(view, o));
  el.matrixSub.textContent = `${describeSelection(view)} · every ${view.unit} (row) and where it looks (column)`;
  el.matrixNote.textContent =
    app.ui.matrix === 'heatmap'
      ? `Row = the ${view.unit} that looks, column = the ${view.unit} it looks at. “${view.items[view.query].label}”’s row is outlined; it is the bar chart. Hover a cell for its weight; click a row to look from that ${view.unit}.`
      : `bertviz-style: a line from each ${view.unit} on the left to each ${view.unit} it attends to on the right; the more attention, the darker the line.${view.items.length > 60 ? ` With ${view.items.length} ${view.unit}s only “${view.items[view.query].label}”’s lines are drawn; hover a word on the left for its own.` : ' Hover a word on the left to see only its lines.'}`;
}

export function renderExplanation(r: Result, app: App): void {
  const run = runs(r)[0];
  const note =
    r.kind === 'explain' && app.level() !== 'newbie'
      ? h('p', { class: 'ex-note' }, `The numbers follow layer ${run.narrated.layer}, head ${run.narrated.head}${run.narrated.headReason === 'most-focused' ? ` (the most focused head of the layer for “${run.view.items[run.view.query].label}”, since the chart shows ${describeSelection(run.view)})` : ''}.`)
      : null;
  clear(el.explainPanel);
  el.explainPanel.setAttribute('aria-labelledby', `tab-${app.level()}`);
  el.explainPanel.append(
    explanationPanel({ explanations: r.explanations, level: app.level(), tokens: run.tokens.map((t) => t.text), note }, app.ui, () => {}),
  );
}
