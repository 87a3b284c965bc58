// SVG charts: byte-for-byte snapshots, same input → same bytes, well-formed XML for every chart and view,
// hostile labels escaped, no NaN, ids only from the prefix.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChartSvg, compareSvg, gridSvg, heatmapSvg } from '../../src/render/index.js';
import type { AttentionView } from '../../src/interpret/view.js';
import { existsSync } from 'node:fs';
import { matchTextSnapshot, snapshotPath } from './snapshot.js';
import { checkXml } from './xml-check.js';
import { VIEWS, bertView, causalView, hostileView, longView, makeView, moneyView, riverView } from './views.js';


const CHARTS: [string, (v: AttentionView) => string][] = [
  ['bars', (v) => barChartSvg(v)],
  ['heatmap', (v) => heatmapSvg(v)],
  ['grid', (v) => gridSvg(v)],
  ['compare', (v) => compareSvg(v, moneyView(), { note: 'cosine similarity of “bank”’s final vectors: 0.42' })],
];

test('SVG snapshots (byte for byte)', () => {
  matchTextSnapshot('bars-river.svg', barChartSvg(riverView()));
  matchTextSnapshot('bars-bert.svg', barChartSvg(bertView()));
  matchTextSnapshot('bars-causal.svg', barChartSvg(causalView()));
  matchTextSnapshot('bars-long.svg', barChartSvg(longView()));
  matchTextSnapshot('heatmap-river.svg', heatmapSvg(riverView()));
  matchTextSnapshot('heatmap-bert.svg', heatmapSvg(bertView(false)));
  matchTextSnapshot('heatmap-causal.svg', heatmapSvg(causalView()));
  matchTextSnapshot('grid-river.svg', gridSvg(riverView()));
  matchTextSnapshot('grid-causal.svg', gridSvg(causalView()));
  matchTextSnapshot('compare.svg', compareSvg(riverView(), moneyView(), { title: '“bank” in two sentences', note: 'cosine similarity of “bank”’s final vectors: 0.42' }));
  matchTextSnapshot('compare-bert-causal.svg', compareSvg(bertView(), causalView()));
});

test('same input, same bytes; the view is not modified', () => {
  for (const [name, make] of VIEWS) {
    const v = make();
    const before = JSON.stringify(v);
    for (const [chart, render] of CHARTS) {
      const a = render(v);
      const b = render(structuredClone(v));
      assert.equal(a, b, `${chart} ${name}`);
    }
    assert.equal(JSON.stringify(v), before, `${name} untouched`);
  }
});

test('every chart of every view is well-formed SVG at newsletter size, in Inter, on white', () => {
  for (const [name, make] of VIEWS) {
    for (const [chart, render] of CHARTS) {
      const svg = render(make());
      assert.doesNotThrow(() => checkXml(svg), `${chart} ${name}`);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="\d+" viewBox="0 0 800 \d+" font-family="Inter, sans-serif"/);
      assert.match(svg, /<rect x="0" y="0" width="800" height="\d+" fill="#ffffff"\/>/);
      assert.ok(!/NaN|Infinity|undefined|\[object/.test(svg), `${chart} ${name}: no NaN/undefined`);
      assert.ok(svg.endsWith('</svg>\n'));
      const ids = [...svg.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
      assert.ok(ids.every((id) => id.startsWith('attn-')), `${chart} ${name}: ids ${ids}`);
      assert.equal(new Set(ids).size, ids.length, 'ids unique');
    }
  }
});

test('hostile labels and names are escaped, never interpreted', () => {
  for (const [chart, render] of CHARTS) {
    const svg = render(hostileView());
    assert.ok(!svg.includes('<script'), chart);
    assert.ok(!svg.includes('\u001b') && !svg.includes('\u202e'), chart);
    assert.ok(svg.includes('&lt;script&gt;') || chart === 'grid' || chart === 'heatmap', chart);
    checkXml(svg);
  }
  const bars = barChartSvg(hostileView());
  assert.ok(bars.includes('alert(&quot;x&quot;)'));
  assert.ok(bars.includes('&amp;amp;'), 'a literal "&amp;" label is escaped once more');
  assert.ok(bars.includes('it&#39;s'));
  assert.ok(bars.includes('🏦') && bars.includes('銀行'), 'emoji and CJK pass through as text');
  assert.ok(bars.includes('bert &lt;&quot;evil&quot;&gt; &amp; co'), 'the model name too');
});

test('options: width, orientation, idPrefix', () => {
  const narrow = barChartSvg(riverView(), { width: 480 });
  assert.match(narrow, /^<svg [^>]*width="480"/);
  checkXml(narrow);
  const horizontal = barChartSvg(riverView(), { orientation: 'horizontal' });
  assert.ok(horizontal.includes('text-anchor="end">river&#39;s</text>'), 'labels on the left');
  const prefixed = heatmapSvg(causalView(), { idPrefix: 'fig2' });
  assert.ok(prefixed.includes('id="fig2-hatch"') && prefixed.includes('url(#fig2-viridis)') && !prefixed.includes('attn-'));
  // the vertical chart puts labels under the bars; long sentences switch to horizontal bars
  assert.ok(barChartSvg(riverView()).includes('text-anchor="middle">river&#39;s</text>'));
  assert.ok(barChartSvg(longView()).includes('text-anchor="end">fisherman</text>'));
});

test('bar chart content: title, subtitle, percentages, axis label, blocked note and legend', () => {
  const svg = barChartSvg(riverView());
  assert.ok(svg.includes('>Where does “bank” look?</text>'));
  assert.ok(svg.includes('>gpt2 · layer 5, head 1</text>'));
  for (const p of ['12.0%', '6.0%', '3.0%', '5.0%', '46.0%', '28.0%']) assert.ok(svg.includes(`>${p}</text>`), p);
  assert.ok(svg.includes('>attention weight</text>'));
  const causal = barChartSvg(causalView());
  assert.ok(causal.includes('url(#attn-hatch)'));
  assert.ok(causal.includes('after “bank”: a causal model cannot look ahead'));
  const bert = barChartSvg(bertView());
  assert.ok(bert.includes('[CLS] and [SEP] hidden (43.0% of the attention)'));
  assert.ok(!bert.includes('>[CLS]</text>'));
});

test('degenerate views still draw: one item, an all-zero row, NaN weights, no grid', () => {
  const one = makeView({
    model: { name: 'tiny', arch: 'gpt2', layers: 1, heads: 1, headWidth: 4, causal: true },
    text: 'bank',
    labels: ['bank'],
    query: 0,
    selection: { aggregate: 'head', layer: 0, head: 0 },
    row: [1],
    seed: 9,
  });
  const zero = { ...riverView(), row: [0, 0, 0, 0, 0, 0] };
  const nan = { ...riverView(), row: [NaN, 0.5, 0.5, 0, 0, 0], matrix: riverView().matrix.map((r) => r.map(() => NaN)) };
  const noGrid = { ...riverView(), grid: [] };
  for (const v of [one, zero, nan, noGrid]) {
    for (const [chart, render] of CHARTS) {
      const svg = render(v);
      checkXml(svg);
      assert.ok(!/NaN|Infinity|undefined/.test(svg), `${chart}: ${v.text}`);
    }
  }
  assert.ok(barChartSvg(zero).includes('>10%</text>'), 'an all-zero row gets a 0–10% axis');
});

test('a missing snapshot fails, and is never created under CI=true even with UPDATE_SNAPSHOTS=1', () => {
  const saved = { CI: process.env.CI, UPDATE_SNAPSHOTS: process.env.UPDATE_SNAPSHOTS };
  try {
    process.env.CI = 'true';
    process.env.UPDATE_SNAPSHOTS = '1';
    assert.throws(() => matchTextSnapshot('no-such-snapshot.svg', '<svg/>'), /is missing/);
    assert.ok(!existsSync(snapshotPath('no-such-snapshot.svg')));
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
