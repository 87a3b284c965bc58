// Finding the word the user asked about: by text (case-insensitive), with --occurrence when it repeats,
// and a helpful error (the sentence's words, the closest match) when it is not there.

import { InputError } from '../errors.js';
import type { ViewItem } from './view.js';

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

// the marker is stripped before lowercasing: 'Ġ'.toLowerCase() is 'ġ'
const norm = (s: string) => s.normalize('NFC').replace(/^[Ġ▁]|^##/, '').toLowerCase();

/**
 * The index of the item the user means. `word` undefined → the last non-special item that has a letter
 * or digit. `occurrence` is 1-based.
 */
export function findQuery(items: readonly ViewItem[], word: string | undefined, occurrence?: number): number {
  const real = items.filter((it) => !it.special);
  if (word === undefined) {
    const last = [...real].reverse().find((it) => /[\p{L}\p{N}]/u.test(it.label)) ?? real[real.length - 1];
    if (!last) throw new InputError('the text has no words to look at');
    return last.index;
  }
  const want = norm(word.trim());
  if (!want) throw new InputError('--word is empty; give one of the sentence\'s words');
  const hits = items.filter((it) => norm(it.label) === want);
  const list = real.map((it) => it.label).join(', ');
  if (hits.length === 0) {
    const closest = real
      .map((it) => ({ it, d: distance(norm(it.label), want) }))
      .sort((a, b) => a.d - b.d || a.it.index - b.it.index)[0];
    const hint = closest && closest.d <= Math.max(2, Math.floor(want.length / 2)) ? ` Did you mean "${closest.it.label}"?` : '';
    throw new InputError(`"${word}" is not a word of the sentence; its words are: ${list}.${hint}`);
  }
  if (occurrence === undefined) {
    if (hits.length > 1) {
      throw new InputError(`"${word}" occurs ${hits.length} times in the sentence; choose one with --occurrence 1 to ${hits.length}`);
    }
    return hits[0].index;
  }
  if (!Number.isInteger(occurrence) || occurrence < 1 || occurrence > hits.length) {
    throw new InputError(`--occurrence ${occurrence} is out of range: "${word}" occurs ${hits.length} time${hits.length > 1 ? 's' : ''}`);
  }
  return hits[occurrence - 1].index;
}
