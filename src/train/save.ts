// Writes trained GPT-2 weights as a Hugging Face model folder (config.json + model.safetensors) that
// attn's openModelFolder and transformers' GPT2LMHeadModel.from_pretrained both read.

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileError } from '../errors.js';
import type { WritableDType } from '../io/dtypes.js';
import { writeSafetensors } from '../io/safetensors.js';
import { exportGpt2, type Gpt2Params } from './params.js';

export interface SaveOptions {
  /** replace an existing config.json / model.safetensors (default false) */
  overwrite?: boolean;
  /** stored element type (default F32) */
  dtype?: WritableDType;
}

/** Saves `params` with `configJson` (e.g. from gpt2ConfigJson) into `dir`, creating it if needed. */
export function saveGpt2Folder(dir: string, params: Gpt2Params, configJson: Record<string, unknown>, o: SaveOptions = {}): void {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'config.json');
  // checked before anything is written, so a refused save leaves the folder as it was
  if (!o.overwrite && existsSync(configPath)) {
    throw new FileError(`${configPath} already exists; pass overwrite: true to replace the model in ${dir}`);
  }
  const torchDtype = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[o.dtype ?? 'F32'];
  writeSafetensors(join(dir, 'model.safetensors'), Object.fromEntries(exportGpt2(params)), {
    dtype: o.dtype ?? 'F32', metadata: { format: 'pt' }, overwrite: o.overwrite,
  });
  writeFileAtomic(configPath, JSON.stringify({ ...configJson, torch_dtype: torchDtype }, null, 2) + '\n');
}

/** Writes a file atomically: a temporary file beside it, then a rename over the old one. */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
