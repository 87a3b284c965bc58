// --model names resolve to snapshots in a Hugging Face Hub cache laid out as huggingface_hub writes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedSnapshot, looksLikeHubId, resolveModelPath } from '../../src/io/hub-cache.js';
import { FileError } from '../../src/errors.js';

test('Hub names resolve through refs/main to the snapshot; paths pass through; missing names explain', () => {
  const cache = mkdtempSync(join(tmpdir(), 'attn-hub-'));
  const snap = join(cache, 'models--openai-community--gpt2', 'snapshots', 'abc123');
  mkdirSync(snap, { recursive: true });
  mkdirSync(join(cache, 'models--openai-community--gpt2', 'refs'));
  writeFileSync(join(cache, 'models--openai-community--gpt2', 'refs', 'main'), 'abc123\n');
  assert.equal(cachedSnapshot('openai-community/gpt2', 'main', cache), snap);
  assert.equal(cachedSnapshot('openai-community/gpt2', 'abc123', cache), snap);
  assert.equal(cachedSnapshot('gpt2', 'main', cache), undefined);
  assert.equal(resolveModelPath('openai-community/gpt2', cache), snap);
  assert.equal(resolveModelPath(cache, cache), cache, 'an existing folder is used as it is');
  assert.equal(resolveModelPath('./some/dir/', cache), './some/dir/', 'a path-like argument is left to the folder loader');
  assert.throws(() => resolveModelPath('bert-base-uncased', cache), (e: unknown) => e instanceof FileError && /never downloads/.test(e.message) && e.message.includes(cache));
  assert.ok(looksLikeHubId('google-bert/bert-base-uncased'));
  assert.ok(!looksLikeHubId('/abs/path'));
});
