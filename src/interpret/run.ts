// runWithCache: one forward pass that keeps the requested intermediates (all by default).

import type { Model, ModelInput, ModelOutput } from '../models/types.js';
import { HEAD_PARAMS, paramName } from '../models/hook-names.js';
import { ActivationCache } from './cache.js';
import { selectHooks, type HookSelection } from './select.js';

export interface RunOptions {
  /** which hooks to store (see selectHooks); default: every activation, no parameters */
  hooks?: HookSelection;
}

export interface RunResult {
  output: ModelOutput;
  cache: ActivationCache;
}

export function runWithCache(model: Model, input: ModelInput, options: RunOptions = {}): RunResult {
  const wanted = selectHooks(model.config, options.hooks ?? 'all');
  const cache = new ActivationCache();
  const output = model.forward(input, (name, value) => {
    if (wanted.has(name)) cache.set(name, value);
  });
  for (let l = 0; l < model.config.nLayers; l++) {
    if (!HEAD_PARAMS.some((p) => wanted.has(paramName(l, p)))) continue;
    const params = model.headParams(l);
    for (const p of HEAD_PARAMS) if (wanted.has(paramName(l, p))) cache.set(paramName(l, p), params[p]);
  }
  return { output, cache };
}
