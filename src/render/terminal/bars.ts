// The terminal bar chart of one word's attention: one line per item in sentence order, bars with
// eighth-block resolution, percentages, the top two and the query marked, blocked and hidden items explained.

import type { AttentionView } from '../../interpret/view.js';
import { pct } from '../format.js';
import { barSpec, type Bar, type BarSpec } from '../spec.js';
import { painter, type Paint, type Style } from './ansi.js';
import { cells, padStart, truncate, truncateAnsi, wrap } from './cells.js';

export interface TextOptions {
  /** columns available (default 80); every line fits in it */
  width?: number;
  /** ANSI colour; the caller decides (NO_COLOR, --color, process.stdout.isTTY). Default false */
  color?: boolean;
  /** print the title line(s) ("Where does “bank” look?" + model and selection); default true */
  title?: boolean;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const PCT_W = 6; // "100.0%"
const MIN_BAR = 10;

/** A bar of block characters for value/max over `width` cells, resolved to eighths of a cell. */
export function blockBar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || width <= 0) return '';
  let eighths = Math.round(Math.min(1, value / max) * width * 8);
  // a weight that is not zero never looks like zero
  if (eighths === 0) eighths = 1;
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** The marks after a bar: the top two weights and the query itself, each with its style (short forms for narrow terminals). */
function marksOf(b: Bar, unit: string, compact: boolean): [Style, string][] {
  const marks: [Style, string][] = [];
  if (b.rank) marks.push(['top', compact ? `★${b.rank}` : b.rank === 1 ? '★ 1st' : '★ 2nd']);
  if (b.query) marks.push(['query', compact ? '◀' : `◀ the query ${unit}`]);
  return marks;
}

export interface BarLinesOptions {
  width: number;
  paint: Paint;
  /** the value a full-width bar stands for (default: the spec's max); shared across compared charts */
  max?: number;
}

/** The chart's lines (no title): an optional note and column header, then one line per bar. */
export function barLines(spec: BarSpec, o: BarLinesOptions): string[] {
  const { width, paint } = o;
  const max = o.max ?? spec.max;
  const cols = spec.renormalized ? 2 : 1;
  const numsW = cols * PCT_W + (cols - 1) * 2;
  const longest = Math.max(1, ...spec.bars.map((b) => cells(b.label)));
  let labelW = Math.min(longest, Math.max(4, Math.floor(width * 0.28)));
  let marks = spec.bars.map((b) => marksOf(b, spec.unit, false));
  const markerW = () => Math.max(0, ...marks.map((m) => cells(m.map(([, t]) => t).join(' '))));
  const rest = () => width - labelW - 1 - 1 - numsW - (markerW() ? 1 + markerW() : 0);
  // narrow terminals: short marks first, then shorter labels, so the bars keep some room
  if (rest() < MIN_BAR) marks = spec.bars.map((b) => marksOf(b, spec.unit, true));
  if (rest() < MIN_BAR) labelW = Math.max(4, labelW - (MIN_BAR - rest()));
  const barW = Math.max(1, rest());

  const lines: string[] = [];
  if (spec.renormalized) {
    for (const l of wrap(spec.hiddenNote, width)) lines.push(paint('dim', l));
    lines.push(paint('dim', truncate(' '.repeat(labelW + 1 + barW + 1) + padStart('renorm', PCT_W) + '  ' + padStart('raw', PCT_W), width)));
  }
  let noted = false;
  spec.bars.forEach((b, k) => {
    const label = padStart(truncate(b.label, labelW), labelW);
    const styledLabel = b.query ? paint('query', label) : b.special || b.blocked ? paint('dim', label) : label;
    if (b.blocked) {
      // a causal model gives these no weight by construction: say so once, mark the others
      const note = noted ? '—' : `—  ${spec.blockedNote}`;
      noted = true;
      lines.push(truncateAnsi(styledLabel + ' ' + paint('dim', truncate(note, width - labelW - 1)), width));
      return;
    }
    const bar = blockBar(b.value, max, barW);
    const styledBar = paint(b.query ? 'query' : b.special ? 'special' : 'bar', bar) + ' '.repeat(barW - cells(bar));
    const nums = spec.renormalized
      ? padStart(pct(b.renorm ?? 0), PCT_W) + '  ' + padStart(pct(b.raw), PCT_W)
      : padStart(pct(b.value), PCT_W);
    const styledNums = b.rank ? paint('bold', nums) : b.special ? paint('dim', nums) : nums;
    let line = styledLabel + ' ' + styledBar + ' ' + styledNums;
    if (marks[k].length) line += ' ' + marks[k].map(([style, t]) => paint(style, t)).join(' ');
    lines.push(truncateAnsi(line, width));
  });
  return lines;
}

/** The title line(s): "Where does “bank” look?" and the model and selection, on one line when they fit. */
export function titleLines(spec: BarSpec, width: number, paint: Paint): string[] {
  const one = `${spec.title}  ${spec.subtitle}`;
  if (cells(one) <= width) return [paint('heading', spec.title) + '  ' + paint('dim', spec.subtitle)];
  return [paint('heading', truncate(spec.title, width)), ...wrap(spec.subtitle, width).map((l) => paint('dim', l))];
}

/**
 * The query word's attention as a terminal bar chart, one line per item in sentence order.
 * Returns the lines joined with "\n", ending with a newline. No ANSI codes unless opts.color.
 */
export function renderBarsText(view: AttentionView, opts: TextOptions = {}): string {
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  const paint = painter(opts.color ?? false);
  const spec = barSpec(view);
  const title = opts.title === false ? [] : titleLines(spec, width, paint);
  return [...title, ...barLines(spec, { width, paint })].join('\n') + '\n';
}
