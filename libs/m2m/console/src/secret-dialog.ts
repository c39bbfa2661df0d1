import { LitElement, html } from 'lit';
import { baseStyles } from './styles.js';

/** What the dialog shows once: a new client's secret, or the next secret of a rotation. */
export interface OneTimeSecret {
  title: string;
  clientId: string;
  secret: string;
  /** What to do with it, under the warning. */
  note: string;
}

/**
 * Shows a secret once, in a read-only field labelled "Client secret", with "Copy secret". The
 * secret exists only while the dialog is open: closing it drops the value from the page.
 */
export class M2mSecretDialog extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    shown: { state: true },
    copied: { state: true },
  };

  declare shown: OneTimeSecret | null;
  declare copied: string;

  constructor() {
    super();
    this.shown = null;
    this.copied = '';
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Opens the dialog; focus moves to "Copy secret". */
  async show(secret: OneTimeSecret): Promise<void> {
    this.shown = secret;
    this.copied = '';
    await this.updateComplete;
    this.dialog.showModal();
  }

  private async copy(): Promise<void> {
    const field = this.renderRoot.querySelector<HTMLInputElement>('#secret')!;
    try {
      await navigator.clipboard.writeText(field.value);
      this.copied = 'Copied to the clipboard.';
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for the user.
      field.select();
      this.copied = 'The secret is selected: copy it with Ctrl+C or ⌘C.';
    }
  }

  private close(): void {
    this.dialog.close();
    this.forget();
  }

  /**
   * Drops the secret from the page at once: from the field, then from the element's state.
   * Runs on "I have stored it" and again on the dialog's close event (Escape); once is enough.
   */
  private forget(): void {
    if (this.shown === null) return;
    const field = this.renderRoot.querySelector<HTMLInputElement>('#secret');
    if (field !== null) field.value = '';
    this.shown = null;
    this.copied = '';
    this.dispatchEvent(new Event('m2m-secret-closed', { bubbles: true, composed: true }));
  }

  override render() {
    const shown = this.shown;
    return html`<dialog
      aria-labelledby="secret-title"
      aria-describedby="secret-warning"
      @close=${this.forget}
    >
      ${
        shown === null
          ? ''
          : html`<h2 id="secret-title">${shown.title}</h2>
              <p id="secret-warning" class="notice">
                <strong>Copy the secret now: it is shown only this once.</strong> The server keeps
                only a hash of it, and it is gone from this page when you close this dialog.
              </p>
              <dl>
                <dt>Client ID</dt>
                <dd><code>${shown.clientId}</code></dd>
              </dl>
              <div class="field">
                <label for="secret">Client secret</label>
                <input
                  id="secret"
                  type="text"
                  readonly
                  autocomplete="off"
                  spellcheck="false"
                  .value=${shown.secret}
                />
                <p class="hint">${shown.note}</p>
              </div>
              <p class="status-message" role="status">${this.copied}</p>
              <div class="actions">
                <button type="button" autofocus @click=${this.copy}>Copy secret</button>
                <button type="button" class="secondary" @click=${this.close}>
                  I have stored it
                </button>
              </div>`
      }
    </dialog>`;
  }
}
