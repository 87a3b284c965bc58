// The entry point of attn's WebAssembly kernels (built by scripts/build-wasm.mjs): every export the
// TypeScript loader (src/kernels/runtime.ts) calls. Pointers are byte offsets into the shared memory.

export { gemm, pack, packKN, transpose } from './gemm';
export { layerNorm, softmax, gelu, crossEntropy, geluBackward } from './rows';
export { attentionTask, attentionScratchBytes, packKeys } from './attention';
