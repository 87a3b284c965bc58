// `attn train <text files…> --out <folder>`: trains a byte-level BPE tokenizer (or reuses one) and a GPT-2
// model on plain text, with a progress line, held-out evaluation, atomic checkpoints, --resume, and a
// clean stop on Ctrl-C. The folder it writes is a standard Hugging Face GPT-2 folder.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FileError, InputError } from '../errors.js';
import { gpt2ConfigJson } from '../train/params.js';
import { readDocuments, encodeDocuments } from '../train/data.js';
import { runTraining } from '../train/loop.js';
import { readCheckpoint, stateDir, type TrainSettings } from '../train/checkpoint.js';
import { trainByteLevelBpe } from '../tokenize/bpe-train.js';
import { Tokenizer } from '../tokenize/tokenizer.js';
import { parse, runCommand } from './shell.js';
import { ProgressLine, formatCount, formatDuration } from './progress.js';

export const TRAIN_USAGE = `usage: attn train <text files…> --out <folder> [options]

Trains a GPT-2-style model, and its byte-level BPE tokenizer, on plain UTF-8 text files (documents
separated by blank lines). The folder it writes (config.json, model.safetensors, tokenizer.json) works
with every attn command (--model <folder>) and with Hugging Face transformers.
  --out <folder>        where the model goes; an existing folder needs --resume or --force
  --heldout <file>      held-out text for evaluation (repeatable); default: every 20th document of the input
  --tokenizer <path>    reuse a tokenizer.json (or a folder holding one) instead of training one
  --vocab <n>           vocabulary size of the tokenizer attn trains (default 8192)
  --layers <n> --heads <n> --embd <n> --context <n>   model size (default 4, 4, 192, 128)
  --steps <n>           updates to take (default: --epochs 1)
  --epochs <x>          passes over the training text, when --steps is not given
  --batch <n>           sequences per update (default 8)
  --lr <x>              peak learning rate (default 0.003), after --warmup <n> steps (default 200),
                        cosine decay to --min-lr <x> (default lr/10)
  --weight-decay <x>    AdamW weight decay on weight matrices (default 0.1); --clip <x> gradient norm (1)
  --dropout <p>         dropout probability (default 0); --seed <n> (default 1)
  --eval-every <n>      held-out evaluation every n steps (default 250), on at most --eval-windows (256)
  --save-every <n>      checkpoint every n steps (default 500); Ctrl-C also saves one
  --dtype f32|f16       stored type of model.safetensors (default f32)
  --resume              continue the run saved in --out (same files and settings)
  --force               replace the model in an existing --out folder (other files there are kept)
  --quiet               no progress line`;

const OPTIONS = {
  out: { type: 'string' }, heldout: { type: 'string', multiple: true }, tokenizer: { type: 'string' }, vocab: { type: 'string' },
  layers: { type: 'string' }, heads: { type: 'string' }, embd: { type: 'string' }, context: { type: 'string' },
  steps: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, 'min-lr': { type: 'string' },
  warmup: { type: 'string' }, 'weight-decay': { type: 'string' }, clip: { type: 'string' }, dropout: { type: 'string' },
  seed: { type: 'string' }, 'eval-every': { type: 'string' }, 'eval-windows': { type: 'string' }, 'save-every': { type: 'string' },
  dtype: { type: 'string', default: 'f32' }, resume: { type: 'boolean', default: false }, force: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
} as const;

/** Files `attn train` writes into --out; --force replaces these and nothing else. */
const OUR_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'];
const EOT = '<|endoftext|>';

type Values = Partial<Record<keyof typeof OPTIONS, string | string[] | boolean>>;

function num(v: Values, key: keyof typeof OPTIONS, fallback: number, o: { integer?: boolean; min?: number; max?: number } = {}): number {
  const raw = v[key];
  if (raw === undefined) return fallback;
  const x = Number(raw);
  const min = o.min ?? 0;
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(x) || (o.integer && !Number.isInteger(x)) || x < min || (o.max !== undefined && x > o.max)) {
    const what = o.integer ? 'a whole number' : 'a number';
    const range = o.max !== undefined ? ` from ${min} to ${o.max}` : ` of at least ${min}`;
    throw new InputError(`--${key} takes ${what}${range}, got "${String(raw)}"`);
  }
  return x;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  let stopped = false;
  const code = await runCommand(verbose, async () => {
    const { values, positionals } = parse(argv, OPTIONS, TRAIN_USAGE);
    if (values.help) {
      process.stdout.write(`${TRAIN_USAGE}\n`);
      return;
    }
    stopped = await train(values as Values, positionals);
  });
  return code === 0 && stopped ? 130 : code;
}

async function train(v: Values, files: string[]): Promise<boolean> {
  if (files.length === 0) throw new InputError(`give one or more text files to train on\n${TRAIN_USAGE}`);
  if (typeof v.out !== 'string' || v.out === '') throw new InputError(`give the folder to write the model to: --out <folder>\n${TRAIN_USAGE}`);
  const out = resolve(v.out);
  const resume = v.resume === true, force = v.force === true;
  if (resume && force) throw new InputError('--resume continues the run in --out and --force starts it again: give one of them');
  if (resume && v.tokenizer !== undefined) throw new InputError('--resume reuses the tokenizer.json in --out; drop --tokenizer');
  if (v.steps !== undefined && v.epochs !== undefined) throw new InputError('give --steps or --epochs, not both');
  const dtype = String(v.dtype).toUpperCase();
  if (dtype !== 'F32' && dtype !== 'F16') throw new InputError(`--dtype takes f32 or f16, got "${String(v.dtype)}"`);
  checkOutFolder(out, resume, force);
  // flags are checked before any file is read; a resumed run's own settings are the defaults
  const asked = askedSettings(v, resume ? readCheckpoint(out).state.settings : undefined);
  const intervals = {
    evalEvery: num(v, 'eval-every', 250, { integer: true, min: 1 }), evalWindows: num(v, 'eval-windows', 256, { integer: true, min: 1 }),
    saveEvery: num(v, 'save-every', 500, { integer: true, min: 1 }),
  };

  const log = (s: string) => {
    if (v.quiet !== true) process.stderr.write(`${s}\n`);
  };
  // every input is read and checked before anything is written
  const docs = files.flatMap((f) => readDocuments(f));
  const heldoutFiles = (v.heldout as string[] | undefined) ?? [];
  let trainDocs = docs, heldDocs = heldoutFiles.flatMap((f) => readDocuments(f));
  if (heldoutFiles.length === 0 && docs.length >= 20) {
    trainDocs = docs.filter((_, i) => i % 20 !== 19);
    heldDocs = docs.filter((_, i) => i % 20 === 19);
  }
  log(`attn train: ${formatCount(trainDocs.length)} training documents (${formatCount(chars(trainDocs))} characters), ` +
    `${formatCount(heldDocs.length)} held-out${heldoutFiles.length === 0 ? (heldDocs.length ? ' (every 20th document)' : ' (too few documents to hold any out)') : ''}`);

  const tokenizerJson = resume ? readFileSync(join(out, 'tokenizer.json'), 'utf8') : loadOrTrainTokenizer(v, trainDocs, log);
  const tokenizer = Tokenizer.fromJSON(JSON.parse(tokenizerJson));
  const eot = tokenizer.tokenToId(EOT);
  if (eot === undefined) throw new InputError(`the tokenizer has no ${EOT} token, which attn uses to separate documents: train one with attn (drop --tokenizer)`);

  const t0 = performance.now();
  const trainIds = encodeDocuments(tokenizer, trainDocs, eot);
  const heldIds = heldDocs.length ? encodeDocuments(tokenizer, heldDocs, eot) : null;
  log(`tokenized: ${formatCount(trainIds.length)} training tokens, ${formatCount(heldIds?.length ?? 0)} held-out (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const windows = Math.floor((trainIds.length - 1) / asked.context);
  if (windows < 1) throw new InputError(`the training text is ${trainIds.length} tokens long, shorter than one --context of ${asked.context} + 1: give more text or a smaller --context`);
  const steps = asked.steps ?? Math.max(1, Math.ceil((windows * asked.epochs) / asked.batch));
  const settings: TrainSettings = {
    config: gpt2ConfigJson({
      vocabSize: tokenizer.vocabSize, nPositions: asked.context, nEmbd: asked.embd, nLayer: asked.layers, nHead: asked.heads, dropout: asked.dropout,
    }),
    batch: asked.batch, context: asked.context, steps, lr: asked.lr, minLr: asked.minLr ?? asked.lr / 10,
    warmup: asked.warmup ?? Math.min(200, Math.floor(steps / 10)), weightDecay: asked.weightDecay, clip: asked.clip, dropout: asked.dropout, seed: asked.seed,
  };

  if (force && existsSync(out)) clearOurFiles(out);
  mkdirSync(out, { recursive: true });
  const progress = new ProgressLine(v.quiet === true);
  let stopRequested = false;
  const onSigint = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    progress.note('stopping after this step and saving a checkpoint (Ctrl-C again quits without saving)');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runTraining({
      out, settings, tokenizerJson, train: trainIds, heldout: heldIds, dtype,
      ...intervals, resume,
      onEvent: (e) => progress.event(e), stopRequested: () => stopRequested,
    });
    progress.done();
    const last = result.state.history.heldout.at(-1);
    const held = last ? `; held-out loss ${last[1].toFixed(3)} (perplexity ${Math.exp(last[1]).toFixed(1)})` : '';
    if (result.stopped) {
      log(`stopped at step ${result.trainer.step} of ${steps}; checkpoint saved in ${out}${held}.\n` +
        `continue with: attn train ${[...files, ...heldoutFiles.flatMap((f) => ['--heldout', f])].join(' ')} --out ${v.out} --resume`);
    } else {
      log(`done: ${steps} steps in ${formatDuration(result.state.seconds)}${held}.\nsaved ${out}; try: attn "He sat on the river's bank" --word bank --model ${v.out}`);
    }
    return result.stopped;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

interface Asked {
  layers: number; heads: number; embd: number; context: number; batch: number; lr: number; weightDecay: number;
  clip: number; dropout: number; seed: number; epochs: number;
  /** undefined: derived once the data is known (steps from --epochs, minLr = lr/10, warmup = steps/10 up to 200) */
  steps?: number; minLr?: number; warmup?: number;
}

/** The settings the flags ask for; unset flags take the saved run's values (on --resume) or the defaults. */
function askedSettings(v: Values, saved?: TrainSettings): Asked {
  const c = saved?.config as Record<string, number> | undefined;
  const heads = num(v, 'heads', c?.n_head ?? 4, { integer: true, min: 1 });
  const embd = num(v, 'embd', c?.n_embd ?? 192, { integer: true, min: 1 });
  if (embd % heads !== 0) throw new InputError(`--embd ${embd} must be divisible by --heads ${heads} (each head gets embd/heads dimensions)`);
  const opt = (key: keyof typeof OPTIONS, fallback: number | undefined, o: Parameters<typeof num>[3] = {}) =>
    v[key] !== undefined ? num(v, key, 0, o) : fallback;
  return {
    layers: num(v, 'layers', c?.n_layer ?? 4, { integer: true, min: 1 }), heads, embd,
    context: num(v, 'context', saved?.context ?? 128, { integer: true, min: 2, max: 4096 }),
    batch: num(v, 'batch', saved?.batch ?? 8, { integer: true, min: 1 }),
    lr: num(v, 'lr', saved?.lr ?? 3e-3, { min: 1e-9 }),
    weightDecay: num(v, 'weight-decay', saved?.weightDecay ?? 0.1),
    clip: num(v, 'clip', saved?.clip ?? 1, { min: 1e-9 }),
    dropout: num(v, 'dropout', saved?.dropout ?? 0, { max: 0.99 }),
    seed: num(v, 'seed', saved?.seed ?? 1, { integer: true }),
    epochs: num(v, 'epochs', 1, { min: 1e-9 }),
    steps: opt('steps', v.epochs === undefined ? saved?.steps : undefined, { integer: true, min: 1 }),
    minLr: opt('min-lr', saved?.minLr),
    warmup: opt('warmup', saved?.warmup, { integer: true }),
  };
}

function chars(docs: string[]): number {
  return docs.reduce((a, d) => a + d.length, 0);
}

function checkOutFolder(out: string, resume: boolean, force: boolean): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new FileError(`--out ${out} is a file; give a folder name`);
  const exists = existsSync(out) && readdirSync(out).length > 0;
  if (resume) {
    if (!existsSync(join(out, 'tokenizer.json')) || !existsSync(stateDir(out))) {
      throw new FileError(`cannot resume: ${out} holds no run of attn train (tokenizer.json and training/ are missing)`);
    }
    return;
  }
  if (exists && !force) {
    throw new FileError(`${out} already exists and is not empty: add --resume to continue the run saved there, --force to replace its model, or choose another --out`);
  }
}

/** --force: removes the files a previous run wrote (only those), once every input has been read. */
function clearOurFiles(out: string): void {
  for (const f of OUR_FILES) rmSync(join(out, f), { force: true });
  rmSync(stateDir(out), { recursive: true, force: true });
}

function loadOrTrainTokenizer(v: Values, docs: string[], log: (s: string) => void): string {
  if (typeof v.tokenizer === 'string') {
    const p = existsSync(v.tokenizer) && statSync(v.tokenizer).isDirectory() ? join(v.tokenizer, 'tokenizer.json') : v.tokenizer;
    if (!existsSync(p)) throw new FileError(`--tokenizer ${v.tokenizer}: ${p} does not exist`);
    return readFileSync(p, 'utf8');
  }
  const vocabSize = num(v, 'vocab', 8192, { integer: true, min: 1 });
  const t0 = performance.now();
  const bpe = trainByteLevelBpe(docs, { vocabSize, specialTokens: [EOT] });
  log(`tokenizer: byte-level BPE, ${formatCount(vocabSize)} tokens, trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return bpe.tokenizerJsonText();
}
