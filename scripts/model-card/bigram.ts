// The baseline the model card compares against: a bigram model of token ids fitted on the same training
// token stream, with interpolated Witten–Bell smoothing (Witten & Bell 1991; as in Chen & Goodman 1998):
//   P(w | v) = λ_v · c(v, w) / c(v) + (1 − λ_v) · P_uni(w),   λ_v = c(v) / (c(v) + N₁₊(v·))
// where N₁₊(v·) is the number of distinct tokens seen after v, and P_uni is the add-one unigram model.
// No parameter is tuned on the held-out text.

export class BigramModel {
  private readonly pair = new Map<number, number>();
  private readonly count: Float64Array;
  private readonly followers: Float64Array;
  private readonly unigram: Float64Array;

  constructor(tokens: Int32Array, readonly vocabSize: number) {
    const V = vocabSize;
    this.count = new Float64Array(V);
    this.followers = new Float64Array(V);
    const uni = new Float64Array(V).fill(1);
    for (let i = 0; i < tokens.length; i++) uni[tokens[i]]++;
    const total = uni.reduce((a, b) => a + b, 0);
    this.unigram = uni.map((c) => c / total);
    for (let i = 0; i + 1 < tokens.length; i++) {
      const key = tokens[i] * V + tokens[i + 1];
      const c = this.pair.get(key) ?? 0;
      if (c === 0) this.followers[tokens[i]]++;
      this.pair.set(key, c + 1);
      this.count[tokens[i]]++;
    }
  }

  /** P(next | prev) */
  prob(prev: number, next: number): number {
    const c = this.count[prev];
    const pUni = this.unigram[next];
    if (c === 0) return pUni;
    const lambda = c / (c + this.followers[prev]);
    return (lambda * (this.pair.get(prev * this.vocabSize + next) ?? 0)) / c + (1 - lambda) * pUni;
  }

  /** Mean −ln P over every next-token prediction in `tokens` (nats per token). */
  loss(tokens: Int32Array): number {
    let sum = 0;
    for (let i = 0; i + 1 < tokens.length; i++) sum -= Math.log(this.prob(tokens[i], tokens[i + 1]));
    return sum / (tokens.length - 1);
  }
}
