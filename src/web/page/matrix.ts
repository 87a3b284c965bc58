// The whole attention matrix at the chosen selection, two ways, from render/spec.ts matrixSpec (as
// `attn --chart heatmap`): a heatmap (viridis on the SVG's square-root scale; a canvas, so 300 words stay
// fast) and a head view (bertviz-style lines from each word to the words it attends to, opacity = weight).

import { matrixSpec, type MatrixSpec } from '../../render/spec.js';
import { pct } from '../../render/format.js';
import { THEME, textOnViridis, viridis } from '../../render/palette.js';
import { sqrtPosition } from '../../render/svg/heatmap.js';
import type { AttentionView } from '../../interpret/view.js';
import { h, s } from './dom.js';
import { hide, showAt, tipLines } from './tooltip.js';

export interface MatrixOptions {
  width: number;
  onPick: (index: number) => void;
}

const FONT = '13px Inter, system-ui, sans-serif';
const FONT_BOLD = '700 13px Inter, system-ui, sans-serif';
/** the query's colour for text (the palette's #d55e00 darkened to 5:1 on white, as in style.css) */
const QUERY_TEXT = '#b84f00';
/** Beyond this many items the heatmap drops its labels (hover tells) and the head view draws fewer lines. */
const LABELS_MAX = 40;

function hatch(g: CanvasRenderingContext2D): CanvasPattern | string {
  const c = document.createElement('canvas');
  c.width = c.height = 8;
  const p = c.getContext('2d');
  if (!p) return THEME.hatchBackground;
  p.fillStyle = THEME.hatchBackground;
  p.fillRect(0, 0, 8, 8);
  p.strokeStyle = THEME.hatch;
  p.lineWidth = 1.2;
  p.beginPath();
  p.moveTo(0, 8);
  p.lineTo(8, 0);
  p.moveTo(-2, 2);
  p.lineTo(2, -2);
  p.moveTo(6, 10);
  p.lineTo(10, 6);
  p.stroke();
  return g.createPattern(c, 'repeat') ?? THEME.hatchBackground;
}

function cellTip(m: MatrixSpec, r: number, c: number): ReturnType<typeof tipLines> {
  return tipLines(
    `“${m.labels[r]}” → “${m.labels[c]}”`,
    m.blocked[r][c] ? 'cannot look ahead (causal model)' : `weight ${m.values[r][c].toFixed(4)} (${pct(m.values[r][c], 2)})`,
    r === m.queryRow ? 'the chosen word’s row' : 'click to look from this word',
  );
}

export function heatmap(view: AttentionView, o: MatrixOptions): HTMLElement {
  const m = matrixSpec(view);
  const n = m.items.length;
  const labels = n <= LABELS_MAX;
  const canvas = h('canvas', { class: 'heatmap-canvas', role: 'img', tabindex: '-1' });
  const probe = canvas.getContext('2d');
  if (!probe) return h('p', {}, 'This browser cannot draw the heatmap.');
  probe.font = FONT_BOLD;
  const labelW = labels ? Math.min(110, Math.max(...m.labels.map((l) => probe.measureText(l).width))) + 12 : 4;
  const colLabelH = labels ? labelW * 0.72 + 12 : 4;
  const cell = Math.max(0.5, Math.min(60, (o.width - labelW - 8) / n));
  const W = Math.ceil(labelW + n * cell + 6);
  const H = Math.ceil(n * cell + colLabelH + 4);
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(W * dpr);
  canvas.height = Math.round(H * dpr);
  canvas.style.width = `${W}px`;
  canvas.style.height = `${H}px`;
  const g = probe;
  g.scale(dpr, dpr);
  g.fillStyle = THEME.background;
  g.fillRect(0, 0, W, H);
  const pattern = hatch(g);
  const x0 = labelW;
  const y0 = 2;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const v = m.values[r][c];
      g.fillStyle = m.blocked[r][c] ? pattern : viridis(sqrtPosition(v, m.max));
      // a hair of overlap hides seams between fractional cells
      g.fillRect(x0 + c * cell, y0 + r * cell, cell + (cell < 4 ? 0.5 : 0), cell + (cell < 4 ? 0.5 : 0));
      if (cell >= 30 && !m.blocked[r][c]) {
        g.font = '11px Inter, system-ui, sans-serif';
        g.fillStyle = textOnViridis(sqrtPosition(v, m.max));
        g.textAlign = 'center';
        g.textBaseline = 'middle';
        g.fillText(`${Math.round(v * 100)}%`, x0 + (c + 0.5) * cell, y0 + (r + 0.5) * cell);
      }
    }
  }
  if (cell >= 8) {
    g.strokeStyle = THEME.background;
    g.lineWidth = 1;
    for (let k = 1; k < n; k++) {
      g.beginPath();
      g.moveTo(x0 + k * cell, y0);
      g.lineTo(x0 + k * cell, y0 + n * cell);
      g.moveTo(x0, y0 + k * cell);
      g.lineTo(x0 + n * cell, y0 + k * cell);
      g.stroke();
    }
  }
  g.strokeStyle = THEME.query;
  g.lineWidth = 2.5;
  g.strokeRect(x0 - 1, y0 + m.queryRow * cell - 1, n * cell + 2, cell + 2);
  if (labels) {
    g.textBaseline = 'middle';
    m.labels.forEach((l, r) => {
      const q = r === m.queryRow;
      g.font = q ? FONT_BOLD : FONT;
      g.fillStyle = q ? QUERY_TEXT : m.special[r] ? THEME.muted : THEME.text;
      g.textAlign = 'right';
      g.fillText(l, x0 - 8, y0 + (r + 0.5) * cell, labelW - 10);
      g.save();
      g.translate(x0 + (r + 0.5) * cell + 4, y0 + n * cell + 10);
      g.rotate(-Math.PI / 4);
      g.textAlign = 'right';
      g.fillText(l, 0, 0, labelW);
      g.restore();
    });
  }
  canvas.setAttribute('aria-label', `heatmap of ${n} × ${n} attention weights; “${m.labels[m.queryRow]}”’s row outlined`);
  const at = (e: MouseEvent): [number, number] | null => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor((e.clientX - rect.left - x0) / cell);
    const r = Math.floor((e.clientY - rect.top - y0) / cell);
    return r >= 0 && r < n && c >= 0 && c < n ? [r, c] : null;
  };
  canvas.addEventListener('mousemove', (e) => {
    const p = at(e);
    if (p) showAt(e.clientX, e.clientY - 4, cellTip(m, p[0], p[1]));
    else hide();
  });
  canvas.addEventListener('mouseleave', hide);
  canvas.addEventListener('click', (e) => {
    const p = at(e);
    if (p && p[0] !== m.queryRow) o.onPick(m.items[p[0]]);
  });
  return h('div', { class: 'heatmap' + (labels ? '' : ' is-dense') }, canvas, heatLegend(m.max));
}

function heatLegend(max: number): HTMLElement {
  const bar = h('span', { class: 'ramp' });
  const stops = Array.from({ length: 10 }, (_, i) => `${viridis(i / 9)} ${((i / 9) * 100).toFixed(1)}%`);
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const mid = max / 4; // sqrt scale: a quarter of the max sits halfway
  return h(
    'div',
    { class: 'ramp-legend' },
    h('span', {}, '0%'),
    h('span', { class: 'ramp-wrap' }, bar, h('span', { class: 'ramp-mid' }, pct(mid))),
    h('span', {}, pct(max)),
    h('span', { class: 'ramp-note' }, 'square-root scale, as in the SVG'),
  );
}

export function headView(view: AttentionView, o: MatrixOptions): HTMLElement {
  const m = matrixSpec(view);
  const n = m.items.length;
  const rowH = n <= 30 ? 24 : n <= 80 ? 16 : 12;
  const fs = n <= 80 ? 13 : 10;
  const W = Math.max(300, Math.min(o.width, 640));
  const labelW = Math.min(150, W * 0.3);
  const xL = labelW;
  const xR = W - labelW;
  const top = 28;
  const H = top + n * rowH + 8;
  const y = (i: number) => top + (i + 0.5) * rowH;
  const svg = s('svg', { class: 'headview', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `head view: lines from each ${view.unit} to the ${view.unit}s it attends to` });
  svg.append(
    s('text', { x: xL - 8, y: 14, 'text-anchor': 'end', class: 'hv-head' }, 'attending'),
    s('text', { x: xR + 8, y: 14, class: 'hv-head' }, 'attended to'),
  );
  const all = n <= 60;
  const groups: SVGGElement[] = [];
  for (let r = 0; r < n; r++) {
    const grp = s('g', { class: 'hv-row' + (r === m.queryRow ? ' is-query' : ''), 'data-row': r });
    if (all || r === m.queryRow) {
      for (let c = 0; c < n; c++) {
        const v = m.values[r][c];
        if (m.blocked[r][c] || !(v >= (all ? 0.01 : 0.002))) continue;
        grp.append(s('line', { x1: xL + 4, y1: y(r), x2: xR - 4, y2: y(c), 'stroke-opacity': Math.min(1, v).toFixed(3), 'stroke-width': r === m.queryRow ? 2.5 : 1.5 }));
      }
    }
    groups.push(grp);
  }
  // the chosen word's lines drawn last, on top
  svg.append(...groups.filter((_, r) => r !== m.queryRow), groups[m.queryRow]);
  const focusRow = (r: number | null) => {
    svg.classList.toggle('is-focused', r !== null);
    groups.forEach((grp, i) => grp.classList.toggle('is-on', i === r));
    if (r !== null && !all && r !== m.queryRow && !groups[r].firstChild) {
      for (let c = 0; c < n; c++) {
        const v = m.values[r][c];
        if (!m.blocked[r][c] && v >= 0.002) groups[r].append(s('line', { x1: xL + 4, y1: y(r), x2: xR - 4, y2: y(c), 'stroke-opacity': Math.min(1, v).toFixed(3), 'stroke-width': 1.5 }));
      }
    }
  };
  for (let r = 0; r < n; r++) {
    const q = r === m.queryRow;
    const cls = 'hv-label' + (q ? ' is-query' : m.special[r] ? ' is-special' : '');
    const left = s('text', { x: xL - 8, y: y(r), 'text-anchor': 'end', 'dominant-baseline': 'central', class: cls + ' is-left', 'font-size': fs }, m.labels[r]);
    const right = s('text', { x: xR + 8, y: y(r), 'dominant-baseline': 'central', class: cls, 'font-size': fs }, m.labels[r]);
    left.addEventListener('pointerenter', () => focusRow(r));
    left.addEventListener('pointerleave', () => focusRow(null));
    left.addEventListener('click', () => {
      if (!q) o.onPick(m.items[r]);
    });
    svg.append(left, right);
  }
  return h('div', { class: 'headview-wrap' + (n > 30 ? ' is-long' : '') }, svg);
}
