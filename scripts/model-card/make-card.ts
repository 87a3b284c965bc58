// Measures a model trained by `attn train` and writes its model card: held-out perplexity beside a bigram
// baseline on the same predictions, the "bank" sense probe at every layer, what "bank" attends to in the
// seed sentence per layer and head, the loss curves (SVG made by attn), then copies the model into place.
// Run (after `attn train`): node dist/scripts/model-card/make-card.js --run data/runs/default
//   --corpus data/corpus --dest models/default [--bench bench-output.txt]

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { explain } from '../../src/api/explain.js';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { loadTransformer } from '../../src/interpret/load.js';
import type { AttentionView } from '../../src/interpret/view.js';
import { useFastKernels } from '../../src/kernels/index.js';
import { gridSvg, lossCurvesSvg } from '../../src/render/index.js';
import { encodeDocuments, evalBatches, readDocuments } from '../../src/train/data.js';
import type { TokenBatch } from '../../src/train/gpt2.js';
import { heldOutLoss } from '../../src/train/loop.js';
import { countParams, paramsFromCheckpoint } from '../../src/train/params.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';
import type { TrainSettings } from '../../src/train/checkpoint.js';
import { BigramModel } from './bigram.js';
import { bankVectors, nearestCentroidLoo, type ProbeItem, type ProbeResult } from './probe.js';
import { renderCard } from './card-text.js';

export const SEED_SENTENCE = "He sat on the river's bank";

export interface CardData {
  name: string;
  settings: TrainSettings;
  steps: number;
  seconds: number;
  parameters: number;
  tokens: { train: number; heldout: number; seen: number };
  corpus: { counts: Record<string, Record<'train' | 'heldout', { documents: number; words: number }>>; sources: Record<string, { package: string; license: string }> };
  heldout: { loss: number; perplexity: number; bigramLoss: number; bigramPerplexity: number; predictions: number };
  finalTrainLoss: number;
  probe: { items: number; senses: Record<string, number>; layers: ProbeResult[]; majority: number; controls: { what: string; result: ProbeResult }[] };
  seed: { words: string[]; query: number; grid: number[][][]; mean: number[][] };
  bench?: string;
}

function main(): Promise<void> | void {
  const { values } = parseArgs({
    options: { run: { type: 'string' }, corpus: { type: 'string' }, dest: { type: 'string' }, bench: { type: 'string' }, name: { type: 'string', default: 'attn-gpt2-mini' } },
  });
  if (!values.run || !values.corpus || !values.dest) throw new Error('usage: make-card --run <folder> --corpus <folder> --dest <folder> [--bench <file>]');
  return makeCard(resolve(values.run), resolve(values.corpus), resolve(values.dest), values.name!, values.bench);
}

async function makeCard(run: string, corpus: string, dest: string, name: string, benchFile?: string): Promise<void> {
  await useFastKernels({});
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const history = JSON.parse(readFileSync(join(run, 'training', 'history.json'), 'utf8')) as {
    settings: TrainSettings; step: number; seconds: number; history: { train: [number, number][]; heldout: [number, number][] };
  };
  const tf = { ...(await loadTransformer(run)), name };
  const eot = tf.tokenizer.tokenToId('<|endoftext|>')!;
  const s = history.settings;

  log('tokenizing the corpus…');
  const trainIds = encodeDocuments(tf.tokenizer, readDocuments(join(corpus, 'train.txt')), eot);
  const heldIds = encodeDocuments(tf.tokenizer, readDocuments(join(corpus, 'heldout.txt')), eot);

  log('held-out loss of the model and of the bigram baseline…');
  const batches = evalBatches(heldIds, s.context, s.batch);
  const folder = openModelFolder(run);
  const params = paramsFromCheckpoint(folder.weights, tf.config);
  folder.weights.close();
  const evaluator = new Gpt2Trainer(tf.config, params, { schedule: { lr: 0, totalSteps: 1 } });
  const loss = heldOutLoss(evaluator, batches);
  const bigram = new BigramModel(trainIds, tf.config.vocabSize);
  const bigramLoss = bigramLossOn(bigram, batches);
  const predictions = batches.reduce((a, b) => a + b.B * b.T, 0);

  log('sense probe…');
  const items: ProbeItem[] = readFileSync(join(corpus, 'bank-probe.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')).map(([sense, , sentence]) => ({ sense, sentence }));
  const L = tf.config.nLayers;
  const hooks = ['blocks.0.hook_resid_pre', ...Array.from({ length: L }, (_, l) => `blocks.${l}.hook_resid_post`)];
  const { vectors, forms } = bankVectors(tf, items, hooks);
  const layers = hooks.map((h) => nearestCentroidLoo(h, items, vectors.get(h)!));
  // two controls beside the probe as specified: the word's form (bank / banks / Bank) is part of every
  // vector; fixing it, or subtracting the context-free input, leaves what the context contributed
  const last = hooks[hooks.length - 1];
  const singular = items.map((it, i) => ({ it, v: vectors.get(last)![i] })).filter((_, i) => forms[i] === 'bank');
  const contextAdded = vectors.get(last)!.map((v, i) => v.map((x, c) => x - vectors.get(hooks[0])![i][c]));
  const controls = [
    { what: 'output of the last layer, sentences with lower-case singular "bank" only', result: nearestCentroidLoo(last, singular.map((x) => x.it), singular.map((x) => x.v)) },
    { what: 'output of the last layer minus the embeddings (what the context added)', result: nearestCentroidLoo(`${last} − blocks.0.hook_resid_pre`, items, contextAdded) },
  ];
  const senses: Record<string, number> = {};
  for (const it of items) senses[it.sense] = (senses[it.sense] ?? 0) + 1;

  log('seed sentence…');
  const bankView = explain(tf, SEED_SENTENCE, { word: 'bank' }).view;
  const seed = seedAttention(bankView);

  const data: CardData = {
    name, settings: s, steps: history.step, seconds: history.seconds,
    parameters: countParams(params),
    tokens: { train: trainIds.length, heldout: heldIds.length, seen: history.step * s.batch * s.context },
    corpus: JSON.parse(readFileSync(join(corpus, 'stats.json'), 'utf8')) as CardData['corpus'],
    heldout: { loss, perplexity: Math.exp(loss), bigramLoss, bigramPerplexity: Math.exp(bigramLoss), predictions },
    finalTrainLoss: mean(history.history.train.slice(-100).map((p) => p[1])),
    probe: { items: items.length, senses, layers, majority: Math.max(...Object.values(senses)) / items.length, controls },
    seed,
    bench: benchFile && existsSync(benchFile) ? readFileSync(benchFile, 'utf8').trim() : undefined,
  };

  mkdirSync(dest, { recursive: true });
  for (const f of ['model.safetensors', 'tokenizer.json']) copyFileSync(join(run, f), join(dest, f));
  // the name charts and the web page show for this model
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dest, 'config.json'), JSON.stringify({ _name_or_path: name, ...config }, null, 2) + '\n');
  writeFileSync(join(dest, 'loss-curves.svg'), lossCurvesSvg({
    train: history.history.train, heldout: history.history.heldout,
    baseline: { label: `bigram baseline on the held-out text (${bigramLoss.toFixed(3)})`, loss: bigramLoss },
    title: `${name}: training and held-out loss`,
    subtitle: `${(data.parameters / 1e6).toFixed(2)}M parameters, ${history.step.toLocaleString('en-US')} steps of ${s.batch} × ${s.context} tokens, trained by attn on 2 CPU cores`,
  }));
  writeFileSync(join(dest, 'seed-bank-grid.svg'), gridSvg(bankView));
  writeFileSync(join(dest, 'metrics.json'), JSON.stringify({ ...data, probe: { ...data.probe, layers: layers.map(({ errors, ...r }) => ({ ...r, errors: errors.length })), controls: controls.map((c) => ({ what: c.what, ...c.result, errors: c.result.errors.length })) } }, null, 2) + '\n');
  writeFileSync(join(dest, 'MODEL_CARD.md'), renderCard(data));
  log(`wrote ${dest}/MODEL_CARD.md`);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The bigram's loss on exactly the predictions the model is scored on. */
function bigramLossOn(m: BigramModel, batches: readonly TokenBatch[]): number {
  let sum = 0, n = 0;
  for (const b of batches) {
    for (let i = 0; i < b.B * b.T; i++) {
      sum -= Math.log(m.prob(b.ids[i], b.targets![i]));
      n++;
    }
  }
  return sum / n;
}

function seedAttention(v: AttentionView): CardData['seed'] {
  const mean = v.grid.map((heads) => heads[0].map((_, j) => heads.reduce((a, h) => a + h[j], 0) / heads.length));
  return { words: v.items.map((i) => i.label), query: v.query, grid: v.grid, mean };
}

await main();
