// Checkpoint I/O: safetensors files (read lazily, write atomically) and Hugging Face model folders.

export * from './dtypes.js';
export { SafetensorsFile, writeSafetensors, type TensorInfo, type WriteOptions } from './safetensors.js';
export { MAX_HEADER_BYTES } from './safetensors-header.js';
export {
  openModelFolder,
  openWeights,
  CONFIG_FILE,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  type ModelFolder,
  type WeightInfo,
  type WeightStore,
} from './hf-folder.js';
