// The words of compare: how one word's attention and vector differ between two sentences, at three
// depths, generated from the two runs' numbers.

import type { Explanation, Level, Section } from '../explain/types.js';
import type { ExplainResult } from './explain.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const q = (s: string) => `“${s}”`;

/** The two strongest non-query words of a view, with weights. */
function topWords(r: ExplainResult): { label: string; w: number }[] {
  const v = r.view;
  return v.items
    .map((it, i) => ({ label: it.label, w: v.row[i], i, special: it.special }))
    .filter((x) => x.i !== v.query && !x.special)
    .sort((a, b) => b.w - a.w || a.i - b.i)
    .slice(0, 2);
}

function verdict(sim: number): string {
  if (sim > 0.95) return 'almost the same vector: in this model, the sentence barely changes how the word is represented';
  if (sim > 0.8) return 'similar but not identical: the surrounding words have pulled the two apart somewhat';
  if (sim > 0.5) return 'clearly different: the sentence has changed much of how the model represents the word';
  return 'very different vectors: the two sentences leave the word with little in common';
}

function trend(layers: number[]): string {
  const first = layers[0], last = layers[layers.length - 1];
  if (layers.length < 2) return `after its only layer they are ${pct(first)} alike`;
  const dir = last < first - 0.02 ? 'drift apart' : last > first + 0.02 ? 'grow closer' : 'stay about as alike';
  return `after layer 0 they are ${pct(first)} alike and after layer ${layers.length - 1} ${pct(last)}: they ${dir} as the word passes through the model`;
}

export function compareExplanation(
  level: Level,
  a: ExplainResult,
  b: ExplainResult,
  sim: { final: number; layers: number[] },
  arch: 'gpt2' | 'bert',
): Explanation {
  const word = a.view.items[a.view.query].label;
  const [ta, tb] = [topWords(a), topWords(b)];
  const looks = (r: ExplainResult, t: { label: string; w: number }[]) =>
    `in ${q(r.text)} it looks most at ${t.map((x) => `${q(x.label)} (${pct(x.w)})`).join(' and ') || 'itself and special tokens'}`;
  const facts = { final: sim.final, layers: sim.layers, topA: ta.map((x) => x.label).join(','), topB: tb.map((x) => x.label).join(',') };
  const sections: Section[] = [];
  if (level === 'newbie') {
    sections.push({
      title: `The same word, two sentences`,
      blocks: [
        { kind: 'text', text: `${looks(a, ta)}; ${looks(b, tb)}.`.replace(/^in/, 'In') },
        { kind: 'text', text: `By the end of the model the two ${q(word)}s are ${pct(Math.max(0, sim.final))} alike — ${verdict(sim.final)}. Layer by layer, ${trend(sim.layers)}.` },
      ],
    });
  } else {
    const rows = sim.layers.map((s, l) => [`after layer ${l}`, s.toFixed(4)] as (string | number)[]);
    rows.push([arch === 'gpt2' ? 'output (final LayerNorm)' : 'output (last hidden state)', sim.final.toFixed(4)]);
    sections.push({
      title: 'Cosine similarity of the two vectors',
      blocks: [
        { kind: 'text', text: `Each sentence gives ${q(word)} its own vector after every layer (for a causal model, the vector of its last token; otherwise the mean over its tokens). Cosine similarity compares their directions: 1 means the same direction, 0 unrelated.` },
        { kind: 'math', tex: String.raw`\cos(a, b) = \frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}`, plain: 'cos(a, b) = (a · b) / (|a| |b|)' },
        { kind: 'table', caption: `${q(word)} in sentence A vs sentence B`, columns: ['where', 'cosine'], rows },
        { kind: 'text', text: `${looks(a, ta)}; ${looks(b, tb)}. ${trend(sim.layers)}.`.replace(/^in/, 'In') },
      ],
    });
    if (level === 'expert') {
      sections.push({
        title: 'Reading the number',
        blocks: [
          { kind: 'text', text: 'Cosine similarity between hidden states is a coarse measure: Transformer representations are anisotropic (most vectors share a few dominant directions), so even unrelated words can score high. Compare against other word pairs of the same model before reading much into one value, and remember that attention weights and vector similarity describe the computation, not why the model made a particular prediction.' },
        ],
      });
    }
  }
  return { level, title: `${q(word)} in two contexts`, sections, facts };
}
