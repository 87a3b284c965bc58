// Checks on a model's input that every architecture shares.

import { InputError } from '../errors.js';

/** The sequence length T, after checking it is within 1..nPositions. */
export function checkLength(T: number, nPositions: number): number {
  if (T === 0) throw new InputError('the input has no tokens; give some text');
  if (T > nPositions) {
    throw new InputError(`the input is ${T} tokens long but this model has only ${nPositions} positions; shorten the text to at most ${nPositions} tokens`);
  }
  return T;
}
