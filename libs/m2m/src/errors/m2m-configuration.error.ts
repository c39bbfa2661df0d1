/** Thrown at start-up when the module options are invalid; the message says what to change. */
export class M2mConfigurationError extends Error {
  override readonly name = 'M2mConfigurationError';

  /**
   * @param option The option at fault (`keyEncryptionKey`, `issuer`, …), so that a host can name
   *   its own setting (an environment variable) instead.
   */
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }

  /**
   * The message with the option replaced by the name the operator knows it by, for example
   * `M2M_KEY_ENCRYPTION_KEY` for `keyEncryptionKey`. Options not in `names` keep their name.
   */
  describe(names: Readonly<Record<string, string>>): string {
    const setting = this.option === undefined ? undefined : names[this.option];
    if (setting === undefined) return this.message;
    return this.message.replace(/^M2mModule: /, '').replaceAll(`\`${this.option}\``, setting);
  }
}
