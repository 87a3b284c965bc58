// Where tests find things: the repository root (found from this file, so it works from dist/ too),
// the committed fixtures, and the shared Hugging Face files that sit beside the clone (../shared).

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'tsconfig.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the attn repository root above ${start}`);
    dir = up;
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
/** Real Hugging Face tokenizer/config files, shared beside the repository (never copied into it). */
export const SHARED_HF = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'hf');
