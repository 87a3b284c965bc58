// Types of the module scripts/build-wasm.mjs generates (dist/src/kernels/wasm-binaries.js): each build of
// the AssemblyScript kernels as base64.

/** relaxed SIMD (f32x4.relaxed_madd), shared memory (threads) */
export declare const relaxedShared: string;
/** standard SIMD, shared memory */
export declare const simdShared: string;
/** relaxed SIMD, private memory (no SharedArrayBuffer) */
export declare const relaxed: string;
/** standard SIMD, private memory */
export declare const simd: string;
