// An Explanation as terminal text (wrapped to a width, ANSI colour optional) or as Markdown with LaTeX
// math ($…$ inline, $$…$$ display) for KaTeX/MathJax. Pure functions: the caller prints or saves.

import { num } from './numbers.js';
import type { Block, Explanation } from './types.js';

export interface TextOptions {
  /** the most characters per line (default 80; at least 20) */
  width?: number;
  /** ANSI colours and bold (default false) */
  color?: boolean;
}

const ESC = '\u001b[';
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (s: string) => [...s.replace(ANSI, '')].length;

/** Wraps a paragraph at spaces; words longer than the width are broken. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/ +/)) {
      while ([...indent, ...word].length > width) {
        if (line) { out.push(indent + line); line = ''; }
        const chars = [...word];
        out.push(indent + chars.slice(0, width - [...indent].length).join(''));
        word = chars.slice(width - [...indent].length).join('');
      }
      if (!line) line = word;
      else if (visible(indent + line + ' ' + word) <= width) line += ' ' + word;
      else { out.push(indent + line); line = word; }
    }
    out.push(indent + line);
  }
  return out;
}

/** Cells → aligned lines; numbers (and numeric-looking strings) right-aligned. Splits columns to fit the width. */
function grid(header: string[], rows: string[][], width: number): string[] {
  const cols = header.length;
  const widths = header.map((h, c) => Math.max([...h].length, ...rows.map((r) => [...(r[c] ?? '')].length)));
  const numeric = header.map((_, c) => c > 0 && rows.length > 0 && rows.every((r) => /^[−+-]?(\d|∞|\.)|^…$|^⋮$/.test(r[c] ?? '')));
  const pad = (s: string, c: number, w: number) => {
    const cut = [...s].length > w ? [...s].slice(0, Math.max(1, w - 1)).join('') + '…' : s;
    const gap = ' '.repeat(Math.max(0, w - [...cut].length));
    return numeric[c] ? gap + cut : cut + gap;
  };
  // groups of columns that fit, each repeating the first (label) column
  const first = Math.min(widths[0], Math.max(4, Math.floor(width / 3)));
  const groups: number[][] = [];
  let cur: number[] = [];
  let used = first;
  for (let c = 1; c < cols; c++) {
    const w = Math.min(widths[c], width - first - 2);
    if (cur.length && used + 2 + w > width) { groups.push(cur); cur = []; used = first; }
    cur.push(c);
    used += 2 + w;
  }
  if (cur.length || cols === 1) groups.push(cur);
  const lines: string[] = [];
  groups.forEach((g, gi) => {
    if (gi > 0) lines.push('');
    const ws = g.map((c) => Math.min(widths[c], width - first - 2));
    const line = (cells: string[]) => [pad(cells[0] ?? '', 0, first), ...g.map((c, k) => pad(cells[c] ?? '', c, ws[k]))].join('  ').trimEnd();
    lines.push(line(header));
    lines.push('─'.repeat(Math.min(width, first + ws.reduce((a, w) => a + 2 + w, 0))));
    for (const r of rows) lines.push(line(r));
  });
  return lines;
}

function blockText(b: Block, width: number, c: (code: string, s: string) => string): string[] {
  switch (b.kind) {
    case 'text':
      return wrap(b.text, width);
    case 'math':
      return b.plain.split('\n').flatMap((l) => wrap(l, width, '    ').map((x) => c('36', x)));
    case 'table': {
      const cap = b.caption ? wrap(b.caption, width).map((x) => c('2', x)) : [];
      return [...cap, ...grid(b.columns, b.rows.map((r) => r.map(String)), width)];
    }
    case 'matrix': {
      const [R, K] = [b.shape[0], b.shape[b.shape.length - 1]];
      const shown = `${b.values.length}×${b.values[0]?.length ?? 0}`;
      const head = `${b.name}  [${b.shape.join('×')}]${b.truncated ? `, first ${shown} shown` : ''}`;
      const moreCols = b.truncated && (b.values[0]?.length ?? 0) < K;
      const moreRows = b.truncated && b.values.length < R;
      const header = ['', ...b.colLabels, ...(moreCols ? ['…'] : [])];
      const rows = b.values.map((r, i) => [b.rowLabels[i] ?? '', ...r.map((x) => num(x, 3)), ...(moreCols ? ['…'] : [])]);
      if (moreRows) rows.push(['⋮', ...b.colLabels.map(() => '⋮'), ...(moreCols ? [''] : [])]);
      return [...wrap(head, width).map((x) => c('2', x)), ...grid(header, rows, width)];
    }
  }
}

/** Terminal text. Every line is at most `width` characters; no escape codes unless `color`. */
export function formatText(expl: Explanation, opts: TextOptions = {}): string {
  const width = Math.max(20, Math.floor(opts.width ?? 80));
  const c = (code: string, s: string) => (opts.color ? `${ESC}${code}m${s}${ESC}0m` : s);
  const out: string[] = [];
  const title = wrap(expl.title, width);
  out.push(...title.map((l) => c('1', l)), c('1', '═'.repeat(Math.min(width, Math.max(...title.map(visible))))));
  for (const s of expl.sections) {
    out.push('');
    const t = wrap(s.title, width);
    out.push(...t.map((l) => c('1;33', l)), c('33', '─'.repeat(Math.min(width, Math.max(...t.map(visible))))));
    s.blocks.forEach((b, i) => {
      if (i > 0) out.push('');
      out.push(...blockText(b, width, c));
    });
  }
  return out.join('\n') + '\n';
}

/** Escapes Markdown's inline syntax (and $, so that only our math is math). */
export function mdEscape(s: string, block = true): string {
  const inline = s.replace(/[\\`*_$<>|~]/g, (ch) => `\\${ch}`);
  // a paragraph starting "1. " or "- " would become a list
  return block ? inline.replace(/^([#+\-=]|\d+\.)(?=\s)/, '\\$1') : inline;
}

function mdTable(header: string[], rows: string[][]): string[] {
  const right = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[−+-]?(\d|∞|\.)/.test(r[c] ?? '')));
  return [
    `| ${header.map((h) => mdEscape(h, false)).join(' | ')} |`,
    `|${header.map((_, c) => (right[c] ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${header.map((_, c) => mdEscape(r[c] ?? '', false)).join(' | ')} |`),
  ];
}

function blockMarkdown(b: Block): string[] {
  switch (b.kind) {
    case 'text':
      return [mdEscape(b.text)];
    case 'math':
      return ['$$', b.tex, '$$'];
    case 'table':
      return [...(b.caption ? [`*${mdEscape(b.caption)}*`, ''] : []), ...mdTable(b.columns, b.rows.map((r) => r.map(String)))];
    case 'matrix': {
      const shape = b.shape.join(' \\times ');
      const shown = `${b.values.length} \\times ${b.values[0]?.length ?? 0}`;
      const name = b.tex ? `$${b.tex}$` : `**${mdEscape(b.name)}**`;
      const cap = `${name} (${mdEscape(b.name)}), shape $${shape}$${b.truncated ? `; the first $${shown}$ entries` : ''}`;
      const rows = b.values.map((r, i) => [b.rowLabels[i] ?? '', ...r.map((x) => num(x, 3))]);
      return [cap, '', ...mdTable(['', ...b.colLabels], rows)];
    }
  }
}

/** Markdown with LaTeX math: $$…$$ for equations, $…$ for shapes in matrix captions. */
export function formatMarkdown(expl: Explanation): string {
  const out: string[] = [`# ${mdEscape(expl.title, false)}`];
  for (const s of expl.sections) {
    out.push('', `## ${mdEscape(s.title, false)}`);
    for (const b of s.blocks) out.push('', ...blockMarkdown(b));
  }
  return out.join('\n') + '\n';
}
