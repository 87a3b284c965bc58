// Registers the plain-TypeScript reference ops: the semantics every faster backend must match.

import { registerKernel, type OpName, type OpTable } from '../registry.js';
import { matmulT } from './matmul.js';
import { add, gelu, scale } from './elementwise.js';
import { layerNorm, softmax } from './rows.js';
import { causalMask, embedding } from './gather.js';
import { attention } from './attention.js';

export const referenceOps: OpTable = { matmulT, add, scale, layerNorm, gelu, softmax, embedding, causalMask, attention };

for (const name of Object.keys(referenceOps) as OpName[]) {
  registerKernel({ kernelName: name, backendName: 'reference', kernelFunc: referenceOps[name] });
}
