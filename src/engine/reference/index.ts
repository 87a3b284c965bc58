// Registers the plain-TypeScript reference ops: the semantics every faster backend must match.

import { registerKernel, type OpName, type OpTable } from '../registry.js';
import { matmul, matmulT, matmulTN } from './matmul.js';
import { add, gelu, scale } from './elementwise.js';
import { layerNorm, softmax } from './rows.js';
import { causalMask, embedding } from './gather.js';
import { attention } from './attention.js';
import { crossEntropy, geluBackward } from './train.js';

export const referenceOps: OpTable = { matmulT, matmul, matmulTN, add, scale, layerNorm, gelu, softmax, embedding, causalMask, attention, crossEntropy, geluBackward };

for (const name of Object.keys(referenceOps) as OpName[]) {
  registerKernel({ kernelName: name, backendName: 'reference', kernelFunc: referenceOps[name] });
}
