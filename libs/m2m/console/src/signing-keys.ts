import { LitElement, html, nothing } from 'lit';
import type { M2mApi, SigningKey } from './api.js';
import { refusal, when } from './format.js';
import { baseStyles } from './styles.js';

/** The signing keys (public facts only) and their rotation; for operators. */
export class M2mSigningKeys extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    api: { attribute: false },
    keys: { state: true },
    error: { state: true },
    message: { state: true },
    busy: { state: true },
  };

  declare api: M2mApi;
  declare keys: SigningKey[];
  declare error: string;
  declare message: string;
  declare busy: boolean;

  constructor() {
    super();
    this.keys = [];
    this.error = '';
    this.message = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.run(() => this.api.signingKeys());
  }

  private async run(load: () => Promise<SigningKey[]>, message = ''): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      this.keys = await load();
      this.message = message;
    } catch (error) {
      this.error = refusal(this, error);
    } finally {
      this.busy = false;
    }
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  private async rotate(): Promise<void> {
    this.dialog.close();
    await this.run(
      () => this.api.rotateSigningKeys(),
      'Signing keys rotated: new tokens are signed with the new key; tokens signed before stay valid until they expire.',
    );
  }

  override render() {
    return html`<section aria-labelledby="keys-title">
      <h2 id="keys-title" tabindex="-1">Signing keys</h2>
      ${this.error === '' ? nothing : html`<p class="alert" role="alert">${this.error}</p>`}
      <p class="status-message" role="status">${this.message}</p>
      <table aria-busy=${this.busy ? 'true' : 'false'}>
        <caption class="visually-hidden">
          Signing keys
        </caption>
        <thead>
          <tr>
            <th scope="col">Key ID</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Signing since</th>
            <th scope="col">Retired</th>
            <th scope="col">Leaves the JWKS</th>
          </tr>
        </thead>
        <tbody>
          ${this.keys.map(
            (key) =>
              html`<tr>
                <td><code>${key.kid}</code></td>
                <td>${key.alg}</td>
                <td>${key.status}</td>
                <td>${when(key.created_at)}</td>
                <td>${when(key.activated_at, '—')}</td>
                <td>${when(key.retired_at, '—')}</td>
                <td>${when(key.expires_at, '—')}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${() => this.dialog.showModal()}>
          Rotate signing keys
        </button>
      </div>
      <dialog aria-labelledby="rotate-keys-title" aria-describedby="rotate-keys-text">
        <h2 id="rotate-keys-title">Rotate the signing keys?</h2>
        <p id="rotate-keys-text">
          The published next key starts signing and the active key is retired. Resource servers
          already have the next key from the JWKS, and tokens signed with the retired key stay valid
          until they expire.
        </p>
        <div class="actions">
          <button type="button" @click=${this.rotate}>Rotate</button>
          <button type="button" class="secondary" autofocus @click=${() => this.dialog.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </section>`;
  }
}
