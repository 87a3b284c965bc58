// A minimal TrueType reader for the tests: unitsPerEm and each character's advance width (cmap + hmtx),
// enough to check src/render/measure.ts's width table against the Inter files resvg draws with.
// Follows the OpenType spec's 'head', 'hhea', 'hmtx' and 'cmap' (formats 4 and 12) tables.

export interface FontMetrics {
  unitsPerEm: number;
  /** advance width in font units, or undefined when the font has no glyph for the code point */
  advance(codePoint: number): number | undefined;
}

export function readFontMetrics(buf: Uint8Array): FontMetrics {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const numTables = dv.getUint16(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(buf[rec], buf[rec + 1], buf[rec + 2], buf[rec + 3]);
    tables.set(tag, dv.getUint32(rec + 8));
  }
  const at = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`font has no '${tag}' table`);
    return off;
  };
  const unitsPerEm = dv.getUint16(at('head') + 18);
  const numberOfHMetrics = dv.getUint16(at('hhea') + 34);
  const hmtx = at('hmtx');
  const advanceOfGlyph = (g: number) => dv.getUint16(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));

  const cmap = at('cmap');
  const nSub = dv.getUint16(cmap + 2);
  let sub4 = -1;
  let sub12 = -1;
  for (let i = 0; i < nSub; i++) {
    const platform = dv.getUint16(cmap + 4 + 8 * i);
    const encoding = dv.getUint16(cmap + 6 + 8 * i);
    const off = cmap + dv.getUint32(cmap + 8 + 8 * i);
    const format = dv.getUint16(off);
    if (format === 12 && (platform === 3 || platform === 0)) sub12 = off;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub4 = off;
  }

  function glyph4(cp: number): number {
    if (sub4 < 0 || cp > 0xffff) return 0;
    const segX2 = dv.getUint16(sub4 + 6);
    const ends = sub4 + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      if (dv.getUint16(ends + s) < cp) continue;
      const start = dv.getUint16(starts + s);
      if (start > cp) return 0;
      const delta = dv.getInt16(deltas + s);
      const ro = dv.getUint16(ranges + s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = dv.getUint16(ranges + s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  }

  function glyph12(cp: number): number {
    const n = dv.getUint32(sub12 + 12);
    for (let i = 0; i < n; i++) {
      const g = sub12 + 16 + 12 * i;
      const start = dv.getUint32(g);
      const end = dv.getUint32(g + 4);
      if (cp >= start && cp <= end) return dv.getUint32(g + 8) + (cp - start);
    }
    return 0;
  }

  return {
    unitsPerEm,
    advance(cp) {
      const g = sub12 >= 0 ? glyph12(cp) : glyph4(cp);
      return g === 0 ? undefined : advanceOfGlyph(g);
    },
  };
}
