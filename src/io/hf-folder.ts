// Opens a Hugging Face model folder as save_pretrained writes it: config.json, the weights as one
// model.safetensors or as shards listed in model.safetensors.index.json, and tokenizer files if present.

import fs from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Tensor } from '../engine/tensor.js';
import { CheckpointError, FileError, UnsupportedError } from '../errors.js';
import { SafetensorsFile, missingTensor, type TensorInfo } from './safetensors.js';

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/** Where a tensor lives: its header entry plus the file that holds it. */
export interface WeightInfo extends TensorInfo {
  readonly file: string;
}

/** One set of tensors, however many files hold them. Tensors are read from disk on request. */
export interface WeightStore {
  /** The safetensors files behind the store (one, or the shards in index order). */
  readonly files: readonly string[];
  /** `__metadata__` of the single file, or the index's "metadata" (values as given). */
  readonly metadata: Readonly<Record<string, unknown>>;
  names(): string[];
  has(name: string): boolean;
  info(name: string): WeightInfo;
  /** float32 tensor, shape as stored. */
  tensor(name: string): Tensor;
  rawBytes(name: string): Uint8Array;
  close(): void;
}

export interface ModelFolder {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Parsed config.json. */
  readonly config: Record<string, unknown>;
  readonly weights: WeightStore;
  /** tokenizer.json, when the folder has one. */
  readonly tokenizerPath?: string;
  /** tokenizer_config.json, when the folder has one. */
  readonly tokenizerConfigPath?: string;
}

const LAYOUT = `a model folder needs ${CONFIG_FILE} and ${WEIGHTS_FILE} (or ${WEIGHTS_INDEX_FILE} with its shards), as Hugging Face's save_pretrained writes them`;

/** Opens `dir`; reads config.json and the safetensors headers, no tensor data. Call weights.close() when done. */
export function openModelFolder(dir: string): ModelFolder {
  const abs = resolve(dir);
  if (!fs.existsSync(abs)) throw new FileError(`model folder ${abs} does not exist: check the path (${LAYOUT})`);
  if (!fs.statSync(abs).isDirectory()) {
    throw new FileError(`${abs} is a file, not a model folder: give the folder that contains it (${LAYOUT})`);
  }
  const configPath = join(abs, CONFIG_FILE);
  if (!isFile(configPath)) throw new FileError(`${abs} has no ${CONFIG_FILE}: ${LAYOUT}`);
  const config = readJsonObject(configPath, 'the model configuration');
  const weights = openWeights(abs);
  const tokenizer = join(abs, 'tokenizer.json');
  const tokenizerConfig = join(abs, 'tokenizer_config.json');
  return {
    dir: abs,
    config,
    weights,
    ...(isFile(tokenizer) ? { tokenizerPath: tokenizer } : {}),
    ...(isFile(tokenizerConfig) ? { tokenizerConfigPath: tokenizerConfig } : {}),
  };
}

/** The weights of a model folder: model.safetensors if present, else the shards of model.safetensors.index.json. */
export function openWeights(dir: string): WeightStore {
  const abs = resolve(dir);
  const single = join(abs, WEIGHTS_FILE);
  if (isFile(single)) {
    const file = SafetensorsFile.open(single);
    return storeOver([file], new Map(file.names().map((n) => [n, file])), file.metadata, single);
  }
  const index = join(abs, WEIGHTS_INDEX_FILE);
  if (isFile(index)) return openSharded(abs, index);
  throw noWeights(abs);
}

function openSharded(dir: string, indexPath: string): WeightStore {
  const index = readJsonObject(indexPath, 'the shard index');
  const map = index.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new CheckpointError(`${indexPath} has no "weight_map" object {tensor name: shard file}: save the model again with save_pretrained`);
  }
  const shards = new Map<string, SafetensorsFile>();
  const owner = new Map<string, SafetensorsFile>();
  try {
    for (const [name, shard] of Object.entries(map)) {
      if (typeof shard !== 'string' || shard === '') {
        throw new CheckpointError(`${indexPath}: weight_map entry for ${JSON.stringify(name)} must be a shard file name, but it is ${JSON.stringify(shard)}`);
      }
      const shardPath = resolve(dir, shard);
      if (!shardPath.startsWith(dir + sep)) {
        throw new CheckpointError(`${indexPath}: shard ${JSON.stringify(shard)} for tensor ${JSON.stringify(name)} lies outside the model folder; shards must sit beside the index`);
      }
      let file = shards.get(shardPath);
      if (!file) {
        if (!isFile(shardPath)) {
          throw new FileError(
            `${indexPath} lists shard ${shard} (for tensor ${JSON.stringify(name)}), but ${shardPath} does not exist: ` +
              `download the missing shard, or the whole folder again`,
          );
        }
        file = SafetensorsFile.open(shardPath);
        shards.set(shardPath, file);
      }
      if (!file.has(name)) {
        throw new CheckpointError(
          `${indexPath} says tensor ${JSON.stringify(name)} is in ${shard}, but ${shardPath} has no such tensor: ` +
            `the index and the shards do not match; download or save the model again`,
        );
      }
      owner.set(name, file);
    }
  } catch (e) {
    for (const f of shards.values()) f.close();
    throw e;
  }
  const meta = index.metadata;
  const metadata = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {};
  return storeOver([...shards.values()], owner, metadata, dir);
}

function storeOver(files: SafetensorsFile[], owner: Map<string, SafetensorsFile>, metadata: Record<string, unknown>, where: string): WeightStore {
  const names = [...owner.keys()].sort();
  const fileOf = (name: string): SafetensorsFile => {
    const f = owner.get(name);
    if (!f) throw missingTensor(where, name, names);
    return f;
  };
  return {
    files: files.map((f) => f.path),
    metadata: Object.freeze({ ...metadata }),
    names: () => [...names],
    has: (name) => owner.has(name),
    info: (name) => {
      const f = fileOf(name);
      return { ...f.info(name), file: f.path };
    },
    tensor: (name) => fileOf(name).tensor(name),
    rawBytes: (name) => fileOf(name).rawBytes(name),
    close: () => files.forEach((f) => f.close()),
  };
}

/** The error for a folder without safetensors weights, naming what it has instead and how to convert it. */
function noWeights(dir: string): FileError | UnsupportedError {
  const entries = fs.readdirSync(dir);
  const other = entries.filter((f) => /^pytorch_model.*\.bin(\.index\.json)?$|\.ckpt(\.index)?$|\.pth?$|^tf_model\.h5$|^flax_model\.msgpack$/.test(f));
  const stray = entries.filter((f) => f.endsWith('.safetensors'));
  if (other.length) {
    const bin = other.find((f) => /^pytorch_model\.bin$/.test(f));
    const recipe = bin
      ? ` For example: python -c "import torch; from safetensors.torch import save_file; ` +
        `sd = torch.load('${join(dir, bin)}', map_location='cpu', weights_only=True); ` +
        `save_file({k: v.clone().contiguous() for k, v in sd.items()}, '${join(dir, WEIGHTS_FILE)}', metadata={'format': 'pt'})"`
      : '';
    return new UnsupportedError(
      `${dir} has weights in ${other.join(', ')}, but attn reads only safetensors. Convert them: load the model with ` +
        `transformers (from_pretrained) and save it with save_pretrained(folder, safe_serialization=True), which writes ${WEIGHTS_FILE}.${recipe}`,
    );
  }
  const found = stray.length ? ` It has ${stray.join(', ')}; rename the weights to ${WEIGHTS_FILE} if they are this model's.` : '';
  return new FileError(`${dir} has no ${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}: ${LAYOUT}.${found}`);
}

function readJsonObject(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new FileError(`cannot read ${path} (${what}): ${(e as Error).message}`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`${path} (${what}) is not valid JSON: ${(e as Error).message}. Fix it or download it again.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CheckpointError(`${path} (${what}) must hold a JSON object, but it holds ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`);
  }
  return json as Record<string, unknown>;
}

function isFile(path: string): boolean {
  try {
    return fs.statSync(path).isFile();
  } catch {
    return false;
  }
}
