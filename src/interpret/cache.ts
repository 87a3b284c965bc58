// ActivationCache: the intermediates of one forward pass, by hook name (TransformerLens' idea, kept small).

import { InputError } from '../errors.js';
import type { Tensor } from '../engine/tensor.js';
import { hookNames } from '../models/hook-names.js';

export class ActivationCache {
  private readonly store = new Map<string, Tensor>();

  set(name: string, value: Tensor): void {
    this.store.set(name, value);
  }

  has(name: string): boolean {
    return this.store.has(name);
  }

  /** The stored activation; a clear error names what was stored when it is absent. */
  get(name: string): Tensor {
    const v = this.store.get(name);
    if (!v) {
      const names = [...this.store.keys()];
      const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : '');
      throw new InputError(`the cache has no '${name}'${names.length ? `; it holds ${shown}` : ' (it is empty)'}. Ask runWithCache for it with the hooks option`);
    }
    return v;
  }

  names(): string[] {
    return [...this.store.keys()];
  }

  get size(): number {
    return this.store.size;
  }

  /** [H, T, S] attention weights of layer l */
  pattern(layer: number): Tensor {
    return this.get(hookNames.pattern(layer));
  }

  entries(): IterableIterator<[string, Tensor]> {
    return this.store.entries();
  }
}
