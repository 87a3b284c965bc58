// Text widths for SVG layout: Inter's advance widths (font units, 2048 per em) for the characters labels
// usually hold, so charts can truncate labels and avoid overlaps without a font engine. Checked against the
// TTF files by test/render/measure.test.ts; other scripts fall back to estimates (browsers fall back to
// their own fonts there; resvg, which loads only Inter, draws nothing for glyphs Inter lacks).

export type Weight = 400 | 600 | 700;

const UNITS_PER_EM = 2048;
/** Characters beyond ASCII and Latin-1 that the charts print or that tokenizers produce (GPT-2's Ġ, Ċ). */
export const EXTRA_CHARS = '‘’“”…–—·•★☆◀▶→←↑↓×−±°µ€£ĠĊ';

const TABLE: Record<Weight, { ascii: string; latin1: string; extra: string }> = {
  400: {
    ascii: '576 589 954 1297 1314 2011 1319 614 747 747 1026 1355 590 942 590 738 1292 833 1249 1265 1323 1215 1270 1159 1267 1270 590 618 1355 1355 1355 1047 1978 1413 1340 1496 1478 1231 1209 1528 1522 550 1169 1376 1158 1850 1543 1566 1308 1566 1318 1314 1322 1524 1413 2018 1397 1390 1288 747 738 747 965 934 661 1150 1254 1170 1254 1194 758 1256 1211 496 496 1124 496 1794 1210 1228 1254 1254 771 1081 670 1211 1151 1676 1118 1151 1131 873 681 873 1355',
    latin1: '576 589 1170 1251 1484 1126 553 1164 1210 1872 929 1193 1355 0 1364 978 933 1355 905 913 661 1200 1234 590 549 623 988 1193 1643 1735 1806 1047 1413 1413 1413 1413 1413 1413 2035 1496 1231 1231 1231 1231 550 550 550 550 1505 1543 1566 1566 1566 1566 1566 1355 1566 1524 1524 1524 1524 1390 1302 1262 1150 1150 1150 1150 1150 1150 1879 1170 1194 1194 1194 1194 496 496 496 496 1193 1210 1228 1228 1228 1228 1228 1355 1228 1211 1211 1211 1211 1151 1254 1151',
    extra: '534 534 902 902 1770 1024 2048 590 1152 2140 2140 1877 1877 1954 1954 1708 1708 1355 1355 1355 933 1200 1365 1251 1528 1496',
  },
  600: {
    ascii: '516 658 1071 1318 1332 2057 1357 667 764 764 1105 1378 653 953 653 776 1351 866 1276 1303 1364 1254 1310 1180 1311 1310 653 674 1378 1378 1378 1113 2046 1490 1350 1509 1479 1240 1204 1534 1527 567 1187 1440 1158 1889 1555 1574 1321 1583 1336 1332 1352 1507 1490 2089 1474 1461 1336 764 776 764 986 961 719 1176 1278 1193 1278 1211 796 1281 1254 536 536 1166 536 1844 1253 1247 1278 1278 813 1125 723 1254 1202 1719 1165 1205 1159 931 735 931 1378',
    latin1: '516 658 1193 1289 1534 1154 647 1164 1253 1872 943 1299 1378 0 1359 925 938 1378 929 949 719 1258 1229 653 680 663 998 1299 1702 1781 1858 1113 1490 1490 1490 1490 1490 1490 2075 1509 1240 1240 1240 1240 567 567 567 567 1539 1555 1574 1574 1574 1574 1574 1378 1574 1507 1507 1507 1507 1461 1347 1318 1176 1176 1176 1176 1176 1176 1869 1193 1211 1211 1211 1211 536 536 536 536 1216 1253 1247 1247 1247 1247 1247 1378 1247 1254 1254 1254 1254 1205 1278 1205',
    extra: '602 602 1038 1027 1958 1024 2048 653 1031 2140 2140 1926 1926 1954 1954 1805 1805 1378 1378 1378 938 1258 1390 1289 1534 1509',
  },
  700: {
    ascii: '485 692 1130 1329 1341 2080 1376 694 772 772 1145 1390 684 958 684 795 1381 883 1290 1322 1385 1274 1330 1191 1333 1330 684 702 1390 1390 1390 1146 2081 1529 1355 1515 1479 1244 1202 1537 1530 575 1197 1473 1158 1908 1561 1578 1327 1591 1345 1341 1367 1499 1529 2125 1512 1497 1360 772 795 772 997 975 748 1189 1291 1205 1291 1220 815 1294 1275 555 555 1188 555 1869 1275 1256 1291 1291 834 1147 750 1275 1228 1741 1188 1233 1173 960 761 960 1390',
    latin1: '485 692 1205 1308 1560 1168 694 1164 1275 1872 950 1352 1390 0 1356 899 941 1390 942 966 748 1286 1226 684 746 682 1003 1352 1732 1805 1884 1146 1529 1529 1529 1529 1529 1529 2094 1515 1244 1244 1244 1244 575 575 575 575 1556 1561 1578 1578 1578 1578 1578 1390 1578 1499 1499 1499 1499 1497 1370 1346 1189 1189 1189 1189 1189 1189 1864 1205 1220 1220 1220 1220 555 555 555 555 1227 1275 1256 1256 1256 1256 1256 1390 1256 1275 1275 1275 1275 1233 1291 1233',
    extra: '636 636 1106 1089 2052 1024 2048 684 971 2140 2140 1951 1951 1954 1954 1854 1854 1390 1390 1390 941 1286 1402 1308 1537 1515',
  },
};

const decoded = new Map<Weight, Map<number, number>>();

function widths(weight: Weight): Map<number, number> {
  let m = decoded.get(weight);
  if (m) return m;
  m = new Map();
  const t = TABLE[weight];
  t.ascii.split(' ').forEach((w, i) => m!.set(32 + i, Number(w)));
  t.latin1.split(' ').forEach((w, i) => m!.set(160 + i, Number(w)));
  const extra = [...EXTRA_CHARS];
  t.extra.split(' ').forEach((w, i) => m!.set(extra[i].codePointAt(0)!, Number(w)));
  decoded.set(weight, m);
  return m;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The grapheme clusters of s (what a reader counts as characters: é, 👍🏽, 🇫🇷 are one each). */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Width of one grapheme in ems: from the table, else an estimate by script. */
function graphemeEm(g: string, table: Map<number, number>): number {
  const cp = g.codePointAt(0)!;
  const known = table.get(cp);
  if (known !== undefined) {
    // a base letter with combining marks is as wide as the letter
    return known / UNITS_PER_EM;
  }
  if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(g)) return 1.25;
  if (isWide(cp)) return 1;
  if (/^\p{M}/u.test(g)) return 0;
  return 0.62;
}

/** East Asian wide and fullwidth ranges (CJK, kana, Hangul, fullwidth forms): one em in a font, two terminal cells. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Approximate rendered width in px of s in Inter at the given size and weight (kerning ignored). */
export function textWidth(s: string, size: number, weight: Weight = 400): number {
  const table = widths(weight);
  let em = 0;
  for (const g of graphemes(s)) em += graphemeEm(g, table);
  return em * size;
}

/** s, cut at a grapheme boundary and ended with “…” so that it fits in maxPx (s itself when it fits). */
export function fitText(s: string, maxPx: number, size: number, weight: Weight = 400): string {
  if (textWidth(s, size, weight) <= maxPx) return s;
  const table = widths(weight);
  const ellipsis = graphemeEm('…', table) * size;
  let used = 0;
  let out = '';
  for (const g of graphemes(s)) {
    const w = graphemeEm(g, table) * size;
    if (used + w + ellipsis > maxPx) break;
    used += w;
    out += g;
  }
  return out + '…';
}

/** Text broken at spaces into lines no wider than maxPx (a word too wide on its own is cut with “…”). */
export function wrapPx(s: string, maxPx: number, size: number, weight: Weight = 400): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/ +/)) {
    const w = fitText(word, maxPx, size, weight);
    const tryLine = line === '' ? w : `${line} ${w}`;
    if (line !== '' && textWidth(tryLine, size, weight) > maxPx) {
      lines.push(line);
      line = w;
    } else line = tryLine;
  }
  if (line !== '') lines.push(line);
  return lines;
}
