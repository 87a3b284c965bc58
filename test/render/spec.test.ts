// The chart spec and the shared helpers: which bars are shown with which values, the top two, blocked and
// hidden items, the matrix and grid specs; percentages, SVG numbers, ticks, labels, viridis.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/errors.js';
import { barSpec, checkView, gridSpec, matrixSpec } from '../../src/render/spec.js';
import { cleanLabel, num, pct, xmlEscape } from '../../src/render/format.js';
import { ticks } from '../../src/render/scale.js';
import { textOnViridis, viridis } from '../../src/render/palette.js';
import { bertView, causalView, longView, riverView } from './views.js';

test('pct: fixed decimals, no negative zero', () => {
  assert.equal(pct(0.4812), '48.1%');
  assert.equal(pct(0), '0.0%');
  assert.equal(pct(1), '100.0%');
  assert.equal(pct(-0.00001), '0.0%');
  assert.equal(pct(0.4812, 0), '48%');
  assert.equal(pct(0.025, 2), '2.50%');
});

test('num: at most two decimals, no trailing zeros, no -0, refuses NaN', () => {
  assert.equal(num(12), '12');
  assert.equal(num(12.5), '12.5');
  assert.equal(num(1 / 3), '0.33');
  assert.equal(num(-0.001), '0');
  assert.equal(num(-2.25), '-2.25');
  assert.throws(() => num(NaN), RangeError);
});

test('ticks: round steps from 0 to just above the largest weight, capped at 100%', () => {
  assert.deepEqual(ticks(0.46), { max: 0.5, step: 0.1, values: [0, 0.1, 0.2, 0.3, 0.4, 0.5], decimals: 0 });
  assert.deepEqual(ticks(0.086).values, [0, 0.02, 0.04, 0.06, 0.08, 0.1]);
  assert.equal(ticks(1).max, 1);
  assert.equal(ticks(0.999).max, 1);
  assert.equal(ticks(0.011).decimals, 1);
  assert.equal(ticks(0).max, 0.1, 'an all-zero row still gets an axis');
});

test('cleanLabel and xmlEscape make labels safe to print', () => {
  assert.equal(cleanLabel('\u001b[31mred'), '\ufffd[31mred');
  assert.equal(cleanLabel('\u202Egnp.exe'), '\ufffdgnp.exe');
  assert.equal(cleanLabel(''), '∅');
  assert.equal(cleanLabel(' '), '␣');
  assert.equal(cleanLabel('a\nb'), 'a⏎b');
  assert.equal(cleanLabel('\ud800x'), '\ufffdx');
  assert.equal(cleanLabel('🏦 銀行'), '🏦 銀行');
  assert.equal(xmlEscape(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

test('viridis: the ramp ends and readable text on it', () => {
  assert.equal(viridis(0), '#440154');
  assert.equal(viridis(1), '#fde725');
  assert.equal(viridis(-1), '#440154');
  assert.equal(viridis(NaN), '#440154');
  assert.equal(textOnViridis(0), '#ffffff');
  assert.equal(textOnViridis(1), '#111111');
});

test('barSpec: sentence order, raw values, the top two, the query', () => {
  const s = barSpec(riverView());
  assert.deepEqual(s.bars.map((b) => b.label), ['He', 'sat', 'on', 'the', "river's", 'bank']);
  assert.deepEqual(s.bars.map((b) => b.value), [0.12, 0.06, 0.03, 0.05, 0.46, 0.28]);
  assert.deepEqual(s.bars.map((b) => b.rank), [0, 0, 0, 0, 1, 2]);
  assert.deepEqual(s.bars.map((b) => b.query), [false, false, false, false, false, true]);
  assert.equal(s.title, 'Where does “bank” look?');
  assert.equal(s.subtitle, 'gpt2 · layer 5, head 1');
  assert.equal(s.max, 0.46);
  assert.equal(s.blockedNote, null);
  assert.equal(s.renormalized, false);
});

test('barSpec: hidden specials give renormalised values and a note with their raw share', () => {
  const v = bertView();
  const s = barSpec(v);
  assert.deepEqual(s.bars.map((b) => b.label), ['he', 'sat', 'on', 'the', "river's", 'bank']);
  assert.equal(s.renormalized, true);
  assert.deepEqual(s.hidden.labels, ['[CLS]', '[SEP]']);
  assert.ok(Math.abs(s.hidden.total - 0.43) < 1e-12);
  for (const b of s.bars) assert.equal(b.value, v.renormalized[b.index]);
  assert.ok(Math.abs(s.bars.reduce((a, b) => a + b.value, 0) - 1) < 1e-9);
  assert.match(s.hiddenNote, /^\[CLS\] and \[SEP\] hidden \(43\.0% of the attention\)/);
  // shown, the specials are ordinary bars with their raw weights
  const shown = barSpec(bertView(false));
  assert.equal(shown.bars.length, 8);
  assert.equal(shown.renormalized, false);
  assert.equal(shown.bars[0].value, 0.21);
  assert.equal(shown.bars[0].special, true);
});

test('barSpec: items after a causal query are blocked, never ranked, and explained', () => {
  const s = barSpec(causalView());
  assert.deepEqual(s.bars.map((b) => b.blocked), [false, false, true, true, true, true, true, true, true]);
  assert.equal(s.blockedNote, 'after “bank”: a causal model cannot look ahead');
  assert.deepEqual(s.bars.map((b) => b.rank).slice(0, 2), [1, 2]);
  assert.ok(s.bars.slice(2).every((b) => b.rank === 0));
});

test('matrixSpec: the query row is the view row; hidden specials rescale every row; causal cells blocked', () => {
  const v = bertView();
  const m = matrixSpec(v);
  assert.equal(m.items.length, 6);
  assert.deepEqual(m.values[m.queryRow], m.items.map((i) => v.renormalized[i]));
  for (const row of m.values) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  assert.ok(m.blocked.every((row) => row.every((b) => !b)), 'BERT blocks nothing');
  const c = matrixSpec(causalView());
  c.blocked.forEach((row, r) => row.forEach((b, col) => assert.equal(b, col > r)));
});

test('gridSpec: selection outline covers one head, a layer, or layers 0..l for rollout', () => {
  const head = gridSpec(riverView());
  assert.equal(head.selected(5, 1), true);
  assert.equal(head.selected(5, 2), false);
  const layer = gridSpec(causalView());
  assert.ok([0, 5, 11].every((h) => layer.selected(3, h)));
  assert.equal(layer.selected(2, 0), false);
  const roll = gridSpec(longView());
  assert.equal(roll.selected(0, 0), true);
  assert.equal(roll.selected(23, 15), true);
  assert.equal(roll.layers, 24);
  assert.equal(roll.heads, 16);
});

test('checkView: inconsistent views fail with a ShapeError that says what is wrong', () => {
  const v = riverView();
  assert.throws(() => checkView({ ...v, row: v.row.slice(1) }), (e: unknown) => e instanceof ShapeError && /row has 5 weights/.test(e.message));
  assert.throws(() => checkView({ ...v, query: 6 }), ShapeError);
  assert.throws(() => checkView({ ...v, matrix: [] }), ShapeError);
  assert.throws(() => barSpec({ ...v, items: [] }), ShapeError);
});

test('barSpec: a special item hidden twice is named once with its count', () => {
  const v = bertView();
  const twice = { ...v, items: v.items.map((it) => (it.index === 7 ? { ...it, label: '[CLS]' } : it)) };
  assert.match(barSpec(twice).hiddenNote, /^\[CLS\] \(×2\) hidden \(43\.0% of the attention\)/);
});
