// The data tokenization hands to the rest of attn: tokens with character offsets into the
// original text, and words (groups of tokens) that the explanations speak about.

/** One token of an encoding. Offsets are UTF-16 indices into the original text. */
export interface Token {
  /** Position in the encoding (0-based); the model's T axis. */
  index: number;
  id: number;
  /** The token string from the vocabulary, e.g. "Ġbank" (GPT-2) or "##s" (BERT). */
  text: string;
  /**
   * `text.slice(start, end)` is the source text this token covers. A token holding only part of
   * a character (byte-level BPE splitting an emoji) gets the whole character, so neighbouring
   * tokens may share a span. Special tokens the post-processor adds ([CLS], [SEP]) have
   * start = end: [CLS] at 0, [SEP] at the end of the text.
   */
  start: number;
  end: number;
  /**
   * A special token: added by the post-processor ([CLS], [SEP]), or a special token written in
   * the text ([MASK], <|endoftext|>). The [UNK] a WordPiece model puts in place of text it cannot
   * spell is not special: it stands for that text (an emoji, say) and keeps its span.
   */
  special: boolean;
}

/** A word: consecutive tokens that together cover one word of the text (see words.ts for the rules). */
export interface Word {
  index: number;
  /** `text.slice(start, end)` of the original text. */
  text: string;
  start: number;
  end: number;
  /** Indices of its tokens: ascending and contiguous. Every token is in exactly one word. */
  tokens: number[];
  /** The word is a single special token; for [CLS]/[SEP] its text is "" (label it by the token). */
  special: boolean;
}

export interface Encoding {
  /** The text exactly as given. */
  text: string;
  /** Token ids, the model's input. */
  ids: number[];
  /** Token type (segment) ids: all 0 for a single text. */
  typeIds: number[];
  tokens: Token[];
  words: Word[];
}

/** A special token of the vocabulary. */
export interface SpecialToken {
  id: number;
  text: string;
}

/** The tokenizer's special tokens, and which of them play the usual roles. */
export interface SpecialTokens {
  /** Every special token, by ascending id. */
  all: SpecialToken[];
  bos?: SpecialToken;
  eos?: SpecialToken;
  unk?: SpecialToken;
  pad?: SpecialToken;
  cls?: SpecialToken;
  sep?: SpecialToken;
  mask?: SpecialToken;
}
