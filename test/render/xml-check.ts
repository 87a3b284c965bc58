// A small well-formedness checker for the SVG the charts write: tags balanced and properly nested, attributes
// quoted and unique, text and attribute values free of raw '<' and of '&' that starts no entity, no characters
// XML 1.0 forbids. Enough to catch a broken escape or a forgotten close tag; not a full XML parser.

const NAME = /^[A-Za-z_][\w.:-]*/;
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD_AMP = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/** Throws an Error saying where the document stops being well formed; returns the element count. */
export function checkXml(doc: string): number {
  if (FORBIDDEN.test(doc)) throw new Error('document holds a character XML forbids');
  const stack: string[] = [];
  let count = 0;
  let i = 0;
  let sawRoot = false;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const textPart = doc.slice(i, lt < 0 ? doc.length : lt);
    if (textPart.includes('>')) throw new Error(`raw '>' in text near ${i}`);
    if (BAD_AMP.test(textPart)) throw new Error(`raw '&' in text near ${i}: ${textPart.slice(0, 60)}`);
    if (stack.length === 0 && textPart.trim() !== '') throw new Error(`text outside the root element near ${i}`);
    if (lt < 0) break;
    if (doc.startsWith('<?', lt)) {
      const end = doc.indexOf('?>', lt);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (doc.startsWith('<!--', lt)) {
      const end = doc.indexOf('-->', lt);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    const gt = doc.indexOf('>', lt);
    if (gt < 0) throw new Error(`unterminated tag at ${lt}`);
    const inner = doc.slice(lt + 1, gt);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim();
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
    } else {
      const selfClosing = inner.endsWith('/');
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const m = NAME.exec(body);
      if (!m) throw new Error(`bad tag name at ${lt}`);
      if (stack.length === 0 && sawRoot) throw new Error(`second root element at ${lt}`);
      sawRoot = true;
      checkAttributes(body.slice(m[0].length), lt);
      count++;
      if (!selfClosing) stack.push(m[0]);
    }
    i = gt + 1;
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!sawRoot) throw new Error('no root element');
  return count;
}

function checkAttributes(s: string, at: number): void {
  const seen = new Set<string>();
  const re = /\s+([A-Za-z_][\w.:-]*)="([^"]*)"/y;
  let p = 0;
  while (p < s.length) {
    if (/^\s*$/.test(s.slice(p))) return;
    re.lastIndex = p;
    const m = re.exec(s);
    if (!m) throw new Error(`malformed attributes in the tag at ${at}: ${s.slice(p, p + 60)}`);
    if (seen.has(m[1])) throw new Error(`attribute ${m[1]} repeated in the tag at ${at}`);
    seen.add(m[1]);
    if (m[2].includes('<') || BAD_AMP.test(m[2])) throw new Error(`unescaped value for ${m[1]} in the tag at ${at}`);
    p = re.lastIndex;
  }
}
