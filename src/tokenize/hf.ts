// A typed face for the parts of @huggingface/tokenizers 0.2.0 that attn touches. The package's own
// .d.ts files import each other without extensions, so under "moduleResolution": "NodeNext" every
// component type except `Tokenizer` resolves to `any`; this file states what we rely on instead.

import * as hf from '@huggingface/tokenizers';

/** The shapes of tokenizer.json that attn reads (the library reads the rest). */
export interface AddedTokenJson {
  id: number;
  content: string;
  special?: boolean;
  normalized?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  single_word?: boolean;
}
export interface ComponentJson {
  type?: string;
  [key: string]: unknown;
}
export interface TokenizerJson {
  added_tokens?: AddedTokenJson[];
  normalizer?: ComponentJson | null;
  pre_tokenizer?: ComponentJson | null;
  post_processor?: ComponentJson | null;
  decoder?: ComponentJson | null;
  model: ComponentJson & { vocab?: Record<string, number> | Array<[string, number]>; unk_token?: string | null };
  [key: string]: unknown;
}
/** tokenizer_config.json: only the keys attn uses are named. */
export interface TokenizerConfigJson {
  [key: string]: unknown;
}

/** A library normalizer: callable, `normalize(text)`. */
export interface HfNormalizer {
  (text: string): string;
  normalize(text: string): string;
  config: Record<string, unknown>;
}
/** A library pre-tokenizer: callable on a string, returns the pre-token strings. */
export interface HfPreTokenizer {
  (text: string, options?: { section_index?: number }): string[];
  config?: Record<string, unknown>;
}
export interface HfModel {
  unk_token_id?: number;
  unk_token?: string;
}
export interface HfEncoding {
  ids: number[];
  tokens: string[];
  attention_mask: number[];
  token_type_ids?: number[];
}
/** The library's Tokenizer, as attn uses it. */
export interface HfTokenizer {
  normalizer: HfNormalizer | null;
  pre_tokenizer: HfPreTokenizer | null;
  model: HfModel | null;
  encode(text: string, options?: { add_special_tokens?: boolean; return_token_type_ids?: boolean }): HfEncoding;
  decode(ids: number[], options?: { skip_special_tokens?: boolean; clean_up_tokenization_spaces?: boolean }): string;
  id_to_token(id: number): string | undefined;
  token_to_id(token: string): number | undefined;
}

type Ctor<T> = new (config: Record<string, unknown>) => T;

const lib = hf as unknown as {
  Tokenizer: new (tokenizer: object, config: object) => HfTokenizer;
  BertNormalizer: Ctor<HfNormalizer>;
  LowercaseNormalizer: Ctor<HfNormalizer>;
  SequenceNormalizer: Ctor<HfNormalizer & { normalizers: (HfNormalizer | null)[] }>;
  ByteLevelPreTokenizer: Ctor<HfPreTokenizer & { pattern: RegExp }>;
  SequencePreTokenizer: Ctor<HfPreTokenizer & { tokenizers: (HfPreTokenizer | null)[] }>;
};

export const HfTokenizerClass = lib.Tokenizer;
export const BertNormalizer = lib.BertNormalizer;
export const LowercaseNormalizer = lib.LowercaseNormalizer;
export const SequenceNormalizer = lib.SequenceNormalizer;
export const ByteLevelPreTokenizer = lib.ByteLevelPreTokenizer;
export const SequencePreTokenizer = lib.SequencePreTokenizer;
