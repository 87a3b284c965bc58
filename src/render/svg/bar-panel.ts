// One bar chart of a query's attention inside a box: vertical bars with the words under them (short
// sentences), or horizontal bars with the words on the left (long ones). Shared by barChartSvg and compareSvg.

import { pct } from '../format.js';
import { fitText, textWidth } from '../measure.js';
import { THEME } from '../palette.js';
import { linear, type Ticks } from '../scale.js';
import type { Bar, BarSpec } from '../spec.js';
import { FONT, line, rect, rotatedText, text } from './doc.js';
import type { Block } from './parts.js';

export type Orientation = 'vertical' | 'horizontal';

export interface PanelOptions {
  x: number;
  y: number;
  width: number;
  /** the weight axis: its end and ticks (shared between compared panels) */
  axis: Ticks;
  idPrefix: string;
  /** vertical: height of the plot area (bars), without labels; default 260 */
  plotHeight?: number;
  /** vertical: room for rotated x labels to reserve (so compared panels line up); default: what this one needs */
  labelHeight?: number;
  /** vertical: font size of the percentages over the bars (so compared panels match); 0 = only the top two and the query */
  pctSize?: number;
  /** horizontal: width of the label column (so compared panels line up); default: what this one needs */
  labelWidth?: number;
}

/** Sentences with more items than this get horizontal bars. */
export const VERTICAL_MAX_ITEMS = 16;
const MAX_LABEL_PX = 130;

export function chooseOrientation(spec: BarSpec, asked: Orientation | 'auto' = 'auto'): Orientation {
  if (asked !== 'auto') return asked;
  return spec.bars.length <= VERTICAL_MAX_ITEMS ? 'vertical' : 'horizontal';
}

function labelWeight(b: Bar): 400 | 700 {
  return b.query ? 700 : 400;
}

function labelFill(b: Bar): string {
  return b.query ? THEME.query : b.special || b.blocked ? THEME.faint : THEME.text;
}

function barFill(b: Bar): string {
  return b.query ? THEME.query : b.special ? THEME.special : THEME.bar;
}

/** Vertical layout's x-label area: horizontal labels when they all fit their band, else rotated 45°. */
export function verticalLabelLayout(spec: BarSpec, plotWidth: number): { rotated: boolean; height: number } {
  const band = plotWidth / Math.max(1, spec.bars.length);
  const widths = spec.bars.map((b) => textWidth(b.label, FONT.label, labelWeight(b)));
  if (Math.max(0, ...widths) <= band - 6) return { rotated: false, height: 28 };
  return { rotated: true, height: Math.min(MAX_LABEL_PX, Math.max(0, ...widths)) * Math.SQRT1_2 + 24 };
}

export const GUTTER = 58;

/** Percentages over vertical bars: the largest of 12–9 px at which every one fits its band, else 0 (then only the top two and the query get one). */
export function pctLabelSize(spec: BarSpec, plotWidth: number): number {
  const band = plotWidth / Math.max(1, spec.bars.length);
  const labels = spec.bars.filter((b) => !b.blocked).map((b) => pct(b.value));
  for (const size of [12, 11, 10, 9]) {
    if (labels.every((l) => textWidth(l, size, 700) <= band - 2)) return size;
  }
  return 0;
}

/** The blocked note on a white label in the middle of the hatched block, when it fits there. */
function blockedNote(note: string, x: number, y: number, w: number, h: number): string[] {
  const size = FONT.small;
  const tw = textWidth(note, size);
  if (tw + 20 > w || h < size + 12) return [];
  const cx = x + w / 2;
  const cy = y + Math.min(h / 2, 40);
  return [
    rect(cx - tw / 2 - 8, cy - size / 2 - 6, tw + 16, size + 12, { fill: THEME.background, rx: 3 }),
    text(cx, cy + size * 0.36, note, { 'font-size': size, fill: THEME.muted, 'text-anchor': 'middle' }),
  ];
}

/** Vertical bars, words under them in sentence order. Returns the markup and the height used. */
export function verticalPanel(spec: BarSpec, o: PanelOptions): Block {
  const m: string[] = [];
  const plotH = o.plotHeight ?? 260;
  const x0 = o.x + GUTTER;
  const x1 = o.x + o.width - 6;
  const top = o.y + 22; // room for the percentage over the tallest bar
  const bottom = top + plotH;
  const ys = linear([0, o.axis.max], [bottom, top]);
  const n = spec.bars.length;
  const band = (x1 - x0) / n;
  const barW = Math.min(band * 0.72, 64);
  const { rotated, height: needH } = verticalLabelLayout(spec, x1 - x0);
  const labelH = o.labelHeight ?? needH;

  // axis: gridlines, tick labels, title
  for (const t of o.axis.values) {
    m.push(line(x0, ys(t), x1, ys(t), { stroke: t === 0 ? THEME.axis : THEME.grid, 'stroke-width': t === 0 ? 1.25 : 1 }));
    m.push(text(x0 - 8, ys(t) + 4, pct(t, o.axis.decimals), { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'end' }));
  }
  m.push(rotatedText(o.x + 12, (top + bottom) / 2, -90, 'attention weight', { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'middle' }));

  // what a causal model cannot see: one hatched block over the blocked columns
  const blocked = spec.bars.map((b, k) => (b.blocked ? k : -1)).filter((k) => k >= 0);
  if (blocked.length) {
    const bx = x0 + blocked[0] * band;
    const bw = (blocked[blocked.length - 1] + 1 - blocked[0]) * band;
    m.push(rect(bx, top, bw, plotH, { fill: `url(#${o.idPrefix}-hatch)` }));
    m.push(...blockedNote(spec.blockedNote ?? '', bx, top, bw, plotH));
  }

  const pctSize = o.pctSize ?? pctLabelSize(spec, x1 - x0);
  spec.bars.forEach((b, k) => {
    const cx = x0 + (k + 0.5) * band;
    // blocked items: no bar and no number; the hatching and its note say why
    if (!b.blocked) {
      const h = bottom - ys(Math.min(b.value, o.axis.max));
      m.push(rect(cx - barW / 2, bottom - h, barW, h, { fill: barFill(b) }));
      if (pctSize || b.rank || b.query) {
        const size = pctSize || 10;
        m.push(text(cx, bottom - h - 6, pct(b.value), {
          'font-size': size,
          'font-weight': b.rank ? 700 : undefined,
          fill: b.query ? THEME.query : THEME.text,
          'text-anchor': 'middle',
        }));
      }
    }
    const weight = labelWeight(b);
    if (rotated) {
      const label = fitText(b.label, MAX_LABEL_PX, FONT.label, weight);
      m.push(rotatedText(cx + 4, bottom + 14, -45, label, { 'font-size': FONT.label, 'font-weight': weight === 700 ? 700 : undefined, fill: labelFill(b), 'text-anchor': 'end' }));
    } else {
      m.push(text(cx, bottom + 20, b.label, { 'font-size': FONT.label, 'font-weight': weight === 700 ? 700 : undefined, fill: labelFill(b), 'text-anchor': 'middle' }));
    }
  });
  return { markup: m, height: bottom - o.y + labelH };
}

export const ROW_H = 20;

/** Width of the label column a horizontal panel needs. */
export function horizontalLabelWidth(spec: BarSpec): number {
  return Math.min(MAX_LABEL_PX, Math.max(0, ...spec.bars.map((b) => textWidth(b.label, FONT.label, labelWeight(b))))) + 4;
}

/** Horizontal bars, one row per item top to bottom in sentence order, weight axis on top. */
export function horizontalPanel(spec: BarSpec, o: PanelOptions): Block {
  const m: string[] = [];
  const labelW = o.labelWidth ?? horizontalLabelWidth(spec);
  const x0 = o.x + labelW + 10;
  const x1 = o.x + o.width - 52; // room for the percentage after the longest bar
  const top = o.y + 40;
  const n = spec.bars.length;
  const bottom = top + n * ROW_H;
  const xs = linear([0, o.axis.max], [x0, x1]);

  m.push(text(x0, o.y + 12, 'attention weight', { 'font-size': FONT.small, fill: THEME.muted }));
  for (const t of o.axis.values) {
    m.push(line(xs(t), top - 4, xs(t), bottom, { stroke: t === 0 ? THEME.axis : THEME.grid, 'stroke-width': t === 0 ? 1.25 : 1 }));
    m.push(text(xs(t), top - 10, pct(t, o.axis.decimals), { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'middle' }));
  }
  const blocked = spec.bars.map((b, k) => (b.blocked ? k : -1)).filter((k) => k >= 0);
  if (blocked.length) {
    const by = top + blocked[0] * ROW_H;
    const bh = (blocked[blocked.length - 1] + 1 - blocked[0]) * ROW_H;
    m.push(rect(x0, by, x1 - x0, bh, { fill: `url(#${o.idPrefix}-hatch)` }));
    m.push(...blockedNote(spec.blockedNote ?? '', x0, by, x1 - x0, bh));
  }
  spec.bars.forEach((b, k) => {
    const cy = top + (k + 0.5) * ROW_H;
    const weight = labelWeight(b);
    m.push(text(x0 - 10, cy + 4.5, fitText(b.label, labelW, FONT.label, weight), {
      'font-size': FONT.label,
      'font-weight': weight === 700 ? 700 : undefined,
      fill: labelFill(b),
      'text-anchor': 'end',
    }));
    if (b.blocked) return;
    const w = xs(Math.min(b.value, o.axis.max)) - x0;
    m.push(rect(x0, cy - ROW_H * 0.36, w, ROW_H * 0.72, { fill: barFill(b) }));
    m.push(text(x0 + w + 5, cy + 4, pct(b.value), {
      'font-size': FONT.small,
      'font-weight': b.rank ? 700 : undefined,
      fill: b.query ? THEME.query : THEME.text,
    }));
  });
  return { markup: m, height: bottom - o.y + 6 };
}
