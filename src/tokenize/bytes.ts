// Byte-level helpers: UTF-8 encoding of single code points, and GPT-2's byte ↔ unicode table
// (Radford et al. 2019, openai/gpt-2 encoder.py `bytes_to_unicode`), used to turn byte-level BPE
// token strings such as "Ġbank" back into the bytes they stand for.

/** GPT-2's printable stand-in for every byte 0..255 (e.g. 0x20 space → "Ġ", 0x0A → "Ċ"). */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  return table;
})();

const CHAR_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((c, b) => [c, b]));

/**
 * The bytes a byte-level token string stands for ("Ġbank" → 20 62 61 6e 6b). Characters outside
 * the table (never produced by a byte-level model) fall back to their own UTF-8 bytes.
 */
export function byteLevelBytes(token: string): number[] {
  const out: number[] = [];
  for (const ch of token) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b !== undefined) out.push(b);
    else pushUtf8(out, ch.codePointAt(0)!);
  }
  return out;
}

/** UTF-8 bytes of a string, as an array (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) pushUtf8(out, ch.codePointAt(0)!);
  return out;
}

/** Appends the UTF-8 bytes of one code point; a lone surrogate is encoded as U+FFFD. */
export function pushUtf8(out: number[], cp: number): void {
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}
