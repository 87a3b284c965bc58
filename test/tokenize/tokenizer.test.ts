// The Tokenizer API: loading (and its errors), encode/decode, vocabulary and special tokens.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, InputError } from '../../src/errors.js';
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { SHARED_HF } from '../support/paths.js';

const GPT2 = join(SHARED_HF, 'gpt2');
const BERT = join(SHARED_HF, 'bert-base-uncased');
const gpt2 = Tokenizer.fromFolder(GPT2);
const bert = Tokenizer.fromFolder(BERT);

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'attn-tokenize-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('fromFolder: a missing folder or tokenizer.json is a FileError naming the path', () => {
  withTempDir((dir) => {
    const missing = join(dir, 'nope');
    assert.throws(() => Tokenizer.fromFolder(missing), (e: unknown) => e instanceof FileError && e.message.includes(missing));
    assert.throws(
      () => Tokenizer.fromFolder(dir),
      (e: unknown) => e instanceof FileError && e.message.includes(join(dir, 'tokenizer.json')) && /does not exist/.test(e.message),
    );
  });
});

test('fromFolder: tokenizer.json that is not JSON, or not a tokenizer, is a FileError naming the path', () => {
  withTempDir((dir) => {
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, '{"model": {');
    assert.throws(() => Tokenizer.fromFolder(dir), (e: unknown) => e instanceof FileError && e.message.includes(path) && /not valid JSON/.test(e.message));
    writeFileSync(path, '[1, 2, 3]');
    assert.throws(() => Tokenizer.fromFolder(dir), (e: unknown) => e instanceof FileError && e.message.includes(path) && /"model"/.test(e.message));
    writeFileSync(path, '{"model": {"type": "NoSuchModel"}}');
    assert.throws(() => Tokenizer.fromFolder(dir), (e: unknown) => e instanceof FileError && e.message.includes(path));
  });
});

test('fromFolder: tokenizer_config.json is optional, but must be JSON when present', () => {
  withTempDir((dir) => {
    copyFileSync(join(GPT2, 'tokenizer.json'), join(dir, 'tokenizer.json'));
    assert.deepEqual(Tokenizer.fromFolder(dir).encode('Hello world').ids, [15496, 995]);
    const config = join(dir, 'tokenizer_config.json');
    writeFileSync(config, 'not json');
    assert.throws(() => Tokenizer.fromFolder(dir), (e: unknown) => e instanceof FileError && e.message.includes(config));
  });
});

test('fromJSON builds the same tokenizer from parsed objects', () => {
  const json = JSON.parse(readFileSync(join(BERT, 'tokenizer.json'), 'utf8')) as unknown;
  const config = JSON.parse(readFileSync(join(BERT, 'tokenizer_config.json'), 'utf8')) as unknown;
  const t = Tokenizer.fromJSON(json, config);
  assert.deepEqual(t.encode("He sat on the river's bank"), bert.encode("He sat on the river's bank"));
  assert.throws(() => Tokenizer.fromJSON('tokenizer.json'), FileError);
  assert.throws(() => Tokenizer.fromJSON(json, 42), FileError);
});

test('encode: empty or whitespace-only text is an InputError saying the text is empty', () => {
  for (const text of ['', ' ', '\n\t  ', '\u3000']) {
    assert.throws(() => gpt2.encode(text), (e: unknown) => e instanceof InputError && /text is empty/.test(e.message));
    assert.throws(() => bert.encode(text), InputError);
  }
  assert.throws(() => gpt2.encode(undefined as unknown as string), InputError);
});

test('encode: ids, tokens with offsets, and type ids (GPT-2)', () => {
  const text = "He sat on the river's bank";
  const enc = gpt2.encode(text);
  assert.equal(enc.text, text);
  assert.deepEqual(enc.ids, [1544, 3332, 319, 262, 7850, 338, 3331]);
  assert.deepEqual(enc.typeIds, [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(enc.tokens.map((t) => [t.index, t.text, text.slice(t.start, t.end), t.special]), [
    [0, 'He', 'He', false], [1, 'Ġsat', ' sat', false], [2, 'Ġon', ' on', false], [3, 'Ġthe', ' the', false],
    [4, 'Ġriver', ' river', false], [5, "'s", "'s", false], [6, 'Ġbank', ' bank', false],
  ]);
});

test('encode: BERT adds [CLS] (at 0) and [SEP] (at the end) with empty spans', () => {
  const text = 'Héllo, wörld!';
  const enc = bert.encode(text);
  assert.deepEqual(enc.tokens.map((t) => [t.text, t.start, t.end, t.special]), [
    ['[CLS]', 0, 0, true], ['hello', 0, 5, false], [',', 5, 6, false], ['world', 7, 12, false], ['!', 12, 13, false], ['[SEP]', 13, 13, true],
  ]);
  assert.deepEqual(enc.typeIds, [0, 0, 0, 0, 0, 0]);
});

test('encode: a token holding part of a character gets the whole character', () => {
  const text = 'ok 👍🏽';
  const enc = gpt2.encode(text);
  for (const t of enc.tokens.slice(1)) {
    assert.ok(t.start >= 2 && t.end <= text.length && t.end > t.start, t.text);
    assert.ok(['👍', '👍🏽', '🏽', ' 👍'].includes(text.slice(t.start, t.end)), `${t.text} → ${text.slice(t.start, t.end)}`);
  }
});

test('encode: lone surrogates and long texts do not break offsets', () => {
  const odd = 'a\ud800b \udfffc';
  for (const t of [gpt2, bert]) {
    const enc = t.encode(odd);
    for (const tok of enc.tokens) assert.ok(tok.start <= tok.end && tok.end <= odd.length);
  }
  const long = Array.from({ length: 1000 }, (_, i) => ['the', 'river', "bank's", 'well-known', '1999', 'café', '👍'][i % 7]).join(' ');
  const enc = gpt2.encode(long);
  assert.equal(enc.words.filter((w) => !w.special).length, 1000);
  assert.equal(enc.tokens.at(-1)!.end, long.length);
});

test('decode: ids back to text, optionally without special tokens', () => {
  const text = "He sat on the river's bank";
  assert.equal(gpt2.decode(gpt2.encode(text).ids), text);
  assert.equal(bert.decode(bert.encode(text).ids, { skipSpecialTokens: true }), "he sat on the river's bank");
  assert.match(bert.decode(bert.encode(text).ids), /^\[CLS\] he sat .* bank \[SEP\]$/);
  assert.equal(gpt2.decode([]), '');
  assert.throws(() => gpt2.decode([50257]), InputError);
  assert.throws(() => gpt2.decode([1.5]), InputError);
});

test('vocabulary: size, id ↔ token, special tokens and their roles', () => {
  assert.equal(gpt2.vocabSize, 50257);
  assert.equal(bert.vocabSize, 30522);
  assert.equal(gpt2.idToToken(50256), '<|endoftext|>');
  assert.equal(gpt2.idToToken(7850), 'Ġriver');
  assert.equal(bert.idToToken(2314), 'river');
  assert.equal(bert.tokenToId('[MASK]'), 103);
  assert.equal(bert.tokenToId('no-such-token'), undefined);
  assert.throws(() => gpt2.idToToken(-1), InputError);
  assert.throws(() => bert.idToToken(30522), InputError);
  assert.deepEqual(gpt2.specialTokens.all, [{ id: 50256, text: '<|endoftext|>' }]);
  assert.deepEqual([gpt2.specialTokens.bos?.id, gpt2.specialTokens.eos?.id], [50256, 50256]);
  const s = bert.specialTokens;
  assert.deepEqual(s.all.map((t) => t.text), ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  assert.deepEqual([s.pad?.id, s.unk?.id, s.cls?.id, s.sep?.id, s.mask?.id, s.bos, s.eos], [0, 100, 101, 102, 103, undefined, undefined]);
});
