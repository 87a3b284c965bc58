// Tests for openModelFolder / openWeights: single-file and sharded folders (built with the writer) and
// every error a user can meet, each naming the path and what to do.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Tensor } from '../../src/engine/tensor.js';
import { AttnError, CheckpointError, FileError, UnsupportedError } from '../../src/errors.js';
import { openModelFolder, openWeights } from '../../src/io/hf-folder.js';
import { writeSafetensors } from '../../src/io/safetensors.js';
import { tempDir } from './helpers.js';

const root = tempDir('attn-hf-');
let counter = 0;

const CONFIG = { model_type: 'gpt2', n_layer: 1, n_embd: 2 };

/** A new folder under root holding the given files (objects are written as JSON). */
function folder(files: Record<string, string | object> = {}): string {
  const dir = join(root, `m${counter++}`);
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

function expectError(fn: () => unknown, cls: new (...a: never[]) => AttnError, ...patterns: Array<RegExp | string>): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e.name}: ${e.message}`);
    for (const p of patterns) {
      if (typeof p === 'string') assert.ok(e.message.includes(p), `message should include ${p}: ${e.message}`);
      else assert.match(e.message, p);
    }
    return true;
  });
}

/** A sharded folder: wte and h.0 in shard 1, h.1 in shard 2, as save_pretrained(max_shard_size=...) lays it out. */
function sharded(): string {
  const dir = folder({ 'config.json': CONFIG });
  const s1 = 'model-00001-of-00002.safetensors';
  const s2 = 'model-00002-of-00002.safetensors';
  writeSafetensors(join(dir, s1), { wte: Tensor.from([1, 2, 3, 4], [2, 2]), 'h.0.w': Tensor.from([5], [1]) }, { metadata: { format: 'pt' } });
  writeSafetensors(join(dir, s2), { 'h.1.w': Tensor.from([6, 7], [2]) }, { dtype: 'F16', metadata: { format: 'pt' } });
  const index = { metadata: { total_size: 28 }, weight_map: { wte: s1, 'h.0.w': s1, 'h.1.w': s2 } };
  fs.writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(index, null, 2));
  return dir;
}

describe('openModelFolder', () => {
  it('opens a single-file folder with config and tokenizer files', () => {
    const dir = folder({ 'config.json': CONFIG, 'tokenizer.json': '{}', 'tokenizer_config.json': '{}' });
    writeSafetensors(join(dir, 'model.safetensors'), { wte: Tensor.from([1, 2, 3, 4], [2, 2]) }, { metadata: { format: 'pt' } });
    const m = openModelFolder(dir);
    try {
      assert.equal(m.dir, dir);
      assert.deepEqual(m.config, CONFIG);
      assert.equal(m.tokenizerPath, join(dir, 'tokenizer.json'));
      assert.equal(m.tokenizerConfigPath, join(dir, 'tokenizer_config.json'));
      assert.deepEqual(m.weights.names(), ['wte']);
      assert.deepEqual(m.weights.files, [join(dir, 'model.safetensors')]);
      assert.deepEqual(m.weights.metadata, { format: 'pt' });
      assert.deepEqual(m.weights.info('wte').shape, [2, 2]);
      assert.equal(m.weights.info('wte').file, join(dir, 'model.safetensors'));
      assert.deepEqual([...m.weights.tensor('wte').data], [1, 2, 3, 4]);
    } finally {
      m.weights.close();
    }
  });

  it('leaves tokenizer paths undefined when the files are absent', () => {
    const dir = folder({ 'config.json': CONFIG });
    writeSafetensors(join(dir, 'model.safetensors'), {});
    const m = openModelFolder(dir);
    assert.equal(m.tokenizerPath, undefined);
    assert.equal(m.tokenizerConfigPath, undefined);
    assert.ok(!('tokenizerPath' in m));
    m.weights.close();
  });

  it('presents the shards of a sharded folder as one set of tensors', () => {
    const dir = sharded();
    const m = openModelFolder(dir);
    try {
      const w = m.weights;
      assert.deepEqual(w.names(), ['h.0.w', 'h.1.w', 'wte']);
      assert.ok(w.has('h.1.w') && !w.has('h.2.w'));
      assert.equal(w.files.length, 2);
      assert.deepEqual(w.metadata, { total_size: 28 });
      assert.equal(w.info('h.1.w').dtype, 'F16');
      assert.equal(w.info('h.1.w').file, join(dir, 'model-00002-of-00002.safetensors'));
      assert.deepEqual([...w.tensor('wte').data], [1, 2, 3, 4]);
      assert.deepEqual([...w.tensor('h.1.w').data], [6, 7]);
      expectError(() => w.tensor('h.2.w'), CheckpointError, dir, '"h.2.w"', 'similar names: h.0.w, h.1.w');
    } finally {
      m.weights.close();
    }
    expectError(() => m.weights.tensor('wte'), FileError, 'closed');
  });

  it('prefers model.safetensors when both layouts are present (as transformers does)', () => {
    const dir = sharded();
    writeSafetensors(join(dir, 'model.safetensors'), { only: Tensor.from([1], [1]) });
    const w = openWeights(dir);
    assert.deepEqual(w.names(), ['only']);
    w.close();
  });
});

describe('model folder errors', () => {
  it('a folder that does not exist', () => {
    const p = join(root, 'missing');
    expectError(() => openModelFolder(p), FileError, p, 'does not exist', 'config.json');
  });

  it('a file instead of a folder', () => {
    const dir = folder({ 'config.json': CONFIG });
    const p = join(dir, 'config.json');
    expectError(() => openModelFolder(p), FileError, p, 'is a file, not a model folder', 'give the folder');
  });

  it('no config.json', () => {
    const dir = folder();
    writeSafetensors(join(dir, 'model.safetensors'), {});
    expectError(() => openModelFolder(dir), FileError, dir, 'no config.json', 'config.json and model.safetensors', 'save_pretrained');
  });

  it('config.json that is not JSON, or not an object', () => {
    expectError(() => openModelFolder(folder({ 'config.json': '{"n_layer": 12,' })), CheckpointError, 'config.json', 'not valid JSON');
    expectError(() => openModelFolder(folder({ 'config.json': '[1]' })), CheckpointError, 'config.json', 'must hold a JSON object');
  });

  it('no weights at all', () => {
    const dir = folder({ 'config.json': CONFIG });
    expectError(() => openModelFolder(dir), FileError, dir, 'no model.safetensors or model.safetensors.index.json', 'save_pretrained');
  });

  it('weights under another safetensors name', () => {
    const dir = folder({ 'config.json': CONFIG });
    writeSafetensors(join(dir, 'weights.safetensors'), {});
    expectError(() => openModelFolder(dir), FileError, 'weights.safetensors', 'rename');
  });

  it('pytorch_model.bin only: says attn reads safetensors and how to convert', () => {
    const dir = folder({ 'config.json': CONFIG, 'pytorch_model.bin': 'not really' });
    expectError(
      () => openModelFolder(dir),
      UnsupportedError,
      dir,
      'pytorch_model.bin',
      'attn reads only safetensors',
      'safe_serialization=True',
      `torch.load('${join(dir, 'pytorch_model.bin')}'`,
      `save_file(`,
    );
  });

  it('a *.ckpt only', () => {
    const dir = folder({ 'config.json': CONFIG, 'model.ckpt.index': '', 'model.ckpt.data-00000-of-00001': '' });
    expectError(() => openModelFolder(dir), UnsupportedError, 'model.ckpt.index', 'attn reads only safetensors', 'save_pretrained');
  });

  it('a shard listed in the index is missing', () => {
    const dir = sharded();
    fs.rmSync(join(dir, 'model-00002-of-00002.safetensors'));
    expectError(() => openModelFolder(dir), FileError, 'model.safetensors.index.json', 'model-00002-of-00002.safetensors', '"h.1.w"', 'does not exist', 'download');
  });

  it('a tensor listed in the index is absent from its shard', () => {
    const dir = sharded();
    const indexPath = join(dir, 'model.safetensors.index.json');
    const index = JSON.parse(fs.readFileSync(indexPath, 'utf8'));
    index.weight_map['h.9.w'] = 'model-00002-of-00002.safetensors';
    fs.writeFileSync(indexPath, JSON.stringify(index));
    expectError(() => openModelFolder(dir), CheckpointError, indexPath, '"h.9.w"', 'model-00002-of-00002.safetensors', 'has no such tensor');
  });

  it('an index without weight_map, with a bad entry, or pointing outside the folder', () => {
    const bad = (index: unknown) => {
      const dir = folder({ 'config.json': CONFIG, 'model.safetensors.index.json': index as object });
      return () => openModelFolder(dir);
    };
    expectError(bad({ metadata: {} }), CheckpointError, 'weight_map');
    expectError(bad({ weight_map: { a: 3 } }), CheckpointError, '"a"', 'shard file name');
    expectError(bad({ weight_map: { a: '../elsewhere.safetensors' } }), CheckpointError, 'outside the model folder');
    expectError(bad('{"weight_map": '), CheckpointError, 'model.safetensors.index.json', 'not valid JSON');
  });

  it('a damaged shard reports the shard file', () => {
    const dir = sharded();
    const shard = join(dir, 'model-00001-of-00002.safetensors');
    fs.writeFileSync(shard, 'garbage');
    expectError(() => openModelFolder(dir), CheckpointError, shard, 'not a valid safetensors file');
  });
});
