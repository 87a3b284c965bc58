// The progress display of `attn train`: the bar, the durations, and what a log file (not a terminal) gets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bar, formatDuration, ProgressLine } from '../../src/cli/progress.js';

test('bar: width cells, eighth blocks, clamped', () => {
  assert.equal(bar(0, 4), '    ');
  assert.equal(bar(1, 4), '████');
  assert.equal(bar(0.5, 4), '██  ');
  assert.equal(bar(1 / 32, 4), '▏   ');
  assert.equal(bar(2, 3), '███');
  for (let f = 0; f <= 1; f += 0.01) assert.equal([...bar(f, 10)].length, 10);
});

test('durations read as a person would say them', () => {
  assert.equal(formatDuration(5.9), '5s');
  assert.equal(formatDuration(65), '1m05s');
  assert.equal(formatDuration(3 * 3600 + 7 * 60 + 59), '3h07m');
  assert.equal(formatDuration(Infinity), '?');
});

test('off a terminal: notes and evaluations each on a line, steps at most every 30 s and at the end', () => {
  let written = '';
  const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
  const p = new ProgressLine(false, stream);
  p.event({ kind: 'start', step: 0, steps: 3, parameters: 1234567, windows: 99 });
  p.event({ kind: 'eval', step: 0, loss: Math.log(100) });
  for (let s = 1; s <= 3; s++) p.event({ kind: 'step', step: s, steps: 3, loss: 5, lr: 1e-3, gradNorm: 1, seconds: 0.5, tokens: 1000, epoch: s / 10 });
  p.done();
  const lines = written.trim().split('\n');
  assert.equal(lines[0], 'model: 1,234,567 parameters; 99 training windows; 3 steps');
  assert.equal(lines[1], 'step 0: held-out loss 4.605 (perplexity 100.0)');
  assert.equal(lines.length, 4, 'the first step line, then nothing until the last step');
  assert.match(lines[3], /^100% step 3\/3 · loss 5\.000 · held-out 4\.605 · 2,000 tok\/s · epoch 0\.30 · ETA 0s$/);
  assert.doesNotMatch(written, /\x1b\[|\r/, 'no terminal control codes in a log');
});
