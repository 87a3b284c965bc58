// Errors a user can act on. Every error attn raises on purpose is an AttnError: the CLI prints its
// message (the stack only with --verbose) and exits non-zero. Messages say what was wrong and what to do.

export class AttnError extends Error {
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The user's input (text, word, flags) cannot be used as given. */
export class InputError extends AttnError {
  override readonly exitCode = 2;
}

/** A file or folder is missing, unreadable or not what it should be. */
export class FileError extends AttnError {}

/** A checkpoint or model folder is malformed: bad header, missing tensor, wrong shape, unknown dtype. */
export class CheckpointError extends AttnError {}

/** The model's config asks for something attn does not implement. */
export class UnsupportedError extends AttnError {}

/** A tensor's shape is not what an op or a module border requires (a bug or a bad checkpoint). */
export class ShapeError extends AttnError {}
