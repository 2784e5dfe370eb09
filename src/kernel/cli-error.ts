/**
 * An error a person at the command line can act on. The CLI prints its message (no stack trace)
 * and exits with `exitCode`; anything else that escapes is a defect and is printed in full.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
