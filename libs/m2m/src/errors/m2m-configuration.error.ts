/** Thrown at start-up when the module options are invalid; the message says what to change. */
export class M2mConfigurationError extends Error {
  override readonly name = 'M2mConfigurationError';
}
