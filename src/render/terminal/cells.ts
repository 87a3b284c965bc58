// Terminal cell widths: how many columns a string takes (CJK and emoji take two, combining marks none),
// ignoring ANSI colour codes; and padding, truncation and word-wrapping by that width.

import { graphemes, isWide } from '../measure.js';

const ANSI = /\x1b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

function graphemeCells(g: string): number {
  const cp = g.codePointAt(0)!;
  if (/^\p{M}/u.test(g) || cp === 0x200b || cp === 0x200d) return 0;
  if (/\p{Regional_Indicator}/u.test(g)) return 2;
  if (/\p{Extended_Pictographic}/u.test(g) && (/\p{Emoji_Presentation}/u.test(g) || g.includes('\ufe0f'))) return 2;
  return isWide(cp) ? 2 : 1;
}

/** Columns s takes in a terminal (ANSI codes take none). */
export function cells(s: string): number {
  let n = 0;
  for (const g of graphemes(stripAnsi(s))) n += graphemeCells(g);
  return n;
}

/** Plain s cut to at most max columns, ending in “…” when cut. */
export function truncate(s: string, max: number): string {
  if (cells(s) <= max) return s;
  if (max <= 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const w = graphemeCells(g);
    if (used + w > max - 1) break;
    out += g;
    used += w;
  }
  return out + '…';
}

/** A line that may hold ANSI codes, cut to at most max columns (codes kept, a reset added when cut). */
export function truncateAnsi(s: string, max: number): string {
  if (cells(s) <= max) return s;
  let out = '';
  let used = 0;
  const parts = s.split(/(\x1b\[[0-9;]*m)/);
  for (const part of parts) {
    if (part.startsWith('\x1b[')) { out += part; continue; }
    for (const g of graphemes(part)) {
      const w = graphemeCells(g);
      if (used + w > max - 1) return out + '…' + (s.includes('\x1b[') ? '\x1b[0m' : '');
      out += g;
      used += w;
    }
  }
  return out;
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - cells(s))) + s;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - cells(s)));
}

/** Plain text broken into lines of at most width columns, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const w = cells(word) > width ? truncate(word, width) : word;
    if (line === '') line = w;
    else if (cells(line) + 1 + cells(w) <= width) line += ' ' + w;
    else { lines.push(line); line = w; }
  }
  if (line !== '') lines.push(line);
  return lines;
}
