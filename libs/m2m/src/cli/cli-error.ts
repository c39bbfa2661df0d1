/** A problem with how the CLI was called or configured: one line, no stack. */
export class M2mCliError extends Error {
  override readonly name = 'M2mCliError';

  constructor(
    message: string,
    /** 2 for bad usage, 1 for configuration the operator must fix. */
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
