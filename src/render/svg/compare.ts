// Two sentences' bar charts side by side on one weight scale (equal bars mean equal weights), each headed
// by its sentence, with an optional note line (e.g. the cosine similarity of the word's final vectors).

import type { AttentionView } from '../../interpret/view.js';
import { quoted } from '../format.js';
import { fitText, wrapPx } from '../measure.js';
import { THEME } from '../palette.js';
import { ticks } from '../scale.js';
import { barSpec, compareTitle, type BarSpec } from '../spec.js';
import { FONT, hatchDef, svgDocument, text, type CommonOptions } from './doc.js';
import { GUTTER, horizontalLabelWidth, horizontalPanel, pctLabelSize, verticalLabelLayout, verticalPanel } from './bar-panel.js';
import { heading, legend, legendItems } from './parts.js';

export interface CompareOptions extends CommonOptions {
  /** default: “bank” in two sentences, or “bank” vs “shore” */
  title?: string;
  /** a line under the charts, e.g. "cosine similarity of “bank”'s final vectors: 0.42" */
  note?: string;
}

const MARGIN = 28;
const COL_GAP = 36;
/** Side-by-side panels are narrow: vertical bars up to this many items, horizontal beyond. */
const VERTICAL_MAX = 10;

function panelHeading(spec: BarSpec, x: number, y: number, w: number): { markup: string[]; lines: number } {
  const markup: string[] = [];
  const sentence = wrapPx(quoted(spec.sentence), w, 15, 600);
  const lines = sentence.length > 2 ? [sentence[0], fitText(sentence.slice(1).join(' '), w, 15, 600)] : sentence;
  let yy = y;
  for (const l of lines) {
    yy += 20;
    markup.push(text(x, yy, l, { 'font-size': 15, 'font-weight': 600 }));
  }
  const subs = [`${quoted(spec.queryLabel)} · ${spec.subtitle}`, ...(spec.renormalized ? [spec.hiddenNote] : [])];
  for (const s of subs) {
    for (const l of wrapPx(s, w, FONT.note)) {
      yy += 18;
      markup.push(text(x, yy, l, { 'font-size': FONT.note, fill: THEME.muted }));
    }
  }
  return { markup, lines: yy - y };
}

export function compareSvg(a: AttentionView, b: AttentionView, opts: CompareOptions = {}): string {
  const width = Math.max(480, opts.width ?? 800);
  const prefix = opts.idPrefix ?? 'attn';
  const specs = [barSpec(a), barSpec(b)];
  const inner = width - 2 * MARGIN;
  const title = opts.title ?? compareTitle(a, b);
  const head = heading(MARGIN, MARGIN - 8, inner, title, '');
  const colW = (inner - COL_GAP) / 2;
  const xs = [MARGIN, MARGIN + colW + COL_GAP];
  const top = MARGIN - 8 + head.height - 4;

  // headings first, so both panels start at the same height
  const heads = specs.map((s, i) => panelHeading(s, xs[i], top, colW));
  const panelY = top + Math.max(...heads.map((h) => h.lines)) + 12;
  const axis = ticks(Math.max(specs[0].max, specs[1].max));
  const vertical = specs.every((s) => s.bars.length <= VERTICAL_MAX);
  const common = { axis, idPrefix: prefix, y: panelY };
  const panels = vertical
    ? (() => {
        const plotW = colW + 8 - GUTTER - 6;
        const labelHeight = Math.max(...specs.map((s) => verticalLabelLayout(s, plotW).height));
        const pctSize = Math.min(...specs.map((s) => pctLabelSize(s, plotW)));
        return specs.map((s, i) => verticalPanel(s, { ...common, x: xs[i] - 8, width: colW + 8, labelHeight, pctSize }));
      })()
    : (() => {
        const labelWidth = Math.max(...specs.map(horizontalLabelWidth));
        return specs.map((s, i) => horizontalPanel(s, { ...common, x: xs[i], width: colW, labelWidth: Math.min(labelWidth, colW * 0.35) }));
      })();

  const out = [...head.markup, ...heads.flatMap((h) => h.markup), ...panels.flatMap((p) => p.markup)];
  let y = panelY + Math.max(...panels.map((p) => p.height)) + 10;
  const leg = legend(MARGIN, y, inner, legendItems(specs), prefix);
  out.push(...leg.markup);
  y += leg.height;
  if (opts.note) {
    for (const l of wrapPx(opts.note, inner, FONT.subtitle)) {
      y += FONT.subtitle + 8;
      out.push(text(MARGIN, y, l, { 'font-size': FONT.subtitle, fill: THEME.text }));
    }
    y += 6;
  }
  return svgDocument(width, y + MARGIN - 12, `${title}: ${specs[0].sentence} / ${specs[1].sentence}`, out, [hatchDef(prefix)]);
}
