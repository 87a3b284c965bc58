// attn's library API: load a model folder, run it with every intermediate kept, trace it as JSON.

export { Tensor, type Shape } from './engine/tensor.js';
export * as ops from './engine/ops.js';
export { registerKernel, setBackendOrder, type KernelConfig, type OpTable } from './engine/registry.js';
export * from './errors.js';
export { SafetensorsFile, writeSafetensors, openModelFolder } from './io/index.js';
export { Tokenizer, type Encoding, type Token, type Word } from './tokenize/tokenizer.js';
export { parseConfig, SUPPORTED_MODEL_TYPES, type ModelConfig } from './models/config.js';
export { buildModel } from './models/build.js';
export { MapSource, type TensorSource } from './models/checkpoint.js';
export { hookNames, type HookFn } from './models/hook-names.js';
export type { Model, ModelInput, ModelOutput } from './models/types.js';
export { ActivationCache } from './interpret/cache.js';
export { runWithCache, type RunOptions, type RunResult } from './interpret/run.js';
export { selectHooks, availableHooks, type HookSelection } from './interpret/select.js';
export { loadTransformer, type Transformer } from './interpret/load.js';
export { trace, TRACE_FORMAT, type TraceJSON, type TraceOptions } from './interpret/trace.js';
export { mergeMatrix, mergeRow, queryRows } from './interpret/words.js';
export { combineHeads, rollout, tokenMatrix } from './interpret/aggregate.js';
export { attentionView, AGGREGATES, type ViewOptions } from './interpret/attend.js';
export { analyze, type Analysis } from './interpret/analyze.js';
export { explainContext, type ExplainContext } from './interpret/context.js';
export { describeSelection, type AttentionView, type Aggregate, type Unit, type ViewItem } from './interpret/view.js';
export { explain, explainAnalysis, type ExplainOptions, type ExplainResult } from './api/explain.js';
export { compare, type CompareOptions, type CompareResult } from './api/compare.js';
export { explainLevel, formatText, formatMarkdown } from './explain/index.js';
export type { Explanation, Level, Block, Section } from './explain/types.js';
export * from './render/index.js';
