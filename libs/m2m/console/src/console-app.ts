import { LitElement, css, html, nothing } from 'lit';
import { M2mApi, revokeSession, signIn, type AdminSession } from './api.js';
import { messageOf } from './format.js';
import { baseStyles } from './styles.js';

type View = 'clients' | 'keys' | 'revocation';

/**
 * The operator console: sign in with an admin client's id and secret, then manage clients and
 * signing keys. The access token is held in this element's memory only; signing out, a reload
 * or closing the tab forgets it.
 */
export class M2mConsole extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        max-width: 72rem;
        margin: 0 auto;
        padding: 1rem 1.5rem 3rem;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1.25rem;
        border-bottom: 1px solid #d1d5db;
        padding-bottom: 0.75rem;
        margin-bottom: 1.25rem;
      }
      .bar h1 {
        margin: 0;
      }
      .bar nav {
        display: flex;
        gap: 0.5rem;
      }
      .who {
        margin: 0 0 0 auto;
      }
      .sign-in {
        max-width: 28rem;
      }
    `,
  ];
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    signedInAs: { state: true },
    view: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  /** Where the module's routes start, e.g. `/` or `/api/`. @default '/' */
  declare apiBase: string;
  declare signedInAs: string | null;
  declare view: View;
  declare error: string;
  declare busy: boolean;
  /** The operator's session: in a private field, never in storage, cookies or the DOM. */
  #session: AdminSession | null = null;
  #api: M2mApi | null = null;
  #expiry: number | undefined;

  constructor() {
    super();
    this.apiBase = '/';
    this.signedInAs = null;
    this.view = 'clients';
    this.error = '';
    this.busy = false;
  }

  private get base(): string {
    return this.apiBase.endsWith('/') ? this.apiBase : `${this.apiBase}/`;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const clientId = String(data.get('client_id') ?? '').trim();
    const secret = String(data.get('client_secret') ?? '');
    this.error = '';
    if (clientId === '' || secret === '') {
      this.error = 'Enter the client ID and the client secret of an admin client.';
      return;
    }
    this.busy = true;
    try {
      const session = await signIn(this.base, clientId, secret);
      form.reset();
      await this.start(session);
    } catch (error) {
      this.error = messageOf(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#client-id')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private async start(session: AdminSession): Promise<void> {
    this.#session = session;
    this.#api = new M2mApi(this.base, 'admin', (): Record<string, string> =>
      this.#session === null ? {} : { Authorization: `Bearer ${this.#session.accessToken}` },
    );
    // The token cannot be renewed without the secret, which is gone: sign out when it expires.
    this.#expiry = window.setTimeout(
      () => this.signOut('Your admin token expired. Sign in again.'),
      Math.max(session.expiresAt - Date.now() - 5_000, 0),
    );
    this.view = 'clients';
    this.signedInAs = session.clientId;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  /**
   * Forgets the session. `revoke` also ends it on the server (sign-out, a closed tab); an
   * expired or refused token needs no revocation.
   */
  private async signOut(reason = '', revoke = false): Promise<void> {
    window.clearTimeout(this.#expiry);
    const session = this.#session;
    this.#session = null;
    if (revoke && session !== null) await revokeSession(this.base, session);
    this.#api = null;
    this.signedInAs = null;
    this.error = reason;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#client-id')?.focus();
  }

  /** Shows a view and moves focus to its heading. */
  private async show(view: View): Promise<void> {
    this.view = view;
    await this.updateComplete;
    const shown = this.renderRoot.querySelector<LitElement>('main > *');
    await shown?.updateComplete;
    shown?.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  /** A reload or a closed tab ends the session, on the server too. */
  readonly #pageHide = (): void => {
    const session = this.#session;
    this.#session = null;
    if (session !== null) void revokeSession(this.base, session, true);
    void this.signOut();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pagehide', this.#pageHide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.#pageHide);
    this.#pageHide();
  }

  private renderSignIn() {
    return html`<main>
      <h1>M2M console</h1>
      <form class="sign-in" @submit=${this.submit} novalidate aria-describedby="sign-in-hint">
        <h2>Sign in</h2>
        <p id="sign-in-hint" class="hint">
          Use an admin client: one with the <code>m2m:admin</code> scope. The console keeps its
          token in this tab’s memory only.
        </p>
        ${this.error === '' ? nothing : html`<p class="alert" role="alert">${this.error}</p>`}
        <div class="field">
          <label for="client-id">Client ID</label>
          <input
            id="client-id"
            name="client_id"
            type="text"
            autocomplete="username"
            spellcheck="false"
            autofocus
          />
        </div>
        <div class="field">
          <label for="client-secret">Client secret</label>
          <input id="client-secret" name="client_secret" type="password" autocomplete="off" />
        </div>
        <button type="submit" ?disabled=${this.busy}>Sign in</button>
      </form>
    </main>`;
  }

  override render() {
    if (this.signedInAs === null || this.#api === null) return this.renderSignIn();
    return html`<header class="bar">
        <h1 tabindex="-1">M2M console</h1>
        <nav aria-label="Console">
          <button
            type="button"
            class=${this.view === 'clients' ? '' : 'secondary'}
            aria-current=${this.view === 'clients' ? 'page' : 'false'}
            @click=${() => this.show('clients')}
          >
            Clients
          </button>
          <button
            type="button"
            class=${this.view === 'keys' ? '' : 'secondary'}
            aria-current=${this.view === 'keys' ? 'page' : 'false'}
            @click=${() => this.show('keys')}
          >
            Signing keys
          </button>
          <button
            type="button"
            class=${this.view === 'revocation' ? '' : 'secondary'}
            aria-current=${this.view === 'revocation' ? 'page' : 'false'}
            @click=${() => this.show('revocation')}
          >
            Revoke a token
          </button>
        </nav>
        <p class="who">Signed in as <code>${this.signedInAs}</code></p>
        <button type="button" class="secondary" @click=${() => this.signOut('', true)}>
          Sign out
        </button>
      </header>
      <main
        @m2m-unauthorized=${() => this.signOut('Your admin token is no longer valid. Sign in again.')}
      >
        ${
          this.view === 'clients'
            ? html`<m2m-client-manager .api=${this.#api}></m2m-client-manager>`
            : this.view === 'keys'
              ? html`<m2m-signing-keys .api=${this.#api}></m2m-signing-keys>`
              : html`<m2m-token-revocation .api=${this.#api}></m2m-token-revocation>`
        }
      </main>`;
  }
}
