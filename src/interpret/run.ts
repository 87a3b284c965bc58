// runWithCache: one forward pass that keeps the requested intermediates (all by default).

import { InputError } from '../errors.js';
import type { PlannedHook } from '../models/attention.js';
import type { Model, ModelInput, ModelOutput } from '../models/types.js';
import { HEAD_PARAMS, paramName } from '../models/hook-names.js';
import { ActivationCache } from './cache.js';
import { selectHooks, type HookSelection } from './select.js';

export interface RunOptions {
  /** which hooks to store (see selectHooks); default: every activation, no parameters */
  hooks?: HookSelection;
  /**
   * Keep only these query positions (distinct, in this order) of every [H, T, S] hook (pattern, dot,
   * attn_scores), which then hold [H, R, S]. Asking for a few rows of the pattern alone never builds the
   * [H, T, S] matrix: memory stays O(T) per row, however long the input.
   */
  rows?: readonly number[];
}

export interface RunResult {
  output: ModelOutput;
  cache: ActivationCache;
}

export function runWithCache(model: Model, input: ModelInput, options: RunOptions = {}): RunResult {
  const wanted = selectHooks(model.config, options.hooks ?? 'all');
  const cache = new ActivationCache();
  const rows = options.rows && checkRows(options.rows, input.ids.length);
  const hook: PlannedHook = (name, value) => {
    if (wanted.has(name)) cache.set(name, value);
  };
  // the plan tells attention what is read, so it can skip the [H, T, S] intermediates nobody asked for
  hook.plan = { wants: (name) => wanted.has(name), rows };
  const output = model.forward(input, hook);
  for (let l = 0; l < model.config.nLayers; l++) {
    if (!HEAD_PARAMS.some((p) => wanted.has(paramName(l, p)))) continue;
    const params = model.headParams(l);
    for (const p of HEAD_PARAMS) if (wanted.has(paramName(l, p))) cache.set(paramName(l, p), params[p]);
  }
  return { output, cache };
}

function checkRows(rows: readonly number[], T: number): readonly number[] {
  const seen = new Set<number>();
  for (const t of rows) {
    if (!Number.isInteger(t) || t < 0 || t >= T) throw new InputError(`row ${t} is not a token position (the input has ${T} tokens: 0 to ${T - 1})`);
    if (seen.has(t)) throw new InputError(`row ${t} is asked for twice`);
    seen.add(t);
  }
  return [...rows];
}
