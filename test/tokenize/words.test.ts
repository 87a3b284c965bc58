// Word spans and the token → word partition: the rules (src/tokenize/words.ts) on hand-checked
// text, on synthetic tokens for the edge cases, and on real GPT-2 and BERT encodings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { groupWords, wordSpans } from '../../src/tokenize/words.js';
import type { Encoding } from '../../src/tokenize/types.js';
import { FIXTURES, SHARED_HF } from '../support/paths.js';

const words = (text: string) => wordSpans(text).map((s) => text.slice(s.start, s.end));

test('wordSpans: letters, digits and marks; apostrophes and hyphens inside a word', () => {
  assert.deepEqual(words("He sat on the river's bank"), ['He', 'sat', 'on', 'the', "river's", 'bank']);
  assert.deepEqual(words("don't it’s rock'n'roll well-known e-mail"), ["don't", 'it’s', "rock'n'roll", 'well-known', 'e-mail']);
  assert.deepEqual(words("dogs' 'tis --x a--b -"), ['dogs', "'", "'", 'tis', '-', '-', 'x', 'a', '-', '-', 'b', '-']);
  assert.deepEqual(words('e\u0301te\u0301 naïve Ελλάδα Москва नमस्ते'), ['e\u0301te\u0301', 'naïve', 'Ελλάδα', 'Москва', 'नमस्ते']);
  assert.deepEqual(words('abc123 x2'), ['abc123', 'x2']);
});

test('wordSpans: punctuation and symbols stand alone; whitespace and control characters are in no word', () => {
  assert.deepEqual(words('Wait... what?!'), ['Wait', '.', '.', '.', 'what', '?', '!']);
  assert.deepEqual(words('3.14 1,000 $5 (x)'), ['3', '.', '14', '1', ',', '000', '$', '5', '(', 'x', ')']);
  assert.deepEqual(words('a\tb\nc\u00a0d\u200be\u0000f \u3000 g'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  assert.deepEqual(words(''), []);
  assert.deepEqual(words('  \n '), []);
});

test('wordSpans: each CJK ideograph is a word; emoji sequences stay whole', () => {
  assert.deepEqual(words('我爱北京 abc中文'), ['我', '爱', '北', '京', 'abc', '中', '文']);
  assert.deepEqual(words('𠮷野家'), ['𠮷', '野', '家']);
  assert.deepEqual(words('I ❤️ 👨‍👩‍👧‍👦! 🇫🇷🇯🇵 1️⃣ 👍🏽x'), ['I', '❤️', '👨‍👩‍👧‍👦', '!', '🇫🇷', '🇯🇵', '1️⃣', '👍🏽', 'x']);
});

/** The rules once more, written plainly over Intl.Segmenter on the whole text (no ASCII fast path). */
function referenceWords(text: string): string[] {
  const seg = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
  const kind = (g: string) =>
    /^[\s\p{Z}\p{Cc}\p{Cf}]+$/u.test(g) ? 'space'
    : /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u.test(g) || /^\p{Ideographic}/u.test(g) ? 'alone'
    : /^[\p{L}\p{N}\p{M}]/u.test(g) ? 'word'
    : ["'", '’', '-', '‐', '‑'].includes(g) ? 'joiner'
    : 'alone';
  const kinds = seg.map(kind);
  const out: string[] = [];
  for (let i = 0; i < seg.length; ) {
    if (kinds[i] === 'space') { i++; continue; }
    let w = seg[i++];
    if (kinds[i - 1] === 'word') {
      for (;;) {
        if (kinds[i] === 'word') w += seg[i++];
        else if (kinds[i] === 'joiner' && kinds[i + 1] === 'word') { w += seg[i] + seg[i + 1]; i += 2; }
        else break;
      }
    }
    out.push(w);
  }
  return out;
}

test('wordSpans agrees with a plain whole-text segmentation on every fixture string', () => {
  const file = JSON.parse(readFileSync(join(FIXTURES, 'tokenize', 'gpt2.json'), 'utf8')) as { cases: { text: string }[] };
  for (const { text } of file.cases) assert.deepEqual(words(text), referenceWords(text), JSON.stringify(text));
});

// Synthetic tokens: [start, end] spans, '*' marks a special token.
function group(text: string, spans: Array<[number, number] | '*'>): Array<[string, number[]]> {
  const tokens = spans.map((s) => (s === '*' ? { start: 0, end: 0, special: true } : { start: s[0], end: s[1], special: false }));
  return groupWords(text, tokens).map((w) => [w.special ? '*' : w.text, w.tokens]);
}

test('groupWords: a token over several words merges them; whitespace joins the next word, or the previous at the end', () => {
  assert.deepEqual(group('ab cd', [[0, 4], [4, 5]]), [['ab cd', [0, 1]]]);
  assert.deepEqual(group('a ), b', [[0, 1], [1, 4], [4, 6]]), [['a', [0]], ['),', [1]], ['b', [2]]]);
  assert.deepEqual(group(' a  b ', [[0, 1], [1, 2], [2, 4], [4, 5], [5, 6]]), [['a', [0, 1]], ['b', [2, 3, 4]]]);
});

test('groupWords: special tokens stand alone, and whitespace does not cross them', () => {
  assert.deepEqual(group('a  b', ['*', [0, 1], [1, 2], '*', [2, 3], [3, 4], '*']), [['*', [0]], ['a', [1, 2]], ['*', [3]], ['b', [4, 5]], ['*', [6]]]);
  // Only whitespace between two special tokens: a word of its own.
  assert.deepEqual(group('  ', ['*', [0, 1], [1, 2], '*']), [['*', [0]], ['  ', [1, 2]], ['*', [3]]]);
});

test('groupWords: tokens of one word that interleave with another merge both, keeping words contiguous', () => {
  // token 2 goes back into the first word: all three tokens become one word
  assert.deepEqual(group('ab cd', [[0, 1], [3, 5], [1, 2]]), [['ab cd', [0, 1, 2]]]);
  // a partial character shared by two tokens (byte-level BPE) is one word
  assert.deepEqual(group('x 👍🏽 y', [[0, 1], [1, 4], [2, 4], [4, 6], [6, 8]]), [['x', [0]], ['👍🏽', [1, 2, 3]], ['y', [4]]]);
});

function wordsOf(enc: Encoding): string[] {
  return enc.words.map((w) => (w.special ? enc.tokens[w.tokens[0]].text : w.text) + (w.tokens.length > 1 ? `(${w.tokens.length})` : ''));
}

const gpt2 = Tokenizer.fromFolder(join(SHARED_HF, 'gpt2'));
const bert = Tokenizer.fromFolder(join(SHARED_HF, 'bert-base-uncased'));

test('GPT-2 words on hand-checked sentences', () => {
  const seed = gpt2.encode("He sat on the river's bank");
  assert.deepEqual(seed.words.map((w) => w.text), ['He', 'sat', 'on', 'the', "river's", 'bank']);
  assert.deepEqual(seed.words[4].tokens.map((t) => seed.tokens[t].text), ['Ġriver', "'s"]);
  assert.deepEqual(wordsOf(gpt2.encode("I don't know, it's well-known.")), ['I', "don't(2)", 'know', ',', "it's(2)", 'well-known(3)', '.']);
  assert.deepEqual(wordsOf(gpt2.encode('Wait... what?!')), ['Wait', '...', 'what', '?!']);
  assert.deepEqual(wordsOf(gpt2.encode('I love 👨‍👩‍👧‍👦 and 🇫🇷!')), ['I', 'love', '👨‍👩‍👧‍👦(14)', 'and', '🇫🇷(6)', '!']);
  assert.deepEqual(wordsOf(gpt2.encode('我爱北京')), ['我(2)', '爱(3)', '北(2)', '京(2)']);
  assert.deepEqual(wordsOf(gpt2.encode('a  <|endoftext|>  b')), ['a(3)', '<|endoftext|>', 'b(2)']);
  assert.deepEqual(wordsOf(gpt2.encode('  two  spaces\n')), ['two(2)', 'spaces(3)']);
});

test('BERT words on hand-checked sentences, with [CLS] and [SEP]', () => {
  const seed = bert.encode("He sat on the river's bank");
  assert.deepEqual(wordsOf(seed), ['[CLS]', 'He', 'sat', 'on', 'the', "river's(3)", 'bank', '[SEP]']);
  assert.deepEqual(seed.words.map((w) => w.special), [true, false, false, false, false, false, false, true]);
  assert.deepEqual([seed.words[0].start, seed.words[0].end, seed.words[7].start, seed.words[7].end], [0, 0, 26, 26]);
  assert.deepEqual(wordsOf(bert.encode("I don't know, it's well-known.")), ['[CLS]', 'I', "don't(3)", 'know', ',', "it's(3)", 'well-known(3)', '.', '[SEP]']);
  assert.deepEqual(wordsOf(bert.encode('Wait... what?!')), ['[CLS]', 'Wait', '.', '.', '.', 'what', '?', '!', '[SEP]']);
  // emoji the vocabulary lacks: [UNK], which stands for the emoji (not special)
  const emoji = bert.encode('I love 👨‍👩‍👧‍👦!');
  assert.deepEqual(wordsOf(emoji), ['[CLS]', 'I', 'love', '👨‍👩‍👧‍👦', '!', '[SEP]']);
  assert.equal(emoji.tokens[3].text, '[UNK]');
  assert.equal(emoji.tokens[3].special, false);
  assert.deepEqual(wordsOf(bert.encode('北京 Café')), ['[CLS]', '北', '京', 'Café', '[SEP]']);
  // a [MASK] typed in the text is special and keeps its span
  const masked = bert.encode('The capital of France is [MASK].');
  assert.deepEqual(wordsOf(masked), ['[CLS]', 'The', 'capital', 'of', 'France', 'is', '[MASK]', '.', '[SEP]']);
  assert.deepEqual([masked.words[6].special, masked.words[6].text], [true, '[MASK]']);
  assert.deepEqual(wordsOf(bert.encode('antidisestablishmentarianism')), ['[CLS]', 'antidisestablishmentarianism(8)', '[SEP]']);
});
