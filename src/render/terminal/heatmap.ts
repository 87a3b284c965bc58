// The whole attention matrix in a terminal: one row per attending item, one column per attended item,
// shaded blocks by weight band, the query's row marked, what a causal model cannot see dotted.

import type { AttentionView } from '../../interpret/view.js';
import { matrixSpec, barSpec } from '../spec.js';
import { painter } from './ansi.js';
import { cells, padStart, truncate, truncateAnsi, wrap } from './cells.js';
import { titleLines, type TextOptions } from './bars.js';

/** Shading bands: [lower bound, block]. */
export const SHADES: [number, string][] = [
  [0.5, '█'],
  [0.25, '▓'],
  [0.1, '▒'],
  [0.01, '░'],
  [0, ' '],
];

function shade(x: number): string {
  for (const [lo, ch] of SHADES) if (x >= lo) return ch;
  return ' ';
}

/**
 * The attention matrix with shaded blocks (░ 1–10%, ▒ 10–25%, ▓ 25–50%, █ ≥ 50%), columns numbered by
 * item; columns that do not fit in opts.width are cut, and a line says so. Ends with a newline.
 */
export function renderHeatmapText(view: AttentionView, opts: TextOptions = {}): string {
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  const paint = painter(opts.color ?? false);
  const m = matrixSpec(view);
  const n = m.items.length;
  const idxW = String(n - 1).length;
  const labelW = Math.min(Math.max(...m.labels.map(cells)), 14);
  const rowHead = 2 + idxW + 1 + labelW + 1; // "▶ " + index + " " + label + " "
  // two columns per cell when they fit, else one
  const cellW = rowHead + 2 * n <= width ? 2 : 1;
  const shown = Math.max(1, Math.min(n, Math.floor((width - rowHead) / cellW)));

  const lines = opts.title === false ? [] : titleLines(barSpec(view), width, paint);
  const legend = 'rows attend to columns;  ░ 1–10%  ▒ 10–25%  ▓ 25–50%  █ ≥50%' + (view.model.causal ? '  · cannot look ahead' : '');
  for (const l of wrap(legend, width)) lines.push(paint('dim', l));
  if (m.renormalized) for (const l of wrap('special items hidden; each row rescaled to 100% over the rest', width)) lines.push(paint('dim', l));
  // column numbers, one digit per header line (tens above units) when indices have two digits or more
  for (let d = idxW - 1; d >= 0; d--) {
    let h = ' '.repeat(rowHead);
    for (let c = 0; c < shown; c++) {
      const digit = c >= 10 ** d || d === 0 ? String(Math.floor(c / 10 ** d) % 10) : ' ';
      h += cellW === 2 ? digit + ' ' : digit;
    }
    lines.push(paint('dim', h.trimEnd()));
  }
  m.values.forEach((row, r) => {
    const isQ = r === m.queryRow;
    const head = (isQ ? '▶ ' : '  ') + padStart(String(r), idxW) + ' ' + padStart(truncate(m.labels[r], labelW), labelW) + ' ';
    // runs of blocked (dim) and shaded cells, trailing blanks trimmed before painting
    let plain = '';
    const dimFrom: number[] = [];
    for (let c = 0; c < shown; c++) {
      if (m.blocked[r][c]) dimFrom.push(plain.length);
      plain += m.blocked[r][c] ? (cellW === 2 ? '· ' : '·') : shade(row[c]).repeat(cellW);
    }
    plain = plain.trimEnd();
    let body = '';
    for (let k = 0; k < plain.length; k++) body += dimFrom.includes(k) ? paint('dim', plain[k]) : plain[k];
    lines.push(truncateAnsi((isQ ? paint('query', head) : head) + body, width));
  });
  if (shown < n) lines.push(paint('dim', truncate(`columns ${shown}–${n - 1} do not fit in ${width} columns`, width)));
  return lines.join('\n') + '\n';
}
