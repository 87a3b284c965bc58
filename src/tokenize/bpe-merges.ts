// The merge loop of the BPE trainer (bpe-train.ts), step for step as Hugging Face's Rust
// `BpeTrainer::do_train` (tokenizers/src/models/bpe/trainer.rs, word.rs) computes it: pair counts, a
// pair → words index and a max-heap with lazily refreshed counts, so each merge only revisits the
// words that hold the pair. Rust's quirks are kept on purpose, because they change which merges win:
// - a merged pair's count is never reset (only overlapping occurrences are subtracted);
// - a heap entry carries its own set of words; a pair re-formed by a later merge that re-creates an
//   existing token gets a second entry holding only the new words, and is merged again;
// - a token string made by two different merges keeps its first id and does not grow the vocabulary.

/** Words as runs of symbol ids in one buffer: word w is `sym[start[w] .. start[w] + len[w])`. */
export interface WordTable {
  sym: Int32Array;
  start: Int32Array;
  len: Int32Array;
  /** How often each word occurs in the training text. */
  count: Float64Array;
}

/** One merge, in the order learned: the pair of ids, the id of the joined token, the pair's count. */
export interface LearnedMerge {
  a: number;
  b: number;
  id: number;
  count: number;
}

interface Entry {
  key: number;
  count: number;
  /** Words that held the pair when this entry was pushed (Rust's `Merge::pos`). */
  pos: number[];
  /** Push order: breaks ties between two entries of one pair with the same count (see below). */
  seq: number;
}

/** Ids stay below 2^21, so a pair is one exact number that sorts as (a, b) does. */
const SHIFT = 2 ** 21;
export const MAX_VOCAB = SHIFT;
const pairKey = (a: number, b: number) => a * SHIFT + b;

/**
 * Rust orders entries by count, then by the smaller pair (ids compared a first, then b). Two entries
 * of the same pair with the same count are equal to Rust, and which pops first depends on hash-map
 * iteration order (random per process); attn pops the older one first. Byte-level training never
 * reaches that case (bpe-train.ts).
 */
function above(x: Entry, y: Entry): boolean {
  if (x.count !== y.count) return x.count > y.count;
  if (x.key !== y.key) return x.key < y.key;
  return x.seq < y.seq;
}

class EntryHeap {
  private readonly items: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(key: number, count: number, pos: number[]): void {
    const h = this.items;
    const e: Entry = { key, count, pos, seq: this.seq++ };
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!above(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const c = l + 1 < h.length && above(h[l + 1], h[l]) ? l + 1 : l;
      if (!above(h[c], last)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/** Pair counts and, for the pairs whose count grew, the words where they appeared (one step's worth). */
class PairBook {
  readonly counts = new Map<number, number>();
  grown = new Map<number, number[]>();

  add(a: number, b: number, delta: number): void {
    const key = pairKey(a, b);
    this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
  }

  /** Records that word w gained pair (a, b); words arrive one at a time, so the last entry dedups. */
  grew(a: number, b: number, w: number): void {
    const key = pairKey(a, b);
    const list = this.grown.get(key);
    if (list === undefined) this.grown.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  }

  /** Pushes one heap entry per grown pair with a positive count, and starts a new step. */
  flush(heap: EntryHeap): void {
    for (const [key, pos] of this.grown) {
      const count = this.counts.get(key)!;
      if (count > 0) heap.push(key, count, pos);
    }
    this.grown = new Map();
  }
}

/**
 * Merges word w's occurrences of (a, b) into `id`, left to right without overlap, in place, and
 * reports the pair changes exactly as Rust's `Word::merge` lists them (the neighbour on the left is
 * read after earlier merges in the same word, so "a a a a" reports (aa, a) −1 +1 and (aa, aa) +1).
 */
function mergeWord(t: WordTable, w: number, a: number, b: number, id: number, book: PairBook): void {
  const { sym } = t;
  const s = t.start[w];
  const n = t.len[w];
  const count = t.count[w];
  let o = 0;
  let r = 0;
  while (r < n) {
    const c = sym[s + r];
    if (c === a && r + 1 < n && sym[s + r + 1] === b) {
      if (o > 0) {
        const prev = sym[s + o - 1];
        book.add(prev, a, -count);
        book.add(prev, id, count);
        book.grew(prev, id, w);
      }
      sym[s + o++] = id;
      r += 2;
      if (r < n) {
        const next = sym[s + r];
        book.add(b, next, -count);
        book.add(id, next, count);
        book.grew(id, next, w);
      }
    } else {
      sym[s + o++] = c;
      r++;
    }
  }
  t.len[w] = o;
}

export interface MergeLoopOptions {
  vocabSize: number;
  minFrequency: number;
  onProgress?: (merges: number, total: number) => void;
}

/**
 * Learns merges until the vocabulary (`tokens`, id → string, with `ids` its inverse; both grow) holds
 * `vocabSize` distinct strings, no pair is left, or the best pair occurs fewer than `minFrequency`
 * times. Returns every merge in the order learned, repeats included (Rust's `merges` vector).
 */
export function learnMerges(words: WordTable, tokens: string[], ids: Map<string, number>, o: MergeLoopOptions): LearnedMerge[] {
  const book = new PairBook();
  const heap = new EntryHeap();
  const nWords = words.len.length;
  for (let w = 0; w < nWords; w++) {
    const s = words.start[w];
    for (let i = s + 1; i < s + words.len[w]; i++) {
      book.add(words.sym[i - 1], words.sym[i], words.count[w]);
      book.grew(words.sym[i - 1], words.sym[i], w);
    }
  }
  book.flush(heap);

  const merges: LearnedMerge[] = [];
  const total = Math.max(0, o.vocabSize - ids.size);
  const report = o.onProgress;
  while (ids.size < o.vocabSize) {
    const top = heap.pop();
    if (top === undefined) break;
    const current = book.counts.get(top.key)!;
    if (top.count !== current) {
      heap.push(top.key, current, top.pos);
      continue;
    }
    if (top.count < 1 || o.minFrequency > top.count) break;

    const a = Math.floor(top.key / SHIFT);
    const b = top.key - a * SHIFT;
    const joined = tokens[a] + tokens[b];
    let id = ids.get(joined);
    if (id === undefined) {
      id = tokens.length;
      tokens.push(joined);
      ids.set(joined, id);
    }
    merges.push({ a, b, id, count: top.count });
    for (const w of top.pos) mergeWord(words, w, a, b, id, book);
    book.flush(heap);
    if (report && merges.length % 256 === 0) report(Math.min(merges.length, total), total);
  }
  report?.(Math.min(merges.length, total), total);
  return merges;
}
