// Words: what attn talks about when it says "attention to a word" (the sum over the word's tokens).
// Pure functions over the text and its tokens.
//
// 1. Words in the text (wordSpans), read grapheme by grapheme (Intl.Segmenter, so an emoji
//    sequence with ZWJ, skin tone or variation selector, a flag, a keycap, or a letter with its
//    combining marks is one unit):
//    - a word is a maximal run of letters, digits and combining marks (\p{L} \p{N} \p{M});
//    - an apostrophe (' or ’) or hyphen (- ‐ ‑) between two such characters stays inside the word:
//      "river's", "don't", "well-known", "rock'n'roll" are one word each; "dogs'" is "dogs" + "'";
//    - each CJK ideograph (\p{Ideographic}) is a word of its own ("中文" is two words), and does
//      not join a neighbouring run of letters;
//    - every other visible character — punctuation, symbols, emoji — is a word of its own
//      ("..." is three words, "3.14" is "3" "." "14");
//    - whitespace, control and format characters (\s \p{Z} \p{Cc} \p{Cf}) belong to no word.
// 2. The words of an encoding (groupWords) are a partition of its tokens:
//    - every token is in exactly one word, and a word's tokens are contiguous and ascending;
//    - a token that overlaps several text words merges them into one word (GPT-2's "),"
//      makes ")," one word); so does a text word split across tokens that interleave;
//    - a token that overlaps no text word (whitespace such as GPT-2's "Ġ" or "Ċ") joins the
//      following word, or the previous one when no word follows before a special token or the end;
//      if there is neither, the whitespace tokens form a word of their own;
//    - each special token is a word of its own with special: true (start = end for [CLS]/[SEP]
//      added by the post-processor; a [MASK] typed in the text keeps its span);
//    - a word's span runs from its first text word's start to its last text word's end (so
//      GPT-2's "Ġriver" + "'s" give "river's", without the space); text the model never sees
//      (characters BERT's normalizer drops) belongs to no word;
//    - words are numbered in token order.
// Example (GPT-2): "He sat on the river's bank" → He | sat | on | the | river's (Ġriver + 's) | bank.

import type { Token, Word } from './types.js';

export interface Span {
  start: number;
  end: number;
}

const enum Kind {
  Space,
  WordChar,
  Joiner,
  Alone,
}

const INVISIBLE = /^[\s\p{Z}\p{Cc}\p{Cf}]+$/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;
const IDEOGRAPH = /^\p{Ideographic}/u;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]/u;
const JOINERS = new Set(["'", '\u2019', '-', '\u2010', '\u2011']);

let segmenter: Intl.Segmenter | undefined;

function kindOf(g: string): Kind {
  if (g.length === 1) {
    const c = g.charCodeAt(0);
    // ASCII fast path
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return Kind.WordChar;
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return Kind.Space;
    if (c < 0x80) return c === 0x27 || c === 0x2d ? Kind.Joiner : c < 0x20 || c === 0x7f ? Kind.Space : Kind.Alone;
  }
  if (INVISIBLE.test(g)) return Kind.Space;
  if (EMOJI.test(g) || IDEOGRAPH.test(g)) return Kind.Alone;
  if (WORD_CHAR.test(g)) return Kind.WordChar;
  if (JOINERS.has(g)) return Kind.Joiner;
  return Kind.Alone;
}

/** Grapheme starts and kinds. ASCII text skips Intl.Segmenter, which is the slow part: between two
 * ASCII characters there is always a grapheme break (CR LF aside, and both are spaces anyway). */
function graphemeKinds(text: string): { starts: number[]; kinds: Kind[] } {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const starts: number[] = [];
  const kinds: Kind[] = [];
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && (i + 1 >= n || text.charCodeAt(i + 1) < 0x80)) {
      starts.push(i);
      kinds.push(kindOf(text[i]));
      i++;
      continue;
    }
    // A stretch that touches non-ASCII text: up to the next break between two ASCII characters.
    let j = i + 1;
    while (j < n && !(text.charCodeAt(j - 1) < 0x80 && text.charCodeAt(j) < 0x80)) j++;
    for (const { segment, index } of segmenter.segment(text.slice(i, j))) {
      starts.push(i + index);
      kinds.push(kindOf(segment));
    }
    i = j;
  }
  starts.push(n);
  return { starts, kinds };
}

/** The words of a text, by the rules at the top of this file; spans in UTF-16 units, in order. */
export function wordSpans(text: string): Span[] {
  const { starts, kinds } = graphemeKinds(text);
  const n = kinds.length;
  const spans: Span[] = [];
  for (let i = 0; i < n; ) {
    const k = kinds[i];
    if (k === Kind.Space) {
      i++;
      continue;
    }
    let j = i + 1;
    if (k === Kind.WordChar) {
      for (;;) {
        if (j < n && kinds[j] === Kind.WordChar) j++;
        else if (j + 1 < n && kinds[j] === Kind.Joiner && kinds[j + 1] === Kind.WordChar) j += 2;
        else break;
      }
    }
    spans.push({ start: starts[i], end: starts[j] });
    i = j;
  }
  return spans;
}

/** Union-find over text-word indices. */
class Sets {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** First index whose span ends after `pos` (spans sorted and disjoint). */
function firstEndingAfter(spans: Span[], pos: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end > pos) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Groups tokens into words (rules at the top of this file). Tokens must be in text order, with
 * offsets into `text`; special tokens stand alone.
 */
export function groupWords(text: string, tokens: ReadonlyArray<Pick<Token, 'start' | 'end' | 'special'>>, spans: Span[] = wordSpans(text)): Word[] {
  const T = tokens.length;
  const sets = new Sets(spans.length);
  const lo = new Int32Array(T).fill(-1);
  const hi = new Int32Array(T).fill(-1);
  for (let t = 0; t < T; t++) {
    const tok = tokens[t];
    if (tok.special || tok.end <= tok.start) continue;
    let k = firstEndingAfter(spans, tok.start);
    if (k >= spans.length || spans[k].start >= tok.end) continue; // overlaps no word
    lo[t] = k;
    while (k + 1 < spans.length && spans[k + 1].start < tok.end) sets.union(lo[t], ++k);
    hi[t] = k;
  }

  // Segments: runs of non-special tokens between special ones. Within each, merge text words
  // whose tokens interleave, then let the word-less tokens join a neighbour.
  const key = new Array<number>(T); // text-word root; -1 - t for a word of its own
  for (let a = 0; a < T; ) {
    if (tokens[a].special) {
      key[a] = -1 - a;
      a++;
      continue;
    }
    let b = a;
    while (b < T && !tokens[b].special) b++;
    mergeInterleaved(a, b, lo, sets);
    let next = -1;
    for (let t = b - 1; t >= a; t--) {
      if (lo[t] >= 0) next = sets.find(lo[t]);
      key[t] = next;
    }
    let prev = -1;
    for (let t = a; t < b; t++) {
      if (lo[t] >= 0) prev = key[t];
      else if (key[t] < 0) key[t] = prev;
    }
    if (key[a] < 0) for (let t = a; t < b; t++) key[t] = -1 - a; // whitespace only
    a = b;
  }

  const words: Word[] = [];
  for (let t = 0; t < T; ) {
    let u = t + 1;
    while (u < T && key[u] === key[t]) u++;
    let start = Infinity;
    let end = -Infinity;
    for (let k = t; k < u; k++) {
      if (lo[k] >= 0) {
        start = Math.min(start, spans[lo[k]].start);
        end = Math.max(end, spans[hi[k]].end);
      }
    }
    if (start === Infinity) {
      start = Math.min(...tokens.slice(t, u).map((x) => x.start));
      end = Math.max(...tokens.slice(t, u).map((x) => x.end));
    }
    const ids = Array.from({ length: u - t }, (_, k) => t + k);
    words.push({ index: words.length, text: text.slice(start, end), start, end, tokens: ids, special: tokens[t].special });
    t = u;
  }
  return words;
}

/**
 * Unions the text words of tokens [a, b) whose token ranges interleave, so that each word's
 * tokens are contiguous: a sweep in token order, merging any group that starts before the open
 * group's last token.
 */
function mergeInterleaved(a: number, b: number, lo: Int32Array, sets: Sets): void {
  const last = new Map<number, number>();
  for (let t = a; t < b; t++) if (lo[t] >= 0) last.set(sets.find(lo[t]), t);
  let open = -1;
  for (let t = a; t < b; t++) {
    if (lo[t] < 0) continue;
    const r = sets.find(lo[t]);
    if (open >= 0) {
      const c = sets.find(open);
      if (r === c) continue;
      if (t < last.get(c)!) {
        const until = Math.max(last.get(c)!, last.get(r)!);
        sets.union(c, r);
        open = sets.find(c);
        last.set(open, until);
        continue;
      }
    }
    open = r;
  }
}
