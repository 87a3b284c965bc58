// Two terminal bar charts on one scale: side by side when the terminal is wide enough (≥ 100 columns),
// else one above the other; each headed by its sentence.

import type { AttentionView } from '../../interpret/view.js';
import { quoted } from '../format.js';
import { barSpec, compareTitle, type BarSpec } from '../spec.js';
import { painter, type Paint } from './ansi.js';
import { barLines, type TextOptions } from './bars.js';
import { cells, padEnd, truncate } from './cells.js';

/** Side by side from this many columns on. */
export const SIDE_BY_SIDE_MIN_WIDTH = 100;

function block(spec: BarSpec, width: number, max: number, paint: Paint): string[] {
  return [
    paint('heading', truncate(quoted(spec.sentence), width)),
    paint('dim', truncate(`${quoted(spec.queryLabel)} · ${spec.subtitle}`, width)),
    ...barLines(spec, { width, paint, max }),
  ];
}

/**
 * Two views' bar charts, sharing one scale so equal bars mean equal weights.
 * Returns lines joined with "\n", ending with a newline. No ANSI codes unless opts.color.
 */
export function renderCompareText(a: AttentionView, b: AttentionView, opts: TextOptions = {}): string {
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  const paint = painter(opts.color ?? false);
  const sa = barSpec(a);
  const sb = barSpec(b);
  const max = Math.max(sa.max, sb.max);
  const title = opts.title === false ? [] : [paint('heading', truncate(compareTitle(a, b), width)), ''];
  if (width < SIDE_BY_SIDE_MIN_WIDTH) {
    return [...title, ...block(sa, width, max, paint), '', ...block(sb, width, max, paint)].join('\n') + '\n';
  }
  const gap = ' │ ';
  const colW = Math.floor((width - cells(gap)) / 2);
  const la = block(sa, colW, max, paint);
  const lb = block(sb, colW, max, paint);
  const lines = [...title];
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const left = padEnd(la[i] ?? '', colW);
    lines.push((left + paint('dim', gap) + (lb[i] ?? '')).trimEnd());
  }
  return lines.join('\n') + '\n';
}
