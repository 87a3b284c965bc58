// PNG: resvg with only the bundled Inter fonts. Snapshots compared by bytes, else by pixels (another resvg
// build may compress identical pixels differently); same SVG → same bytes; scale; text really drawn.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barChartSvg, compareSvg, gridSvg, heatmapSvg, INTER_FONT_FILES, svgToPng } from '../../src/render/index.js';
import { decodePng } from './png-decode.js';
import { readSnapshot } from './snapshot.js';
import { longView, moneyView, riverView } from './views.js';

/** Equal bytes, or the same size and at most 0.1% of pixels off by more than 16 in a channel. */
function matchPngSnapshot(name: string, actual: Buffer): void {
  const expected = readSnapshot(name, actual);
  if (expected.equals(actual)) return;
  const a = decodePng(actual);
  const e = decodePng(expected);
  const dir = mkdtempSync(join(tmpdir(), 'attn-png-'));
  writeFileSync(join(dir, name), actual);
  assert.deepEqual([a.width, a.height], [e.width, e.height], `${name}: size differs from the snapshot (actual in ${dir})`);
  let off = 0;
  for (let p = 0; p < a.rgba.length; p += 4) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a.rgba[p + c] - e.rgba[p + c]) > 16) {
        off++;
        break;
      }
    }
  }
  assert.ok(off <= (a.width * a.height) / 1000, `${name}: ${off} pixels differ from the snapshot (actual in ${dir})`);
}

test('PNG snapshots', () => {
  matchPngSnapshot('bars-river.png', svgToPng(barChartSvg(riverView())));
  matchPngSnapshot('heatmap-river.png', svgToPng(heatmapSvg(riverView())));
  matchPngSnapshot('grid-river.png', svgToPng(gridSvg(riverView())));
  matchPngSnapshot('compare.png', svgToPng(compareSvg(riverView(), moneyView(), { note: 'cosine similarity of “bank”’s final vectors: 0.42' })));
});

test('same SVG, same PNG bytes; the size is the SVG’s times the scale', () => {
  const svg = barChartSvg(longView());
  const a = svgToPng(svg);
  assert.ok(a.equals(svgToPng(svg)));
  const one = decodePng(a);
  const height = Number(/height="(\d+)"/.exec(svg)![1]);
  assert.deepEqual([one.width, one.height], [800, height]);
  const two = decodePng(svgToPng(svg, { scale: 2 }));
  assert.deepEqual([two.width, two.height], [1600, 2 * height]);
  assert.throws(() => svgToPng(svg, { scale: 0 }), RangeError);
});

test('the background is white and the text is drawn with the bundled Inter (no system fonts)', () => {
  for (const f of INTER_FONT_FILES) assert.ok(existsSync(f), f);
  const png = decodePng(svgToPng(barChartSvg(riverView())));
  assert.deepEqual([...png.rgba.subarray(0, 4)], [255, 255, 255, 255]);
  const withText = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" font-family="Inter, sans-serif"><text x="4" y="28" font-size="24">bank</text></svg>`;
  const blank = withText.replace('bank', '');
  const dark = (svg: string) => {
    const d = decodePng(svgToPng(svg));
    let n = 0;
    for (let p = 0; p < d.rgba.length; p += 4) if (d.rgba[p] < 128) n++;
    return n;
  };
  assert.equal(dark(blank), 0);
  assert.ok(dark(withText) > 100, 'glyphs are drawn');
});
