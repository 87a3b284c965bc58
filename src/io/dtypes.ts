// Checkpoint element types: the safetensors dtype table, and bit-exact float16 / bfloat16 <-> float32
// conversions (IEEE 754 binary16; bfloat16 = the top 16 bits of a float32). Narrowing rounds to nearest, ties to even.

/** Every dtype a safetensors header may name, with its size in bytes. */
export const DTYPES = {
  BOOL: { bytes: 1, kind: 'bool' },
  U8: { bytes: 1, kind: 'uint' },
  I8: { bytes: 1, kind: 'int' },
  F8_E5M2: { bytes: 1, kind: 'float8' },
  F8_E4M3: { bytes: 1, kind: 'float8' },
  I16: { bytes: 2, kind: 'int' },
  U16: { bytes: 2, kind: 'uint' },
  F16: { bytes: 2, kind: 'float' },
  BF16: { bytes: 2, kind: 'float' },
  I32: { bytes: 4, kind: 'int' },
  U32: { bytes: 4, kind: 'uint' },
  F32: { bytes: 4, kind: 'float' },
  I64: { bytes: 8, kind: 'int' },
  U64: { bytes: 8, kind: 'uint' },
  F64: { bytes: 8, kind: 'float' },
} as const satisfies Record<string, { bytes: number; kind: string }>;

export type DType = keyof typeof DTYPES;

/** Dtypes that `tensor()` widens or narrows to float32. The others are read only as raw bytes. */
export const FLOAT_DTYPES = ['F64', 'F32', 'F16', 'BF16'] as const;
export type FloatDType = (typeof FLOAT_DTYPES)[number];

/** Dtypes the safetensors writer can store. */
export const WRITABLE_DTYPES = ['F32', 'F16', 'BF16'] as const;
export type WritableDType = (typeof WRITABLE_DTYPES)[number];

export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name);
}

export function isFloatDType(name: DType): name is FloatDType {
  return (FLOAT_DTYPES as readonly string[]).includes(name);
}

export function bytesPerElement(dtype: DType): number {
  return DTYPES[dtype].bytes;
}

/** True on every machine Node ships for today; safetensors data is little-endian, so others swap bytes. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the byte order of each `width`-byte element in place (big-endian hosts only). */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

// ---- scalar conversions (bit patterns in, bit patterns out, so NaN payloads and -0 survive) ----

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The float32 bit pattern of `x` (after rounding `x` to float32). */
export function f32Bits(x: number): number {
  scratchF32[0] = x;
  return scratchU32[0];
}

/** The float32 value of a 32-bit pattern. */
export function f32FromBits(bits: number): number {
  scratchU32[0] = bits >>> 0;
  return scratchF32[0];
}

/** float32 bits -> float16 bits, round to nearest even; overflow gives ±Inf, NaN stays a (quiet) NaN. */
export function f32BitsToF16Bits(bits: number): number {
  const b = bits >>> 0;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return mant !== 0 ? sign | 0x7e00 | (mant >>> 13) : sign | 0x7c00;
  const e = exp - 127 + 15; // float16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // float16 subnormal (or zero): value = mant24 * 2^(exp-150), unit 2^-24, so shift right by 14 - e.
    if (e < -10) return sign; // below half the smallest subnormal: rounds to ±0
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rem = mant & ((1 << shift) - 1);
    let r = mant >>> shift;
    if (rem > half || (rem === half && (r & 1) !== 0)) r++; // may carry into the smallest normal: still correct
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1) !== 0)) r++; // a carry may reach 0x7c00 = Inf, as it should
  return sign | r;
}

/** float16 bits -> float32 bits (exact: every float16 is a float32). */
export function f16BitsToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  let mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13)) >>> 0;
  if (exp !== 0) return (sign | ((exp - 15 + 127) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  // subnormal: normalise the mantissa; value = mant * 2^-24
  let e = 127 - 15 + 1;
  while ((mant & 0x400) === 0) {
    mant <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mant & 0x3ff) << 13)) >>> 0;
}

/** float32 bits -> bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN. */
export function f32BitsToBf16Bits(bits: number): number {
  const b = bits >>> 0;
  if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) return (b >>> 16) | 0x0040;
  return (b + 0x7fff + ((b >>> 16) & 1)) >>> 16; // never exceeds 2^32 for non-NaN inputs
}

/** bfloat16 bits -> float32 bits (exact). */
export function bf16BitsToF32Bits(h: number): number {
  return (h << 16) >>> 0;
}

export const f32ToF16Bits = (x: number): number => f32BitsToF16Bits(f32Bits(x));
export const f16BitsToF32 = (h: number): number => f32FromBits(f16BitsToF32Bits(h));
export const f32ToBf16Bits = (x: number): number => f32BitsToBf16Bits(f32Bits(x));
export const bf16BitsToF32 = (h: number): number => f32FromBits(bf16BitsToF32Bits(h));

// ---- bulk conversions over whole tensors ----

let f16Table: Uint32Array | undefined; // float16 bits -> float32 bits, built on first use (256 KiB)

/** Widens float16 bit patterns into `out` (same length; bit-exact, NaN payloads kept). */
export function widenF16(src: Uint16Array, out: Float32Array): Float32Array {
  checkLengths(src.length, out.length);
  if (!f16Table) {
    f16Table = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16BitsToF32Bits(h);
  }
  const table = f16Table;
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) o[i] = table[src[i]];
  return out;
}

/** Widens bfloat16 bit patterns into `out` (same length; exact). */
export function widenBF16(src: Uint16Array, out: Float32Array): Float32Array {
  checkLengths(src.length, out.length);
  const o = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) o[i] = src[i] << 16;
  return out;
}

/** Narrows float32 values to float16 bit patterns, round to nearest even. */
export function narrowToF16(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  checkLengths(src.length, out.length);
  const s = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < s.length; i++) out[i] = f32BitsToF16Bits(s[i]);
  return out;
}

/** Narrows float32 values to bfloat16 bit patterns, round to nearest even. */
export function narrowToBF16(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  checkLengths(src.length, out.length);
  const s = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < s.length; i++) out[i] = f32BitsToBf16Bits(s[i]);
  return out;
}

function checkLengths(a: number, b: number): void {
  if (a !== b) throw new RangeError(`dtype conversion: source has ${a} elements but destination has ${b}`);
}
