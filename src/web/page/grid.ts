// The layers × heads grid: the chosen word's attention in every head as a small chart (render/spec.ts
// gridSpec, as `attn --chart grid`), on one shared scale. Each cell is a button: it picks that head.

import { gridSpec } from '../../render/spec.js';
import { pct } from '../../render/format.js';
import { THEME, viridis } from '../../render/palette.js';
import type { AttentionView } from '../../interpret/view.js';
import { h, rovingFocus, setTabStop } from './dom.js';
import { tipLines, tooltip } from './tooltip.js';

export interface GridOptions {
  width: number;
  onHead: (layer: number, head: number) => void;
  onLayer: (layer: number) => void;
}

/** Beyond this many items a cell is a colour strip rather than bars. */
const BARS_MAX = 48;

function drawCell(canvas: HTMLCanvasElement, values: number[], blocked: boolean[], special: boolean[], queryCol: number, max: number, w: number, hgt: number): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(hgt * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${hgt}px`;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(dpr, dpr);
  g.fillStyle = THEME.cell;
  g.fillRect(0, 0, w, hgt);
  const n = values.length;
  const pad = 3;
  const band = (w - 2 * pad) / n;
  if (n > BARS_MAX) {
    values.forEach((v, c) => {
      g.fillStyle = blocked[c] ? THEME.hatchBackground : viridis(max > 0 ? Math.sqrt(Math.min(1, v / max)) : 0);
      g.fillRect(pad + c * band, pad, Math.max(band, 0.6), hgt - 2 * pad);
    });
    return;
  }
  const barW = Math.max(1, band * 0.74);
  values.forEach((v, c) => {
    if (blocked[c]) return;
    const bh = max > 0 ? ((hgt - 2 * pad) * v) / max : 0;
    g.fillStyle = c === queryCol ? THEME.query : special[c] ? THEME.special : THEME.bar;
    g.fillRect(pad + c * band + (band - barW) / 2, hgt - pad - bh, barW, Math.max(bh, v > 0 ? 0.75 : 0));
  });
}

export function headGrid(view: AttentionView, o: GridOptions): HTMLElement {
  const g = gridSpec(view);
  const max = Math.max(1e-9, ...g.cells.flat(2));
  const labelW = 34;
  const gap = 4;
  // each cell is its canvas plus a 2 px border on either side
  const cellW = Math.max(26, Math.min(120, Math.floor((o.width - labelW - gap * g.heads - 4) / g.heads) - 4));
  const cellH = Math.round(Math.min(52, Math.max(24, cellW * 0.5)));
  const root = h('div', { class: 'head-grid', role: 'grid', 'aria-label': 'layers × heads: pick a head' });
  root.style.setProperty('--cols', String(g.heads));
  root.style.setProperty('--cell-w', `${cellW + 4}px`);
  const head = h('div', { class: 'hg-row hg-head', role: 'row' }, h('span', { class: 'hg-corner' }));
  for (let hd = 0; hd < g.heads; hd++) head.append(h('span', { class: 'hg-col-label', role: 'columnheader' }, `H${hd}`));
  root.append(head);
  const cells: HTMLElement[] = [];
  for (let l = 0; l < g.layers; l++) {
    const row = h('div', { class: 'hg-row', role: 'row' });
    const lb = h('button', { type: 'button', class: 'hg-row-label', title: `mean of layer ${l}'s heads`, 'aria-label': `layer ${l}: mean of its heads` }, `L${l}`);
    lb.addEventListener('click', () => o.onLayer(l));
    row.append(lb);
    for (let hd = 0; hd < g.heads; hd++) {
      const values = g.cells[l][hd];
      let top = -1;
      values.forEach((v, c) => {
        if (!g.blocked[c] && (top < 0 || v > values[top])) top = c;
      });
      const selected = g.selected(l, hd);
      const canvas = h('canvas', { 'aria-hidden': 'true' });
      drawCell(canvas, values, g.blocked, g.special, g.queryCol, max, cellW, cellH);
      const topText = top >= 0 ? `${g.labels[top]} ${pct(values[top])}` : '—';
      const cell = h(
        'button',
        {
          type: 'button',
          class: 'hg-cell' + (selected ? ' is-selected' : ''),
          role: 'gridcell',
          'aria-label': `layer ${l}, head ${hd}: looks most at ${topText}`,
          'aria-selected': selected ? 'true' : 'false',
          'data-layer': l,
          'data-head': hd,
        },
        canvas,
      );
      cell.addEventListener('click', () => o.onHead(l, hd));
      tooltip(cell, () => tipLines(`Layer ${l}, head ${hd}`, `looks most at ${topText}`, view.selection.aggregate === 'head' && selected ? 'shown in the chart' : 'click to show this head'));
      cells.push(cell);
      row.append(cell);
    }
    root.append(row);
  }
  setTabStop(cells, cells.find((c) => c.classList.contains('is-selected')));
  rovingFocus(root, '.hg-cell', g.heads);
  return root;
}

/** The note under the grid (as the SVG's): what each cell shows and its scale. */
export function gridNote(view: AttentionView): string {
  const g = gridSpec(view);
  const max = Math.max(0, ...g.cells.flat(2));
  const q = g.labels[g.queryCol];
  const shape = g.items.length > BARS_MAX ? 'a colour strip' : 'bars';
  return `Each cell: “${q}”’s attention in one layer and head over the ${g.items.length} ${view.unit}s, left to right, as ${shape} on one scale (the tallest is ${pct(max)}). Click a cell to show that head; click L0, L1, … for a layer's mean.`;
}
