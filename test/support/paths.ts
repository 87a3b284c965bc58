// Where tests find things: the repository root (found from this file, so it works from dist/ too),
// the committed fixtures, and the shared Hugging Face files that sit beside the clone (../shared).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

/**
 * The model folder a reference fixture folder (test/fixtures/reference/<variant>) belongs to: the fixture
 * model of the same name, or the folder its source.json names (the built-in model under models/).
 */
export function referenceModelDir(variant: string): string {
  const source = join(FIXTURES, 'reference', variant, 'source.json');
  if (!existsSync(source)) return join(FIXTURES, 'models', variant);
  return join(REPO_ROOT, (JSON.parse(readFileSync(source, 'utf8')) as { model: string }).model);
}

/** The cases (.json files, source.json excepted) of a reference fixture folder. */
export function referenceCases(variant: string): string[] {
  return readdirSync(join(FIXTURES, 'reference', variant)).filter((f) => f.endsWith('.json') && f !== 'source.json').sort();
}
