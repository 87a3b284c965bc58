// What `attn train` writes into its output folder, and reads back on --resume:
//   config.json, model.safetensors, tokenizer.json  — a standard Hugging Face GPT-2 folder (the weights so far)
//   training/state.safetensors                      — weights + AdamW moments, and (in its metadata) the
//                                                      TrainState: step, settings, data hashes, RNG, history
//   training/history.json                           — the loss curves, for the model card
//   training/loss-curves.svg                        — the same curves drawn, to look at while it trains
// Every file appears atomically (temporary file + rename), so a crash or Ctrl-C mid-save leaves the
// previous checkpoint whole.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataChanged } from '../engine/registry.js';
import { Tensor } from '../engine/tensor.js';
import { CheckpointError, FileError } from '../errors.js';
import type { WritableDType } from '../io/dtypes.js';
import { SafetensorsFile, writeSafetensors } from '../io/safetensors.js';
import { lossCurvesSvg } from '../render/svg/curves.js';
import { namedParams, type Gpt2Params } from './params.js';
import { saveGpt2Folder, writeFileAtomic } from './save.js';
import type { Gpt2Trainer } from './trainer.js';

export const TRAIN_STATE_FORMAT = 'attn.train/1';

/** The settings a run must keep across --resume (anything else would make a different model). */
export interface TrainSettings {
  config: Record<string, unknown>;
  batch: number;
  context: number;
  steps: number;
  lr: number;
  minLr: number;
  warmup: number;
  weightDecay: number;
  clip: number;
  dropout: number;
  seed: number;
}

export interface TrainState {
  format: typeof TRAIN_STATE_FORMAT;
  settings: TrainSettings;
  /** updates taken */ step: number;
  /** sha256 of the training token stream and of tokenizer.json: a resume must see the same data */
  trainSha256: string;
  tokenizerSha256: string;
  /** the dropout stream's state */ rng: number[];
  /** seconds spent training so far (over all sessions) */ seconds: number;
  /** [step, loss] per update (train) and per evaluation (held-out) */
  history: { train: [number, number][]; heldout: [number, number][] };
}

export const sha256 = (data: string | Uint8Array | Int32Array): string =>
  createHash('sha256').update(typeof data === 'string' ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

export const stateDir = (out: string): string => join(out, 'training');
export const statePath = (out: string): string => join(stateDir(out), 'state.safetensors');

/** Saves the model folder files and the full training state. */
export function saveCheckpoint(out: string, trainer: Gpt2Trainer, state: TrainState, tokenizerJson: string, dtype: WritableDType): void {
  mkdirSync(stateDir(out), { recursive: true });
  const tensors: Record<string, Tensor> = {};
  const put = (prefix: string, p: Gpt2Params) => {
    for (const { name, tensor } of namedParams(p)) tensors[`${prefix}.${name}`] = tensor;
  };
  put('param', trainer.params);
  put('adam_m', trainer.optimizer.m);
  put('adam_v', trainer.optimizer.v);
  const meta = { ...state, rng: trainer.rng.state(), step: trainer.step };
  writeSafetensors(statePath(out), tensors, { overwrite: true, metadata: { format: 'pt', [TRAIN_STATE_FORMAT]: JSON.stringify(meta) } });
  saveGpt2Folder(out, trainer.params, state.settings.config, { overwrite: true, dtype });
  if (!existsSync(join(out, 'tokenizer.json'))) writeFileAtomic(join(out, 'tokenizer.json'), tokenizerJson);
  writeFileAtomic(join(stateDir(out), 'history.json'), JSON.stringify({ settings: state.settings, step: trainer.step, seconds: state.seconds, history: state.history }) + '\n');
  if (state.history.train.length + state.history.heldout.length > 0) {
    const c = state.settings.config;
    writeFileAtomic(join(stateDir(out), 'loss-curves.svg'), lossCurvesSvg({
      train: state.history.train, heldout: state.history.heldout, title: 'Training and held-out loss',
      subtitle: `${c.n_layer} layers × ${c.n_head} heads, width ${c.n_embd}; step ${trainer.step} of ${state.settings.steps}, batches of ${state.settings.batch} × ${state.settings.context} tokens`,
    }));
  }
}

/** Reads training/state.safetensors: the TrainState and a loader that fills a trainer from it. */
export function readCheckpoint(out: string): { state: TrainState; restore(trainer: Gpt2Trainer): void } {
  const path = statePath(out);
  if (!existsSync(path)) {
    throw new FileError(`${out} has no training state (${path} is missing): --resume continues a run that \`attn train\` started in that folder`);
  }
  const file = SafetensorsFile.open(path);
  let state: TrainState | null = null;
  try {
    state = JSON.parse(file.metadata[TRAIN_STATE_FORMAT] ?? 'null') as TrainState | null;
  } catch {
    state = null;
  } finally {
    file.close();
  }
  if (!state || state.format !== TRAIN_STATE_FORMAT) {
    throw new CheckpointError(`${path} is not an attn training state (${TRAIN_STATE_FORMAT}); it may be damaged: start again with --force`);
  }
  const saved = state;
  return {
    state: saved,
    restore(trainer) {
      const f = SafetensorsFile.open(path);
      try {
        const fill = (prefix: string, p: Gpt2Params) => {
          for (const { name, tensor } of namedParams(p)) {
            const t = f.tensor(`${prefix}.${name}`);
            if (t.size !== tensor.size) throw new CheckpointError(`${path}: ${prefix}.${name} has ${t.size} values, the model needs ${tensor.size}`);
            tensor.data.set(t.data);
          }
        };
        fill('param', trainer.params);
        fill('adam_m', trainer.optimizer.m);
        fill('adam_v', trainer.optimizer.v);
        trainer.optimizer.t = saved.step;
        trainer.step = saved.step;
        trainer.rng.restore(saved.rng);
        for (const p of namedParams(trainer.params)) dataChanged(p.tensor.data);
      } finally {
        f.close();
      }
    },
  };
}

/** The settings that differ between a saved run and the one asked for, as a phrase; null if none. */
export function settingsMismatch(saved: TrainSettings, asked: TrainSettings): string | null {
  const diffs: string[] = [];
  const cs = saved.config, ca = asked.config;
  for (const key of [...new Set([...Object.keys(cs), ...Object.keys(ca)])].sort()) {
    if (JSON.stringify(cs[key]) !== JSON.stringify(ca[key])) diffs.push(`${key} (saved ${JSON.stringify(cs[key])}, asked ${JSON.stringify(ca[key])})`);
  }
  for (const key of Object.keys(asked) as (keyof TrainSettings)[]) {
    if (key === 'config') continue;
    const a = JSON.stringify(asked[key]), s = JSON.stringify(saved[key]);
    if (a !== s) diffs.push(`${key} (saved ${s}, asked ${a})`);
  }
  return diffs.length ? `settings differ: ${diffs.join(', ')}` : null;
}
