// Training text → documents → one stream of token ids → batches. A text file holds documents separated
// by blank lines; each document's ids are followed by the end-of-text token, so the model learns where a
// text stops and never reads one document as the continuation of another without that marker.
// Batches are non-overlapping windows of T + 1 tokens, shuffled once per epoch: batch(step) depends only
// on (seed, step), so a resumed run draws exactly the batches the uninterrupted run would have drawn.

import { readFileSync, statSync } from 'node:fs';
import { FileError, InputError } from '../errors.js';
import type { Tokenizer } from '../tokenize/tokenizer.js';
import type { TokenBatch } from './gpt2.js';
import { Rng } from './rng.js';

/** The documents of a UTF-8 text file (split at blank lines; whitespace-only documents dropped). */
export function readDocuments(path: string): string[] {
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw new FileError(`${path} is a folder: give the text files inside it (e.g. ${path}/*.txt)`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read training file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`);
  }
  if (bytes.includes(0)) throw new InputError(`${path} looks like a binary file (it contains NUL bytes): attn trains on plain UTF-8 text files`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${path} is not UTF-8 text: convert it first (e.g. iconv -f latin1 -t utf-8 ${path})`);
  }
  const docs = splitDocuments(text);
  if (docs.length === 0) throw new InputError(`${path} is empty (no text to train on): give a file with some sentences in it`);
  return docs;
}

/** Documents of `text`: runs of lines separated by one or more blank lines, trimmed. */
export function splitDocuments(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '').split(/\n[ \t]*\n/).map((d) => d.trim()).filter((d) => d !== '');
}

/** All documents' ids, each followed by `eotId`, as one stream. */
export function encodeDocuments(tokenizer: Tokenizer, docs: readonly string[], eotId: number, onProgress?: (done: number) => void): Int32Array {
  const parts: number[][] = [];
  let n = 0;
  docs.forEach((d, i) => {
    const ids = tokenizer.encodeIds(d);
    ids.push(eotId);
    parts.push(ids);
    n += ids.length;
    if (onProgress && (i % 64 === 63 || i === docs.length - 1)) onProgress(i + 1);
  });
  const out = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Non-overlapping windows of T + 1 tokens over `tokens` (the last partial window is dropped). */
export function windowCount(tokens: Int32Array, T: number): number {
  return Math.floor((tokens.length - 1) / T);
}

function windowsToBatch(tokens: Int32Array, T: number, starts: readonly number[]): TokenBatch {
  const B = starts.length;
  const ids = new Int32Array(B * T), targets = new Int32Array(B * T);
  starts.forEach((s, b) => {
    ids.set(tokens.subarray(s, s + T), b * T);
    targets.set(tokens.subarray(s + 1, s + T + 1), b * T);
  });
  return { B, T, ids, targets };
}

/** Seeded, resumable batches of B windows of T tokens: every window once per epoch, in a fresh order. */
export class BatchSampler {
  readonly windows: number;
  private cachedEpoch = -1;
  private order: Uint32Array = new Uint32Array(0);

  constructor(readonly tokens: Int32Array, readonly T: number, readonly B: number, readonly seed: number) {
    this.windows = windowCount(tokens, T);
    if (this.windows < 1) {
      throw new InputError(`the training text has ${tokens.length} tokens, fewer than one window of ${T + 1}: give more text or a shorter --context`);
    }
  }

  /** Epochs completed after `steps` batches (fractional). */
  epochsAfter(steps: number): number {
    return (steps * this.B) / this.windows;
  }

  /** The batch of update number `step` (0-based). */
  batch(step: number): TokenBatch {
    const starts: number[] = [];
    for (let b = 0; b < this.B; b++) {
      const i = step * this.B + b;
      const epoch = Math.floor(i / this.windows);
      starts.push(this.permutation(epoch)[i % this.windows] * this.T);
    }
    return windowsToBatch(this.tokens, this.T, starts);
  }

  private permutation(epoch: number): Uint32Array {
    if (epoch !== this.cachedEpoch) {
      // Fisher–Yates with a generator seeded by (seed, epoch) alone
      const rng = new Rng((Math.imul(this.seed, 0x9e3779b1) + epoch) | 0);
      const p = Uint32Array.from({ length: this.windows }, (_, i) => i);
      for (let i = p.length - 1; i > 0; i--) {
        const j = rng.nextU32() % (i + 1);
        [p[i], p[j]] = [p[j], p[i]];
      }
      this.order = p;
      this.cachedEpoch = epoch;
    }
    return this.order;
  }
}

/**
 * Held-out batches of B windows: all non-overlapping windows, or `maxWindows` of them spread evenly over
 * the whole text (the first ones alone would measure only the first documents, often one source).
 */
export function evalBatches(tokens: Int32Array, T: number, B: number, maxWindows = Infinity): TokenBatch[] {
  const all = windowCount(tokens, T);
  const n = Math.min(all, maxWindows);
  const starts = Array.from({ length: n }, (_, i) => Math.floor((i * all) / n) * T);
  const out: TokenBatch[] = [];
  for (let w = 0; w < n; w += B) out.push(windowsToBatch(tokens, T, starts.slice(w, w + B)));
  return out;
}
