// Running the built CLI as a user would (a child process), for the CLI tests.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, REPO_ROOT } from './paths.js';

export const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
export const GPT2 = join(FIXTURES, 'models', 'gpt2-tiny');
export const BERT = join(FIXTURES, 'models', 'bert-tiny');
export const SEED = "He sat on the river's bank";

export function attn(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, NO_COLOR: '1', ...options.env };
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? REPO_ROOT, encoding: 'buffer', env });
  return { code: r.status, out: r.stdout.toString('utf8'), bytes: r.stdout, err: r.stderr.toString('utf8') };
}

/** Runs attn expecting failure: the exit code, one clear message, no stack trace, nothing on stdout. */
export function expectError(args: string[], pattern: RegExp, code = 1) {
  const r = attn(args);
  assert.equal(r.code, code, `exit code for ${args.join(' ')}: ${r.err}`);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /^\s+at /m, 'no stack trace without --verbose');
  assert.equal(r.out, '', 'nothing on stdout');
  return r;
}
