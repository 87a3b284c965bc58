// Training curves as SVG: loss against step for the training batches (raw, faint, and a moving
// average) and the held-out set (points joined by a line), with a bigram baseline drawn as a dashed
// reference line when given. Same input, same bytes.

import { num } from '../format.js';
import { THEME } from '../palette.js';
import { linear, niceStep } from '../scale.js';
import { FONT, line, svgDocument, tag, text, type CommonOptions } from './doc.js';
import { heading } from './parts.js';

export interface LossCurves {
  /** [step, loss] per update */ train: readonly (readonly [number, number])[];
  /** [step, loss] per evaluation */ heldout: readonly (readonly [number, number])[];
  /** a horizontal reference line, e.g. a bigram model's held-out loss */ baseline?: { label: string; loss: number };
  title: string;
  subtitle: string;
}

const COLORS = { train: '#0072b2', heldout: '#d55e00', baseline: '#009e73' } as const;

/** Mean of each window of `k` consecutive losses (centred on its last step). */
export function movingAverage(points: readonly (readonly [number, number])[], k: number): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    sum += points[i][1];
    if (i >= k) sum -= points[i - k][1];
    if (i >= k - 1 || i === points.length - 1) out.push([points[i][0], sum / Math.min(k, i + 1)]);
  }
  return out;
}

/** At most `n` points of `pts`, evenly spaced (the curve keeps its shape; the file stays small). */
function thin(pts: readonly (readonly [number, number])[], n: number): (readonly [number, number])[] {
  if (pts.length <= n) return [...pts];
  const out: (readonly [number, number])[] = [];
  for (let i = 0; i < n; i++) out.push(pts[Math.round((i * (pts.length - 1)) / (n - 1))]);
  return out;
}

export function lossCurvesSvg(c: LossCurves, o: CommonOptions = {}): string {
  const width = o.width ?? 800;
  const pad = 24;
  const head = heading(pad, pad, width - 2 * pad, c.title, c.subtitle);
  const top = pad + head.height + 34, plotH = 300, left = pad + 44, right = width - pad - 8;
  const bottom = top + plotH;

  const all = [...c.train, ...c.heldout].map((p) => p[1]).concat(c.baseline ? [c.baseline.loss] : []);
  if (all.length === 0) throw new RangeError('lossCurvesSvg needs at least one loss');
  const maxStep = Math.max(1, ...c.train.map((p) => p[0]), ...c.heldout.map((p) => p[0]));
  const lo = Math.min(...all), hi = Math.max(...all);
  const step = niceStep(Math.max(hi - lo, 1e-3), 6);
  const y0 = Math.floor(lo / step) * step, y1 = Math.ceil(hi / step) * step;
  const x = linear([0, maxStep], [left, right]);
  const y = linear([y0, y1], [bottom, top]);
  const path = (pts: readonly (readonly [number, number])[]) => pts.map((p, i) => `${i ? 'L' : 'M'}${num(x(p[0]))} ${num(y(p[1]))}`).join('');

  const body: string[] = [...head.markup];
  for (let v = y0; v <= y1 + step / 2; v += step) {
    body.push(line(left, y(v), right, y(v), { stroke: THEME.grid }));
    body.push(text(left - 6, y(v) + 4, v.toFixed(step < 0.1 ? 2 : 1), { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'end' }));
  }
  const xStep = niceStep(maxStep, 6);
  for (let s = 0; s <= maxStep + 1e-9; s += xStep) {
    body.push(line(x(s), bottom, x(s), bottom + 4, { stroke: THEME.axis }));
    body.push(text(x(s), bottom + 18, s.toLocaleString('en-US'), { 'font-size': FONT.small, fill: THEME.muted, 'text-anchor': 'middle' }));
  }
  body.push(line(left, bottom, right, bottom, { stroke: THEME.axis }));
  body.push(text((left + right) / 2, bottom + 38, 'training step', { 'font-size': FONT.label, fill: THEME.muted, 'text-anchor': 'middle' }));
  body.push(text(pad, top - 18, 'loss (nats per token)', { 'font-size': FONT.label, fill: THEME.muted }));

  if (c.train.length) {
    body.push(tag('path', { d: path(thin(c.train, 600)), fill: 'none', stroke: COLORS.train, 'stroke-opacity': 0.25, 'stroke-width': 1 }));
    const k = Math.max(1, Math.round(c.train.length / 50));
    body.push(tag('path', { d: path(thin(movingAverage(c.train, k), 400)), fill: 'none', stroke: COLORS.train, 'stroke-width': 2 }));
  }
  if (c.baseline) {
    body.push(line(left, y(c.baseline.loss), right, y(c.baseline.loss), { stroke: COLORS.baseline, 'stroke-width': 1.5, 'stroke-dasharray': '6 4' }));
  }
  if (c.heldout.length) {
    body.push(tag('path', { d: path(c.heldout), fill: 'none', stroke: COLORS.heldout, 'stroke-width': 2 }));
    for (const p of c.heldout) body.push(tag('circle', { cx: x(p[0]), cy: y(p[1]), r: 3, fill: COLORS.heldout }));
  }

  // legend below the axis label
  const items: [string, string, boolean][] = [
    [COLORS.train, 'training batches (moving average; raw values faint)', false],
    [COLORS.heldout, 'held-out text', false],
    ...(c.baseline ? [[COLORS.baseline, c.baseline.label, true] as [string, string, boolean]] : []),
  ];
  let ly = bottom + 62;
  for (const [color, label, dashed] of items) {
    body.push(line(left, ly - 4, left + 24, ly - 4, { stroke: color, 'stroke-width': 2, 'stroke-dasharray': dashed ? '6 4' : undefined }));
    body.push(text(left + 32, ly, label, { 'font-size': FONT.label }));
    ly += 20;
  }
  return svgDocument(width, ly + pad - 8, c.title, body);
}
