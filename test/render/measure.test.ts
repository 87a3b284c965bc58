// The SVG layout's width table against the Inter files resvg draws with, and the text fitting built on it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EXTRA_CHARS, fitText, textWidth, wrapPx, type Weight } from '../../src/render/measure.js';
import { INTER_FONT_FILES } from '../../src/render/png.js';
import { readFontMetrics } from './ttf.js';

const WEIGHTS: Weight[] = [400, 600, 700];

test('width table: every tabulated character has Inter’s own advance width', () => {
  const chars: number[] = [];
  for (let c = 32; c < 127; c++) chars.push(c);
  for (let c = 160; c < 256; c++) if (c !== 0xad) chars.push(c);
  for (const ch of EXTRA_CHARS) chars.push(ch.codePointAt(0)!);
  WEIGHTS.forEach((weight, k) => {
    const font = readFontMetrics(readFileSync(INTER_FONT_FILES[k]));
    assert.equal(font.unitsPerEm, 2048);
    for (const cp of chars) {
      const adv = font.advance(cp);
      assert.ok(adv !== undefined, `Inter ${weight} has U+${cp.toString(16)}`);
      assert.equal(textWidth(String.fromCodePoint(cp), 2048, weight), adv, `U+${cp.toString(16)} at weight ${weight}`);
    }
  });
});

test('textWidth: graphemes, wide scripts and emoji are estimated, combining marks add nothing', () => {
  assert.equal(textWidth('e\u0301', 10), textWidth('e', 10));
  assert.equal(textWidth('銀行', 10), 20);
  assert.ok(textWidth('👨‍👩‍👧', 10) > 10 && textWidth('👨‍👩‍👧', 10) < 15, 'one emoji sequence, one glyph');
  assert.ok(textWidth('bank', 13, 700) > textWidth('bank', 13, 400));
});

test('fitText and wrapPx stay within the width and cut at grapheme boundaries', () => {
  const s = 'The old fisherman walked slowly along the muddy bank 🇫🇷🇫🇷🇫🇷';
  for (const max of [20, 50, 100, 200]) {
    const f = fitText(s, max, 13);
    assert.ok(textWidth(f, 13) <= max + 1e-9, `${f} fits ${max}`);
    assert.ok(f === s || f.endsWith('…'));
    assert.ok(!/[\ud800-\udbff]…$/.test(f), 'no half surrogate pair');
    for (const line of wrapPx(s, max, 13)) assert.ok(textWidth(line, 13) <= max + 1e-9, `${line} fits ${max}`);
  }
  assert.equal(fitText('bank', 500, 13), 'bank');
  assert.deepEqual(wrapPx('', 100, 13), []);
});
