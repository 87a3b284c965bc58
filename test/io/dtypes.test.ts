// Tests for src/io/dtypes.ts: the dtype table and bit-exact float16 / bfloat16 conversions, checked
// against hand-computed bit patterns (round to nearest even, NaN, ±Inf, subnormals, -0).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DTYPES,
  bf16BitsToF32,
  bf16BitsToF32Bits,
  bytesPerElement,
  f16BitsToF32,
  f16BitsToF32Bits,
  f32BitsToBf16Bits,
  f32BitsToF16Bits,
  f32Bits,
  f32ToBf16Bits,
  f32ToF16Bits,
  isDType,
  narrowToBF16,
  narrowToF16,
  widenBF16,
  widenF16,
} from '../../src/io/dtypes.js';

const x = (n: number) => '0x' + n.toString(16).padStart(4, '0');

describe('dtype table', () => {
  it('gives the byte size of every safetensors dtype', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(DTYPES).map(([k, v]) => [k, v.bytes])),
      { BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8 },
    );
    assert.equal(bytesPerElement('BF16'), 2);
    assert.ok(isDType('F32'));
    assert.ok(!isDType('F12'));
    assert.ok(!isDType('toString')); // not fooled by Object.prototype
  });
});

describe('float32 -> float16', () => {
  const cases: Array<[string, number, number]> = [
    ['+0', 0, 0x0000],
    ['-0', -0, 0x8000],
    ['1', 1, 0x3c00],
    ['-2', -2, 0xc000],
    ['0.5', 0.5, 0x3800],
    ['largest finite 65504', 65504, 0x7bff],
    ['smallest normal 2^-14', 2 ** -14, 0x0400],
    ['smallest subnormal 2^-24', 2 ** -24, 0x0001],
    ['largest subnormal 1023·2^-24', 1023 * 2 ** -24, 0x03ff],
    ['+Inf', Infinity, 0x7c00],
    ['-Inf', -Infinity, 0xfc00],
    // ties and near-ties (hand-computed): float16 has 10 mantissa bits, so near 1 the step is 2^-10
    ['1 + 2^-11: tie between 0x3c00 (even) and 0x3c01 -> even', 1 + 2 ** -11, 0x3c00],
    ['1 + 3·2^-11: tie between 0x3c01 and 0x3c02 (even) -> even', 1 + 3 * 2 ** -11, 0x3c02],
    ['1 + 2^-11 + 2^-20: just above the tie -> up', 1 + 2 ** -11 + 2 ** -20, 0x3c01],
    ['1 + 2^-11 - 2^-20: just below the tie -> down', 1 + 2 ** -11 - 2 ** -20, 0x3c00],
    ['65519: below the 65520 midpoint -> 65504', 65519, 0x7bff],
    ['65520: tie between 0x7bff (odd) and Inf -> Inf', 65520, 0x7c00],
    ['1e6: overflow -> Inf', 1e6, 0x7c00],
    ['-1e6: overflow -> -Inf', -1e6, 0xfc00],
    ['2^-25: tie between 0 (even) and 2^-24 -> 0', 2 ** -25, 0x0000],
    ['-2^-25 -> -0', -(2 ** -25), 0x8000],
    ['2^-25 + 2^-40: above the tie -> 2^-24', 2 ** -25 + 2 ** -40, 0x0001],
    ['3·2^-25: tie between 1 and 2 units -> 2 (even)', 3 * 2 ** -25, 0x0002],
    ['5·2^-25: tie between 2 and 3 units -> 2 (even)', 5 * 2 ** -25, 0x0002],
    ['1023.5·2^-24: tie rounds up into the smallest normal', 1023.5 * 2 ** -24, 0x0400],
    ['1e-10: far below -> 0', 1e-10, 0x0000],
    ['float32 subnormal -> 0', 1e-45, 0x0000],
    ['0.1 (hand-checked: 0x2e66)', 0.1, 0x2e66],
  ];
  for (const [what, value, bits] of cases) {
    it(what, () => assert.equal(x(f32ToF16Bits(value)), x(bits)));
  }

  it('keeps NaN a NaN, quiet, with its sign and top payload bits', () => {
    assert.equal(x(f32BitsToF16Bits(0x7fc00000)), x(0x7e00));
    assert.equal(x(f32BitsToF16Bits(0xffc00000)), x(0xfe00));
    // a signalling NaN whose payload lives only in the low bits must not become Inf
    assert.equal(x(f32BitsToF16Bits(0x7f800001)), x(0x7e00));
    assert.equal(x(f32BitsToF16Bits(0x7fa00000)), x(0x7f00));
  });

  it('round-trips every float16 bit pattern exactly (NaNs stay NaN)', () => {
    for (let h = 0; h < 65536; h++) {
      const isNaN16 = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      const back = f32BitsToF16Bits(f16BitsToF32Bits(h));
      if (isNaN16) assert.ok((back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0, `NaN ${x(h)} -> ${x(back)}`);
      else if (back !== h) assert.fail(`${x(h)} -> ${f16BitsToF32(h)} -> ${x(back)}`);
    }
  });
});

describe('float16 -> float32', () => {
  it('decodes normals, subnormals, zeros, infinities and NaN', () => {
    assert.equal(f16BitsToF32(0x3c00), 1);
    assert.equal(f16BitsToF32(0x3555), 0.333251953125);
    assert.equal(f16BitsToF32(0x7bff), 65504);
    assert.equal(f16BitsToF32(0x0400), 2 ** -14);
    assert.equal(f16BitsToF32(0x0001), 2 ** -24);
    assert.equal(f16BitsToF32(0x03ff), 1023 * 2 ** -24);
    assert.equal(f16BitsToF32(0x8001), -(2 ** -24));
    assert.ok(Object.is(f16BitsToF32(0x0000), 0));
    assert.ok(Object.is(f16BitsToF32(0x8000), -0));
    assert.equal(f16BitsToF32(0x7c00), Infinity);
    assert.equal(f16BitsToF32(0xfc00), -Infinity);
    assert.ok(Number.isNaN(f16BitsToF32(0x7e00)));
    assert.equal(f16BitsToF32Bits(0x7e01).toString(16), '7fc02000'); // payload carried over
  });
});

describe('float32 <-> bfloat16', () => {
  const cases: Array<[string, number, number]> = [
    ['1', f32Bits(1), 0x3f80],
    ['-0', f32Bits(-0), 0x8000],
    ['+Inf', f32Bits(Infinity), 0x7f80],
    ['-Inf', f32Bits(-Infinity), 0xff80],
    // bfloat16 keeps 7 mantissa bits: near 1 the step is 2^-7, the midpoint 2^-8
    ['1 + 2^-8: tie between 0x3f80 (even) and 0x3f81 -> even', f32Bits(1 + 2 ** -8), 0x3f80],
    ['1 + 3·2^-8: tie between 0x3f81 and 0x3f82 (even) -> even', f32Bits(1 + 3 * 2 ** -8), 0x3f82],
    ['1 + 2^-8 + 2^-20: above the tie -> up', f32Bits(1 + 2 ** -8 + 2 ** -20), 0x3f81],
    ['largest finite float32 rounds to Inf', 0x7f7fffff, 0x7f80],
    ['just below that midpoint stays finite', 0x7f7f7fff, 0x7f7f],
    ['float32 subnormal 0x00000001 -> +0', 0x00000001, 0x0000],
    ['subnormal tie 0x00008000 -> 0 (even)', 0x00008000, 0x0000],
    ['subnormal tie 0x00018000 -> 0x0002 (even)', 0x00018000, 0x0002],
    ['subnormal 0x00017fff -> 0x0001', 0x00017fff, 0x0001],
    ['quiet NaN', 0x7fc00000, 0x7fc0],
    ['signalling NaN with low payload stays NaN (not Inf)', 0x7f800001, 0x7fc0],
    ['negative NaN', 0xff812345, 0xffc1],
  ];
  for (const [what, bits, expected] of cases) {
    it(what, () => assert.equal(x(f32BitsToBf16Bits(bits)), x(expected)));
  }

  it('widens exactly and round-trips every bfloat16 bit pattern', () => {
    assert.equal(bf16BitsToF32(0x3f80), 1);
    assert.equal(bf16BitsToF32(0x0001), 2 ** -133); // bfloat16 keeps float32's subnormals
    assert.ok(Object.is(bf16BitsToF32(0x8000), -0));
    assert.equal(f32ToBf16Bits(3.140625), 0x4049);
    for (let h = 0; h < 65536; h++) {
      const isNaN16 = (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;
      const back = f32BitsToBf16Bits(bf16BitsToF32Bits(h));
      if (isNaN16) assert.ok((back & 0x7f80) === 0x7f80 && (back & 0x7f) !== 0);
      else if (back !== h) assert.fail(`${x(h)} -> ${x(back)}`);
    }
  });
});

describe('bulk conversions', () => {
  it('narrow and widen arrays, keeping representable values exact', () => {
    const src = Float32Array.from([0, -0, 1, -2.5, 65504, 2 ** -24, Infinity, -Infinity, NaN, 0.1]);
    const h = narrowToF16(src);
    assert.deepEqual([...h].map(x), [0, 0x8000, 0x3c00, 0xc100, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x2e66].map(x));
    const back = widenF16(h, new Float32Array(h.length));
    assert.deepEqual([...back.subarray(0, 8)], [...src.subarray(0, 8)]);
    assert.ok(Object.is(back[1], -0));
    assert.ok(Number.isNaN(back[8]));
    assert.equal(back[9], 0.0999755859375); // 0.1 rounded to float16

    const b = narrowToBF16(src);
    assert.deepEqual([...b.subarray(0, 4)].map(x), [0, 0x8000, 0x3f80, 0xc020].map(x));
    const wb = widenBF16(b, new Float32Array(b.length));
    assert.deepEqual([...wb.subarray(0, 4)], [0, -0, 1, -2.5]);
    assert.equal(wb[9], 0.10009765625); // 0.1 rounded to bfloat16 (0x3dcd)
  });

  it('refuses mismatched lengths', () => {
    assert.throws(() => widenF16(new Uint16Array(3), new Float32Array(2)), RangeError);
  });
});
