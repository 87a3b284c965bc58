// Builds the WebAssembly kernels (src/kernels/) from AssemblyScript sources. Filled in by the kernels work.
