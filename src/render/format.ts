// Formatting shared by every backend: percentages with fixed decimals, SVG numbers with fixed precision
// (same input → same bytes), labels made safe to print (no control or bidi characters), XML escaping.

/** v in [0, 1] as a percentage with fixed decimals: pct(0.4812) = "48.1%". */
export function pct(v: number, decimals = 1): string {
  const s = (v * 100).toFixed(decimals);
  // -0.0 would print as "-0.0"
  return (/^-0(\.0*)?$/.test(s) ? s.slice(1) : s) + '%';
}

/** A coordinate or length for SVG: at most two decimals, no trailing zeros, never "-0". */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`render: non-finite coordinate ${x}`);
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

// C0/C1 controls, DEL, bidi overrides/isolates, line/paragraph separators, BOM, lone surrogates: they can
// rewrite a terminal line (ESC), flip text direction, or make XML invalid.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A label as it can be printed: unsafe characters become U+FFFD, tabs/newlines visible marks, blank becomes ␣. */
export function cleanLabel(s: string): string {
  const out = s
    .replace(/\n/g, '⏎')
    .replace(/\t/g, '⇥')
    .replace(UNSAFE, '\ufffd');
  return out.trim() === '' ? (out.length ? '␣'.repeat(Math.min(out.length, 3)) : '∅') : out;
}

/** Text safe inside an XML element or a double-quoted attribute. */
export function xmlEscape(s: string): string {
  return s
    .replace(UNSAFE, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** “word” in typographic quotes. */
export function quoted(s: string): string {
  return `“${s}”`;
}

/** "a", "a and b", "a, b and c". */
export function listJoin(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
