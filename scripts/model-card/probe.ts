// The sense probe of the model card: WordNet sentences that use "bank" in its river/land sense or its
// financial sense (kept out of training by scripts/corpus/build-corpus.mjs, labelled by hand in
// scripts/corpus/bank-senses.tsv). For each sentence we take the vector of the word "bank"/"banks" (its
// last token) at a layer's output, and classify the sense by leave-one-out nearest centroid: the
// sentence is left out, each sense's centroid is the mean of the other sentences' vectors, the nearer
// centroid (Euclidean) wins. Directions every vector shares (position, the residual stream's large
// constant components) cancel in that comparison: only where the two centroids differ counts. A
// context-free vector cannot do better than guessing from the word's form and position.

import type { Transformer } from '../../src/interpret/load.js';
import { runWithCache } from '../../src/interpret/run.js';

export interface ProbeItem {
  sense: string;
  sentence: string;
}

export interface ProbeResult {
  /** hook the vectors came from */ hook: string;
  accuracy: number;
  /** mean of the per-sense accuracies (the classes are unbalanced) */ balancedAccuracy: number;
  perSense: Record<string, { correct: number; total: number }>;
  /** sentences classified wrongly */ errors: { sentence: string; sense: string; predicted: string }[];
}

/** The last token of the first word "bank"/"banks" (any case) in the sentence's encoding. */
function bankToken(tf: Transformer, sentence: string): { ids: number[]; token: number; form: string } {
  const enc = tf.tokenizer.encode(sentence);
  const w = enc.words.find((x) => /^banks?$/i.test(x.text.replace(/[^A-Za-z]/g, '')));
  if (!w) throw new Error(`no word "bank" in probe sentence: ${sentence}`);
  return { ids: enc.ids, token: w.tokens[w.tokens.length - 1], form: w.text.replace(/[^A-Za-z]/g, '') };
}



/** Vectors of "bank" at each of the given hooks, per item, and the word's form in each ("bank", "banks", "Bank", …). */
export function bankVectors(tf: Transformer, items: readonly ProbeItem[], hooks: readonly string[]): { vectors: Map<string, Float32Array[]>; forms: string[] } {
  const out = new Map<string, Float32Array[]>(hooks.map((h) => [h, []]));
  const forms: string[] = [];
  const C = tf.config.dModel;
  for (const it of items) {
    const { ids, token, form } = bankToken(tf, it.sentence);
    forms.push(form);
    // a causal model's vector at "bank" depends only on the tokens up to it
    const { cache } = runWithCache(tf.model, { ids: ids.slice(0, token + 1) }, { hooks: [...hooks] });
    for (const h of hooks) out.get(h)!.push(cache.get(h).data.slice(token * C, (token + 1) * C));
  }
  return { vectors: out, forms };
}

export function nearestCentroidLoo(hook: string, items: readonly ProbeItem[], vectors: readonly Float32Array[]): ProbeResult {
  const senses = [...new Set(items.map((i) => i.sense))].sort();
  const C = vectors[0].length;
  const sums = new Map(senses.map((s) => [s, new Float64Array(C)]));
  const counts = new Map(senses.map((s) => [s, 0]));
  items.forEach((it, i) => {
    const s = sums.get(it.sense)!;
    for (let c = 0; c < C; c++) s[c] += vectors[i][c];
    counts.set(it.sense, counts.get(it.sense)! + 1);
  });
  const perSense: ProbeResult['perSense'] = Object.fromEntries(senses.map((s) => [s, { correct: 0, total: 0 }]));
  const errors: ProbeResult['errors'] = [];
  items.forEach((it, i) => {
    let best = '', bestD = Infinity;
    for (const s of senses) {
      const own = s === it.sense;
      const n = counts.get(s)! - (own ? 1 : 0);
      const sum = sums.get(s)!;
      let d = 0;
      for (let c = 0; c < C; c++) {
        const centroid = (sum[c] - (own ? vectors[i][c] : 0)) / n;
        d += (vectors[i][c] - centroid) ** 2;
      }
      if (d < bestD) [best, bestD] = [s, d];
    }
    perSense[it.sense].total++;
    if (best === it.sense) perSense[it.sense].correct++;
    else errors.push({ sentence: it.sentence, sense: it.sense, predicted: best });
  });
  const correct = Object.values(perSense).reduce((a, s) => a + s.correct, 0);
  const balancedAccuracy = senses.reduce((a, s) => a + perSense[s].correct / perSense[s].total, 0) / senses.length;
  return { hook, accuracy: correct / items.length, balancedAccuracy, perSense, errors };
}
