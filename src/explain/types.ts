// The shape of an explanation: plain structured data (sections of paragraphs, equations, tables and
// matrices) that explain/format.ts turns into terminal text or Markdown and the web page renders itself.

export type Level = 'newbie' | 'hacker' | 'expert';
export const LEVELS: readonly Level[] = ['newbie', 'hacker', 'expert'];

export type Block =
  /** a paragraph of plain text */
  | { kind: 'text'; text: string }
  /** an equation: LaTeX for Markdown/KaTeX, and a plain-text form for the terminal */
  | { kind: 'math'; tex: string; plain: string }
  /** a table of numbers and words; numbers are already rounded for display */
  | { kind: 'table'; caption?: string; columns: string[]; rows: (string | number)[][] }
  /**
   * a (possibly truncated) matrix with its full shape and row/column labels; `values` are the model's own
   * numbers, unrounded (masked scores are -Infinity, which JSON writes as null); `tex` names it in LaTeX
   */
  | { kind: 'matrix'; name: string; tex?: string; shape: number[]; rowLabels: string[]; colLabels: string[]; values: number[][]; truncated: boolean };

export interface Section {
  title: string;
  blocks: Block[];
}

export interface Explanation {
  level: Level;
  title: string;
  sections: Section[];
  /** the key numbers the text states, by name, unrounded (for tests and for the page to highlight) */
  facts: Record<string, number | string | number[]>;
}
