// Reads safetensors files lazily (header at open, each tensor from disk on request, straight into its
// Float32Array) and writes them deterministically and atomically. Format: https://github.com/huggingface/safetensors

import fs from 'node:fs'; // used through the default export so tests can watch fs.readSync
import { basename, dirname, join } from 'node:path';
import { Tensor } from '../engine/tensor.js';
import { CheckpointError, FileError, UnsupportedError } from '../errors.js';
import {
  FLOAT_DTYPES,
  HOST_LITTLE_ENDIAN,
  WRITABLE_DTYPES,
  isFloatDType,
  narrowToBF16,
  narrowToF16,
  swapBytes,
  widenBF16,
  widenF16,
  type WritableDType,
} from './dtypes.js';
import { headerLength, invalid, parseHeader, type TensorInfo } from './safetensors-header.js';

export type { TensorInfo } from './safetensors-header.js';

/** An open safetensors file. Only the header is read at open; close() releases the file descriptor. */
export class SafetensorsFile {
  readonly path: string;
  /** The header's `__metadata__` (empty when absent), e.g. {format: 'pt'}. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Absolute file position of the data section: 8 + header length. */
  readonly dataStart: number;
  private fd: number | undefined;
  private readonly entries: ReadonlyMap<string, TensorInfo>;

  private constructor(path: string, fd: number, dataStart: number, entries: ReadonlyMap<string, TensorInfo>, metadata: Record<string, string>) {
    this.path = path;
    this.fd = fd;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = Object.freeze({ ...metadata });
  }

  /** Opens `path` and validates its header; throws FileError (cannot open) or CheckpointError (malformed). */
  static open(path: string): SafetensorsFile {
    let fd: number;
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      throw fileError(path, e);
    }
    try {
      const stat = fs.fstatSync(fd);
      const size = stat.size;
      if (stat.isDirectory()) throw new FileError(`${path} is a folder, not a safetensors file: give the path of the .safetensors file inside it`);
      const prefix = new Uint8Array(Math.min(8, size));
      readFully(fd, prefix, 0, path, 'the header length');
      const n = headerLength(prefix, size, path);
      const header = new Uint8Array(n);
      readFully(fd, header, 8, path, 'the header');
      const { tensors, metadata } = parseHeader(header, size - 8 - n, path);
      return new SafetensorsFile(path, fd, 8 + n, tensors, metadata);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Tensor names, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** dtype, shape, byteLength and data offsets of one tensor, without reading its data. */
  info(name: string): TensorInfo {
    const info = this.entries.get(name);
    if (!info) throw missingTensor(this.path, name, this.names());
    return info;
  }

  /** Reads one tensor from disk as float32 (F32 as is; F16, BF16 widened exactly; F64 rounded). */
  tensor(name: string): Tensor {
    const info = this.info(name);
    if (!isFloatDType(info.dtype)) {
      throw new UnsupportedError(
        `${this.path}: tensor ${JSON.stringify(name)} has dtype ${info.dtype}; attn reads only ${FLOAT_DTYPES.join(', ')} ` +
          `as numbers. Use rawBytes(${JSON.stringify(name)}) for its little-endian bytes, or skip it (integer buffers such as position_ids are not weights).`,
      );
    }
    const out = new Float32Array(info.numel);
    switch (info.dtype) {
      case 'F32':
        // A fresh Float32Array is aligned wherever the tensor sits in the file: one read, no extra copy.
        this.readAt(info, new Uint8Array(out.buffer), 4);
        break;
      case 'F16':
      case 'BF16': {
        const half = new Uint16Array(info.numel);
        this.readAt(info, new Uint8Array(half.buffer), 2);
        (info.dtype === 'F16' ? widenF16 : widenBF16)(half, out);
        break;
      }
      case 'F64': {
        const wide = new Float64Array(info.numel);
        this.readAt(info, new Uint8Array(wide.buffer), 8);
        out.set(wide); // rounds to nearest float32
        break;
      }
    }
    return new Tensor(out, info.shape);
  }

  /** The tensor's bytes exactly as stored (little-endian), for dtypes tensor() does not convert. */
  rawBytes(name: string): Uint8Array {
    const info = this.info(name);
    const out = new Uint8Array(info.byteLength);
    this.readAt(info, out, 1);
    return out;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private readAt(info: TensorInfo, dest: Uint8Array, width: number): void {
    if (this.fd === undefined) {
      throw new FileError(`${this.path} was closed; open it again to read tensor ${JSON.stringify(info.name)}`);
    }
    readFully(this.fd, dest, this.dataStart + info.offsets[0], this.path, `tensor ${JSON.stringify(info.name)}`);
    if (!HOST_LITTLE_ENDIAN && width > 1) swapBytes(dest, width);
  }
}

const MAX_READ = 1 << 30; // one readSync may move at most 2 GiB - 1 bytes

/** Reads exactly dest.length bytes at `position`; a short read means the file shrank or was cut. */
function readFully(fd: number, dest: Uint8Array, position: number, path: string, what: string): void {
  let done = 0;
  while (done < dest.length) {
    let n: number;
    try {
      n = fs.readSync(fd, dest, done, Math.min(dest.length - done, MAX_READ), position + done);
    } catch (e) {
      throw fileError(path, e);
    }
    if (n === 0) {
      throw new CheckpointError(
        `${path}: the file ended at byte ${position + done} while reading ${what} (bytes ${position}..${position + dest.length}). ` +
          `It is truncated or changed since it was opened: download or save it again.`,
      );
    }
    done += n;
  }
}

export function missingTensor(where: string, name: string, names: string[]): CheckpointError {
  const last = name.split('.').pop() ?? name;
  const similar = names.filter((n) => n.endsWith('.' + last) || n === last).slice(0, 5);
  const hint = similar.length ? `similar names: ${similar.join(', ')}` : `it has ${names.length} tensors, e.g. ${names.slice(0, 5).join(', ') || '(none)'}`;
  return new CheckpointError(`${where} has no tensor named ${JSON.stringify(name)} (${hint}). Check the checkpoint matches the model type in config.json.`);
}

function fileError(path: string, e: unknown): FileError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new FileError(`${path} does not exist: check the path`, { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new FileError(`${path} cannot be read (permission denied): check its permissions`, { cause: e });
  if (code === 'EISDIR') return new FileError(`${path} is a folder, not a safetensors file: give the path of the .safetensors file inside it`, { cause: e });
  return new FileError(`${path} cannot be read: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

// ---- writer ----

export interface WriteOptions {
  /** Stored element type; F32 by default. F16/BF16 round to nearest even. */
  dtype?: WritableDType;
  /** String pairs stored in `__metadata__` (Hugging Face writes {format: 'pt'}). */
  metadata?: Record<string, string>;
  /** Replace an existing file; without it an existing file is an error. */
  overwrite?: boolean;
}

/**
 * Writes `tensors` to `path` as safetensors. The bytes depend only on the input: names sorted, data laid
 * out in that order, header JSON padded with spaces to a multiple of 8 bytes (as the safetensors crate does).
 * The file appears atomically: written to a temporary file in the same folder, then renamed into place.
 */
export function writeSafetensors(path: string, tensors: Record<string, Tensor>, options: WriteOptions = {}): void {
  const dtype = options.dtype ?? 'F32';
  if (!(WRITABLE_DTYPES as readonly string[]).includes(dtype)) {
    throw new UnsupportedError(`cannot write ${path} as dtype ${JSON.stringify(dtype)}: choose one of ${WRITABLE_DTYPES.join(', ')}`);
  }
  const header = encodeHeader(path, tensors, dtype, options.metadata);
  const dir = dirname(path);
  if (!fs.existsSync(dir)) throw new FileError(`cannot write ${path}: folder ${dir} does not exist; create it first`);
  if (fs.existsSync(path)) {
    if (fs.statSync(path).isDirectory()) throw new FileError(`cannot write ${path}: it is a folder; give a file path such as ${join(path, 'model.safetensors')}`);
    if (!options.overwrite) throw new FileError(`${path} already exists; attn will not replace it unless asked to (overwrite: true), or choose another path`);
  }

  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx');
    writeAll(fd, header);
    for (const name of Object.keys(tensors).sort()) writeAll(fd, encodeData(tensors[name].data, dtype));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    publish(tmp, path, options.overwrite ?? false);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** The header bytes (8-byte length + padded JSON) for `tensors` stored as `dtype`. */
function encodeHeader(path: string, tensors: Record<string, Tensor>, dtype: WritableDType, metadata?: Record<string, string>): Uint8Array {
  const json: Record<string, unknown> = {};
  if (metadata !== undefined) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(metadata).sort()) {
      if (typeof metadata[k] !== 'string') throw new UnsupportedError(`cannot write ${path}: metadata value for ${JSON.stringify(k)} must be a string`);
      meta[k] = metadata[k];
    }
    json.__metadata__ = meta;
  }
  const bytes = dtype === 'F32' ? 4 : 2;
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    if (name === '' || name === '__metadata__') throw new CheckpointError(`cannot write ${path}: ${JSON.stringify(name)} is not a usable tensor name`);
    if (!(t instanceof Tensor)) throw new CheckpointError(`cannot write ${path}: ${JSON.stringify(name)} is not a Tensor`);
    const end = offset + t.size * bytes;
    json[name] = { dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const text = new TextEncoder().encode(JSON.stringify(json));
  const padded = Math.ceil(text.length / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(text, 8);
  return out;
}

/** The little-endian bytes of `data` as `dtype` (a view, not a copy, for F32 on little-endian hosts). */
function encodeData(data: Float32Array, dtype: WritableDType): Uint8Array {
  if (dtype === 'F32') {
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (HOST_LITTLE_ENDIAN) return view;
    const copy = view.slice();
    swapBytes(copy, 4);
    return copy;
  }
  const half = dtype === 'F16' ? narrowToF16(data) : narrowToBF16(data);
  const bytes = new Uint8Array(half.buffer);
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, 2);
  return bytes;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/** Moves the finished temporary file into place; without overwrite, a file that appeared meanwhile is kept. */
function publish(tmp: string, path: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(tmp, path);
    return;
  }
  try {
    fs.linkSync(tmp, path); // fails with EEXIST rather than replacing
    fs.rmSync(tmp, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileError(`${path} already exists; attn will not replace it unless asked to (overwrite: true), or choose another path`);
    if (fs.existsSync(path)) throw e; // some other failure with a file in the way: report it
    fs.renameSync(tmp, path); // the filesystem has no hard links
  }
}
