// Shared by the explain tests: the fixture models (loaded once per file), analyses by selection, and
// helpers to read the explanations' displayed numbers back and compare them with the cache.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze, type Analysis } from '../../src/interpret/analyze.js';
import type { ViewOptions } from '../../src/interpret/attend.js';
import { loadTransformer, type Transformer } from '../../src/interpret/load.js';
import type { Block, Explanation } from '../../src/explain/types.js';
import { FIXTURES } from '../support/paths.js';

export const SEED = "He sat on the river's bank";
export const MODELS = ['gpt2-tiny', 'bert-tiny'] as const;
export type ModelName = (typeof MODELS)[number];

const models = new Map<string, Promise<Transformer>>();
export function model(name: ModelName): Promise<Transformer> {
  if (!models.has(name)) models.set(name, loadTransformer(join(FIXTURES, 'models', name)));
  return models.get(name)!;
}

export async function run(name: ModelName, options: ViewOptions, text: string = SEED): Promise<Analysis> {
  return analyze(await model(name), text, { word: 'bank', ...options });
}

/** Selections the tests sweep: single heads, each aggregation, both layers. */
export const SELECTIONS: ViewOptions[] = [
  { layer: 0, head: 0 },
  { layer: 0, head: 3 },
  { layer: 1, head: 1 },
  { layer: 1, head: 2 },
  { layer: 0, aggregate: 'mean' },
  { layer: 1, aggregate: 'mean' },
  { layer: 1, aggregate: 'max' },
  { layer: 0, aggregate: 'rollout' },
  { layer: 1, aggregate: 'rollout' },
];

/** A displayed number back to a number ("−∞" → -Infinity; ASCII or Unicode minus). */
export function parse(s: string | number): number {
  if (typeof s === 'number') return s;
  const t = s.trim().replace(/−/g, '-');
  if (t === '-∞') return -Infinity;
  const x = Number(t);
  assert.ok(Number.isFinite(x), `not a displayed number: ${JSON.stringify(s)}`);
  return x;
}

/** Asserts that `shown` is `actual` rounded as displayed (half a unit in the last place, plus float noise). */
export function shows(shown: string | number, actual: number, what = ''): void {
  const x = parse(shown);
  if (actual === -Infinity || x === -Infinity) {
    assert.equal(x, actual, `${what}: shown ${shown}, actual ${actual}`);
    return;
  }
  const s = String(shown).replace(/−/g, '-');
  let tol: number;
  if (/e/i.test(s)) {
    const [mant, exp] = s.split(/e/i);
    const d = mant.includes('.') ? mant.split('.')[1].length : 0;
    tol = 0.5 * 10 ** (Number(exp) - d);
  } else {
    const d = s.includes('.') ? s.split('.')[1].length : 0;
    tol = 0.5 * 10 ** -d;
  }
  assert.ok(Math.abs(x - actual) <= tol + 1e-6 * Math.max(1, Math.abs(actual)), `${what}: shown ${shown} but the cache has ${actual}`);
}

export const blocks = (e: Explanation): Block[] => e.sections.flatMap((s) => s.blocks);
export const allText = (e: Explanation): string =>
  blocks(e).map((b) => (b.kind === 'text' ? b.text : b.kind === 'math' ? b.plain : b.kind === 'table' ? `${b.caption ?? ''} ${b.columns.join(' ')} ${b.rows.flat().join(' ')}` : b.name)).join('\n');
export const prose = (e: Explanation): string => blocks(e).filter((b) => b.kind === 'text').map((b) => (b as { text: string }).text).join('\n');

export function table(e: Explanation, column: string): Extract<Block, { kind: 'table' }> {
  const t = blocks(e).find((b) => b.kind === 'table' && b.columns.includes(column));
  assert.ok(t && t.kind === 'table', `no table with a "${column}" column`);
  return t;
}

export function matrices(e: Explanation): Extract<Block, { kind: 'matrix' }>[] {
  return blocks(e).filter((b): b is Extract<Block, { kind: 'matrix' }> => b.kind === 'matrix');
}

/** Token index of each table row, matching token texts in order (rows are in ascending token order). */
export function rowTokens(rows: (string | number)[][], tokens: readonly { text: string }[]): number[] {
  let from = 0;
  const out: number[] = [];
  for (const r of rows) {
    const i = tokens.findIndex((t, k) => k >= from && t.text === r[0]);
    out.push(i);
    if (i >= 0) from = i + 1;
  }
  return out;
}

/** Text with numbers and quoted words blanked: what is left is the wording itself. */
export function skeleton(text: string): string {
  return text.replace(/“[^”]*”/g, '“_”').replace(/[−-]?\d+(\.\d+)?(e[−-]?\d+)?%?/g, '#').replace(/\b(one|two|three|four|five|six|seven|eight|nine|ten)\b/g, '#');
}
