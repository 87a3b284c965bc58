// Terminal charts: every line within the width, no ANSI codes unless asked, eighth-block bars, the numbers
// shown equal the view's rounded, blocked and hidden items explained, side-by-side vs stacked comparison.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockBar, renderBarsText, renderCompareText, renderHeatmapText, shouldColor } from '../../src/render/index.js';
import { cells, stripAnsi } from '../../src/render/terminal/cells.js';
import type { AttentionView } from '../../src/interpret/view.js';
import { matchTextSnapshot } from './snapshot.js';
import { VIEWS, bertView, causalView, hostileView, longView, moneyView, riverView } from './views.js';


const WIDTHS = [20, 32, 40, 60, 80, 100, 120, 160];
const ESC = '\u001b';

function lines(s: string): string[] {
  assert.ok(s.endsWith('\n'), 'output ends with a newline');
  return s.slice(0, -1).split('\n');
}

test('blockBar: eighth-block resolution; a non-zero weight never vanishes', () => {
  assert.equal(blockBar(0.5, 1, 10), '█████');
  assert.equal(blockBar(1, 1, 4), '████');
  assert.equal(blockBar(0.5, 1, 1), '▌');
  assert.equal(blockBar(1 / 16, 1, 1), '▏');
  assert.equal(blockBar(2 / 80, 1, 10), '▎');
  assert.equal(blockBar(3 / 80, 1, 10), '▍');
  assert.equal(blockBar(0.15, 1, 1), '▏', 'rounded to the nearest eighth');
  assert.equal(blockBar(0.001, 1, 10), '▏');
  assert.equal(blockBar(0, 1, 10), '');
  assert.equal(blockBar(0.3, 0, 10), '');
});

test('every line fits the width, with and without colour, for every chart', () => {
  for (const [name, make] of VIEWS) {
    for (const width of WIDTHS) {
      for (const color of [false, true]) {
        const outs = {
          bars: renderBarsText(make(), { width, color }),
          heatmap: renderHeatmapText(make(), { width, color }),
          compare: renderCompareText(make(), riverView(), { width, color }),
        };
        for (const [chart, out] of Object.entries(outs)) {
          for (const l of lines(out)) assert.ok(cells(l) <= width, `${chart} ${name} width ${width}: ${cells(l)} cells: ${stripAnsi(l)}`);
        }
      }
    }
  }
});

test('colour: no escape codes unless asked; with colour, the same text once codes are removed', () => {
  for (const [name, make] of VIEWS) {
    for (const render of [renderBarsText, renderHeatmapText]) {
      const plain = render(make(), { width: 80, color: false });
      assert.ok(!plain.includes(ESC), `${name}: no ESC without colour`);
      const colored = render(make(), { width: 80, color: true });
      assert.ok(colored.includes(`${ESC}[`), `${name}: colour codes with colour`);
      assert.equal(stripAnsi(colored), plain, name);
    }
    assert.ok(!renderCompareText(make(), moneyView(), { width: 120 }).includes(ESC));
  }
  assert.ok(!renderBarsText(riverView()).includes(ESC), 'colour is off by default');
});

test('shouldColor: --color/--no-color, then NO_COLOR, FORCE_COLOR, TERM=dumb, then the TTY', () => {
  assert.equal(shouldColor(true, { NO_COLOR: '1' }, false), true);
  assert.equal(shouldColor(false, {}, true), false);
  assert.equal(shouldColor(undefined, { NO_COLOR: '1' }, true), false);
  assert.equal(shouldColor(undefined, { NO_COLOR: '' }, true), true);
  assert.equal(shouldColor(undefined, { FORCE_COLOR: '1' }, false), true);
  assert.equal(shouldColor(undefined, { FORCE_COLOR: '0' }, false), false);
  assert.equal(shouldColor(undefined, { TERM: 'dumb' }, true), false);
  assert.equal(shouldColor(undefined, {}, true), true);
  assert.equal(shouldColor(undefined, {}, false), false);
});

/** The percentages printed on an item's line (after its bar). */
function percents(line: string): number[] {
  return [...line.matchAll(/(\d+\.\d)%/g)].map((m) => Number(m[1]));
}

test('the percentages shown are the view’s numbers rounded to one decimal', () => {
  const v = riverView();
  const ls = lines(renderBarsText(v));
  v.items.forEach((it, i) => {
    const l = ls.find((x) => x.trimStart().startsWith(`${it.label} `));
    assert.ok(l, it.label);
    assert.deepEqual(percents(l), [Math.round(v.row[i] * 1000) / 10]);
  });
  // specials hidden: renormalised first, then raw, under a header naming them
  const b = bertView();
  const bl = lines(renderBarsText(b));
  assert.ok(bl.some((l) => /renorm\s+raw$/.test(l)), 'a header labels the two columns');
  for (const it of b.items.filter((x) => !x.special)) {
    const l = bl.find((x) => x.trimStart().startsWith(`${it.label} `))!;
    assert.deepEqual(percents(l), [Math.round(b.renormalized[it.index]! * 1000) / 10, Math.round(b.row[it.index] * 1000) / 10]);
  }
});

test('the top two and the query are marked', () => {
  const ls = lines(renderBarsText(riverView()));
  assert.match(ls.find((l) => l.includes("river's"))!, /★ 1st$/);
  assert.match(ls.find((l) => l.trimStart().startsWith('bank'))!, /★ 2nd ◀ the query word$/);
  assert.equal(ls.filter((l) => l.includes('★')).length, 2);
  // narrow: short marks
  assert.match(lines(renderBarsText(bertView(), { width: 40 })).find((l) => l.trimStart().startsWith('bank'))!, /★2 ◀$/);
});

test('blocked items: a note once, a dash for each, no bars or percentages', () => {
  const v = causalView();
  const out = renderBarsText(v);
  assert.equal(out.split('after “bank”: a causal model cannot look ahead').length - 1, 1);
  const blocked = lines(out).filter((l) => /^\s*\S+ —/.test(l));
  assert.equal(blocked.length, v.blocked.filter(Boolean).length);
  for (const l of blocked) assert.deepEqual(percents(l), []);
});

test('hidden specials: not listed, named in a note with their share', () => {
  const out = renderBarsText(bertView());
  assert.ok(!lines(out).some((l) => /^\s*\[(CLS|SEP)\] +[█▏▎▍▌▋▊▉—]/.test(l)), 'no [CLS]/[SEP] rows');
  assert.match(out, /\[CLS\] and \[SEP\] hidden \(43\.0% of the attention\)/);
  const shown = renderBarsText(bertView(false));
  assert.ok(lines(shown).some((l) => /^\s*\[CLS\] .*21\.0%/.test(l)), 'shown when not hidden');
  assert.ok(!/renorm/.test(shown));
});

test('hostile labels cannot inject escapes or flip the text direction', () => {
  for (const render of [renderBarsText, renderHeatmapText]) {
    const out = render(hostileView(), { width: 100 });
    assert.ok(!out.includes(ESC) && !out.includes('\u202e'));
    assert.ok(out.includes('<script>'), 'terminal text is not XML-escaped');
  }
});

test('compare: side by side from 100 columns, stacked below; one scale for both', () => {
  const wide = lines(renderCompareText(riverView(), moneyView(), { width: 120 }));
  assert.ok(wide.some((l) => l.includes('“He sat on the river\'s bank”') && l.includes('“She deposited the cheque at the bank”')));
  const narrow = lines(renderCompareText(riverView(), moneyView(), { width: 80 }));
  assert.ok(!narrow.some((l) => l.includes('river\'s bank”') && l.includes('cheque')));
  assert.ok(narrow.findIndex((l) => l.includes('cheque at the bank”')) > narrow.findIndex((l) => l.includes("river's bank”")));
  // shared scale: river's 46% is the longest bar of both; deposited's 31% is shorter
  const bar = (l: string) => (l.match(/[█▏▎▍▌▋▊▉]+/) ?? [''])[0].length;
  const row = (w: string) => narrow.find((l) => l.trimStart().startsWith(`${w} `))!;
  assert.ok(bar(row("river's")) > bar(row('deposited')));
  assert.equal(renderCompareText(riverView(), moneyView(), { title: false }).split('\n')[0], '“He sat on the river\'s bank”');
});

test('heatmap: the query row marked, causal cells dotted, shading bands', () => {
  const ls = lines(renderHeatmapText(causalView()));
  const q = ls.find((l) => l.startsWith('▶'))!;
  assert.match(q, /bank/);
  assert.match(ls.find((l) => l.includes(' 0   The '))!, /The ██(· ){7}·$/);
  const long = lines(renderHeatmapText(longView(), { width: 60 }));
  assert.ok(long.some((l) => /columns \d+–62 do not fit in 60 columns/.test(l)));
});

test('terminal snapshots', () => {
  matchTextSnapshot('bars-river.txt', renderBarsText(riverView()));
  matchTextSnapshot('bars-bert.txt', renderBarsText(bertView()));
  matchTextSnapshot('bars-causal.txt', renderBarsText(causalView()));
  matchTextSnapshot('compare-wide.txt', renderCompareText(riverView(), moneyView(), { width: 120 }));
  matchTextSnapshot('heatmap-causal.txt', renderHeatmapText(causalView()));
});
