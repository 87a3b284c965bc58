// Pieces every SVG chart shares: the heading (title, subtitle, notes), the legend of marks (query,
// blocked, special), and the y-axis ticks of a weight axis.

import { pct } from '../format.js';
import { fitText, textWidth, wrapPx } from '../measure.js';
import { THEME } from '../palette.js';
import type { BarSpec } from '../spec.js';
import { FONT, rect, text } from './doc.js';

export interface Block {
  markup: string[];
  height: number;
}

/** Title, subtitle and note lines from (x, y) down, wrapped to width. */
export function heading(x: number, y: number, width: number, title: string, subtitle: string, notes: string[] = []): Block {
  const markup: string[] = [];
  let yy = y + FONT.title;
  markup.push(text(x, yy, fitText(title, width, FONT.title, 700), { 'font-size': FONT.title, 'font-weight': 700 }));
  yy += 8;
  for (const l of wrapPx(subtitle, width, FONT.subtitle)) {
    yy += FONT.subtitle + 6;
    markup.push(text(x, yy, l, { 'font-size': FONT.subtitle, fill: THEME.muted }));
  }
  for (const note of notes) {
    for (const l of wrapPx(note, width, FONT.note)) {
      yy += FONT.note + 6;
      markup.push(text(x, yy, l, { 'font-size': FONT.note, fill: THEME.muted }));
    }
  }
  return { markup, height: yy - y + 6 };
}

export type LegendKind = 'query' | 'blocked' | 'special';
export interface LegendItem {
  kind: LegendKind;
  text: string;
}

/** What the marks in a bar chart mean, for the kinds present in these specs. */
export function legendItems(specs: BarSpec[]): LegendItem[] {
  const items: LegendItem[] = [];
  const q = [...new Set(specs.map((s) => s.queryLabel))];
  const unit = specs[0]?.unit ?? 'word';
  items.push({ kind: 'query', text: q.length === 1 ? `“${q[0]}” itself (the query ${unit})` : `the query ${unit} itself` });
  const notes = [...new Set(specs.map((s) => s.blockedNote).filter((n): n is string => n !== null))];
  if (notes.length) items.push({ kind: 'blocked', text: notes.length === 1 ? notes[0] : 'later words: a causal model cannot look ahead' });
  if (specs.some((s) => s.bars.some((b) => b.special))) items.push({ kind: 'special', text: 'special tokens' });
  return items;
}

/** Legend swatches and texts, flowing left to right and wrapping within width. */
export function legend(x: number, y: number, width: number, items: LegendItem[], idPrefix: string): Block {
  const markup: string[] = [];
  const size = FONT.note;
  const lineH = size + 10;
  let cx = x;
  let cy = y;
  for (const it of items) {
    const label = fitText(it.text, width - 22, size);
    const w = 18 + textWidth(label, size) + 22;
    if (cx > x && cx + w > x + width) {
      cx = x;
      cy += lineH;
    }
    const fill = it.kind === 'query' ? THEME.query : it.kind === 'special' ? THEME.special : `url(#${idPrefix}-hatch)`;
    markup.push(rect(cx, cy + 2, 12, 12, { fill, stroke: it.kind === 'blocked' ? THEME.hatch : undefined }));
    markup.push(text(cx + 18, cy + 12.5, label, { 'font-size': size, fill: THEME.muted }));
    cx += w;
  }
  return { markup, height: items.length ? cy - y + lineH : 0 };
}

/** Tick label for a weight axis. */
export function tickLabel(v: number, decimals: number): string {
  return pct(v, decimals);
}
