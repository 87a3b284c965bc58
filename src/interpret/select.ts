// Which hooks to keep: turns what a user types ("pattern,q", "blocks.0.*", full names) into a filter
// over the names a model emits, rejecting selectors that match nothing.

import { InputError } from '../errors.js';
import type { ModelConfig } from '../models/config.js';
import { activationHookNames, paramHookNames, shortHookName } from '../models/hook-names.js';

export type HookSelection = string | readonly string[] | ((name: string) => boolean);

/** Every name runWithCache can store for this model: activations, then per-head parameters. */
export function availableHooks(cfg: ModelConfig): string[] {
  return [...activationHookNames(cfg.arch, cfg.nLayers), ...paramHookNames(cfg.nLayers)];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/**
 * The set of hook names a selection picks. A string selection is comma-separated; each part is a full
 * name, a short name (applies to every layer: "pattern", "q", "resid_pre", "W_Q"), a glob over full
 * names ("blocks.0.*", "*.hook_pattern"), or "all".
 */
export function selectHooks(cfg: ModelConfig, selection: HookSelection): Set<string> {
  const all = availableHooks(cfg);
  if (typeof selection === 'function') return new Set(all.filter(selection));
  const parts = (typeof selection === 'string' ? selection.split(',') : [...selection]).map((s) => s.trim()).filter(Boolean);
  const chosen = new Set<string>();
  for (const part of parts) {
    const matches =
      part === 'all'
        ? all.filter((n) => !/\.(W|b)_[QKVO]$/.test(n))
        : part.includes('*')
          ? all.filter((n) => globToRegExp(part).test(n))
          : all.filter((n) => n === part || shortHookName(n) === part);
    if (matches.length === 0) {
      const shorts = [...new Set(all.map(shortHookName))];
      throw new InputError(
        `no hook matches "${part}" in this ${cfg.arch} model (${cfg.nLayers} layers). ` +
          `Use a short name (${shorts.join(', ')}), a full name such as "${all.find((n) => n.includes('pattern'))}", or a glob such as "blocks.0.*"`,
      );
    }
    for (const m of matches) chosen.add(m);
  }
  return chosen;
}
