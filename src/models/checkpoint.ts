// Reading named tensors out of a checkpoint for a converter: prefix handling (GPT2LMHeadModel's
// "transformer.", BertForMaskedLM's "bert."), shape checks against config.json, and errors that name
// the tensor. Every converter (models/<arch>/convert.ts) goes through this.

import { CheckpointError } from '../errors.js';
import type { Tensor } from '../engine/tensor.js';

/** What a converter needs from a set of tensors (io's WeightStore and SafetensorsFile fit this). */
export interface TensorSource {
  names(): string[];
  info(name: string): { dtype: string; shape: readonly number[] };
  tensor(name: string): Tensor;
}

export class CheckpointReader {
  private readonly all: Set<string>;
  private readonly used = new Set<string>();
  /** the prefix the body's tensors carry in this checkpoint ('' or e.g. 'transformer.') */
  readonly prefix: string;

  constructor(
    private readonly src: TensorSource,
    private readonly arch: string,
    /** a tensor every checkpoint of this architecture has, used to find the prefix */
    probe: string,
    prefixes: string[],
  ) {
    this.all = new Set(src.names());
    const found = ['', ...prefixes].find((p) => this.all.has(p + probe));
    if (found === undefined) {
      const sample = [...this.all].slice(0, 6).join(', ');
      throw new CheckpointError(
        `this checkpoint does not look like ${arch}: it has no tensor '${probe}' (nor with prefix ${prefixes.map((p) => `'${p}'`).join(' or ')}). ` +
          `It has ${this.all.size} tensors, e.g. ${sample}. Check that config.json's model_type matches the weights.`,
      );
    }
    this.prefix = found;
  }

  /** Whether the checkpoint has `name` (body-relative unless `absolute`). */
  has(name: string, absolute = false): boolean {
    return this.all.has(absolute ? name : this.prefix + name);
  }

  /** The tensor `name` (body-relative unless `absolute`), which must have `shape`. */
  get(name: string, shape: readonly number[], absolute = false, why = ''): Tensor {
    const full = absolute ? name : this.prefix + name;
    if (!this.all.has(full)) {
      throw new CheckpointError(`the ${this.arch} checkpoint is missing tensor '${full}'${why ? ` (${why})` : ''}; the file may be truncated or config.json may not match the weights`);
    }
    const info = this.src.info(full);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new CheckpointError(
        `tensor '${full}' has shape [${info.shape.join(', ')}] but config.json implies [${shape.join(', ')}]; config.json does not match the weights`,
      );
    }
    this.used.add(full);
    return this.src.tensor(full);
  }

  /** Marks tensors as deliberately unused (buffers such as attention masks). */
  skip(names: Iterable<string>): void {
    for (const n of names) this.used.add(n);
  }

  /** The checkpoint's tensors that were neither read nor skipped. */
  unused(): string[] {
    return [...this.all].filter((n) => !this.used.has(n)).sort();
  }

  names(): string[] {
    return [...this.all];
  }
}

/** A TensorSource over tensors in memory (tests, freshly initialised or trained models). */
export class MapSource implements TensorSource {
  constructor(private readonly map: Map<string, Tensor>) {}
  names(): string[] {
    return [...this.map.keys()];
  }
  info(name: string): { dtype: string; shape: readonly number[] } {
    const t = this.map.get(name);
    if (!t) throw new CheckpointError(`no tensor '${name}'`);
    return { dtype: 'F32', shape: t.shape };
  }
  tensor(name: string): Tensor {
    const t = this.map.get(name);
    if (!t) throw new CheckpointError(`no tensor '${name}'`);
    return t;
  }
}
