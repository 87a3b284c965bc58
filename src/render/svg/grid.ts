// Layers × heads small multiples: in each cell, the query's attention over the sentence as a mini bar strip
// (or a viridis strip when the sentence is too long for bars), all on one scale; the selection outlined.

import { type AttentionView } from '../../interpret/view.js';
import { cleanLabel, pct, quoted } from '../format.js';
import { fitText, wrapPx } from '../measure.js';
import { THEME, viridis } from '../palette.js';
import { gridSpec, queryLabel } from '../spec.js';
import { FONT, RectPaths, rect, svgDocument, text, type CommonOptions } from './doc.js';
import { heading } from './parts.js';

const MARGIN = 28;
const GAP = 4;

function selectionText(v: AttentionView): string {
  const s = v.selection;
  switch (s.aggregate) {
    case 'head':
      return `outlined: layer ${s.layer}, head ${s.head}`;
    case 'mean':
      return `outlined: layer ${s.layer} (mean of its ${v.model.heads} heads)`;
    case 'max':
      return `outlined: layer ${s.layer} (max over its ${v.model.heads} heads)`;
    case 'rollout':
      return `outlined: layers 0–${s.layer} (rolled out)`;
  }
}

export function gridSvg(view: AttentionView, opts: CommonOptions = {}): string {
  const width = Math.max(360, opts.width ?? 800);
  const g = gridSpec(view);
  const q = queryLabel(view);
  const inner = width - 2 * MARGIN;
  const head = heading(
    MARGIN,
    MARGIN - 8,
    inner,
    `Where does ${quoted(q)} look, head by head?`,
    `${cleanLabel(view.model.name)} · ${g.layers} layers × ${g.heads} heads · ${selectionText(view)}`,
  );
  // only the items the query can see get a slot (a causal model's later words would be empty forever)
  const cols = g.items.map((_, c) => c).filter((c) => !g.blocked[c]);
  const n = cols.length;
  const L = g.layers;
  const H = Math.max(1, g.heads);
  const gutter = 34;
  const cellW = (inner - gutter) / H - GAP;
  const cellH = Math.max(18, Math.min(40, Math.round(cellW * 0.6)));
  const gx = MARGIN + gutter;
  const gy = MARGIN - 8 + head.height + 26;
  const bars = (cellW - 4) / n >= 2.5;
  let max = 0;
  g.cells.forEach((layer) => layer.forEach((row) => row.forEach((x, c) => { if (!g.blocked[c] && x > max) max = x; })));

  const out: string[] = [...head.markup];
  const labelSize = FONT.small;
  for (let h = 0; h < H; h++) {
    out.push(text(gx + h * (cellW + GAP) + cellW / 2, gy - 8, `H${h}`, { 'font-size': labelSize, fill: THEME.muted, 'text-anchor': 'middle' }));
  }
  const marks = new RectPaths();
  for (let l = 0; l < L; l++) {
    const y = gy + l * (cellH + GAP);
    out.push(text(gx - 8, y + cellH / 2 + 4, `L${l}`, { 'font-size': labelSize, fill: THEME.muted, 'text-anchor': 'end' }));
    for (let h = 0; h < H; h++) {
      const x = gx + h * (cellW + GAP);
      const row = g.cells[l]?.[h];
      marks.add(THEME.cell, x, y, cellW, cellH);
      if (!row) continue;
      const slot = (cellW - 4) / n;
      cols.forEach((c, k) => {
        const v = row[c];
        const sx = x + 2 + k * slot;
        if (bars) {
          const bh = max > 0 ? (Math.min(v, max) / max) * (cellH - 4) : 0;
          const bw = Math.min(slot * 0.8, 18);
          if (bh >= 0.05) marks.add(c === g.queryCol ? THEME.query : g.special[c] ? THEME.special : THEME.bar, sx + (slot - bw) / 2, y + cellH - 2 - bh, bw, bh);
        } else {
          // 32 colour steps: indistinguishable from continuous at this size, and one path per step
          const t = max > 0 ? Math.sqrt(Math.min(v, max) / max) : 0;
          marks.add(viridis(Math.round(t * 31) / 31), sx, y + 2, slot, cellH - 4);
        }
      });
    }
  }
  out.push(...marks.markup());
  // the selection: one head, or the rows of the layers it covers
  const outline = { fill: 'none', stroke: THEME.text, 'stroke-width': 2 };
  const fullRow = (l: number) => H > 1 && Array.from({ length: H }, (_, h) => h).every((h) => g.selected(l, h));
  for (let l = 0; l < L; l++) {
    const y = gy + l * (cellH + GAP);
    if (fullRow(l)) {
      // a run of whole layers gets one frame
      if (l > 0 && fullRow(l - 1)) continue;
      let end = l;
      while (end + 1 < L && fullRow(end + 1)) end++;
      out.push(rect(gx - 3, y - 3, H * (cellW + GAP) - GAP + 6, (end - l + 1) * (cellH + GAP) - GAP + 6, outline));
      continue;
    }
    for (let h = 0; h < H; h++) if (g.selected(l, h)) out.push(rect(gx + h * (cellW + GAP) - 2, y - 2, cellW + 4, cellH + 4, outline));
  }

  // the key: what a cell shows, the words in order, the scale
  let ky = gy + L * (cellH + GAP) + 14;
  const words = g.labels.map((l, c) => (g.blocked[c] ? null : l)).filter((l): l is string => l !== null);
  const scale = bars ? `bar heights on one scale: the tallest is ${pct(max)}` : `colour on a square-root scale: yellow = ${pct(max)}`;
  const key = [
    `Each cell: ${quoted(q)}’s attention in one layer and head over ${words.length === 1 ? 'one' : words.length} ${view.unit}${words.length === 1 ? '' : 's'}, left to right: ${words.join(' · ')}`,
    `${scale}${g.blocked.some(Boolean) ? '; words after the query are left out (a causal model cannot look ahead)' : ''}${g.renormalized ? '; special tokens hidden, rows rescaled to 100%' : ''}.`,
  ];
  for (const para of key) {
    const lines = wrapPx(para, inner, FONT.note);
    const shown = lines.length > 3 ? [...lines.slice(0, 2), fitText(lines.slice(2).join(' '), inner, FONT.note)] : lines;
    for (const l of shown) {
      ky += FONT.note + 6;
      out.push(text(MARGIN, ky, l, { 'font-size': FONT.note, fill: THEME.muted }));
    }
  }
  return svgDocument(width, ky + MARGIN - 8, `Attention of ${q} in every layer and head: ${view.text}`, out);
}
