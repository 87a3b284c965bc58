// The one tensor type of attn: a dense, row-major Float32Array with a shape. Plain data, no autograd,
// no strides: every op returns a fresh contiguous tensor. Dimension letters: see docs/ARCHITECTURE.md.

import { ShapeError } from '../errors.js';

export type Shape = readonly number[];

export class Tensor {
  readonly data: Float32Array;
  readonly shape: Shape;

  constructor(data: Float32Array, shape: Shape) {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new ShapeError(`tensor data has ${data.length} values but shape [${shape.join(', ')}] needs ${n}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  static zeros(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)), shape);
  }

  static from(values: ArrayLike<number>, shape: Shape): Tensor {
    return new Tensor(Float32Array.from(values), shape);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** Same data, new shape (no copy). */
  reshape(shape: Shape): Tensor {
    return new Tensor(this.data, shape);
  }

  /** Row i of the leading dimension as a view over the same memory: shape = this.shape.slice(1). */
  row(i: number): Tensor {
    const inner = this.shape.slice(1);
    const n = sizeOf(inner);
    if (!Number.isInteger(i) || i < 0 || i >= this.shape[0]) {
      throw new ShapeError(`row ${i} is out of range for shape [${this.shape.join(', ')}]`);
    }
    return new Tensor(this.data.subarray(i * n, (i + 1) * n), inner);
  }

  /** Value at a full index, for tests and explanations (slow path). */
  at(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new ShapeError(`index of rank ${index.length} for tensor of rank ${this.shape.length}`);
    }
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      const k = index[d];
      if (k < 0 || k >= this.shape[d]) throw new ShapeError(`index ${k} out of range in dim ${d} of [${this.shape.join(', ')}]`);
      off = off * this.shape[d] + k;
    }
    return this.data[off];
  }

  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  toString(): string {
    return `Tensor[${this.shape.join(', ')}]`;
  }
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`invalid dimension ${d} in shape [${shape.join(', ')}]`);
    n *= d;
  }
  return n;
}

/**
 * Asserts that `t` has the expected shape. `null` entries match any size; a string names what the
 * dimension is (e.g. 'T'), and the same letter must have the same size across one call.
 */
export function assertShape(t: Tensor, expected: ReadonlyArray<number | string | null>, what: string): void {
  const fail = () =>
    new ShapeError(`${what}: expected shape [${expected.map((e) => e ?? '*').join(', ')}], got [${t.shape.join(', ')}]`);
  if (t.shape.length !== expected.length) throw fail();
  const seen = new Map<string, number>();
  expected.forEach((e, i) => {
    const got = t.shape[i];
    if (typeof e === 'number' && got !== e) throw fail();
    if (typeof e === 'string') {
      const prev = seen.get(e);
      if (prev !== undefined && prev !== got) throw fail();
      seen.set(e, got);
    }
  });
}
