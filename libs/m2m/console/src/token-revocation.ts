import { LitElement, html, nothing } from 'lit';
import { ApiError, type M2mApi } from './api.js';
import { refusal } from './format.js';
import { baseStyles } from './styles.js';

/** Revokes one access token by its `jti`, e.g. one that leaked into a log; for operators. */
export class M2mTokenRevocation extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    api: { attribute: false },
    fieldError: { state: true },
    error: { state: true },
    message: { state: true },
    busy: { state: true },
  };

  declare api: M2mApi;
  declare fieldError: string;
  declare error: string;
  declare message: string;
  declare busy: boolean;

  constructor() {
    super();
    this.fieldError = '';
    this.error = '';
    this.message = '';
    this.busy = false;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const jti = String(new FormData(form).get('jti') ?? '').trim();
    this.busy = true;
    this.fieldError = '';
    this.error = '';
    this.message = '';
    try {
      await this.api.revokeToken(jti);
      form.reset();
      this.message = `Token ${jti} revoked. Every instance of the server refuses it within seconds.`;
    } catch (error) {
      const atField =
        error instanceof ApiError ? error.errors.find((e) => /jti/.test(e.pointer)) : undefined;
      if (atField === undefined) this.error = refusal(this, error);
      else this.fieldError = atField.detail;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#jti')?.focus();
    } finally {
      this.busy = false;
    }
  }

  override render() {
    return html`<section aria-labelledby="revoke-title">
      <h2 id="revoke-title" tabindex="-1">Revoke a token</h2>
      <p>
        Revoking a client’s secret or disabling the client stops new tokens. To stop one access
        token that is already out, before it expires, revoke it by its token ID (the
        <code>jti</code> claim).
      </p>
      ${this.error === '' ? nothing : html`<p class="alert" role="alert">${this.error}</p>`}
      <p class="status-message" role="status">${this.message}</p>
      <form @submit=${this.submit} novalidate>
        <div class="field">
          <label for="jti">Token ID (jti)</label>
          <input
            id="jti"
            name="jti"
            type="text"
            autocomplete="off"
            spellcheck="false"
            aria-invalid=${this.fieldError === '' ? 'false' : 'true'}
            aria-describedby=${this.fieldError === '' ? nothing : 'jti-error'}
          />
          ${this.fieldError === '' ? nothing : html`<p id="jti-error" class="error">${this.fieldError}</p>`}
        </div>
        <button type="submit" ?disabled=${this.busy}>Revoke token</button>
      </form>
    </section>`;
  }
}
