// MODEL_CARD.md from the measured figures (make-card.ts): every number in the card comes from CardData.

import { pct } from '../../src/render/format.js';
import type { CardData } from './make-card.js';

const f = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function hours(s: number): string {
  const h = Math.floor(s / 3600), m = Math.round((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min`;
}

function corpusTable(d: CardData): string {
  const rows = Object.entries(d.corpus.counts).map(([src, c]) => {
    const meta = d.corpus.sources[src];
    return `| ${src} | ${meta.package} | ${meta.license} | ${f(c.train.documents)} / ${f(c.train.words)} | ${f(c.heldout.documents)} / ${f(c.heldout.words)} |`;
  });
  return ['| source | package | licence | train: documents / words | held-out: documents / words |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function probeTable(d: CardData): string {
  const rows = d.probe.layers.map((r) => {
    const where = r.hook === 'blocks.0.hook_resid_pre' ? 'embeddings (layer-0 input, context-free)' : `output of layer ${r.hook.split('.')[1]}`;
    const per = Object.entries(r.perSense).map(([s, v]) => `${s} ${v.correct}/${v.total}`).join(', ');
    return `| ${where} | \`${r.hook}\` | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${per} |`;
  });
  return ['| vector of "bank" taken from | hook | accuracy | balanced accuracy | per sense |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function controlTable(d: CardData): string {
  const rows = d.probe.controls.map(({ what, result: r }) => {
    const per = Object.entries(r.perSense).map(([s, v]) => `${s} ${v.correct}/${v.total}`).join(', ');
    const n = Object.values(r.perSense).reduce((a, v) => a + v.total, 0);
    const majority = Math.max(...Object.values(r.perSense).map((v) => v.total)) / n;
    return `| ${what} | ${pct(r.accuracy)} | ${pct(r.balancedAccuracy)} | ${per} | ${pct(majority)} |`;
  });
  return ['| vector | accuracy | balanced accuracy | per sense | larger sense |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function seedTable(d: CardData): string {
  const words = d.seed.words;
  const top = (row: number[]) =>
    row.map((w, j) => [w, j] as const).filter(([, j]) => j <= d.seed.query).sort((a, b) => b[0] - a[0]).slice(0, 3)
      .map(([w, j]) => `${words[j]} ${(w * 100).toFixed(0)}%`).join(', ');
  const rows: string[] = [];
  d.seed.grid.forEach((heads, l) => {
    heads.forEach((row, h) => rows.push(`| ${l} | ${h} | ${top(row)} |`));
    rows.push(`| ${l} | mean | ${top(d.seed.mean[l])} |`);
  });
  return ['| layer | head | top words (attention weight) |', '| --- | --- | --- |', ...rows].join('\n');
}

export function renderCard(d: CardData): string {
  const s = d.settings, c = s.config as Record<string, number>;
  const final = d.probe.layers[d.probe.layers.length - 1], first = d.probe.layers[0];
  const best = d.probe.layers.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const finalErrors = final.errors.slice(0, 8).map((e) => `- (${e.sense}, read as ${e.predicted}) ${e.sentence}`).join('\n');
  return `# ${d.name}: attn's built-in model

A small GPT-2 (${f(d.parameters)} parameters) trained from scratch by attn itself (\`attn train\`), on
2 CPU cores, on open English text that ships in npm and Debian packages. attn uses it by default so
that every command works offline out of the box, with a model whose attention has learned something.
It is a teaching model: good enough to show real attention patterns and sense-dependent vectors,
far too small to write fluent text.

## Recipe
\`npm run train:default\` (scripts/train-default.sh) builds the corpus, trains, and writes this card:

| setting | value |
| --- | --- |
| architecture | GPT-2 (pre-LayerNorm, learned positions, tied LM head, gelu_new) |
| layers / heads / width / context | ${c.n_layer} / ${c.n_head} / ${c.n_embd} / ${c.n_positions} |
| vocabulary | ${f(c.vocab_size)} byte-level BPE tokens (trained by attn on the training text) |
| steps × batch | ${f(d.steps)} × ${s.batch} sequences of ${s.context} tokens = ${f(d.tokens.seen)} tokens (${(d.tokens.seen / d.tokens.train).toFixed(2)} epochs) |
| optimiser | AdamW (β 0.9, 0.95; weight decay ${s.weightDecay} on weight matrices), peak lr ${s.lr}, ${s.warmup} warm-up steps, cosine to ${Number(s.minLr.toPrecision(6))}, clip ${s.clip} |
| dropout / seed | ${s.dropout} / ${s.seed} |
| training time | ${hours(d.seconds)} of compute on 2 cores |

## Data
${corpusTable(d)}

Brown is cut into its 500 files, the addresses into one document per address, WordNet into groups of
25 synsets; every 20th document (by a hash of its name) is held out. Tokens: ${f(d.tokens.train)} training,
${f(d.tokens.heldout)} held-out. Every WordNet gloss or example containing "bank" is kept out of both sets:
those are the probe's sentences.

## Loss
![training and held-out loss](loss-curves.svg)

| | held-out loss (nats/token) | perplexity |
| --- | --- | --- |
| this model | ${d.heldout.loss.toFixed(3)} | ${d.heldout.perplexity.toFixed(1)} |
| bigram baseline (same training tokens, interpolated Witten–Bell) | ${d.heldout.bigramLoss.toFixed(3)} | ${d.heldout.bigramPerplexity.toFixed(1)} |

Both are scored on the same ${f(d.heldout.predictions)} held-out predictions (windows of ${s.context} tokens).
Mean training loss over the last 100 steps: ${d.finalTrainLoss.toFixed(3)}${d.finalTrainLoss < d.heldout.loss - 0.15 ? ' — below the held-out loss, the start of overfitting' : ''}.

## Sense probe: does the vector of "bank" know which bank?
${d.probe.items} WordNet sentences (${Object.entries(d.probe.senses).map(([k, v]) => `${v} ${k}`).join(', ')}) held out of
training, labelled by hand (scripts/corpus/bank-senses.tsv). Leave-one-out nearest centroid on the
vector of the word "bank" (its last token). Always answering the larger sense would score ${pct(d.probe.majority)}
(balanced accuracy 50%).

${probeTable(d)}

The final layer reaches ${pct(final.accuracy)} (balanced ${pct(final.balancedAccuracy)}) against ${pct(first.accuracy)} for the
context-free embeddings${best !== final ? `; the best layer is ${best.hook} (${pct(best.accuracy)})` : ''}. GPT-2 reads left to right, so the
vector of "bank" only sees the words before it: in "the bank of a river" nothing before "bank" tells the
senses apart.

The vector also carries the word's form: "bank", "banks" and "Bank" are different tokens, and the river
sentences use the plural more often, so a plain nearest centroid partly sorts forms rather than senses.
Two controls, computed the same way (not part of the specified probe):

${controlTable(d)}

Sentences the final layer got wrong${final.errors.length > 8 ? ` (8 of ${final.errors.length})` : ''}:
${finalErrors || '- none'}

## What "bank" attends to in the seed sentence
"He sat on the river's bank", every layer and head (not tuned for this sentence):

${seedTable(d)}

![layers × heads](seed-bank-grid.svg)
${d.bench ? `\n## Training speed\nThis configuration, one training step beside PyTorch 1.13 on the CPU in the same run (\`bench/train-step.ts\`;\nattn runs 128-bit WebAssembly SIMD kernels, PyTorch native AVX-512 ones):\n\`\`\`\n${d.bench}\n\`\`\`\n` : ''}
## Known limits
- Trained on about ${f(d.tokens.train / 1e6, 1)} M tokens of mostly 20th-century American English, addresses
  since 1790 and dictionary glosses: old-fashioned, formal, US-centred; it has seen little dialogue and no code.
- ${f(d.parameters / 1e6, 1)} M parameters and a ${s.context}-token context: it continues text plausibly only for a few words.
- The vocabulary is English-centred: other languages split into many byte-level pieces.
- Its attention patterns are real but are those of a small model; patterns in GPT-2 small and larger
  models differ (load one with \`--model\`).
`;
}
