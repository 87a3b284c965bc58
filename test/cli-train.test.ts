// `attn train` as a user meets it: bad input refused with one clear line and nothing written; a small
// run end to end (tokenizer trained by attn, folder usable by `attn --model`); Ctrl-C saves a checkpoint
// and --resume finishes the run; --force replaces only attn's own files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attn, expectError, GPT2, MAIN, SEED } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attn-cli-train-'));
const SENTENCES = [
  'He sat on the bank of the river and watched the water.', 'She put her money in the bank on Monday.',
  'The river bank was muddy after the rain.', 'The bank raised its interest rates again.',
  'They walked along the bank to the bridge.', 'A loan from the bank paid for the house.',
];
/** A small corpus: 60 documents of shuffled sentences (deterministic). */
const corpus = join(dir, 'corpus.txt');
writeFileSync(corpus, Array.from({ length: 60 }, (_, d) => Array.from({ length: 4 }, (_, i) => SENTENCES[(d * 5 + i * 7) % SENTENCES.length]).join(' ')).join('\n\n') + '\n');
const SMALL = ['--layers', '1', '--heads', '2', '--embd', '16', '--context', '32', '--batch', '4', '--eval-every', '5', '--threads', '1'];

test('bad input: one clear error, exit code, nothing written', () => {
  const out = join(dir, 'never');
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '\n\n');
  const bin = join(dir, 'data.bin');
  writeFileSync(bin, new Uint8Array([1, 2, 0, 3]));
  expectError(['train', '--out', out], /give one or more text files/, 2);
  expectError(['train', corpus], /give the folder to write the model to: --out/, 2);
  expectError(['train', empty, '--out', out], /empty\.txt is empty/, 2);
  expectError(['train', bin, '--out', out], /data\.bin looks like a binary file/, 2);
  expectError(['train', join(dir, 'nope.txt'), '--out', out], /nope\.txt: it does not exist|does not exist/, 1);
  expectError(['train', corpus, '--out', out, '--embd', '30', '--heads', '4', '--tokenizer', GPT2], /--embd 30 must be divisible by --heads 4/, 2);
  expectError(['train', corpus, '--out', out, '--lr', 'fast'], /--lr takes a number/, 2);
  expectError(['train', corpus, '--out', out, '--steps', '10', '--epochs', '2'], /--steps or --epochs, not both/, 2);
  expectError(['train', corpus, '--out', out, '--vocab', '100'], /vocab/i, 2);
  expectError(['train', corpus, '--out', out, '--resume', '--force'], /give one of them/, 2);
  expectError(['train', corpus, '--out', out, '--resume'], /cannot resume/, 1);
  assert.equal(existsSync(out), false, 'no folder was created');
  const taken = join(dir, 'taken');
  mkdirSync(taken);
  writeFileSync(join(taken, 'mine.txt'), 'keep me');
  expectError(['train', corpus, '--out', taken], /already exists and is not empty: add --resume .* --force/, 1);
  assert.deepEqual(readdirSync(taken), ['mine.txt']);
});

test('a small run: trains a tokenizer and a model; the folder works with attn --model', () => {
  const out = join(dir, 'model');
  const r = attn(['train', corpus, '--out', out, '--vocab', '300', '--steps', '6', ...SMALL]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /57 training documents .* 3 held-out \(every 20th document\)/);
  assert.match(r.err, /tokenizer: byte-level BPE, 300 tokens/);
  assert.match(r.err, /step 0: held-out loss \d\.\d{3} \(perplexity/);
  assert.match(r.err, /done: 6 steps/);
  assert.deepEqual(readdirSync(out).sort(), ['config.json', 'model.safetensors', 'tokenizer.json', 'training']);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.equal(config.vocab_size, 300);
  assert.equal(config.n_embd, 16);
  const ex = attn([SEED, '--word', 'bank', '--model', out, '--format', 'json']);
  assert.equal(ex.code, 0, ex.err);
  assert.equal(JSON.parse(ex.out).view.model.layers, 1);
  // --force replaces attn's files and keeps the user's
  writeFileSync(join(out, 'notes.md'), 'mine');
  const again = attn(['train', corpus, '--out', out, '--force', '--tokenizer', out, '--steps', '2', ...SMALL]);
  assert.equal(again.code, 0, again.err);
  assert.equal(readFileSync(join(out, 'notes.md'), 'utf8'), 'mine');
  assert.equal(JSON.parse(readFileSync(join(out, 'training', 'history.json'), 'utf8')).step, 2);
});

test('Ctrl-C saves a checkpoint and exits 130; --resume finishes the run', async () => {
  const out = join(dir, 'interrupted');
  const args = [MAIN, 'train', corpus, '--out', out, '--tokenizer', GPT2, '--steps', '400', ...SMALL];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/step 0: held-out loss/.test(err)) resolve();
    });
  });
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, err);
  assert.match(err, /stopping after this step/);
  assert.match(err, /stopped at step \d+ of 400; checkpoint saved/);
  assert.match(err, /continue with: attn train .* --resume/);
  const saved = JSON.parse(readFileSync(join(out, 'training', 'history.json'), 'utf8'));
  assert.ok(saved.step >= 0 && saved.step < 400, `saved at step ${saved.step}`);
  // resuming with other settings is refused; with the same ones it goes on from the saved step
  expectError(['train', corpus, '--out', out, '--resume', '--lr', '0.1'], /cannot resume .*settings differ: lr \(saved 0\.003, asked 0\.1\)/, 2);
  // the saved run's settings are the defaults: --resume alone continues it
  const r = attn(['train', corpus, '--out', out, '--resume', '--threads', '1']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`resuming at step ${saved.step} of 400`));
  assert.match(r.err, /done: 400 steps/);
});
