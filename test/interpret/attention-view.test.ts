// Word-level attention: merging subword tokens (GPT-2 and BERT tokenizers), aggregation over heads,
// rollout against a hand-computed case, the query word's lookup and its errors, and the view's invariants.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Tensor } from '../../src/engine/tensor.js';
import { combineHeads, rollout } from '../../src/interpret/aggregate.js';
import { mergeMatrix } from '../../src/interpret/words.js';
import { findQuery } from '../../src/interpret/query.js';
import { attentionView, viewItems } from '../../src/interpret/attend.js';
import { analyze } from '../../src/interpret/analyze.js';
import { loadTransformer } from '../../src/interpret/load.js';
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { parseConfig } from '../../src/models/config.js';
import { InputError } from '../../src/errors.js';
import { FIXTURES, SHARED_HF } from '../support/paths.js';

const SEED = "He sat on the river's bank";
const near = (a: number, b: number, what: string, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** A deterministic attention pattern [H, T, T]: causal or not, rows summing to 1. */
function pattern(H: number, T: number, causal: boolean): Tensor {
  const out = new Float32Array(H * T * T);
  for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) {
    const n = causal ? t + 1 : T;
    let sum = 0;
    for (let s = 0; s < n; s++) sum += out[(h * T + t) * T + s] = 1 + ((h * 7 + t * 3 + s * 5) % 11);
    for (let s = 0; s < n; s++) out[(h * T + t) * T + s] /= sum;
  }
  return new Tensor(out, [H, T, T]);
}

test('rollout matches a hand-computed two-layer case', () => {
  const a0 = Tensor.from([1, 0, 0.5, 0.5], [1, 2, 2]);
  const a1 = Tensor.from([1, 0, 0.2, 0.8], [1, 2, 2]);
  // Ā0 = ½A0 + ½I = [[1, 0], [0.25, 0.75]], Ā1 = [[1, 0], [0.1, 0.9]], R = Ā1·Ā0
  const r = rollout([a0, a1], 1);
  near(r[0][0], 1, 'r00'); near(r[0][1], 0, 'r01');
  near(r[1][0], 0.1 + 0.9 * 0.25, 'r10'); near(r[1][1], 0.9 * 0.75, 'r11');
  const r0 = rollout([a0, a1], 0);
  near(r0[1][0], 0.25, 'layer-0 rollout');
});

test('mean and max over heads', () => {
  const p = Tensor.from([0.2, 0.8, 0.6, 0.4], [2, 1, 2]);
  const mean = combineHeads(p, 'mean'), max = combineHeads(p, 'max');
  near(mean[0][0], 0.4, 'mean', 1e-7); near(mean[0][1], 0.6, 'mean', 1e-7);
  near(max[0][0], 0.6, 'max', 1e-7); near(max[0][1], 0.8, 'max', 1e-7);
  assert.throws(() => combineHeads(p, 2), /head 2 does not exist: this model has 2 heads/);
});

test('GPT-2 tokenizer: "river\'s" is two tokens merged into one word; rows still sum to 1', () => {
  const tok = Tokenizer.fromFolder(join(SHARED_HF, 'gpt2'));
  const enc = tok.encode(SEED);
  const items = viewItems(enc, 'word');
  assert.deepEqual(items.map((i) => i.label), ['He', 'sat', 'on', 'the', "river's", 'bank']);
  assert.deepEqual(items[4].tokens, [4, 5]);
  const p = pattern(1, enc.ids.length, true);
  const m = mergeMatrix(combineHeads(p, 0), items, true);
  for (const row of m) near(row.reduce((a, b) => a + b, 0), 1, 'row sum', 1e-6);
  // attention FROM "river's" = the row of its last token ('s); TO "river's" = the sum of its two columns
  near(m[4][4], p.at(0, 5, 4) + p.at(0, 5, 5), "river's → river's", 1e-6);
  near(m[5][4], p.at(0, 6, 4) + p.at(0, 6, 5), "bank → river's", 1e-6);
  near(m[4][5], 0, "river's cannot see bank");
});

test('BERT tokenizer: [CLS]/[SEP] are special items; a word\'s row is the mean of its tokens\' rows', () => {
  const tok = Tokenizer.fromFolder(join(SHARED_HF, 'bert-base-uncased'));
  const enc = tok.encode(SEED);
  const items = viewItems(enc, 'word');
  assert.deepEqual(items.map((i) => i.label), ['[CLS]', 'He', 'sat', 'on', 'the', "river's", 'bank', '[SEP]']);
  assert.deepEqual(items.map((i) => i.special), [true, false, false, false, false, false, false, true]);
  const multi = items[5];
  assert.ok(multi.tokens.length >= 2, 'river\'s is several WordPiece tokens');
  const p = pattern(1, enc.ids.length, false);
  const m = mergeMatrix(combineHeads(p, 0), items, false);
  for (const row of m) near(row.reduce((a, b) => a + b, 0), 1, 'row sum', 1e-6);
  const expect = multi.tokens.reduce((acc, t) => acc + p.at(0, t, 0), 0) / multi.tokens.length;
  near(m[5][0], expect, "river's → [CLS] (mean of rows)", 1e-6);
});

test('the query word: found case-insensitively; clear errors otherwise', () => {
  const items = ['He', 'sat', 'by', 'the', 'bank', 'of', 'the', 'bank'].map((label, index) => ({ index, label, special: false, tokens: [index] }));
  assert.equal(findQuery(items, 'BANK', 2), 7);
  assert.equal(findQuery(items, undefined), 7);
  assert.throws(() => findQuery(items, 'bank'), (e: unknown) => e instanceof InputError && /"bank" occurs 2 times.*--occurrence 1 to 2/.test(e.message));
  assert.throws(() => findQuery(items, 'bank', 3), /--occurrence 3 is out of range: "bank" occurs 2 times/);
  assert.throws(() => findQuery(items, 'bnak'), /"bnak" is not a word of the sentence; its words are: He, sat, by, the, bank, of, the, bank\. Did you mean "bank"\?/);
  assert.throws(() => findQuery(items, 'zebra'), (e: unknown) => e instanceof InputError && !/Did you mean/.test(e.message));
});

test('views from the fixture models: sums, blocked words, grid, specials, tokens mode, range errors', async () => {
  const gpt2 = await loadTransformer(join(FIXTURES, 'models', 'gpt2-tiny'));
  const { view } = analyze(gpt2, SEED, { word: 'on' });
  near(view.row.reduce((a, b) => a + b, 0), 1, 'row sums to 1', 1e-5);
  assert.deepEqual(view.blocked, [false, false, false, true, true, true]);
  for (const i of [3, 4, 5]) assert.equal(view.row[i], 0);
  assert.equal(view.grid.length, 2);
  assert.equal(view.grid[0].length, 4);
  for (const cell of view.grid.flat()) near(cell.reduce((a, b) => a + b, 0), 1, 'grid cell sums to 1', 1e-5);
  const rolled = analyze(gpt2, SEED, { word: 'bank', aggregate: 'rollout' }).view;
  near(rolled.row.reduce((a, b) => a + b, 0), 1, 'rollout row sums to 1', 1e-6);
  const tokens = analyze(gpt2, SEED, { unit: 'token', word: "'s" }).view;
  assert.equal(tokens.items.length, 7);
  assert.equal(tokens.items[tokens.query].label, "'s");
  const tokenBank = analyze(gpt2, SEED, { unit: 'token', word: 'bank' }).view;
  assert.equal(tokenBank.items[tokenBank.query].label, 'Ġbank', 'a token is found without its space marker');
  assert.throws(() => analyze(gpt2, SEED, { layer: 2 }), /--layer 2 does not exist: this model has 2 layers \(0\.\.1\)/);
  assert.throws(() => analyze(gpt2, SEED, { head: 4 }), /--head 4 does not exist: this model has 4 heads per layer \(0\.\.3\)/);
  assert.throws(() => analyze(gpt2, SEED, { head: 1, aggregate: 'mean' }), /only applies with --aggregate head/);

  const bert = await loadTransformer(join(FIXTURES, 'models', 'bert-tiny'));
  const b = analyze(bert, SEED, { word: 'bank', hideSpecial: true }).view;
  assert.equal(b.items[0].label, '[CLS]');
  assert.ok(b.blocked.every((x) => !x), 'BERT sees both ways');
  const visible = b.renormalized.filter((x): x is number => x !== null);
  near(visible.reduce((a, c) => a + c, 0), 1, 'renormalised sums to 1', 1e-9);
  assert.equal(b.renormalized[0], null);
  const cfg = parseConfig({ model_type: 'gpt2', n_layer: 1, n_head: 1, n_embd: 4, n_positions: 8, vocab_size: 10 });
  const enc = { text: 'a b', ids: [1, 2], typeIds: [0, 0], tokens: [], words: [
    { index: 0, text: 'a', start: 0, end: 1, tokens: [0], special: false },
    { index: 1, text: 'b', start: 2, end: 3, tokens: [1], special: false },
  ] } as unknown as Parameters<typeof attentionView>[1];
  const v = attentionView({ name: 'x', config: cfg }, enc, [Tensor.from([1, 0, 0.3, 0.7], [1, 2, 2])], { word: 'b', head: 0 });
  assert.deepEqual(v.row.map((x) => +x.toFixed(6)), [0.3, 0.7]);
});
