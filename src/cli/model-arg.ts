// Resolves --model: a folder path, a model cached from the Hugging Face Hub ("gpt2"), or (when absent)
// the built-in model, models/default: a small GPT-2 trained by attn itself (see its MODEL_CARD.md).
// Should that folder be missing (a trimmed install), the small random-weight GPT-2 of the test fixtures
// stands in, and every command says so.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveModelPath } from '../io/hub-cache.js';
import { PACKAGE_ROOT } from './shell.js';

export interface ModelChoice {
  path: string;
  /** a line for the user when the choice deserves a word of caution */
  notice?: string;
}

export const BUILTIN_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'default');
export const FIXTURE_MODEL_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'models', 'gpt2-tiny');

export function chooseModel(flag: string | undefined): ModelChoice {
  if (flag) return { path: resolveModelPath(flag) };
  if (existsSync(join(BUILTIN_MODEL_DIR, 'config.json'))) return { path: BUILTIN_MODEL_DIR };
  return {
    path: FIXTURE_MODEL_DIR,
    notice:
      'note: using the test-fixture model (a tiny GPT-2 with random weights, 2 layers × 4 heads): its numbers are real ' +
      'computations but carry no meaning. Pass --model <folder> to use a real Hugging Face GPT-2 or BERT folder.',
  };
}
