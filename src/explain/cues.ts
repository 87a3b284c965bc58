// A tiny, explicit lexicon of sense cues for a few classic ambiguous words (the project's running example
// is "bank"). The explanations only say that attention "suggests" a sense when the numbers support it: the
// cue word must be the query's top context word. Everything else in the text is read from the numbers.

export interface Sense {
  /** how the sense is phrased: "bank" is read as … */
  gloss: string;
  /** word stems that point to this sense */
  cues: string[];
}

const LEXICON: Record<string, Sense[]> = {
  bank: [
    { gloss: 'the side of a river', cues: ['river', 'water', 'shore', 'stream', 'grass', 'fish', 'fishing', 'mud', 'muddy', 'flood', 'boat', 'lake', 'canal'] },
    { gloss: 'a place that keeps money', cues: ['money', 'loan', 'account', 'cash', 'deposit', 'teller', 'credit', 'savings', 'mortgage', 'interest', 'robbed', 'manager'] },
  ],
  bat: [
    { gloss: 'the animal', cues: ['cave', 'wings', 'flew', 'night', 'vampire', 'fruit'] },
    { gloss: 'the stick used in sport', cues: ['ball', 'swing', 'swung', 'cricket', 'baseball', 'hit'] },
  ],
  bark: [
    { gloss: 'the sound a dog makes', cues: ['dog', 'dogs', 'loud', 'barked'] },
    { gloss: 'the outside of a tree', cues: ['tree', 'trees', 'trunk', 'oak', 'rough'] },
  ],
  spring: [
    { gloss: 'the season', cues: ['summer', 'winter', 'flowers', 'april', 'may', 'season'] },
    { gloss: 'a coiled piece of metal', cues: ['coil', 'metal', 'mattress', 'steel'] },
  ],
};

/** Lower-case, without a possessive 's or surrounding punctuation: "River's" → "river". */
export function stem(word: string): string {
  return word
    .toLowerCase()
    .replace(/^[Ġ▁]|^##/, '')
    .replace(/['’]s$/, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** The senses known for `word`, or none. */
export function sensesOf(word: string): Sense[] {
  return LEXICON[stem(word)] ?? [];
}

/** The sense whose cues include `context`, if any. */
export function senseCuedBy(word: string, context: string): Sense | undefined {
  const c = stem(context);
  return sensesOf(word).find((s) => s.cues.includes(c));
}
