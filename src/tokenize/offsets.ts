// Offsets for a whole encoding: split the text where added tokens ([MASK], <|endoftext|>) occur,
// as the library does, then align each stretch between them (align.ts) against its normalized
// bytes (normalized.ts).

import { alignSection, pieceBytes, preTokenRanges, type TokenScheme } from './align.js';
import { utf8Bytes } from './bytes.js';
import type { AddedTokenJson, HfTokenizer } from './hf.js';
import { normalizeWithMap, type NormalizeFn } from './normalized.js';

interface Occurrence {
  start: number;
  end: number;
  token: AddedTokenJson;
}

export class OffsetFinder {
  /** Added tokens matched in the raw text, by first character, longest first. */
  private readonly rawAdded = new Map<string, AddedTokenJson[]>();
  /** Added tokens matched after normalization: their text is the normalized content. */
  private readonly normalizedAdded = new Map<number, string>();
  private readonly pieces = new Map<number, number[] | null>();
  private readonly normCache = new Map<string, string>();
  private readonly normalize: NormalizeFn | null;

  constructor(
    private readonly lib: HfTokenizer,
    added: AddedTokenJson[],
    private readonly scheme: TokenScheme,
  ) {
    const norm = lib.normalizer;
    this.normalize = norm ? (s) => norm(s) : null;
    for (const t of added) {
      // The library's rule: special tokens default to normalized: false, others to true.
      const normalized = t.normalized ?? !t.special;
      if (normalized && this.normalize) {
        this.normalizedAdded.set(t.id, this.normalize(t.content));
      } else if (t.content.length > 0) {
        const list = this.rawAdded.get(t.content[0]) ?? [];
        list.push(t);
        list.sort((a, b) => b.content.length - a.content.length);
        this.rawAdded.set(t.content[0], list);
      }
    }
  }

  /** Leftmost-longest occurrences of raw added tokens, as the library's DictionarySplitter finds them. */
  private occurrences(text: string): Occurrence[] {
    const found: Occurrence[] = [];
    if (this.rawAdded.size === 0) return found;
    for (let i = 0; i < text.length; ) {
      const hit = this.rawAdded.get(text[i])?.find((t) => text.startsWith(t.content, i));
      if (hit) {
        found.push({ start: i, end: i + hit.content.length, token: hit });
        i += hit.content.length;
      } else i++;
    }
    return found;
  }

  private piece(id: number, token: string): number[] | null {
    let p = this.pieces.get(id);
    if (p === undefined) {
      const normalized = this.normalizedAdded.get(id);
      p = normalized !== undefined ? utf8Bytes(normalized) : pieceBytes(token, id, this.scheme);
      this.pieces.set(id, p);
    }
    return p;
  }

  /**
   * Spans [start, end) in UTF-16 units for the content tokens (post-processor specials removed)
   * of `text`; `typed` marks tokens that are added tokens written in the text ([MASK], but not
   * the [UNK] the model produces); `unplaced` counts tokens that could not be found (they get an
   * empty span).
   */
  find(text: string, ids: number[], tokens: string[]): { spans: Array<[number, number]>; typed: boolean[]; unplaced: number } {
    const occ = this.occurrences(text);
    // Stretches of text between added tokens; lstrip/rstrip added tokens eat the spaces beside them.
    const sections: Array<{ start: number; end: number }> = [];
    const sectionIndex: number[] = []; // index among the library's split pieces (Metaspace "first" reads it)
    let from = 0;
    let split = 0;
    occ.forEach((o, k) => {
      sectionIndex.push(split);
      split += o.start > (k > 0 ? occ[k - 1].end : 0) ? 2 : 1; // the text before it (if any), then it
      let end = o.start;
      if (o.token.lstrip) while (end > from && /\s/.test(text[end - 1])) end--;
      sections.push({ start: from, end });
      from = o.end;
      if (o.token.rstrip) while (from < text.length && /\s/.test(text[from])) from++;
    });
    sections.push({ start: from, end: text.length });
    sectionIndex.push(split);

    const counts = this.sectionCounts(text, ids, sections, occ);
    const spans: Array<[number, number]> = [];
    const typed = ids.map((id) => this.normalizedAdded.has(id));
    let unplaced = 0;
    let t = 0;
    sections.forEach((sec, k) => {
      const n = counts[k];
      if (n > 0) {
        const norm = normalizeWithMap(text, sec.start, sec.end, this.normalize, this.normCache);
        const toks = ids.slice(t, t + n).map((id, i) => ({ id, text: tokens[t + i] }));
        const pre = this.lib.pre_tokenizer;
        const words = () => preTokenRanges(norm, pre ? pre(norm.text, { section_index: sectionIndex[k] }) : [norm.text], this.scheme);
        const r = alignSection(norm, toks, this.scheme, (id, s) => this.piece(id, s), words);
        spans.push(...r.spans);
        unplaced += r.unplaced;
        t += n;
      }
      if (k < occ.length && t < ids.length) {
        spans.push([occ[k].start, occ[k].end]);
        typed[t] = true;
        t++;
      }
    });
    while (spans.length < ids.length) {
      spans.push([text.length, text.length]);
      unplaced++;
    }
    return { spans, typed, unplaced };
  }

  /** How many tokens each section produced: exact by encoding sections alone, else greedy. */
  private sectionCounts(text: string, ids: number[], sections: Array<{ start: number; end: number }>, occ: Occurrence[]): number[] {
    if (occ.length === 0) return [ids.length];
    const counts = sections.map((s) =>
      s.end > s.start ? this.lib.encode(text.slice(s.start, s.end), { add_special_tokens: false }).ids.length : 0,
    );
    const total = counts.reduce((a, b) => a + b, 0) + occ.length;
    let ok = total === ids.length;
    for (let k = 0, t = 0; ok && k < occ.length; k++) {
      t += counts[k];
      ok = ids[t] === occ[k].token.id;
      t++;
    }
    if (ok) return counts;
    // Greedy: the next token with the occurrence's id ends the section.
    const greedy: number[] = [];
    let t = 0;
    for (const o of occ) {
      let u = t;
      while (u < ids.length && ids[u] !== o.token.id) u++;
      greedy.push(u - t);
      t = Math.min(u + 1, ids.length);
    }
    greedy.push(ids.length - t);
    return greedy;
  }
}
