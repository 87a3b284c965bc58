// The byte-level BPE trainer against Hugging Face's own (the Rust `tokenizers` Node binding): the
// same vocab (ids included) and the same merges in the same order, on real and generated text;
// its tokenizer.json loading in attn and in Rust; and its input errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { trainByteLevelBpe, type TrainedBpe } from '../../src/tokenize/bpe-train.js';
import { BYTE_TO_CHAR } from '../../src/tokenize/bytes.js';
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { FIXTURES, REPO_ROOT, SHARED_HF } from '../support/paths.js';

/** The parts of the Rust binding used here (its .d.ts is not resolvable under NodeNext). */
interface RustTokenizer {
  setPreTokenizer(p: unknown): void;
  train(files: string[]): void;
  save(path: string, pretty?: boolean): void;
  encode(text: string): Promise<{ getIds(): number[] }>;
}
const rust = createRequire(import.meta.url)('tokenizers') as {
  Tokenizer: { new (model: unknown): RustTokenizer; fromString(json: string): RustTokenizer };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): { preTokenizeString(s: string): [string, [number, number]][] };
  whitespaceSplitPreTokenizer(): unknown;
};

interface RustModel {
  vocab: Record<string, number>;
  merges: [string, string][];
}

const tmp = mkdtempSync(join(tmpdir(), 'attn-bpe-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/**
 * Rust's `train(files)` with the model's default trainer (all the Node binding offers): vocab_size
 * 30000, min_frequency 0, no special tokens, no initial alphabet.
 */
function rustTrain(text: string, preTokenizer: unknown): RustModel {
  const input = join(tmp, 'input.txt');
  const output = join(tmp, 'trained.json');
  writeFileSync(input, text);
  const t = new rust.Tokenizer(rust.BPE.empty());
  t.setPreTokenizer(preTokenizer);
  t.train([input]);
  t.save(output, false);
  return (JSON.parse(readFileSync(output, 'utf8')) as { model: RustModel }).model;
}

/** The strings Rust's `train(files)` pre-tokenizes one by one: lines, each with its "\n". */
const linesOf = (text: string) => text.split(/(?<=\n)/);

/** The settings of Rust's default trainer. */
const RUST_DEFAULT = { vocabSize: 30000, minFrequency: 0, specialTokens: [], alphabet: 'seen' } as const;

function assertSameModel(ours: TrainedBpe, theirs: RustModel, what: string): void {
  const want = Object.entries(theirs.vocab).sort((a, b) => a[1] - b[1]);
  const got = [...ours.vocab];
  assert.equal(got.length, want.length, `${what}: vocabulary size`);
  const v = got.findIndex(([t, id], i) => t !== want[i][0] || id !== want[i][1]);
  assert.equal(v, -1, `${what}: first different vocab entry at id ${v}: ours ${JSON.stringify(got[v])}, Rust ${JSON.stringify(want[v])}`);
  assert.equal(ours.merges.length, theirs.merges.length, `${what}: number of merges`);
  const m = ours.merges.findIndex(([a, b], i) => a !== theirs.merges[i][0] || b !== theirs.merges[i][1]);
  assert.equal(m, -1, `${what}: first different merge at rank ${m}: ours ${JSON.stringify(ours.merges[m])}, Rust ${JSON.stringify(theirs.merges[m])}`);
}

/** Seeded PRNG (mulberry32): the generated text is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Text built to stress ties and odd pieces: a tiny alphabet (many pairs with equal counts),
 * repeated letters ("aaaa" overlaps), digits, punctuation runs, Unicode words, and whitespace runs
 * of every kind (tabs, CRLF, no-break and ideographic spaces, NEL).
 */
function generatedText(seed: number, lines: number): string {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const words = ['ab', 'ba', 'aab', 'abab', 'aaaa', 'bbb', 'ca', 'abc', 'cab', "don't", "we're", 'Ünïcödé', 'naïve', 'Ελλάδα', 'μῆνιν', 'Москва', '東京都', '中文字', 'काका', '👍🏽', '👨‍👩‍👧', '😀😀', 'x'];
  const spaces = [' ', ' ', ' ', '  ', '\t', ' \t ', '\u00a0', '\u3000', ' \u0085', '   '];
  const punct = ['.', ',', '!?', '...', '--', '"', "'", '(', ')', '$$', '→', '§'];
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    let line = r() < 0.2 ? pick(spaces) : '';
    const n = 1 + Math.floor(r() * 12);
    for (let i = 0; i < n; i++) {
      const k = r();
      line += k < 0.6 ? pick(words) : k < 0.8 ? String(Math.floor(r() ** 3 * 100000)) : pick(punct);
      line += pick(spaces);
    }
    out.push(line + pick(['\n', '\n', '\n', '\r\n', '\n\n', '  \n']));
  }
  return out.join('');
}

/** Real text of many scripts: the tokenizer parity strings, the project's docs, GPT-2's merges. */
function realText(): string {
  const cases = (name: string) => (JSON.parse(readFileSync(join(FIXTURES, 'tokenize', `${name}.json`), 'utf8')) as { cases: { text: string }[] }).cases;
  const parity = [...cases('gpt2'), ...cases('bert-base-uncased')].map((c) => c.text).join('\n');
  const docs = readdirSync(join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => readFileSync(join(REPO_ROOT, 'docs', f), 'utf8'));
  const merges = readFileSync(join(SHARED_HF, 'gpt2', 'merges.txt'), 'utf8').slice(0, 120_000);
  return [parity, ...docs, merges].join('\n');
}

const REAL = realText();
const GENERATED = generatedText(7, 6000);

for (const [name, text] of [
  ['real text (parity strings, docs, GPT-2 merges)', REAL],
  ['generated text (ties, overlaps, Unicode, whitespace runs)', GENERATED],
] as const) {
  test(`${name}: vocab and merges equal Rust's BpeTrainer`, (t) => {
    const theirs = rustTrain(text, rust.byteLevelPreTokenizer(false, true));
    const ours = trainByteLevelBpe(linesOf(text), RUST_DEFAULT);
    assert.ok(theirs.merges.length > 3000, `only ${theirs.merges.length} merges: the text should teach more`);
    const ties = ours.mergeCounts.filter((c, i) => i > 0 && c === ours.mergeCounts[i - 1]).length;
    t.diagnostic(`${Buffer.byteLength(text)} bytes, ${ours.merges.length} merges (${ties} with the count of the one before)`);
    assertSameModel(ours, theirs, name);
  });
}

test('the full byte alphabet gives the ids Rust gives with every byte symbol seen', () => {
  // Rust's default trainer has no initial alphabet, and no UTF-8 text holds all 256 bytes. Feeding
  // byte-level words directly (whitespace split), plus each byte symbol once as a one-symbol word
  // (no pairs, so no effect on merges), gives Rust the alphabet of `initial_alphabet`.
  const lines = linesOf(GENERATED).slice(0, 3000);
  const ours = trainByteLevelBpe(lines, { ...RUST_DEFAULT, alphabet: 'bytes' });
  const split = rust.byteLevelPreTokenizer(false, true);
  const spelled = lines.flatMap((line) => split.preTokenizeString(line).map(([piece]) => piece));
  const theirs = rustTrain([...spelled, ...BYTE_TO_CHAR].join('\n'), rust.whitespaceSplitPreTokenizer());
  assert.equal(Object.keys(theirs.vocab).length - theirs.merges.length, 256);
  assertSameModel(ours, theirs, 'full alphabet');
});

test('vocabSize, minFrequency and special tokens only cut and shift what Rust learns', () => {
  // Rust's trainer checks vocab_size and min_frequency only to stop, and gives special tokens the
  // first ids; so the Node binding's fixed settings suffice to check these options too.
  const lines = linesOf(REAL);
  const full = trainByteLevelBpe(lines, { ...RUST_DEFAULT, alphabet: 'bytes' });
  const specials = ['<|endoftext|>', '<pad>'];
  const small = trainByteLevelBpe(lines, { vocabSize: 1000, minFrequency: 3, specialTokens: specials });
  assert.equal(small.vocab.size, 1000);
  assert.deepEqual(small.specialTokens, [
    { id: 0, content: '<|endoftext|>' },
    { id: 1, content: '<pad>' },
  ]);
  const shifted = [...full.vocab].filter(([, id]) => id < 1000 - specials.length).map(([t, id]) => [t, id + specials.length]);
  assert.deepEqual([...small.vocab].slice(specials.length), shifted);
  assert.deepEqual(small.merges, full.merges.slice(0, small.merges.length));
  assert.ok(small.mergeCounts.every((c) => c >= 3));

  const rare = trainByteLevelBpe(lines, { vocabSize: 30000, minFrequency: 40, specialTokens: [] });
  const cut = full.mergeCounts.findIndex((c) => c < 40);
  assert.ok(cut > 100 && cut < full.merges.length, `cut at ${cut}`);
  assert.deepEqual(rare.merges, full.merges.slice(0, cut));
  assert.ok(rare.vocab.size < 30000, 'minFrequency stops training before vocabSize');
});

test('the tokenizer.json loads in attn and in Rust, and both encode and decode text alike', async () => {
  const trained = trainByteLevelBpe(linesOf(REAL), { vocabSize: 2000 });
  const text = 'The model attends to «naïve» tokens: 12345 ÷ 7 = 1763.57…\n\n  中文 👍🏽<|endoftext|> done';
  const json = trained.tokenizerJsonText();
  const parsed = JSON.parse(json) as { model: { vocab: Record<string, number>; merges: unknown[] }; added_tokens: unknown[] };
  assert.equal(Object.keys(parsed.model.vocab).length, trained.vocab.size);
  assert.equal(parsed.added_tokens.length, 1);
  assert.ok(json.includes('"vocab":{"<|endoftext|>":0,"!":1,"\\"":2,"#":3,'), 'vocab listed in id order');
  assert.deepEqual(trained.tokenizerJson(), parsed as unknown);

  const dir = join(tmp, 'folder');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'tokenizer.json'), json);
  const ours = Tokenizer.fromFolder(dir);
  const enc = ours.encode(text);
  const theirs = await rust.Tokenizer.fromString(json).encode(text);
  assert.deepEqual(enc.ids, theirs.getIds());
  assert.ok(enc.ids.includes(0), '<|endoftext|> in the text is the special token');
  assert.ok(enc.ids.some((id) => id >= 257), 'merges are used');
  assert.equal(ours.decode(enc.ids), text);
  assert.deepEqual(Tokenizer.fromJSON(trained.tokenizerJson()).encode(text).ids, enc.ids);
  for (const t of enc.tokens) if (!t.special) assert.equal(t.id, trained.vocab.get(t.text));
});

test('bad options and empty text are InputErrors that say what to give', () => {
  const text = ['some text to learn from'];
  const fails = (o: unknown, pattern: RegExp, texts: unknown = text) =>
    assert.throws(
      () => trainByteLevelBpe(texts as string[], o as { vocabSize: number }),
      (e: unknown) => e instanceof InputError && pattern.test(e.message),
    );
  fails({ vocabSize: 256 }, /too small.*need 257; give at least 257/);
  fails({ vocabSize: 258, specialTokens: ['<s>', '</s>', '<pad>'] }, /3 special token\(s\) and 256 byte symbols need 259/);
  fails({ vocabSize: 1000.5 }, /vocabSize must be a whole number/);
  fails({ vocabSize: '1000' }, /vocabSize must be a whole number/);
  fails({ vocabSize: 1000, minFrequency: 1.5 }, /minFrequency must be a whole number/);
  fails({ vocabSize: 1000, minFrequency: -1 }, /minFrequency/);
  fails({ vocabSize: 1000, specialTokens: ['<s>', '<s>'] }, /"<s>" is listed twice/);
  fails({ vocabSize: 1000, specialTokens: [''] }, /non-empty strings/);
  fails({ vocabSize: 1000, alphabet: 'ascii' }, /alphabet must be/);
  fails({ vocabSize: 1000 }, /training text is empty/, []);
  fails({ vocabSize: 1000 }, /training text is empty/, ['', '']);
  fails({ vocabSize: 1000 }, /iterable of strings/, 'a string');
  fails({ vocabSize: 1000 }, /#1 is a number/, ['fine', 42]);
  assert.equal(trainByteLevelBpe(text, { vocabSize: 257 }).merges.length, 0);
});

test('onProgress reports merges up to the total', () => {
  const calls: [number, number][] = [];
  const r = trainByteLevelBpe(linesOf(GENERATED), { vocabSize: 1500, onProgress: (m, t) => calls.push([m, t]) });
  assert.ok(calls.length >= 2);
  assert.deepEqual(calls.at(-1), [r.vocab.size - 257, 1500 - 257]);
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0]);
});

test('a special token that is also a learned string keeps its id and is not added twice', () => {
  // Rust looks the joined string up before giving a new id: "Ġthe" stays id 1 and the vocabulary
  // fills up with other tokens instead.
  const r = trainByteLevelBpe(linesOf(REAL), { vocabSize: 600, specialTokens: ['<|endoftext|>', 'Ġthe'] });
  assert.equal(r.vocab.get('Ġthe'), 1);
  assert.equal(new Set(r.vocab.keys()).size, r.vocab.size);
  assert.equal(r.vocab.size, 600);
  assert.equal(r.merges.filter(([a, b]) => a + b === 'Ġthe').length, 1);
  assert.equal(r.merges.length, 600 - 258 + 1);
});
