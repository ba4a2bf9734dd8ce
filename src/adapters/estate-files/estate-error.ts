// The one error an unreadable estate raises: a single line naming the file and what is wrong with it.

export class EstateError extends Error {
  override readonly name = 'EstateError';
  readonly badInput = true;
  readonly retryable = false;

  constructor(
    /** The file (or directory) at fault, as the user named it. */
    readonly file: string,
    /** What is wrong, without the file name: `record .[2] has no "name"`. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
}
