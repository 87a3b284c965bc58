// Generates the tokenizer parity fixtures: a few thousand varied strings, encoded by Hugging Face's
// Rust `tokenizers` binding (the independent reference) with the real GPT-2 and bert-base-uncased
// tokenizer.json files. Deterministic: a seeded PRNG, no clock, no network.
//
//   node scripts/reference/make-tokenizer-fixtures.mjs
//
//   node scripts/reference/make-tokenizer-fixtures.mjs --scan   (after `npm run build`)
//
// --scan writes nothing: it encodes every Unicode code point in a few contexts with attn's
// Tokenizer (dist/) and with Rust, and prints the code points whose ids differ (a check to rerun
// when @huggingface/tokenizers or Node's ICU changes).
//
// Writes test/fixtures/tokenize/<name>.json. Each case is { text, ids, offsets } where `offsets` is
// the flat list [start0, end0, start1, end1, ...] exactly as the Rust binding reports it: indices
// in Unicode code points (Rust `char`s), NOT JavaScript UTF-16 code units. The tests convert them.
// Special tokens added by the post-processor ([CLS], [SEP]) come back from Rust as [0, 0].

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from 'tokenizers';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED_HF = resolve(ROOT, '..', 'shared', 'fixtures', 'hf');
const OUT = join(ROOT, 'test', 'fixtures', 'tokenize');
const SEED = 20240917;
const N_RANDOM = 2400;

// mulberry32: tiny, fast, and good enough to pick strings reproducibly.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (n) => Math.floor(rand() * n);
const pick = (xs) => xs[int(xs.length)];
const chance = (p) => rand() < p;

const WORDS = (
  'the a an of to in on at by for with from river bank money sat he she it they we you I was were is are ' +
  'be been being have has had do does did say said go went gone make made know knew think thought take ' +
  'see saw come came want look use find give tell work call try ask need feel become leave put mean keep ' +
  'let begin seem help talk turn start show hear play run move like live believe hold bring happen write ' +
  'provide stand lose pay meet include continue set learn change lead understand watch follow stop create ' +
  'speak read allow add spend grow open walk win offer remember love consider appear buy wait serve die ' +
  'send expect build stay fall cut reach kill remain suggest raise pass sell require report decide pull ' +
  'attention transformer token model layer head query key value softmax embedding residual network ' +
  'unbelievable internationalization tokenization antidisestablishmentarianism pneumonoultramicroscopic ' +
  'OpenAI GPT BERT JavaScript TypeScript McDonald iPhone eBay NASA UNESCO Dr Mr Mrs St Jr'
).split(' ');
const CONTRACTIONS = ["don't", "can't", "won't", "it's", "I'm", "you're", "we've", "they'll", "he'd",
  "river's", "James'", "rock'n'roll", "o'clock", "y'all", "ma'am", "don’t", "it’s", "’tis", "'90s"];
const HYPHENATED = ['well-known', 'state-of-the-art', 'x-ray', 'e-mail', 'self-attention', 'co-operate',
  'mother-in-law', 'twenty-one', 'pre-trained', '--', 'a-', '-b'];
const PUNCT = ['.', ',', '!', '?', ';', ':', '...', '…', '—', '–', '-', '(', ')', '[', ']', '{', '}',
  '"', "'", '“', '”', '‘', '’', '«', '»', '/', '\\', '|', '@', '#', '$', '%', '^', '&', '*', '+', '=',
  '<', '>', '~', '`', '_', '¿', '¡', '§', '©', '®', '™', '°', '€', '£', '¥', '·', '•', '†'];
const NUMBERS = () => pick([
  String(int(100)), String(int(100000)), `${int(10)}.${int(1000)}`, `${int(1000)},${String(int(1000)).padStart(3, '0')}`,
  `${1900 + int(130)}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`,
  `+1 (${100 + int(900)}) ${100 + int(900)}-${1000 + int(9000)}`, `${int(100)}%`, `$${int(1000)}.${int(100)}`,
  `3.14159`, `1e-5`, `0x${int(65536).toString(16)}`, `½`, `²`, `٣٤٥`, `१२३`, `Ⅻ`, `①`,
]);
const LATIN = ['café', 'naïve', 'résumé', 'Zürich', 'São Paulo', 'Ångström', 'straße', 'STRASSE', 'œuvre',
  'İstanbul', 'ıi', 'Łódź', 'Dvořák', 'crème brûlée', 'façade', 'Ærøskøbing', 'ﬁnance', 'Ǆ', 'ǅungla',
  'e\u0301te\u0301', 'A\u030A', 'n\u0303', 'ÉCOLE', 'ÀÉÎÕÜ', 'Ñandú', 'ŞĞÜÖÇ'];
const GREEK_CYR = ['ΟΔΟΣ', 'Σίσυφος', 'ΣΊΣΥΦΟΣ', 'ἀρχή', 'λόγος', 'Αθήνα', 'ΑΘΗΝΑ', 'ὁ λόγος', 'Москва',
  'привет мир', 'ПРИВЕТ', 'Ёлка', 'ёжик', 'Україна', 'ґанок', 'Ѣ', 'σς', 'ΣΑΣ ΣΑΣ'];
const CJK = ['中文', '你好，世界！', '日本語のテキスト', 'カタカナ', 'ひらがな', '한국어 텍스트', '漢字', '東京タワー',
  '𠀀𠀁', '𠮷野家', '〇', '々', '「引用」', '。', '、', '　', 'ﾊﾝｶｸ', '豈', '㐀', '⼀', '㊗'];
const RTL_ETC = ['مرحبا بالعالم', 'السَّلَامُ عَلَيْكُمْ', 'שָׁלוֹם', 'עברית', 'नमस्ते दुनिया', 'हिन्दी', 'สวัสดีครับ',
  'ሰላም', 'Γειά', 'Հայերեն', 'ქართული', 'తెలుగు', '\u200fرسالة\u200f', 'ﷺ', 'ﷲ'];
const EMOJI = ['👍', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇯🇵🇺🇸', '1️⃣', '❤️', '❤', '🤖', '😀😃😄', '🧑🏿‍💻',
  '👩‍❤️‍💋‍👨', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '☃', '✔️', '🫠', '©️', '#️⃣', '👋🏻👋🏼'];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u200b', '\u200c', '\u200d',
  '\u2060', '\ufeff', '\ufffd', '\u00ad', '\u202e', '\u2028', '\u2029', '\ue000', '\u{f0000}', '\u0378',
  '\u{1e030}', '\u{11f00}', '\u{31350}', '\u0600', '\u{e0041}'];
const SPACES = [' ', '  ', '   ', '\t', '\n', '\r\n', '\n\n', ' \t ', '\u00a0', '\u3000', '\u2003', '\u202f',
  '\u000b', '\u000c', '\u1680'];
const SPECIAL_TEXT = ['[CLS]', '[SEP]', '[MASK]', '[PAD]', '[UNK]', '[mask]', '[ MASK ]', '<|endoftext|>',
  '<|endoftext|><|endoftext|>', '<|endoftext', 'x[MASK]y', 'a<|endoftext|>b'];

function sentence() {
  const n = 3 + int(14);
  const parts = [];
  for (let i = 0; i < n; i++) {
    let w = pick(WORDS);
    if (i === 0 || chance(0.05)) w = w[0].toUpperCase() + w.slice(1);
    if (chance(0.03)) w = w.toUpperCase();
    if (chance(0.08)) w = pick(CONTRACTIONS);
    if (chance(0.05)) w = pick(HYPHENATED);
    if (chance(0.06)) w = NUMBERS();
    parts.push(w);
    if (chance(0.1)) parts.push(pick([',', ';', ':', ' -', ' —', ' (' + pick(WORDS) + ')']));
  }
  return parts.join(' ').replace(/ ([,;:])/g, '$1') + pick(['.', '.', '!', '?', '...', '', '."', '?!']);
}

function longWord() {
  const len = pick([60, 99, 100, 101, 150, 300]);
  const alphabet = pick(['abcdefghijklmnopqrstuvwxyz', 'aeiou', 'xyz', 'αβγδε', '中文字', '0123456789']);
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[int(alphabet.length)];
  return s;
}

function randomPiece() {
  switch (int(12)) {
    case 0: return sentence();
    case 1: return pick(LATIN);
    case 2: return pick(GREEK_CYR);
    case 3: return pick(CJK);
    case 4: return pick(RTL_ETC);
    case 5: return pick(EMOJI);
    case 6: return pick(CONTROL);
    case 7: return pick(PUNCT);
    case 8: return NUMBERS();
    case 9: return pick(SPECIAL_TEXT);
    case 10: return pick([...CONTRACTIONS, ...HYPHENATED]);
    default: return pick(WORDS);
  }
}

function mixed() {
  const n = 1 + int(6);
  let s = chance(0.15) ? pick(SPACES) : '';
  for (let i = 0; i < n; i++) {
    s += randomPiece();
    if (i < n - 1) s += chance(0.7) ? ' ' : chance(0.5) ? pick(SPACES) : '';
  }
  if (chance(0.15)) s += pick(SPACES);
  return s;
}

// Hand-picked strings first (always present), then seeded random ones.
const FIXED = [
  "He sat on the river's bank", 'Hello world', "I don't know, it's well-known.", 'The quick brown fox jumps over the lazy dog.',
  '  leading and trailing  ', '\tTabs\tand\nnewlines\r\n', 'multiple     spaces', 'MiXeD CaSe WoRdS',
  'ΟΔΟΣ ΣΑΣ', 'héllo 👍🏽 wörld 中文 é', '👨‍👩‍👧‍👦 family', '🇫🇷🇩🇪', 'a\u0000b\u200bc', '\u0000', '\u200b', '\ufffd',
  'x', '.', "'", '...', '[CLS] [MASK] [SEP]', '<|endoftext|>', 'The capital of France is [MASK].',
  // Where the JS library needed a patch (src/tokenize/compat.ts): \s as Oniguruma reads it,
  // final sigma, CJK outside the BMP.
  ' \u0085🧑', 'x \u0085\u0085 y', 'a \ufeffb', 'ΟΔΟΣ', 'Σ', '𠀀𠀁', 'x𠮷y',
  '𠮷野家で食べた', 'Ǆungla', 'İstanbul', 'ﬁ', 'e\u0301', longWord(), 'a'.repeat(100), 'a'.repeat(101),
  ...CONTRACTIONS, ...HYPHENATED, ...LATIN, ...GREEK_CYR, ...CJK, ...RTL_ETC, ...EMOJI, ...SPECIAL_TEXT,
  ...CONTROL.map((c) => `a${c}b`), ...SPACES.map((s) => `a${s}b`), ...PUNCT.map((p) => `word${p}`),
];

const texts = [...FIXED];
for (let i = 0; i < N_RANDOM; i++) {
  const kind = int(10);
  texts.push(kind < 4 ? sentence() : kind < 9 ? mixed() : longWord());
}

if (process.argv.includes('--scan')) {
  const { Tokenizer: Attn } = await import('../../dist/src/tokenize/tokenizer.js');
  for (const name of ['gpt2', 'bert-base-uncased']) {
    const rust = Tokenizer.fromFile(join(SHARED_HF, name, 'tokenizer.json'));
    const attn = Attn.fromFolder(join(SHARED_HF, name));
    const probes = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      probes.push(`a${c}b ${c} x${c} ${c}${c}. A${c}Σ`);
    }
    const differ = [];
    for (let i = 0; i < probes.length; i += 4096) {
      const encs = await rust.encodeBatch(probes.slice(i, i + 4096));
      encs.forEach((e, k) => {
        const a = attn.encode(probes[i + k]).ids;
        const r = e.getIds();
        if (a.length !== r.length || a.some((v, q) => v !== r[q])) differ.push(probes[i + k].codePointAt(1));
      });
    }
    const ranges = [];
    for (const cp of differ) {
      const last = ranges.at(-1);
      if (last && last[1] === cp - 1) last[1] = cp;
      else ranges.push([cp, cp]);
    }
    const hex = (n) => n.toString(16).toUpperCase().padStart(4, '0');
    console.log(`${name}: ${differ.length} code points differ from Rust (${ranges.length} ranges)`);
    if (ranges.length) console.log(ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join(' '));
  }
  process.exit(0);
}

mkdirSync(OUT, { recursive: true });
for (const name of ['gpt2', 'bert-base-uncased']) {
  const tok = Tokenizer.fromFile(join(SHARED_HF, name, 'tokenizer.json'));
  const lines = [];
  for (const text of texts) {
    const enc = await tok.encode(text);
    const offsets = enc.getOffsets().flat();
    lines.push(JSON.stringify({ text, ids: enc.getIds(), offsets }));
  }
  const header = {
    tokenizer: name,
    source: `../shared/fixtures/hf/${name}/tokenizer.json`,
    reference: `tokenizers (Rust, Node binding) ${JSON.parse(readFileSync(join(ROOT, 'node_modules', 'tokenizers', 'package.json'), 'utf8')).version}`,
    generator: 'scripts/reference/make-tokenizer-fixtures.mjs',
    seed: SEED,
    offsetUnit: 'Unicode code points (Rust char indices); flat [start, end, ...]; inserted special tokens are [0, 0]',
  };
  const body = `{"meta":${JSON.stringify(header)},\n"cases":[\n${lines.join(',\n')}\n]}\n`;
  const file = join(OUT, `${name}.json`);
  writeFileSync(file, body);
  console.log(`${file}: ${texts.length} cases, ${(body.length / 1024).toFixed(0)} KiB`);
}
