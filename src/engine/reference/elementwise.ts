// Reference elementwise ops: add, scale, GELU (exact erf form and GPT-2's tanh approximation).
// GELU: Hendrycks & Gimpel 2016, "Gaussian Error Linear Units".

import { Tensor } from '../tensor.js';
import type { GeluKind } from '../registry.js';

export function add(a: Tensor, b: Tensor): Tensor {
  const out = new Float32Array(a.size);
  const x = a.data, y = b.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] + y[i];
  return new Tensor(out, a.shape);
}

export function scale(a: Tensor, s: number): Tensor {
  const out = new Float32Array(a.size);
  const x = a.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] * s;
  return new Tensor(out, a.shape);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function gelu(a: Tensor, kind: GeluKind): Tensor {
  const out = new Float32Array(a.size);
  const x = a.data;
  if (kind === 'tanh') {
    for (let i = 0; i < out.length; i++) {
      const v = x[i];
      out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  } else {
    // 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(−x/√2)
    for (let i = 0; i < out.length; i++) out[i] = 0.5 * x[i] * erfc(-x[i] * Math.SQRT1_2);
  }
  return new Tensor(out, a.shape);
}

/**
 * Complementary error function with fractional error below 1.2e-7 everywhere (Chebyshev fit from
 * Numerical Recipes in C, 2nd ed., §6.2). JavaScript has no Math.erf.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
