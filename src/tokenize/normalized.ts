// The normalized text a tokenizer model actually reads (lowercased, accents stripped, control
// characters dropped, …), as UTF-8 bytes that each remember which span of the ORIGINAL text they
// came from. Token pieces are matched against these bytes; the spans give the tokens' offsets.

import { pushUtf8 } from './bytes.js';

/** Normalized text as UTF-8 bytes; byte k came from original UTF-16 span [start[k], end[k]). */
export interface NormalizedBytes {
  /** The normalized text itself. */
  text: string;
  bytes: number[];
  start: number[];
  end: number[];
  /** 1 where the byte belongs to a whitespace character of the normalized text. */
  space: Uint8Array;
  /** Original position just past the section; spans of zero-length matches at the end use it. */
  sectionEnd: number;
}

/** A run of normalized code points that all came from the original span [start, end). */
interface Piece {
  out: string;
  start: number;
  end: number;
}

export type NormalizeFn = (text: string) => string;

const SPACE_RE = /^[\s\x85]$/u;
function isSpace(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return SPACE_RE.test(String.fromCodePoint(cp));
}

let graphemes: Intl.Segmenter | undefined;

/**
 * Normalizes text[from, to) and records where each normalized byte came from. The normalizer is
 * the library's own; to learn the alignment we normalize one code point at a time (exact for
 * per-character normalizers such as BERT's), else one grapheme at a time (exact for NFC/NFKC,
 * which compose within a grapheme), and if neither reproduces normalize(whole) — a normalizer that
 * looks across characters, like Strip — we align that output to the per-grapheme one greedily.
 */
export function normalizeWithMap(
  text: string,
  from: number,
  to: number,
  normalize: NormalizeFn | null,
  cache: Map<string, string>,
): NormalizedBytes {
  const section = text.slice(from, to);
  if (normalize === null) {
    const pieces: Piece[] = [];
    for (let i = from; i < to; ) {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      pieces.push({ out: text.slice(i, i + n), start: i, end: i + n });
      i += n;
    }
    return toBytes(section, pieces, to);
  }
  const whole = normalize(section);
  const cached = (s: string): string => {
    let n = cache.get(s);
    if (n === undefined) {
      n = normalize(s);
      if (cache.size < 100_000) cache.set(s, n);
    }
    return n;
  };
  const perChar: Piece[] = [];
  for (let i = from; i < to; ) {
    const n = text.codePointAt(i)! > 0xffff ? 2 : 1;
    perChar.push({ out: cached(text.slice(i, i + n)), start: i, end: i + n });
    i += n;
  }
  if (joined(perChar) === whole) return toBytes(whole, perChar, to);

  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const perGrapheme: Piece[] = [];
  for (const g of graphemes.segment(section)) {
    const start = from + g.index;
    perGrapheme.push({ out: cached(g.segment), start, end: start + g.segment.length });
  }
  if (joined(perGrapheme) === whole) return toBytes(whole, perGrapheme, to);
  return toBytes(whole, alignGreedy(whole, perGrapheme, to), to);
}

function joined(pieces: Piece[]): string {
  let s = '';
  for (const p of pieces) s += p.out;
  return s;
}

/**
 * Maps each code point of `target` to a source span by walking it beside the concatenated pieces:
 * equal code points pair up; a short look-ahead resynchronises after an insertion or deletion;
 * otherwise the two are taken as a substitution. Unmatched target code points get an empty span.
 */
function alignGreedy(target: string, pieces: Piece[], sectionEnd: number): Piece[] {
  const src: { cp: number; start: number; end: number }[] = [];
  for (const p of pieces) for (const ch of p.out) src.push({ cp: ch.codePointAt(0)!, start: p.start, end: p.end });
  const tgt = Array.from(target, (ch) => ch.codePointAt(0)!);
  const out: Piece[] = [];
  const LOOK = 8;
  let j = 0;
  for (let i = 0; i < tgt.length; i++) {
    const ch = String.fromCodePoint(tgt[i]);
    if (j < src.length && src[j].cp === tgt[i]) {
      out.push({ out: ch, start: src[j].start, end: src[j].end });
      j++;
      continue;
    }
    let skip = -1;
    for (let k = 1; k <= LOOK && j + k < src.length; k++) {
      if (src[j + k].cp === tgt[i]) {
        skip = k;
        break;
      }
    }
    let inserted = false;
    for (let k = 1; skip < 0 && k <= LOOK && i + k < tgt.length; k++) {
      if (j < src.length && tgt[i + k] === src[j].cp) {
        inserted = true;
        break;
      }
    }
    if (skip > 0) {
      j += skip;
      out.push({ out: ch, start: src[j].start, end: src[j].end });
      j++;
    } else if (inserted || j >= src.length) {
      const at = j < src.length ? src[j].start : sectionEnd;
      out.push({ out: ch, start: at, end: at });
    } else {
      out.push({ out: ch, start: src[j].start, end: src[j].end });
      j++;
    }
  }
  return out;
}

function toBytes(text: string, pieces: Piece[], sectionEnd: number): NormalizedBytes {
  const bytes: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const spaceFlags: number[] = [];
  for (const p of pieces) {
    for (let i = 0; i < p.out.length; ) {
      const cp = p.out.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      const before = bytes.length;
      pushUtf8(bytes, cp);
      const sp = isSpace(cp) ? 1 : 0;
      for (let k = before; k < bytes.length; k++) {
        start.push(p.start);
        end.push(p.end);
        spaceFlags.push(sp);
      }
    }
  }
  return { text, bytes, start, end, space: Uint8Array.from(spaceFlags), sectionEnd };
}
