// SVG building blocks: elements with escaped attributes and text, numbers at fixed precision, the
// document shell (white background, Inter) and the hatch pattern. No random ids: same input, same bytes.

import { num, xmlEscape } from '../format.js';
import { THEME } from '../palette.js';

export type AttrValue = string | number | undefined | null | false;
export type Attrs = Record<string, AttrValue>;

function attrs(a: Attrs): string {
  let s = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined || v === null || v === false) continue;
    s += ` ${k}="${typeof v === 'number' ? num(v) : xmlEscape(v)}"`;
  }
  return s;
}

/** An element; children are already-built markup (strings from tag/text). */
export function tag(name: string, a: Attrs = {}, children?: string | string[]): string {
  const inner = Array.isArray(children) ? children.join('\n') : children;
  if (inner === undefined || inner === '') return `<${name}${attrs(a)}/>`;
  return Array.isArray(children) ? `<${name}${attrs(a)}>\n${inner}\n</${name}>` : `<${name}${attrs(a)}>${inner}</${name}>`;
}

/** A text element whose content is escaped (labels come from user text). */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return tag('text', { x, y, ...a }, xmlEscape(content));
}

export function rect(x: number, y: number, width: number, height: number, a: Attrs = {}): string {
  return tag('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), ...a });
}

export function line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): string {
  return tag('line', { x1, y1, x2, y2, ...a });
}

/** Rotated text about its anchor point (x, y). */
export function rotatedText(x: number, y: number, angle: number, content: string, a: Attrs = {}): string {
  return text(x, y, content, { transform: `rotate(${num(angle)} ${num(x)} ${num(y)})`, ...a });
}

export interface CommonOptions {
  /** width in px (default 800, newsletter size) */
  width?: number;
  /** prefix for element ids (patterns), for pages that inline several charts; default "attn" */
  idPrefix?: string;
}

/** The hatch pattern for what a causal model cannot see; reference it as url(#<prefix>-hatch). */
export function hatchDef(prefix: string): string {
  return tag('pattern', { id: `${prefix}-hatch`, patternUnits: 'userSpaceOnUse', width: 8, height: 8, patternTransform: 'rotate(45)' }, [
    rect(0, 0, 8, 8, { fill: THEME.hatchBackground }),
    line(0, 0, 0, 8, { stroke: THEME.hatch, 'stroke-width': 1.5 }),
  ]);
}

/** The whole document: size, white background, Inter, an accessible title; ends with a newline. */
export function svgDocument(width: number, height: number, title: string, body: string[], defs: string[] = []): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return (
    tag(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        width: w,
        height: h,
        viewBox: `0 0 ${w} ${h}`,
        'font-family': 'Inter, sans-serif',
        fill: THEME.text,
      },
      [
        tag('title', {}, xmlEscape(title)),
        ...(defs.length ? [tag('defs', {}, defs)] : []),
        rect(0, 0, w, h, { fill: THEME.background }),
        ...body,
      ],
    ) + '\n'
  );
}

export const FONT = {
  title: 22,
  subtitle: 14,
  note: 13,
  label: 13,
  small: 11,
} as const;

/** Many rectangles as one path per fill colour (small multiples draw thousands; this keeps files small). */
export class RectPaths {
  private readonly byFill = new Map<string, string[]>();

  add(fill: string, x: number, y: number, w: number, h: number): void {
    if (!(w > 0 && h > 0)) return;
    let parts = this.byFill.get(fill);
    if (!parts) this.byFill.set(fill, (parts = []));
    parts.push(`M${num(x)} ${num(y)}h${num(w)}v${num(h)}h${num(-w)}z`);
  }

  /** One <path> per fill, in the order the fills were first used. */
  markup(): string[] {
    return [...this.byFill].map(([fill, parts]) => tag('path', { fill, d: parts.join('') }));
  }
}
