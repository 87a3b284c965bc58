// Character offsets for tokens. @huggingface/tokenizers gives token strings but no offsets, so we
// recover them: each token string is turned back into the bytes it stands for (byte-level BPE via
// GPT-2's byte table, WordPiece minus its "##", SentencePiece with "▁" as a space) and matched, in
// order, against the UTF-8 bytes of the normalized text, whose bytes know their original spans.

import { byteLevelBytes, utf8Bytes } from './bytes.js';
import type { NormalizedBytes } from './normalized.js';

/** How a tokenizer's token strings spell the text they cover; read from tokenizer.json. */
export interface TokenScheme {
  /** Token strings use GPT-2's printable stand-ins for bytes ("Ġ" = space). */
  byteLevel: boolean;
  /** WordPiece "##" (or a BPE continuing_subword_prefix): not part of the text. */
  continuingPrefix: string;
  /** BPE end_of_word_suffix such as "</w>": not part of the text. */
  endOfWordSuffix: string;
  /** SentencePiece's "▁" standing for a space, when the pre-tokenizer or decoder is Metaspace. */
  metaspace: string;
  /** "<0x41>" tokens stand for one byte. */
  byteFallback: boolean;
  /** WordPiece: an unknown token covers the rest of its pre-token (a whole word). */
  unkCoversWord: boolean;
  unkId: number | null;
}

interface Component {
  type?: unknown;
  [key: string]: unknown;
}

function components(c: unknown): Component[] {
  if (!c || typeof c !== 'object') return [];
  const comp = c as Component;
  const nested = [comp.pretokenizers, comp.decoders, comp.processors].find(Array.isArray) as unknown[] | undefined;
  return nested ? nested.flatMap(components) : [comp];
}

/** Reads the token spelling conventions from a parsed tokenizer.json. */
export function schemeOf(json: {
  model: Component;
  pre_tokenizer?: unknown;
  decoder?: unknown;
}, unkId: number | null): TokenScheme {
  const parts = [...components(json.pre_tokenizer), ...components(json.decoder)];
  const meta = parts.find((p) => p.type === 'Metaspace');
  const model = json.model;
  const isWordPiece = model.type === 'WordPiece' || (model.type === undefined && 'max_input_chars_per_word' in model);
  return {
    byteLevel: parts.some((p) => p.type === 'ByteLevel'),
    continuingPrefix: typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '',
    endOfWordSuffix: typeof model.end_of_word_suffix === 'string' ? model.end_of_word_suffix : '',
    metaspace: meta ? (typeof meta.replacement === 'string' ? meta.replacement : '▁') : '',
    byteFallback: model.byte_fallback === true,
    unkCoversWord: isWordPiece,
    unkId,
  };
}

/** The bytes of normalized text that a model token stands for; null for the unknown token. */
export function pieceBytes(token: string, id: number, scheme: TokenScheme): number[] | null {
  if (id === scheme.unkId) return null;
  let s = token;
  if (scheme.byteFallback && /^<0x[0-9A-Fa-f]{2}>$/.test(s)) return [parseInt(s.slice(3, 5), 16)];
  const pre = scheme.continuingPrefix;
  if (pre && s.length > pre.length && s.startsWith(pre)) s = s.slice(pre.length);
  const suf = scheme.endOfWordSuffix;
  if (suf && s.length > suf.length && s.endsWith(suf)) s = s.slice(0, -suf.length);
  if (scheme.metaspace) s = s.split(scheme.metaspace).join(' ');
  return scheme.byteLevel ? byteLevelBytes(s) : utf8Bytes(s);
}

function matchesAt(hay: number[], at: number, needle: number[], from: number): boolean {
  if (at + needle.length - from > hay.length) return false;
  for (let k = from; k < needle.length; k++) if (hay[at + k - from] !== needle[k]) return false;
  return true;
}

/** Where `piece` starts at or after `cursor`: right there, after whitespace, or (resync) further on. */
function locate(norm: NormalizedBytes, cursor: number, piece: number[]): { at: number; skip: number } | null {
  const n = norm.bytes.length;
  let c = cursor;
  for (;;) {
    if (matchesAt(norm.bytes, c, piece, 0)) return { at: c, skip: 0 };
    // SentencePiece adds a "▁" that stands for no text at the start of a word.
    if (piece[0] === 0x20 && matchesAt(norm.bytes, c, piece, 1)) return { at: c, skip: 1 };
    if (c < n && norm.space[c]) c++;
    else break;
  }
  for (let at = c + 1; at + piece.length <= n; at++) {
    if (matchesAt(norm.bytes, at, piece, 0)) return { at, skip: 0 };
  }
  return null;
}

/** A span [start, end) in original UTF-16 units covering normalized bytes [a, b). */
function spanOf(norm: NormalizedBytes, a: number, b: number): [number, number] {
  if (a >= b) {
    const at = a < norm.start.length ? norm.start[a] : norm.sectionEnd;
    return [at, at];
  }
  let s = norm.start[a];
  let e = norm.end[b - 1];
  for (let k = a; k < b; k++) {
    if (norm.start[k] < s) s = norm.start[k];
    if (norm.end[k] > e) e = norm.end[k];
  }
  return [s, e];
}

/** Byte ranges of the pre-tokens (words) of a section, found the same way tokens are. */
export type PreTokenRanges = () => Array<[number, number]>;

export function preTokenRanges(norm: NormalizedBytes, preTokens: string[], scheme: TokenScheme): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let cursor = 0;
  for (const p of preTokens) {
    let s = p;
    if (scheme.metaspace) s = s.split(scheme.metaspace).join(' ');
    const bytes = scheme.byteLevel ? byteLevelBytes(s) : utf8Bytes(s);
    if (bytes.length === 0) continue;
    const hit = locate(norm, cursor, bytes);
    if (!hit) continue;
    const end = hit.at + bytes.length - hit.skip;
    ranges.push([hit.at, end]);
    cursor = end;
  }
  return ranges;
}

/** Result of aligning one section: a span per token, and how many tokens could not be placed. */
export interface SectionAlignment {
  spans: Array<[number, number]>;
  unplaced: number;
}

/**
 * Offsets for the model tokens of one section (text between added tokens), in order. A token that
 * covers only part of a multi-byte character gets the whole character, because every byte of
 * the character carries that character's span.
 */
export function alignSection(
  norm: NormalizedBytes,
  tokens: ReadonlyArray<{ id: number; text: string }>,
  scheme: TokenScheme,
  pieces: (id: number, text: string) => number[] | null,
  preTokens: PreTokenRanges,
): SectionAlignment {
  const spans: Array<[number, number]> = [];
  const n = norm.bytes.length;
  let cursor = 0;
  let unplaced = 0;
  let words: Array<[number, number]> | null = null;
  let w = 0;
  for (const tok of tokens) {
    const piece = pieces(tok.id, tok.text);
    if (piece === null) {
      // The unknown token: its text is not in its string, so take it from the pre-tokenization.
      while (cursor < n && norm.space[cursor]) cursor++;
      let end = cursor;
      if (scheme.unkCoversWord) {
        words ??= preTokens();
        while (w < words.length && words[w][1] <= cursor) w++;
        end = w < words.length ? words[w][1] : n;
        if (w < words.length && words[w][0] > cursor) cursor = words[w][0];
      } else if (cursor < n) {
        end = cursor + 1;
        while (end < n && (norm.bytes[end] & 0xc0) === 0x80) end++;
      }
      spans.push(spanOf(norm, cursor, end));
      cursor = end;
      continue;
    }
    if (piece.length === 0) {
      spans.push(spanOf(norm, cursor, cursor));
      continue;
    }
    const hit = locate(norm, cursor, piece);
    if (!hit) {
      unplaced++;
      spans.push(spanOf(norm, cursor, cursor));
      continue;
    }
    const end = hit.at + piece.length - hit.skip;
    spans.push(spanOf(norm, hit.at, end));
    cursor = end;
  }
  return { spans, unplaced };
}
