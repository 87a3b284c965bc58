// Parses and validates a safetensors header (https://github.com/huggingface/safetensors#format):
// u64 little-endian N, then N bytes of UTF-8 JSON {name: {dtype, shape, data_offsets}, "__metadata__"?: {str: str}}.

import { CheckpointError } from '../errors.js';
import { DTYPES, FLOAT_DTYPES, isDType, type DType } from './dtypes.js';

/** Where one tensor lives and what it holds. Offsets are relative to the data section, as in the header. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Number of elements (product of the shape; 1 for a scalar). */
  readonly numel: number;
  /** Bytes the tensor occupies in the file: numel × bytes per element. */
  readonly byteLength: number;
  /** [begin, end) within the data section (which starts at 8 + header length). */
  readonly offsets: readonly [number, number];
}

export interface ParsedHeader {
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The safetensors crate refuses headers over 100 MB; so do we, before allocating anything. */
export const MAX_HEADER_BYTES = 100_000_000;

const REDO = 'The file is damaged or not a safetensors file (an interrupted download?): download or save it again.';

export function invalid(file: string, detail: string): CheckpointError {
  return new CheckpointError(`${file} is not a valid safetensors file: ${detail}. ${REDO}`);
}

/**
 * Checks the 8-byte length prefix against the file size and returns the header length in bytes.
 * `prefix` is the first min(8, fileSize) bytes of the file.
 */
export function headerLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8) {
    throw invalid(file, `it is ${fileSize} bytes long, shorter than the 8-byte header length every safetensors file starts with`);
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(fileSize - 8)) {
    throw invalid(file, `its first 8 bytes give a header length of ${n} bytes, but the file has only ${fileSize - 8} bytes after them`);
  }
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw invalid(file, `its header length is ${n} bytes, over the ${MAX_HEADER_BYTES}-byte limit safetensors allows`);
  }
  if (n < 2n) throw invalid(file, `its header length is ${n} bytes, too short for a JSON object`);
  return Number(n);
}

/** Parses the JSON header and checks every entry against a data section of `dataLength` bytes. */
export function parseHeader(headerBytes: Uint8Array, dataLength: number, file: string): ParsedHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw invalid(file, 'its header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `its header is not valid JSON (${(e as Error).message}); it starts with ${JSON.stringify(text.slice(0, 40))}`);
  }
  if (!isPlainObject(json)) {
    throw invalid(file, `its header must be a JSON object {name: {dtype, shape, data_offsets}}, but it is ${describe(json)}`);
  }

  let metadata: Record<string, string> = {};
  const tensors = new Map<string, TensorInfo>();
  for (const [name, entry] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry, file);
      continue;
    }
    tensors.set(name, parseEntry(name, entry, dataLength, file));
  }
  checkOverlaps([...tensors.values()], file);
  return { tensors, metadata };
}

function parseMetadata(entry: unknown, file: string): Record<string, string> {
  if (!isPlainObject(entry)) throw invalid(file, `"__metadata__" must be an object of strings, but it is ${describe(entry)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v !== 'string') throw invalid(file, `"__metadata__" value for ${JSON.stringify(k)} must be a string, but it is ${describe(v)}`);
    out[k] = v;
  }
  return out;
}

function parseEntry(name: string, entry: unknown, dataLength: number, file: string): TensorInfo {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!isPlainObject(entry)) throw invalid(file, `${where} must be described by {dtype, shape, data_offsets}, but it is ${describe(entry)}`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (!isDType(dtype)) {
    throw new CheckpointError(
      `${file}: ${where} has dtype ${JSON.stringify(dtype)}, which attn does not know. ` +
        `Known dtypes: ${Object.keys(DTYPES).join(', ')} (of which attn reads ${FLOAT_DTYPES.join(', ')} as numbers). ` +
        `Convert the checkpoint to F32, F16 or BF16 (e.g. in Python: load it with safetensors.torch.load_file, ` +
        `call .float() on each tensor, and save_file the result).`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    throw invalid(file, `${where} has shape ${JSON.stringify(shape)}; a shape must be a list of non-negative integers`);
  }
  let numel = 1;
  for (const d of shape as number[]) numel *= d;
  const byteLength = numel * DTYPES[dtype].bytes;
  if (!Number.isSafeInteger(byteLength)) throw invalid(file, `${where} has shape [${shape.join(', ')}], too large to address`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger)) {
    throw invalid(file, `${where} has data_offsets ${JSON.stringify(offsets)}; they must be [begin, end], two non-negative integers`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end) throw invalid(file, `${where} has data_offsets [${begin}, ${end}]: begin is after end`);
  if (end > dataLength) {
    throw invalid(file, `${where} has data_offsets [${begin}, ${end}], past the end of the data section (${dataLength} bytes)`);
  }
  if (end - begin !== byteLength) {
    throw invalid(
      file,
      `${where} has data_offsets [${begin}, ${end}] (${end - begin} bytes), but its shape [${shape.join(', ')}] ` +
        `and dtype ${dtype} need ${numel} × ${DTYPES[dtype].bytes} = ${byteLength} bytes`,
    );
  }
  return { name, dtype, shape: Object.freeze([...(shape as number[])]), numel, byteLength, offsets: Object.freeze([begin, end]) as readonly [number, number] };
}

function checkOverlaps(infos: TensorInfo[], file: string): void {
  // Empty tensors occupy no bytes, so they cannot overlap anything.
  const sorted = infos.filter((t) => t.byteLength > 0).sort((a, b) => a.offsets[0] - b.offsets[0]);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.offsets[0] < prev.offsets[1]) {
      throw invalid(
        file,
        `tensors ${JSON.stringify(prev.name)} (bytes [${prev.offsets.join(', ')}]) and ${JSON.stringify(cur.name)} ` +
          `(bytes [${cur.offsets.join(', ')}]) overlap in the data section`,
      );
    }
  }
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNonNegativeInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  const s = JSON.stringify(x);
  return `${typeof x} ${s && s.length > 40 ? s.slice(0, 40) + '…' : s}`;
}
