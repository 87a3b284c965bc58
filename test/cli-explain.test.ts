// `attn "<text>" --word bank` and `attn compare` as a user meets them: the chart, the hint, the level's
// text, every output format, and every kind of bad input as one clear message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attn, expectError, BERT, GPT2, SEED } from './support/cli.js';

const SECOND = 'She deposited the cheque at the bank';

test('the README quick start: the built-in model on the seed sentence', () => {
  const r = attn([SEED]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'the built-in model needs no notice');
  assert.match(r.out, /“bank” in “He sat on the river's bank”/);
  assert.match(r.out, /layer 3, mean of 4 heads/);
  assert.match(r.out, /other views: --layer 0\.\.3, --head 0\.\.3/);
  for (const w of ['He', 'sat', 'on', 'the', "river's"]) assert.match(r.out, new RegExp(`${w}.*\\d+\\.\\d%`));
  assert.doesNotMatch(r.out, /\x1b\[/, 'no colour under NO_COLOR');
});

test('json output carries the view and the explanation; its numbers are the chart\'s', () => {
  const r = attn(['explain', SEED, '--word', 'bank', '--model', GPT2, '--layer', '0', '--head', '2', '--level', 'hacker', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.format, 'attn.explain/1');
  assert.deepEqual(j.view.selection, { aggregate: 'head', layer: 0, head: 2 });
  assert.equal(j.narrated.head, 2);
  assert.equal(j.explanation.level, 'hacker');
  const text = attn(['explain', SEED, '--word', 'bank', '--model', GPT2, '--layer', '0', '--head', '2']).out;
  j.view.items.forEach((it: { label: string }, i: number) => {
    assert.ok(text.includes(`${(j.view.row[i] * 100).toFixed(1)}%`), `${it.label} percentage shown`);
  });
});

test('every level, markdown, tokens mode, hidden specials on BERT', () => {
  for (const level of ['newbie', 'hacker', 'expert']) {
    const r = attn([SEED, '--model', BERT, '--level', level]);
    assert.equal(r.code, 0, r.err);
  }
  const md = attn([SEED, '--model', GPT2, '--level', 'expert', '--format', 'md']);
  assert.equal(md.code, 0, md.err);
  assert.match(md.out, /^# Where does “bank” look\?/);
  assert.match(md.out, /\\mathrm\{softmax\}|\\operatorname\{softmax\}/);
  const tok = attn([SEED, '--model', GPT2, '--tokens', '--word', "'s"]);
  assert.equal(tok.code, 0, tok.err);
  assert.match(tok.out, /Ġriver/);
  const hidden = attn([SEED, '--model', BERT, '--hide-special', '--format', 'json']);
  const j = JSON.parse(hidden.out);
  assert.equal(j.view.hideSpecial, true);
});

test('svg and png pictures, written with -o and never over an existing file without --force', () => {
  const dir = mkdtempSync(join(tmpdir(), 'attn-pics-'));
  for (const chart of ['bar', 'heatmap', 'grid']) {
    const svg = join(dir, `${chart}.svg`);
    const r = attn([SEED, '--model', GPT2, '--format', 'svg', '--chart', chart, '-o', svg]);
    assert.equal(r.code, 0, r.err);
    const s = readFileSync(svg, 'utf8');
    assert.match(s, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(s, /bank/);
  }
  const png = join(dir, 'bank.png');
  assert.equal(attn([SEED, '--model', GPT2, '--format', 'png', '-o', png]).code, 0);
  const bytes = readFileSync(png);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const again = join(dir, 'again.png');
  attn([SEED, '--model', GPT2, '--format', 'png', '-o', again]);
  assert.ok(readFileSync(again).equals(bytes), 'same input, same PNG bytes');
  writeFileSync(join(dir, 'keep.svg'), 'precious');
  expectError([SEED, '--model', GPT2, '--format', 'svg', '-o', join(dir, 'keep.svg')], /already exists; choose another name or add --force/);
  assert.equal(readFileSync(join(dir, 'keep.svg'), 'utf8'), 'precious', 'nothing overwritten');
  const locked = join(dir, 'locked');
  writeFileSync(join(dir, 'placeholder'), '');
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o500);
    expectError([SEED, '--model', GPT2, '--format', 'svg', '-o', join(dir, 'x.svg')], /cannot write/);
    chmodSync(dir, 0o700);
  }
  expectError([SEED, '--model', GPT2, '--format', 'svg', '-o', join(locked, 'no', 'x.svg')], /folder .* does not exist/);
  // a path through a regular file cannot be written, even by root
  expectError([SEED, '--model', GPT2, '--format', 'svg', '-o', join(dir, 'placeholder', 'x.svg')], /cannot write .*placeholder\/x\.svg: ENOTDIR/);
});

test('compare: two charts, the cosine similarity, and its explanation', () => {
  const r = attn(['compare', SEED, SECOND, '--word', 'bank', '--model', GPT2]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /cosine similarity of the two “bank” vectors at the output: -?\d\.\d{3}/);
  assert.match(r.out, /deposited/);
  const j = JSON.parse(attn(['compare', SEED, SECOND, '--word', 'bank', '--model', BERT, '--format', 'json', '--level', 'hacker']).out);
  assert.equal(j.format, 'attn.compare/1');
  assert.equal(j.similarity.layers.length, 2);
  assert.ok(j.similarity.final <= 1 && j.similarity.final >= -1);
  const dir = mkdtempSync(join(tmpdir(), 'attn-cmp-'));
  assert.equal(attn(['compare', SEED, SECOND, '--word', 'bank', '--model', GPT2, '--format', 'svg', '-o', join(dir, 'c.svg')]).code, 0);
  expectError(['compare', SEED, '--word', 'bank', '--model', GPT2], /two sentences/, 2);
  expectError(['compare', SEED, SECOND, '--model', GPT2], /needs --word/, 2);
  expectError(['compare', SEED, 'The river was wide', '--word', 'bank', '--model', GPT2], /"bank" is not a word of the sentence/, 2);
});

test('bad input: the word, the sentence, the selection, the format', () => {
  expectError([SEED, '--model', GPT2, '--word', 'money'], /"money" is not a word of the sentence; its words are: He, sat, on, the, river's, bank/, 2);
  expectError([SEED, '--model', GPT2, '--word', 'bnak'], /Did you mean "bank"\?/, 2);
  expectError(['The bank by the bank', '--model', GPT2, '--word', 'bank'], /occurs 2 times.*--occurrence 1 to 2/, 2);
  assert.equal(attn(['The bank by the bank', '--model', GPT2, '--word', 'bank', '--occurrence', '2']).code, 0);
  expectError(['The bank by the bank', '--model', GPT2, '--word', 'bank', '--occurrence', '3'], /out of range/, 2);
  expectError(['', '--model', GPT2], /empty/, 2);
  expectError(['   ', '--model', BERT], /empty/, 2);
  expectError([SEED, '--model', GPT2, '--layer', '9'], /--layer 9 does not exist: this model has 2 layers \(0\.\.1\)/, 2);
  expectError([SEED, '--model', GPT2, '--head', '4'], /--head 4 does not exist: this model has 4 heads per layer \(0\.\.3\)/, 2);
  expectError([SEED, '--model', GPT2, '--layer', 'x'], /--layer takes a whole number, got "x"/, 2);
  expectError([SEED, '--model', GPT2, '--aggregate', 'sum'], /unknown --aggregate "sum"; use one of head, mean, max, rollout/, 2);
  expectError([SEED, '--model', GPT2, '--format', 'pdf'], /unknown --format "pdf"; use one of text, json, svg, png, md/, 2);
  expectError([SEED, '--model', GPT2, '--level', 'guru'], /unknown --level "guru"/, 2);
  expectError([SEED, '--model', GPT2, '--width', '10'], /--width 10 is out of range/, 2);
  expectError([SEED, 'extra', '--model', GPT2], /one sentence in quotes/, 2);
  expectError([SEED, '--model', 'no-such-model-anywhere'], /never downloads/, 1);
});
