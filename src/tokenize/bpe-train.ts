// Trains a GPT-2 style byte-level BPE tokenizer (Sennrich et al. 2016; Radford et al. 2019) and
// writes it as a standard tokenizer.json that attn's Tokenizer and Hugging Face's tokenizers load.
//
// What it computes is Hugging Face's `BpeTrainer` (Rust tokenizers 0.23, models/bpe/trainer.rs) with
// a ByteLevel pre-tokenizer (add_prefix_space false) and `initial_alphabet = ByteLevel.alphabet()`:
// - each text is split with GPT-2's regex (Rust's reading of `\s`, compat.ts), each piece's UTF-8
//   bytes become GPT-2's printable byte characters (bytes.ts), and equal pieces are counted once;
// - ids: the special tokens first (in the order given), then the alphabet sorted by code point (all
//   256 byte characters, or with `alphabet: 'seen'` only those in the text), then each new merge;
// - each step merges the most frequent pair; ties go to the pair whose ids are smaller (left id
//   first, then right id); training stops at `vocabSize` distinct tokens, when no pair is left, or
//   when the best pair occurs fewer than `minFrequency` times;
// - Rust's quirks are kept (bpe-merges.ts), and a pair merged twice is listed once, at its later
//   rank, as Rust's merge map serializes it.
// Where Rust is not deterministic (two heap entries of one pair with equal counts pop in random
// hash-map order) it needs a token string made by two different merges; without a subword prefix
// that cannot happen (every occurrence of a string is segmented by the same merges until it is one
// token), so the results agree. Rust counts pairs in i32: past 2^31 − 1 occurrences it would differ.
// Like a fresh Hugging Face tokenizer, special-token strings inside the texts are plain text here.
// Each string of `texts` is split on its own: Hugging Face's `train(files)` feeds every line (with
// its "\n") as one string, so split a file into lines the same way to train on the same words.
// test/tokenize/bpe-train.test.ts checks vocab and merges against the Rust trainer itself.

import { InputError } from '../errors.js';
import { BYTE_TO_CHAR, utf8Bytes } from './bytes.js';
import { learnMerges, MAX_VOCAB, type WordTable } from './bpe-merges.js';
import { BYTE_LEVEL_PATTERN } from './compat.js';
import type { TokenizerJson } from './hf.js';

export interface BpeTrainOptions {
  /** Distinct tokens wanted, special tokens and byte symbols included (at least their number). */
  vocabSize: number;
  /** Added with `special: true`, ids 0, 1, …; default `['<|endoftext|>']`. */
  specialTokens?: readonly string[];
  /**
   * A pair seen fewer times than this is never merged: training stops there, possibly below
   * `vocabSize`. Default 2 (as Hugging Face's `ByteLevelBPETokenizer.train`): a pair seen once
   * only memorises one word. 0 or 1 merge while any pair is left.
   */
  minFrequency?: number;
  /**
   * `'bytes'` (default): all 256 byte symbols, so any text can be encoded. `'seen'`: only those in
   * the text, as Hugging Face's trainer does without an initial alphabet (the Node binding's case).
   */
  alphabet?: 'bytes' | 'seen';
  /** Called every 256 merges and at the end: merges done, and the most there can be. */
  onProgress?: (merges: number, total: number) => void;
}

export interface TrainedBpe {
  /** Token → id for every token, special tokens included; iterates in id order. */
  vocab: Map<string, number>;
  /** Merges in rank order, as tokenizer.json lists them. */
  merges: [string, string][];
  /** How often each merge's pair occurred when it was merged (Rust's count), beside `merges`. */
  mergeCounts: number[];
  specialTokens: { id: number; content: string }[];
  /** The tokenizer.json object (give it to `Tokenizer.fromJSON`). */
  tokenizerJson(): TokenizerJson;
  /** tokenizer.json text, vocabulary in id order (named so because `toJSON` would change JSON.stringify). */
  tokenizerJsonText(): string;
}

const BYTE_LEVEL = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };

function checkOptions(o: BpeTrainOptions): { specials: readonly string[]; minFrequency: number } {
  if (typeof o !== 'object' || o === null) throw new InputError('trainByteLevelBpe needs options: { vocabSize: number, … }');
  const specials = o.specialTokens ?? ['<|endoftext|>'];
  if (!Array.isArray(specials) || specials.some((s) => typeof s !== 'string' || s === '')) {
    throw new InputError('specialTokens must be an array of non-empty strings, e.g. ["<|endoftext|>"]');
  }
  const seen = new Set<string>();
  for (const s of specials) {
    if (seen.has(s)) throw new InputError(`special token ${JSON.stringify(s)} is listed twice: give each special token once`);
    seen.add(s);
  }
  const min = specials.length + 256;
  if (typeof o.vocabSize !== 'number' || !Number.isInteger(o.vocabSize)) {
    throw new InputError(`vocabSize must be a whole number, not ${String(o.vocabSize)}: e.g. 8192`);
  }
  if (o.vocabSize < min) {
    throw new InputError(
      `vocabSize ${o.vocabSize} is too small: the ${specials.length} special token(s) and 256 byte symbols need ${min}; give at least ${min} (GPT-2 uses 50257)`,
    );
  }
  if (o.vocabSize > MAX_VOCAB) throw new InputError(`vocabSize ${o.vocabSize} is too large: attn trains at most ${MAX_VOCAB} tokens`);
  const minFrequency = o.minFrequency ?? 2;
  if (typeof minFrequency !== 'number' || !Number.isInteger(minFrequency) || minFrequency < 0) {
    throw new InputError(`minFrequency must be a whole number ≥ 0, not ${String(minFrequency)}`);
  }
  if (o.alphabet !== undefined && o.alphabet !== 'bytes' && o.alphabet !== 'seen') {
    throw new InputError(`alphabet must be 'bytes' or 'seen', not ${JSON.stringify(o.alphabet)}`);
  }
  return { specials, minFrequency };
}

/** Pre-tokenizes every text and counts the pieces, keyed by their byte-level spelling. */
function countWords(texts: Iterable<string>): Map<string, number> {
  if (typeof texts === 'string') throw new InputError('the training texts must be an iterable of strings: wrap a single text in [ ]');
  if (texts === null || typeof (texts as Partial<Iterable<string>>)?.[Symbol.iterator] !== 'function') {
    throw new InputError('the training texts must be an iterable of strings (an array, a generator, …)');
  }
  const raw = new Map<string, number>();
  let index = 0;
  for (const text of texts) {
    if (typeof text !== 'string') throw new InputError(`training text #${index} is a ${typeof text}, not a string`);
    index++;
    for (const m of text.matchAll(BYTE_LEVEL_PATTERN)) raw.set(m[0], (raw.get(m[0]) ?? 0) + 1);
  }
  const words = new Map<string, number>();
  for (const [piece, n] of raw) {
    const spelled = utf8Bytes(piece).map((b) => BYTE_TO_CHAR[b]).join('');
    words.set(spelled, (words.get(spelled) ?? 0) + n);
  }
  return words;
}

/** Words as symbol ids (one per byte character) in one buffer. */
function wordTable(words: Map<string, number>, ids: Map<string, number>): WordTable {
  let total = 0;
  for (const w of words.keys()) total += w.length; // byte characters are all in the BMP
  const t: WordTable = { sym: new Int32Array(total), start: new Int32Array(words.size), len: new Int32Array(words.size), count: new Float64Array(words.size) };
  let w = 0;
  let at = 0;
  for (const [word, n] of words) {
    t.start[w] = at;
    t.len[w] = word.length;
    t.count[w] = n;
    for (const ch of word) t.sym[at++] = ids.get(ch)!;
    w++;
  }
  return t;
}

/**
 * Trains byte-level BPE on `texts` (each string pre-tokenized on its own). Throws InputError for
 * unusable options or text with no words. Vocab and merges equal Hugging Face's trainer's (header).
 */
export function trainByteLevelBpe(texts: Iterable<string>, o: BpeTrainOptions): TrainedBpe {
  const { specials, minFrequency } = checkOptions(o);
  const words = countWords(texts);
  if (words.size === 0) throw new InputError('the training text is empty: give at least one non-empty string to learn merges from');

  const tokens: string[] = [];
  const ids = new Map<string, number>();
  const add = (s: string) => {
    if (!ids.has(s)) {
      ids.set(s, tokens.length);
      tokens.push(s);
    }
  };
  specials.forEach(add);
  const alphabet = new Set<string>(o.alphabet === 'seen' ? [] : BYTE_TO_CHAR);
  for (const w of words.keys()) for (const ch of w) alphabet.add(ch);
  [...alphabet].sort((x, y) => x.codePointAt(0)! - y.codePointAt(0)!).forEach(add);

  const learned = learnMerges(wordTable(words, ids), tokens, ids, { vocabSize: o.vocabSize, minFrequency, onProgress: o.onProgress });
  // Rust keeps merges in a map keyed by pair: a pair merged twice keeps only its later rank.
  const last = new Map<string, number>();
  learned.forEach((m, i) => last.set(`${m.a} ${m.b}`, i));
  const kept = learned.filter((m, i) => last.get(`${m.a} ${m.b}`) === i);

  const vocab = new Map(tokens.map((t, i) => [t, i]));
  const merges = kept.map((m): [string, string] => [tokens[m.a], tokens[m.b]]);
  const specialTokens = specials.map((content) => ({ id: ids.get(content)!, content }));
  const json = (): TokenizerJson => ({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((t) => ({ id: t.id, content: t.content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { ...BYTE_LEVEL },
    post_processor: { ...BYTE_LEVEL, add_prefix_space: true, trim_offsets: false },
    decoder: { ...BYTE_LEVEL, add_prefix_space: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges: merges.map((m) => [...m]),
    },
  });
  return {
    vocab,
    merges,
    mergeCounts: kept.map((m) => m.count),
    specialTokens,
    tokenizerJson: json,
    tokenizerJsonText() {
      // Built by hand: an object would list integer-like keys ("1", "12") before the others.
      const { model, ...rest } = json();
      const head = JSON.stringify({ ...rest, model: { ...model, vocab: {}, merges: [] } });
      const vocabText = tokens.map((t, i) => `${JSON.stringify(t)}:${i}`).join(',');
      const mergesText = merges.map((m) => JSON.stringify(m)).join(',');
      return head.replace('"vocab":{},"merges":[]', () => `"vocab":{${vocabText}},"merges":[${mergesText}]`);
    },
  };
}
