// The whole attention matrix as a heatmap: rows = the attending item, columns = the item attended to,
// viridis colour (colour-blind safe) on a square-root scale, so the many small weights stay distinguishable
// next to a few large ones (d3/Plot's "sqrt" scale), with a legend; blocked cells hatched; the query's row outlined.

import { describeSelection, type AttentionView } from '../../interpret/view.js';
import { cleanLabel, pct, quoted } from '../format.js';
import { fitText, textWidth } from '../measure.js';
import { THEME, textOnViridis, viridis } from '../palette.js';
import { ticks } from '../scale.js';
import { matrixSpec, queryLabel } from '../spec.js';
import { FONT, hatchDef, rect, rotatedText, svgDocument, tag, text, type CommonOptions } from './doc.js';
import { heading } from './parts.js';

const MARGIN = 28;
const LEGEND_W = 86;
const MAX_LABEL_PX = 120;
const LEGEND_CANDIDATES = [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1];

/** Colour position of a weight: sqrt(v / max), clamped to [0, 1]. */
export function sqrtPosition(v: number, max: number): number {
  return max > 0 ? Math.sqrt(Math.min(1, Math.max(0, v / max))) : 0;
}

/** Legend ticks on the sqrt scale: round values up to max, at least 14 px apart on a bar `height` px tall. */
function legendTicks(max: number, height: number): number[] {
  const cands = [...LEGEND_CANDIDATES.filter((v) => v < max - 1e-9), max];
  const out: number[] = [];
  for (let i = cands.length - 1; i >= 0; i--) {
    const y = sqrtPosition(cands[i], max) * height;
    const prev = out.length ? sqrtPosition(out[out.length - 1], max) * height : Infinity;
    if (prev - y >= 14 || out.length === 0 || cands[i] === 0) out.push(cands[i]);
  }
  // 0 may have been forced in too close to the one above: drop that one instead
  if (out.length > 2 && sqrtPosition(out[out.length - 2], max) * height < 14) out.splice(out.length - 2, 1);
  return out.reverse();
}

/** viridis as an SVG gradient, bottom (0) to top (1); the stops are the ramp's own anchors. */
function viridisGradient(id: string): string {
  const stops: string[] = [];
  for (let i = 0; i <= 9; i++) stops.push(tag('stop', { offset: `${(i / 9).toFixed(4)}`, 'stop-color': viridis(i / 9) }));
  return tag('linearGradient', { id, x1: 0, y1: 1, x2: 0, y2: 0 }, stops);
}

export function heatmapSvg(view: AttentionView, opts: CommonOptions = {}): string {
  const width = Math.max(360, opts.width ?? 800);
  const prefix = opts.idPrefix ?? 'attn';
  const m = matrixSpec(view);
  const n = m.items.length;
  const unit = view.unit;
  const q = queryLabel(view);
  const inner = width - 2 * MARGIN;
  const notes = m.renormalized ? ['special tokens hidden; each row rescaled to 100% over the rest'] : [];
  const frame = (t: string) => `Who looks where in “${t}”?`;
  const sentence = fitText(cleanLabel(view.text), inner - textWidth(frame(''), FONT.title, 700), FONT.title, 700);
  const head = heading(MARGIN, MARGIN - 8, inner, frame(sentence), `${cleanLabel(view.model.name)} · ${describeSelection(view)} · row ${quoted(q)} outlined`, notes);

  // cell size from the room left after labels and legend; labels thin out when cells get small
  const fs0 = 13;
  const labelPx = Math.min(MAX_LABEL_PX, Math.max(...m.labels.map((l, r) => textWidth(l, fs0, r === m.queryRow ? 700 : 400))));
  const avail = inner - 22 - labelPx - 8 - LEGEND_W;
  const cell = Math.max(4, Math.min(64, Math.floor(avail / n)));
  const fs = Math.max(8, Math.min(13, cell - 1));
  const step = Math.max(1, Math.ceil((fs + 2) / cell));
  const lw = Math.min(MAX_LABEL_PX, Math.max(...m.labels.map((l, r) => textWidth(l, fs, r === m.queryRow ? 700 : 400))));
  // centre the grid, its labels and the legend in the width
  const used = 22 + lw + 8 + cell * n + 28 + LEGEND_W;
  const shift = Math.max(0, (inner - used) / 2);
  const gx = MARGIN + 22 + lw + 8 + shift;
  const gy = MARGIN - 8 + head.height + 14;
  const gw = cell * n;
  // the colour domain ends at a round value just above the largest weight
  const axis = ticks(m.max, 10);
  const showValues = cell >= 34;

  const out: string[] = [...head.markup];
  const labelAttrs = (r: number) => ({
    'font-size': fs,
    'font-weight': r === m.queryRow ? 700 : undefined,
    fill: r === m.queryRow ? THEME.query : m.special[r] ? THEME.faint : THEME.text,
  });
  const shown = (k: number) => k === m.queryRow || (k % step === 0 && Math.abs(k - m.queryRow) >= step);
  for (let r = 0; r < n; r++) {
    if (shown(r)) out.push(text(gx - 8, gy + (r + 0.5) * cell + fs * 0.36, fitText(m.labels[r], lw, fs, r === m.queryRow ? 700 : 400), { ...labelAttrs(r), 'text-anchor': 'end' }));
    for (let c = 0; c < n; c++) {
      const x = gx + c * cell;
      const y = gy + r * cell;
      if (m.blocked[r][c]) {
        out.push(rect(x, y, cell, cell, { fill: `url(#${prefix}-hatch)` }));
        continue;
      }
      const t = sqrtPosition(m.values[r][c], axis.max);
      out.push(rect(x, y, cell, cell, { fill: viridis(t) }));
      if (showValues) {
        out.push(text(x + cell / 2, y + cell / 2 + 4, pct(m.values[r][c], 0), { 'font-size': 11, fill: textOnViridis(t), 'text-anchor': 'middle' }));
      }
    }
  }
  // thin white lines between cells read as a table when cells are big enough
  if (cell >= 14) {
    for (let k = 1; k < n; k++) {
      out.push(tag('line', { x1: gx + k * cell, y1: gy, x2: gx + k * cell, y2: gy + gw, stroke: THEME.background, 'stroke-width': 1 }));
      out.push(tag('line', { x1: gx, y1: gy + k * cell, x2: gx + gw, y2: gy + k * cell, stroke: THEME.background, 'stroke-width': 1 }));
    }
  }
  out.push(rect(gx - 1.5, gy + m.queryRow * cell - 1.5, gw + 3, cell + 3, { fill: 'none', stroke: THEME.query, 'stroke-width': 3 }));

  // column labels under the grid, rotated; then the axis titles
  for (let c = 0; c < n; c++) {
    if (!shown(c)) continue;
    const cx = gx + (c + 0.5) * cell;
    out.push(rotatedText(cx + fs * 0.3, gy + gw + 10, -45, fitText(m.labels[c], lw, fs, c === m.queryRow ? 700 : 400), { ...labelAttrs(c), 'text-anchor': 'end' }));
  }
  const colLabelsH = lw * Math.SQRT1_2 + fs + 12;
  out.push(text(gx + gw / 2, gy + gw + colLabelsH + 14, `attended-to ${unit} (key)`, { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'middle' }));
  out.push(rotatedText(gx - lw - 8 - 18, gy + gw / 2, -90, `attending ${unit} (query)`, { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'middle' }));

  // legend: the colour bar with its ticks, and the hatch when something is blocked
  const lx = gx + gw + 28;
  const lh = Math.max(100, Math.min(220, gw));
  out.push(text(lx, gy - 2, 'attention', { 'font-size': FONT.small, fill: THEME.muted }));
  out.push(rect(lx, gy + 8, 14, lh, { fill: `url(#${prefix}-viridis)` }));
  for (const t of legendTicks(axis.max, lh)) {
    const y = gy + 8 + lh - sqrtPosition(t, axis.max) * lh;
    out.push(tag('line', { x1: lx + 14, y1: y, x2: lx + 18, y2: y, stroke: THEME.axis }));
    out.push(text(lx + 22, y + 4, pct(t, Math.abs(t * 100 - Math.round(t * 100)) < 1e-6 ? 0 : 1), { 'font-size': FONT.small, fill: THEME.muted }));
  }
  if (m.blocked.some((row) => row.some(Boolean))) {
    const y = gy + 8 + lh + 18;
    out.push(rect(lx, y, 14, 14, { fill: `url(#${prefix}-hatch)`, stroke: THEME.hatch }));
    out.push(text(lx + 20, y + 11, 'cannot', { 'font-size': FONT.small, fill: THEME.muted }));
    out.push(text(lx + 20, y + 25, 'look ahead', { 'font-size': FONT.small, fill: THEME.muted }));
  }
  const height = Math.max(gy + gw + colLabelsH + 30, gy + lh + 70) + MARGIN - 16;
  return svgDocument(width, height, `Attention matrix: ${view.text}`, out, [hatchDef(prefix), viridisGradient(`${prefix}-viridis`)]);
}
