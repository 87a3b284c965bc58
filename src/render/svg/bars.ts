// The newsletter's bar chart: “Where does ‘bank’ look?” — the query word's attention over its sentence,
// with the model and selection as subtitle and a legend for the query, blocked and special items.

import type { AttentionView } from '../../interpret/view.js';
import { ticks } from '../scale.js';
import { barSpec } from '../spec.js';
import { hatchDef, svgDocument, type CommonOptions } from './doc.js';
import { chooseOrientation, horizontalPanel, verticalPanel, type Orientation } from './bar-panel.js';
import { heading, legend, legendItems } from './parts.js';

export interface BarChartOptions extends CommonOptions {
  /** 'auto' (default): vertical bars up to 16 items, horizontal beyond */
  orientation?: Orientation | 'auto';
  /** vertical bars: height of the plot area in px (default 260) */
  plotHeight?: number;
}

export const MARGIN = 28;

export function barChartSvg(view: AttentionView, opts: BarChartOptions = {}): string {
  const width = Math.max(320, opts.width ?? 800);
  const prefix = opts.idPrefix ?? 'attn';
  const spec = barSpec(view);
  const inner = width - 2 * MARGIN;
  const head = heading(MARGIN, MARGIN - 8, inner, spec.title, spec.subtitle, spec.renormalized ? [spec.hiddenNote] : []);
  const axis = ticks(spec.max);
  const panelOpts = { x: MARGIN - 8, y: MARGIN - 8 + head.height + 6, width: inner + 8, axis, idPrefix: prefix, plotHeight: opts.plotHeight };
  const panel = chooseOrientation(spec, opts.orientation) === 'vertical' ? verticalPanel(spec, panelOpts) : horizontalPanel(spec, panelOpts);
  const ly = panelOpts.y + panel.height + 10;
  const leg = legend(MARGIN, ly, inner, legendItems([spec]), prefix);
  const height = ly + leg.height + MARGIN - 12;
  const alt = `${spec.title} ${spec.subtitle}`;
  return svgDocument(width, height, alt, [...head.markup, ...panel.markup, ...leg.markup], [hatchDef(prefix)]);
}
