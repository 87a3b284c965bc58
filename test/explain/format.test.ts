// Terminal and Markdown output: widths respected, no escape codes without colour, valid-looking LaTeX with
// balanced dollars, well-formed tables; and the formatting helpers on their own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLevel, formatMarkdown, formatText, LEVELS } from '../../src/explain/index.js';
import { mdEscape, wrap } from '../../src/explain/format.js';
import { num, pct } from '../../src/explain/numbers.js';
import type { Explanation } from '../../src/explain/types.js';
import { MODELS, run } from './helpers.js';

const ANSI = /\u001b\[/;

async function all(): Promise<Explanation[]> {
  const out: Explanation[] = [];
  for (const name of MODELS) {
    for (const sel of [{ layer: 1, head: 2 }, { layer: 0, aggregate: 'rollout' as const }]) {
      const { context } = await run(name, sel);
      for (const level of LEVELS) out.push(explainLevel(level, context));
    }
  }
  return out;
}

test('formatText: every line fits the width; colour only when asked', async () => {
  for (const e of await all()) {
    for (const width of [40, 60, 80, 120]) {
      const plain = formatText(e, { width, color: false });
      assert.doesNotMatch(plain, ANSI);
      for (const line of plain.split('\n')) assert.ok([...line].length <= width, `${e.level} at ${width}: ${JSON.stringify(line)} is ${[...line].length} long`);
      const colored = formatText(e, { width, color: true });
      assert.match(colored, ANSI);
      assert.equal(colored.replace(/\u001b\[[0-9;]*m/g, ''), plain, 'colour adds only escape codes');
    }
  }
});

/** Unescaped dollar signs. */
const dollars = (s: string) => [...s.matchAll(/(?<!\\)\$/g)].length;

test('formatMarkdown: headings, LaTeX in balanced $…$/$$…$$, tables with equal cell counts', async () => {
  for (const e of await all()) {
    const md = formatMarkdown(e);
    assert.match(md, /^# /);
    assert.equal(dollars(md) % 2, 0, `${e.level}: unbalanced $`);
    const lines = md.split('\n');
    assert.equal(lines.filter((l) => l === '$$').length % 2, 0);
    for (const line of lines) if (line !== '$$' && !line.startsWith('|')) assert.equal(dollars(line.replace(/\$\$/g, '')) % 2, 0, `inline math balanced: ${line}`);
    // table rows: the same number of unescaped pipes as the header
    let header = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) { header = -1; continue; }
      const pipes = line.split(/(?<!\\)\|/).length;
      if (header < 0) header = pipes;
      else assert.equal(pipes, header, line);
    }
    if (e.level !== 'newbie') {
      assert.match(md, /\\frac\{/);
      assert.match(md, /\\mathrm\{softmax\}|\\mathrm\{weight\}/);
    }
    // braces balanced inside each display block
    const display = md.split('$$\n').filter((_, i) => i % 2 === 1);
    for (const tex of display) assert.equal([...tex.matchAll(/(?<!\\)\{/g)].length, [...tex.matchAll(/(?<!\\)\}/g)].length, tex);
  }
  const expert = (await all()).find((e) => e.level === 'expert')!;
  assert.match(formatMarkdown(expert), /\\mathrm\{softmax\}\\!\\left\(\\frac\{Q_h K_h\^\\top\}\{\\sqrt\{d_k\}\}/);
});

test('wrap breaks at spaces and splits words longer than the width', () => {
  assert.deepEqual(wrap('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
  assert.deepEqual(wrap('one\ntwo', 80), ['one', 'two']);
  for (const l of wrap('x '.repeat(50) + 'y'.repeat(30), 12, '  ')) assert.ok(l.length <= 12);
});

test('mdEscape keeps text from turning into math or markup; numbers round one way everywhere', () => {
  assert.equal(mdEscape('costs $5 | a_b *c*'), 'costs \\$5 \\| a\\_b \\*c\\*');
  assert.equal(num(-Infinity), '−∞');
  assert.equal(num(0.12345), '0.123');
  assert.equal(num(0.00001234), '1.23e-5');
  assert.equal(num(0), '0.000');
  assert.equal(pct(0.798), '80%');
  assert.equal(pct(0.001), 'under 1%');
  assert.equal(pct(0), '0%');
});
