// Parity patches for @huggingface/tokenizers 0.2.0: where the JS library encodes differently from
// Hugging Face's Rust `tokenizers` (the implementation the models were trained with), we swap in a
// component that follows the Rust source. Each patch names the inputs that differ without it;
// test/tokenize/parity.test.ts shows they are needed (ids checked against the Rust binding).

import {
  BertNormalizer,
  ByteLevelPreTokenizer,
  LowercaseNormalizer,
  SequenceNormalizer,
  SequencePreTokenizer,
  type HfNormalizer,
  type HfPreTokenizer,
  type HfTokenizer,
} from './hf.js';

/** Rust `char::is_whitespace` (Unicode White_Space), which Oniguruma's `\s` also follows. */
const WHITE_SPACE = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const IS_WHITE_SPACE = new RegExp(`^[${WHITE_SPACE}]$`, 'u');
/** Rust bert.rs `is_control`: Cc, Cf, Co (not Cn), except \t \n \r which count as whitespace. */
const IS_CONTROL = /^[\p{Cc}\p{Cf}\p{Co}]$/u;
const MN = /\p{Mn}/gu;

/** CJK ideograph blocks that BERT surrounds with spaces (Rust bert.rs `is_chinese_char`). */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Lowercases one code point at a time, as Rust `NormalizedString::lowercase` does. */
export function lowercasePerChar(text: string): string {
  // String#toLowerCase applies the context-sensitive Final_Sigma rule ("ΟΔΟΣ" → "οδος"); Rust's
  // char::to_lowercase does not ("οδοσ"). One code point at a time gives Rust's answer.
  let out = '';
  for (const ch of text) out += ch.toLowerCase();
  return out;
}

/**
 * BERT's normalizer as Rust `normalizers/bert.rs` writes it. The JS library differs on:
 * - Greek capital sigma at the end of a word: JS lowercases the whole string (final sigma "ς"),
 *   Rust one char at a time ("σ"): "ΟΔΟΣ" → different ids.
 * - CJK ideographs outside the BMP (U+20000..): the JS loop reads UTF-16 units, so "𠀀𠀁" is not
 *   split into two ideographs and gives one [UNK] instead of Rust's two.
 * - order: Rust strips accents before lowercasing.
 */
class RustBertNormalizer extends BertNormalizer {
  override normalize(text: string): string {
    const { clean_text, handle_chinese_chars, strip_accents, lowercase } = this.config as {
      clean_text?: boolean;
      handle_chinese_chars?: boolean;
      strip_accents?: boolean | null;
      lowercase?: boolean;
    };
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (clean_text) {
        if (cp === 0 || cp === 0xfffd) continue;
        if (ch !== '\t' && ch !== '\n' && ch !== '\r' && IS_CONTROL.test(ch)) continue;
        if (IS_WHITE_SPACE.test(ch)) {
          out += ' ';
          continue;
        }
      }
      out += handle_chinese_chars && isChineseChar(cp) ? ` ${ch} ` : ch;
    }
    if (strip_accents ?? lowercase) out = out.normalize('NFD').replace(MN, '');
    if (lowercase) out = lowercasePerChar(out);
    return out;
  }
}

/** The Lowercase normalizer without the Final_Sigma context rule (see lowercasePerChar). */
class RustLowercaseNormalizer extends LowercaseNormalizer {
  override normalize(text: string): string {
    return lowercasePerChar(text);
  }
}

/**
 * GPT-2's pre-tokenizer regex, with `\s` as Oniguruma reads it (Unicode White_Space: includes
 * U+0085 NEL, excludes U+FEFF) rather than as JavaScript does (the reverse). Without this,
 * " \u0085🧑" splits differently from Rust.
 */
const S = `[${WHITE_SPACE}]`;
const NOT_S = `[^${WHITE_SPACE}]`;
/** Also the BPE trainer's pre-tokenizer (bpe-train.ts), so training splits text as encoding does. */
export const BYTE_LEVEL_PATTERN = new RegExp(
  `'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WHITE_SPACE}\\p{L}\\p{N}]+|${S}+(?!${NOT_S})|${S}+`,
  'gu',
);
const JS_BYTE_LEVEL_SOURCE = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

function patchNormalizer(n: HfNormalizer | null): HfNormalizer | null {
  const o: object | null = n;
  if (o instanceof BertNormalizer) return new RustBertNormalizer(o.config);
  if (o instanceof LowercaseNormalizer) return new RustLowercaseNormalizer(o.config);
  if (o instanceof SequenceNormalizer) o.normalizers = o.normalizers.map(patchNormalizer);
  return n;
}

function patchPreTokenizer(p: HfPreTokenizer | null): void {
  const o: object | null = p;
  if (o instanceof ByteLevelPreTokenizer && o.pattern.source === JS_BYTE_LEVEL_SOURCE) {
    o.pattern = BYTE_LEVEL_PATTERN;
  } else if (o instanceof SequencePreTokenizer) {
    o.tokenizers.forEach(patchPreTokenizer);
  }
}

/** Swaps the library's components for Rust-faithful ones where they are known to differ. */
export function applyRustParity(lib: HfTokenizer): void {
  lib.normalizer = patchNormalizer(lib.normalizer);
  patchPreTokenizer(lib.pre_tokenizer);
}
