// The CLI as a user meets it: `attn trace` output, and every kind of bad input giving one clear line on
// stderr, a non-zero exit and no stack trace unless --verbose.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafetensorsFile, writeSafetensors } from '../src/io/safetensors.js';
import type { Tensor } from '../src/engine/tensor.js';
import { FIXTURES } from './support/paths.js';
import { attn, expectError, GPT2, BERT, SEED } from './support/cli.js';

/** A copy of a fixture model in a temp folder, for breaking it. */
function copyModel(src = GPT2): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'attn-cli-')), 'model');
  cpSync(src, dir, { recursive: true });
  return dir;
}

function rewriteWeights(dir: string, edit: (tensors: Record<string, Tensor>) => void): void {
  const f = SafetensorsFile.open(join(dir, 'model.safetensors'));
  const tensors: Record<string, Tensor> = {};
  for (const n of f.names()) if (f.info(n).dtype !== 'I64') tensors[n] = f.tensor(n);
  f.close();
  edit(tensors);
  writeSafetensors(join(dir, 'model.safetensors'), tensors, { overwrite: true });
}

test('attn trace prints the documented JSON for GPT-2', () => {
  const r = attn(['trace', '--model', GPT2, SEED, '--hooks', 'pattern,attn_scores,q,k,v', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.format, 'attn.trace/1');
  assert.equal(j.model.arch, 'gpt2');
  assert.deepEqual(j.words.map((w: { text: string }) => w.text), ['He', 'sat', 'on', 'the', "river's", 'bank']);
  assert.ok(j.tokens.every((t: { start: number; end: number }) => SEED.slice(t.start, t.end).length > 0));
  const T = j.tokens.length, H = j.model.heads, D = j.model.headWidth;
  assert.deepEqual(Object.keys(j.hooks).filter((k) => k.startsWith('blocks.0.')), [
    'blocks.0.attn.hook_q', 'blocks.0.attn.hook_k', 'blocks.0.attn.hook_v', 'blocks.0.attn.hook_attn_scores', 'blocks.0.attn.hook_pattern',
  ]);
  assert.deepEqual(j.hooks['blocks.1.attn.hook_q'].shape, [T, H, D]);
  const scores = j.hooks['blocks.0.attn.hook_attn_scores'];
  assert.equal(scores.data[1], null, 'masked score (token 0 cannot see token 1) is null');
  const pattern = j.hooks['blocks.1.attn.hook_pattern'];
  const row = pattern.data.slice((T - 1) * T, T * T) as number[];
  assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
});

test('attn trace on BERT marks [CLS]/[SEP] as special words; -o writes a file and refuses to overwrite', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'attn-out-')), 'trace.json');
  const r = attn(['trace', '--model', BERT, SEED, '-o', out]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(j.model.arch, 'bert');
  assert.equal(j.words[0].special, true);
  assert.equal(j.tokens[0].start, j.tokens[0].end);
  assert.ok(j.hooks['blocks.0.attn.hook_pattern']);
  expectError(['trace', '--model', BERT, SEED, '-o', out], /already exists; .*--force/);
  assert.equal(attn(['trace', '--model', BERT, SEED, '-o', out, '--force']).code, 0);
});

test('bad input: folders, configs and checkpoints', () => {
  expectError(['trace', '--model', '/nonexistent/model', SEED], /\/nonexistent\/model/);
  const empty = mkdtempSync(join(tmpdir(), 'attn-empty-'));
  expectError(['trace', '--model', empty, SEED], /config\.json/);

  const badType = copyModel();
  const cfg = JSON.parse(readFileSync(join(badType, 'config.json'), 'utf8'));
  writeFileSync(join(badType, 'config.json'), JSON.stringify({ ...cfg, model_type: 'llama' }));
  expectError(['trace', '--model', badType, SEED], /model_type "llama" is not supported; attn runs gpt2, bert/);

  const badHeader = copyModel();
  writeFileSync(join(badHeader, 'model.safetensors'), Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123, 34]));
  expectError(['trace', '--model', badHeader, SEED], /model\.safetensors/);

  const missing = copyModel();
  rewriteWeights(missing, (t) => delete t['transformer.h.1.ln_2.weight']);
  expectError(['trace', '--model', missing, SEED], /missing tensor 'transformer\.h\.1\.ln_2\.weight'/);

  const wrongShape = copyModel();
  const c2 = JSON.parse(readFileSync(join(wrongShape, 'config.json'), 'utf8'));
  writeFileSync(join(wrongShape, 'config.json'), JSON.stringify({ ...c2, n_positions: 32 }));
  expectError(['trace', '--model', wrongShape, SEED], /'transformer\.wpe\.weight' has shape \[64, \d+\] but config\.json implies \[32, \d+\]/);

  const badDtype = copyModel();
  const bytes = readFileSync(join(badDtype, 'model.safetensors'));
  const n = Number(bytes.readBigUInt64LE(0));
  const header = bytes.subarray(8, 8 + n).toString('utf8').replace('"F32"', '"F8_E4M3"');
  writeFileSync(join(badDtype, 'model.safetensors'), Buffer.concat([bytes.subarray(0, 8), Buffer.from(header), bytes.subarray(8 + n)]));
  expectError(['trace', '--model', badDtype, SEED], /F8_E4M3/);
  for (const d of [badType, badHeader, missing, wrongShape, badDtype]) rmSync(d, { recursive: true, force: true });
});

test('bad input: text and flags', () => {
  expectError(['trace', '--model', GPT2, ''], /empty/, 2);
  expectError(['trace', '--model', GPT2, 'bank '.repeat(100)], /has only 64 positions; shorten the text to at most 64 tokens/, 2);
  expectError(['trace', '--model', GPT2, SEED, '--hooks', 'nonsense'], /no hook matches "nonsense".*pattern/s, 2);
  expectError(['trace', '--model', GPT2, SEED, '--format', 'xml'], /unknown --format "xml"/, 2);
  expectError(['trace', '--model', GPT2, SEED, '--bogus'], /Unknown option '--bogus'/, 2);
  expectError(['trace', '--model', GPT2], /one text/, 2);
});

test('--verbose adds the stack trace', () => {
  const r = attn(['trace', '--model', '/nonexistent/model', SEED, '--verbose']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /^\s+at /m);
});
