// The three levels as tabs, drawn from the run's Explanation (src/explain/types.ts): newbie as plain
// paragraphs, hacker as a stepped walkthrough with the run's own vectors and weights drawn beside each step,
// expert with the equations typeset by KaTeX (served by attn, no CDN) and the truncated matrices.

import type { Block, Explanation, Level, Section } from '../../explain/types.js';
import { pct } from '../../render/format.js';
import { fixed, h, rovingFocus, type Child } from './dom.js';
import { tipLines, tooltip } from './tooltip.js';

interface Katex {
  render(tex: string, el: HTMLElement, options: Record<string, unknown>): void;
}

function katex(): Katex | undefined {
  return (window as unknown as { katex?: Katex }).katex;
}

export const LEVEL_INFO: Record<Level, { name: string; blurb: string }> = {
  newbie: { name: 'Newbie', blurb: 'plain words' },
  hacker: { name: 'Hacker', blurb: 'every step, with numbers' },
  expert: { name: 'Expert', blurb: 'equations and shapes' },
};

const isNumeric = (x: string | number) => typeof x === 'number' || /^[−-]?(\d|\.\d)/.test(x);

function math(tex: string, plain: string, display = true): HTMLElement {
  const el = h(display ? 'div' : 'span', { class: display ? 'math' : 'math-inline', title: plain });
  const k = katex();
  if (!k) {
    el.append(h('code', {}, plain));
    return el;
  }
  try {
    k.render(tex, el, { displayMode: display, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
  } catch {
    el.replaceChildren(h('code', {}, plain));
  }
  return el;
}

function table(b: Extract<Block, { kind: 'table' }>): HTMLElement {
  const t = h('table', { class: 'data' });
  if (b.caption) t.append(h('caption', {}, b.caption));
  t.append(h('thead', {}, h('tr', {}, ...b.columns.map((c, i) => h('th', { scope: 'col', class: i > 0 && b.rows.every((r) => isNumeric(r[i])) ? 'num' : '' }, c)))));
  const body = h('tbody');
  for (const r of b.rows) body.append(h('tr', {}, ...r.map((x) => h('td', { class: isNumeric(x) ? 'num' : '' }, typeof x === 'string' ? x.replace(/^-(?=\d|\.)/, '−') : x))));
  t.append(body);
  return h('div', { class: 'table-wrap' + (b.rows.length > 14 ? ' is-long' : '') }, t);
}

function matrix(b: Extract<Block, { kind: 'matrix' }>): HTMLElement {
  const [rows, cols] = [b.shape[0], b.shape[b.shape.length - 1]];
  const shown = `${b.values.length}×${b.values[0]?.length ?? 0}`;
  const caption = h('caption', {}, b.tex ? math(b.tex, b.name, false) : null, ' ', b.name, h('span', { class: 'shape' }, ` [${b.shape.join('×')}]${b.truncated ? `, first ${shown} shown` : ''}`));
  const moreCols = (b.values[0]?.length ?? 0) < cols;
  const t = h('table', { class: 'data matrix' }, caption);
  t.append(h('thead', {}, h('tr', {}, h('th', {}), ...b.colLabels.map((c) => h('th', { scope: 'col', class: 'num' }, c)), moreCols ? h('th', { class: 'more' }, '…') : null)));
  const body = h('tbody');
  b.values.forEach((row, i) => {
    body.append(h('tr', {}, h('th', { scope: 'row' }, b.rowLabels[i] ?? ''), ...row.map((v) => h('td', { class: 'num' }, fixed(v, 3))), moreCols ? h('td', { class: 'more' }, '…') : null));
  });
  if (b.values.length < rows) body.append(h('tr', { class: 'more' }, h('th', {}, '⋮'), ...b.colLabels.map(() => h('td', { class: 'num more' }, '⋮')), moreCols ? h('td', {}) : null));
  t.append(body);
  return h('div', { class: 'table-wrap' + (b.values.length > 14 ? ' is-long' : '') }, t);
}

export function block(b: Block): HTMLElement {
  switch (b.kind) {
    case 'text':
      return h('p', {}, b.text);
    case 'math':
      return math(b.tex, b.plain);
    case 'table':
      return table(b);
    case 'matrix':
      return matrix(b);
  }
}

function section(sec: Section, visual?: HTMLElement | null): HTMLElement {
  return h('section', { class: 'ex-section' }, h('h4', { title: sec.title }, sec.title), visual ?? null, ...sec.blocks.map(block));
}

// ---------- hacker: the run's numbers drawn beside the steps ----------

type Facts = Explanation['facts'];
const nums = (f: Facts, k: string): number[] | null => (Array.isArray(f[k]) ? (f[k] as number[]) : null);

/** A vector as a strip of cells, blue for positive and purple for negative, exact value on hover. */
function strip(name: string, v: number[], caption: string): HTMLElement {
  const max = Math.max(1e-9, ...v.map((x) => Math.abs(x)));
  const cells = h('div', { class: 'strip', role: 'img', 'aria-label': `${name}: ${v.length} numbers` });
  v.forEach((x, i) => {
    const c = h('span', { class: 'strip-cell' + (x < 0 ? ' is-neg' : '') });
    c.style.setProperty('--a', (Math.abs(x) / max).toFixed(3));
    tooltip(c, () => tipLines(`${name}[${i}]`, fixed(x, 4)));
    cells.append(c);
  });
  return h('figure', { class: 'visual' }, cells, h('figcaption', {}, caption));
}

function tokenBars(labels: string[], cols: { name: string; values: (number | null)[]; signed: boolean; fmt: (x: number) => string }[], caption: string): HTMLElement {
  const t = h('div', { class: 'tbars' + (labels.length > 16 ? ' is-long' : '') });
  t.style.setProperty('--cols', String(cols.length));
  t.append(h('span', { class: 'tb-head' }, 'token'), ...cols.map((c) => h('span', { class: 'tb-head' }, c.name)));
  const scale = cols.map((c) => Math.max(1e-9, ...c.values.map((x) => (x === null ? 0 : Math.abs(x)))));
  labels.forEach((l, i) => {
    t.append(h('span', { class: 'tb-label' }, l));
    cols.forEach((c, k) => {
      const x = c.values[i];
      const cell = h('span', { class: 'tb-cell' + (c.signed ? ' is-signed' : '') });
      if (x === null || x === undefined) cell.append(h('span', { class: 'tb-num tb-masked' }, '−∞'), h('span', { class: 'tb-track' }));
      else {
        const bar = h('span', { class: 'tb-bar' + (x < 0 ? ' is-neg' : '') });
        bar.style.setProperty('--f', (Math.abs(x) / scale[k]).toFixed(4));
        cell.append(h('span', { class: 'tb-num' }, c.fmt(x)), h('span', { class: 'tb-track' }, bar));
      }
      t.append(cell);
    });
  });
  return h('figure', { class: 'visual' }, t, h('figcaption', {}, caption));
}

function hackerVisual(title: string, f: Facts, tokens: string[]): HTMLElement | null {
  const dots = nums(f, 'dots'), scores = nums(f, 'scores'), exps = nums(f, 'exps'), weights = nums(f, 'weights');
  const x = nums(f, 'x'), q = nums(f, 'q'), z = nums(f, 'z');
  const dk = typeof f.dK === 'number' ? f.dK : null;
  const labels = tokens.slice(0, dots?.length ?? 0);
  if (/softmax/i.test(title) && scores && weights && exps) {
    return tokenBars(labels, [
      { name: 'score', values: scores, signed: true, fmt: (v) => fixed(v, 3) },
      { name: 'exp(score − max)', values: exps, signed: false, fmt: (v) => fixed(v, 4) },
      { name: 'weight', values: weights, signed: false, fmt: (v) => pct(v) },
    ], `softmax: each exponential divided by their sum${typeof f.sumExp === 'number' ? ` (${fixed(f.sumExp, 4)})` : ''}`);
  }
  if (/·|score/i.test(title) && dots && scores) {
    return tokenBars(labels, [
      { name: 'q·k', values: dots, signed: true, fmt: (v) => fixed(v, 3) },
      { name: dk ? `÷ √${dk}` : 'score', values: scores, signed: true, fmt: (v) => fixed(v, 3) },
    ], 'one dot product per token, then scaled: the same numbers as the table, drawn');
  }
  if (/query/i.test(title) && q) return strip('q', q, `q: the query, ${q.length} numbers (blue positive, purple negative; hover for values)`);
  if (/vector/i.test(title) && x) return strip('x', x, `x: the ${x.length} numbers attention reads for this token`);
  if (/values/i.test(title) && z) return strip('z', z, `z: the head’s output for this token, ${z.length} numbers`);
  return null;
}

/** The hacker level as steps: one section at a time with Previous/Next (or all at once). */
function walkthrough(ex: Explanation, tokens: string[], state: { step: number; all: boolean }, onStep: () => void): HTMLElement {
  const secs = ex.sections;
  const n = secs.length;
  state.step = Math.max(0, Math.min(n - 1, state.step));
  const panels = secs.map((sec) => section(sec, hackerVisual(sec.title, ex.facts, tokens)));
  const rail = h('ol', { class: 'rail', role: 'tablist', 'aria-label': 'steps' });
  const dots: HTMLElement[] = secs.map((sec, i) => {
    const short = sec.title.replace(/^(\d+)\.\s*/, '');
    const num = /^(\d+)\./.exec(sec.title)?.[1];
    const b = h('button', { type: 'button', class: 'rail-step', role: 'tab', 'aria-label': sec.title, 'data-step': i }, num ?? (i === 0 ? 'i' : '+'));
    tooltip(b, () => tipLines(short, `step ${i + 1} of ${n}`));
    b.addEventListener('click', () => {
      state.step = i;
      state.all = false;
      show();
      onStep();
    });
    rail.append(h('li', {}, b));
    return b;
  });
  rovingFocus(rail, 'button');
  const prev = h('button', { type: 'button', class: 'btn' }, '← Previous');
  const next = h('button', { type: 'button', class: 'btn primary' }, 'Next step →');
  const all = h('button', { type: 'button', class: 'btn ghost', 'aria-pressed': 'false' }, 'Show all steps');
  const counter = h('span', { class: 'step-count', 'aria-live': 'polite' });
  const body = h('div', { class: 'steps' });
  const show = () => {
    body.replaceChildren(...(state.all ? panels : [panels[state.step]]));
    dots.forEach((d, i) => {
      d.classList.toggle('is-current', !state.all && i === state.step);
      d.classList.toggle('is-done', !state.all && i < state.step);
      d.parentElement?.classList.toggle('is-done', !state.all && i < state.step);
      d.setAttribute('aria-selected', String(!state.all && i === state.step));
      d.tabIndex = i === state.step ? 0 : -1;
    });
    counter.textContent = state.all ? `all ${n} steps` : `step ${state.step + 1} of ${n}`;
    prev.toggleAttribute('disabled', state.all || state.step === 0);
    next.toggleAttribute('disabled', state.all || state.step === n - 1);
    all.setAttribute('aria-pressed', String(state.all));
    all.textContent = state.all ? 'One step at a time' : 'Show all steps';
    // let the bars of the new step grow from zero
    body.classList.remove('is-in');
    requestAnimationFrame(() => requestAnimationFrame(() => body.classList.add('is-in')));
  };
  prev.addEventListener('click', () => {
    state.step--;
    show();
    onStep();
  });
  next.addEventListener('click', () => {
    state.step++;
    show();
    onStep();
  });
  all.addEventListener('click', () => {
    state.all = !state.all;
    show();
    onStep();
  });
  show();
  return h('div', { class: 'walkthrough' }, rail, h('div', { class: 'step-nav' }, prev, counter, next, all), body);
}

export interface ExplainView {
  explanations: Record<Level, Explanation>;
  level: Level;
  /** token strings of the narrated run (hacker visuals) */
  tokens: string[];
  /** one line above the text, e.g. which head the steps follow */
  note?: Child;
}

export function explanationPanel(v: ExplainView, state: { step: number; all: boolean }, onStep: () => void): HTMLElement {
  const ex = v.explanations[v.level];
  const body = v.level === 'hacker' && ex.sections.length > 1 ? [walkthrough(ex, v.tokens, state, onStep)] : ex.sections.map((s) => section(s));
  return h('div', { class: `ex ex-${v.level}` }, h('h3', { class: 'ex-title' }, ex.title), v.note ?? null, ...body);
}
