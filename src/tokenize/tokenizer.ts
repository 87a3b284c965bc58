// Tokenizer: a model's tokenizer.json (read by @huggingface/tokenizers) → ids, tokens with
// character offsets into the original text, and words. Ids follow Hugging Face's Rust tokenizers
// (see compat.ts for where the JS library needed help); offsets are recovered in offsets.ts.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, InputError } from '../errors.js';
import { schemeOf } from './align.js';
import { applyRustParity } from './compat.js';
import { HfTokenizerClass, type AddedTokenJson, type HfTokenizer, type TokenizerConfigJson, type TokenizerJson } from './hf.js';
import { OffsetFinder } from './offsets.js';
import type { Encoding, SpecialToken, SpecialTokens, Token } from './types.js';
import { groupWords } from './words.js';

export type { Encoding, SpecialToken, SpecialTokens, Token, Word } from './types.js';

const ROLES = ['bos', 'eos', 'unk', 'pad', 'cls', 'sep', 'mask'] as const;
/** Names these roles usually have, for tokenizer_config.json files that do not say. */
const USUAL_NAMES: Record<(typeof ROLES)[number], string[]> = {
  bos: ['<s>', '<|begin_of_text|>'],
  eos: ['</s>', '<|end_of_text|>'],
  unk: ['[UNK]', '<unk>'],
  pad: ['[PAD]', '<pad>'],
  cls: ['[CLS]', '<s>'],
  sep: ['[SEP]', '</s>'],
  mask: ['[MASK]', '<mask>'],
};

function readJson(path: string, what: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FileError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new FileError(`${path} is not valid JSON (${(err as Error).message}); ${what}`, { cause: err });
  }
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A model's tokenizer. `encode(text)` gives the ids the model reads (identical to Hugging Face's
 * Rust tokenizers on the GPT-2 and BERT parity fixtures), each token's span in the original text
 * (UTF-16 indices, `text.slice(start, end)`), and the words the tokens make up (words.ts).
 */
export class Tokenizer {
  /** Number of token ids: one more than the largest id in the vocabulary and added tokens. */
  readonly vocabSize: number;
  readonly specialTokens: SpecialTokens;
  private readonly specialIds: ReadonlySet<number>;
  private readonly offsets: OffsetFinder;
  /** Ids the post-processor puts before / after the text's tokens ([CLS] / [SEP]); null if unknown. */
  private readonly prefix: number[] | null;
  private readonly suffix: number[] | null;

  private constructor(
    private readonly lib: HfTokenizer,
    json: TokenizerJson,
    config: TokenizerConfigJson,
  ) {
    const added: AddedTokenJson[] = Array.isArray(json.added_tokens) ? json.added_tokens : [];
    const vocab = json.model.vocab;
    let maxId = Array.isArray(vocab) ? vocab.length - 1 : -1;
    if (!Array.isArray(vocab)) for (const id of Object.values(vocab ?? {})) if (id > maxId) maxId = id;
    for (const t of added) if (t.id > maxId) maxId = t.id;
    this.vocabSize = maxId + 1;

    const all: SpecialToken[] = added.filter((t) => t.special).map((t) => ({ id: t.id, text: t.content }));
    all.sort((a, b) => a.id - b.id);
    this.specialIds = new Set(all.map((t) => t.id));
    this.specialTokens = { all, ...this.roles(config, all, json) };

    const unk = typeof json.model.unk_token === 'string' ? lib.token_to_id(json.model.unk_token) : undefined;
    this.offsets = new OffsetFinder(lib, added, schemeOf(json, unk ?? null));

    [this.prefix, this.suffix] = this.probeTemplate();
  }

  /** Loads `dir/tokenizer.json` and, when present, `dir/tokenizer_config.json`. */
  static fromFolder(dir: string): Tokenizer {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new FileError(`${dir} is not a folder: give the folder that holds the model's tokenizer.json`);
    }
    const path = join(dir, 'tokenizer.json');
    if (!existsSync(path)) {
      throw new FileError(`${path} does not exist: attn needs the model's tokenizer.json (in Python: tokenizer.save_pretrained(folder))`);
    }
    const json = readJson(path, 'download or save the tokenizer.json again');
    const configPath = join(dir, 'tokenizer_config.json');
    const config = existsSync(configPath) ? readJson(configPath, 'fix or delete it (it is optional)') : undefined;
    try {
      return Tokenizer.fromJSON(json, config);
    } catch (err) {
      if (err instanceof FileError) throw new FileError(`${path}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Builds a tokenizer from parsed tokenizer.json (and optional tokenizer_config.json) objects. */
  static fromJSON(tokenizerJson: unknown, config?: unknown): Tokenizer {
    if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model)) {
      throw new FileError('tokenizer.json must be an object with a "model" entry; is this a tokenizer.json from the Hugging Face Hub?');
    }
    if (config !== undefined && config !== null && !isObject(config)) {
      throw new FileError('tokenizer_config.json must be a JSON object');
    }
    const json = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...tokenizerJson } as unknown as TokenizerJson;
    try {
      const lib = new HfTokenizerClass(json, config ?? {});
      applyRustParity(lib);
      return new Tokenizer(lib, json, (config ?? {}) as TokenizerConfigJson);
    } catch (err) {
      throw new FileError(`the tokenizer could not be built: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Tokenizes one text: ids, tokens with offsets, and words. Adds the model's special tokens. */
  encode(text: string): Encoding {
    if (typeof text !== 'string') throw new InputError(`the text to tokenize must be a string, not ${typeof text}`);
    if (text.trim() === '') throw new InputError('the text is empty: give at least one word to tokenize');
    const full = this.lib.encode(text, { return_token_type_ids: true });
    const ids = full.ids;
    let [first, last] = this.contentRange(ids);
    if (first < 0) [first, last] = this.contentRangeSlow(text, ids);
    const { spans, typed } = this.offsets.find(text, ids.slice(first, last), full.tokens.slice(first, last));
    const tokens: Token[] = ids.map((id, index) => {
      const inside = index >= first && index < last;
      const [start, end] = inside ? spans[index - first] : index < first ? [0, 0] : [text.length, text.length];
      const special = !inside || (typed[index - first] && this.specialIds.has(id));
      return { index, id, text: full.tokens[index], start, end, special };
    });
    const typeIds = full.token_type_ids ?? new Array<number>(ids.length).fill(0);
    return { text, ids, typeIds, tokens, words: groupWords(text, tokens) };
  }

  /** Only the ids of `text`, without special tokens, offsets or words: the fast path for training data. */
  encodeIds(text: string): number[] {
    if (typeof text !== 'string') throw new InputError(`the text to tokenize must be a string, not ${typeof text}`);
    return text === '' ? [] : this.lib.encode(text, { add_special_tokens: false }).ids;
  }

  /** Text for ids; `skipSpecialTokens` leaves out [CLS], [SEP], <|endoftext|>, … */
  decode(ids: number[], options: { skipSpecialTokens?: boolean } = {}): string {
    if (!Array.isArray(ids)) throw new InputError('decode needs an array of token ids');
    for (const id of ids) this.checkId(id);
    if (ids.length === 0) return '';
    return this.lib.decode(ids, { skip_special_tokens: options.skipSpecialTokens ?? false });
  }

  /** The vocabulary string of a token id ("Ġbank", "##s", "[CLS]"). */
  idToToken(id: number): string {
    this.checkId(id);
    const s = this.lib.id_to_token(id);
    if (s === undefined) throw new InputError(`token id ${id} has no entry in this tokenizer's vocabulary`);
    return s;
  }

  /** The id of a vocabulary string, or undefined when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.lib.token_to_id(token);
  }

  private checkId(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new InputError(`token id ${String(id)} is out of range: ids run from 0 to ${this.vocabSize - 1}`);
    }
  }

  private roles(config: TokenizerConfigJson, all: SpecialToken[], json: TokenizerJson): Omit<SpecialTokens, 'all'> {
    const out: Omit<SpecialTokens, 'all'> = {};
    const byText = new Map(all.map((t) => [t.text, t]));
    for (const role of ROLES) {
      const v = config[`${role}_token`];
      const named = typeof v === 'string' ? v : isObject(v) && typeof v.content === 'string' ? v.content : undefined;
      const candidates = named !== undefined ? [named] : role === 'unk' && typeof json.model.unk_token === 'string' ? [json.model.unk_token] : USUAL_NAMES[role];
      const hit = candidates.map((c) => byText.get(c)).find((t) => t !== undefined);
      if (hit) out[role] = hit;
    }
    return out;
  }

  /** Learns which ids the post-processor wraps a single text in, by encoding a probe. */
  private probeTemplate(): [number[] | null, number[] | null] {
    const full = this.lib.encode('a').ids;
    const bare = this.lib.encode('a', { add_special_tokens: false }).ids;
    const at = indexOfRun(full, bare, 0);
    return at < 0 ? [null, null] : [full.slice(0, at), full.slice(at + bare.length)];
  }

  /** [first, last) of the text's own tokens, or [-1, -1] if the template did not fit. */
  private contentRange(ids: number[]): [number, number] {
    const p = this.prefix;
    const s = this.suffix;
    if (!p || !s || ids.length < p.length + s.length) return [-1, -1];
    for (let i = 0; i < p.length; i++) if (ids[i] !== p[i]) return [-1, -1];
    for (let i = 0; i < s.length; i++) if (ids[ids.length - s.length + i] !== s[i]) return [-1, -1];
    return [p.length, ids.length - s.length];
  }

  private contentRangeSlow(text: string, ids: number[]): [number, number] {
    const bare = this.lib.encode(text, { add_special_tokens: false }).ids;
    const at = indexOfRun(ids, bare, 0);
    return at < 0 ? [0, ids.length] : [at, at + bare.length];
  }
}

function indexOfRun(hay: number[], needle: number[], from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
