// Test helpers for src/io: temporary folders under os.tmpdir(), and safetensors files built byte by
// byte from a header string, independently of attn's writer.

import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed when the test file finishes. */
export function tempDir(prefix = 'attn-io-'): string {
  const dir = fs.mkdtempSync(join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Bytes of a safetensors file: u64 LE header length, the header text as given (no padding added), data. */
export function buildFile(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

/** Writes `bytes` to `dir/name` and returns the path. */
export function put(dir: string, name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

/** Little-endian bytes of float32 values. */
export function f32le(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return out;
}

/** Little-endian bytes of 16-bit patterns. */
export function u16le(bits: number[]): Uint8Array {
  const out = new Uint8Array(bits.length * 2);
  const dv = new DataView(out.buffer);
  bits.forEach((b, i) => dv.setUint16(i * 2, b, true));
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}
