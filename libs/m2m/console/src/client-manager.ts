import { LitElement, html, nothing } from 'lit';
import { M2mApi, type ApiSource, type Client, type ClientFilters, type Grantable } from './api.js';
import type { ClientCreatedEvent, M2mClientFormDialog } from './client-form-dialog.js';
import type { M2mClientDetail } from './client-detail.js';
import { refusal, when } from './format.js';
import { lastUsed } from './last-used.js';
import type { M2mSecretDialog } from './secret-dialog.js';
import { baseStyles } from './styles.js';

/** How many days ahead "Expiring soon" looks. */
const EXPIRING_SOON_DAYS = 30;

/**
 * The client list and everything done to clients: search and filters, cursor paging, create
 * (the secret shown once), and a client's details. The console uses it for operators; a host
 * embeds it in its own pages for self-service:
 *
 *   <m2m-client-manager source="owner" api-base="/"></m2m-client-manager>
 *
 * With `source="owner"` it calls the owner API with the page's own session (same-origin
 * cookies); a host that authenticates with a header sets `headers` on the element.
 */
export class M2mClientManager extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    source: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    headers: { attribute: false },
    api: { attribute: false },
    clients: { state: true },
    cursors: { state: true },
    nextCursor: { state: true },
    filters: { state: true },
    grantable: { state: true },
    selected: { state: true },
    loading: { state: true },
    error: { state: true },
    message: { state: true },
  };

  /** `admin` or `owner` (the default): which API the element calls when `api` is not set. */
  declare source: ApiSource;
  /** Where the module's routes start, e.g. `/` or `/api/`. @default '/' */
  declare apiBase: string;
  /** Headers the host adds to every call (a CSRF token, its own authorization). */
  declare headers: Record<string, string>;
  /** The API to call; the console sets it with the operator's token. */
  declare api: M2mApi | undefined;
  declare clients: Client[];
  /** Cursors of the pages before this one, to go back; the first page has none. */
  declare cursors: (string | null)[];
  declare nextCursor: string | null;
  declare filters: ClientFilters;
  declare grantable: Grantable;
  declare selected: Client | null;
  declare loading: boolean;
  declare error: string;
  declare message: string;
  private currentCursor: string | null = null;
  private requests = 0;
  private searchTimer: number | undefined;

  constructor() {
    super();
    this.source = 'owner';
    this.apiBase = '/';
    this.headers = {};
    this.clients = [];
    this.cursors = [];
    this.nextCursor = null;
    this.filters = {};
    this.grantable = { scopes: [], audiences: null };
    this.selected = null;
    this.loading = false;
    this.error = '';
    this.message = '';
  }

  private get client(): M2mApi {
    this.api ??= new M2mApi(
      this.apiBase.endsWith('/') ? this.apiBase : `${this.apiBase}/`,
      this.source === 'admin' ? 'admin' : 'owner',
      () => this.headers,
    );
    return this.api;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load(null);
    void this.client
      .grantable()
      .then((grantable) => (this.grantable = grantable))
      .catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    this.error = refusal(this, error);
  }

  /** Loads the page that starts at `cursor` with the current filters. */
  private async load(cursor: string | null): Promise<void> {
    // Only the latest request shows: an earlier one that answers late is dropped.
    const request = ++this.requests;
    this.loading = true;
    try {
      const page = await this.client.listClients(this.filters, cursor);
      if (request !== this.requests) return;
      this.clients = page.data;
      this.nextCursor = page.next_cursor;
      this.currentCursor = cursor;
      this.error = '';
    } catch (error) {
      if (request === this.requests) this.fail(error);
    } finally {
      if (request === this.requests) this.loading = false;
    }
  }

  private filter(change: ClientFilters): void {
    this.filters = { ...this.filters, ...change };
    this.cursors = [];
    void this.load(null);
  }

  private search(event: InputEvent): void {
    const value = (event.target as HTMLInputElement).value.trim();
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => this.filter({ name_prefix: value }), 250);
  }

  private nextPage(): void {
    this.cursors = [...this.cursors, this.currentCursor];
    void this.load(this.nextCursor);
  }

  private previousPage(): void {
    const cursors = [...this.cursors];
    const cursor = cursors.pop() ?? null;
    this.cursors = cursors;
    void this.load(cursor);
  }

  private async open(client: Client): Promise<void> {
    this.selected = client;
    this.message = '';
    await this.updateComplete;
    await this.renderRoot.querySelector<M2mClientDetail>('m2m-client-detail')!.focusHeading();
  }

  private openCreate(): void {
    this.message = '';
    void this.renderRoot.querySelector<M2mClientFormDialog>('m2m-client-form-dialog')!.show();
  }

  private async created(event: ClientCreatedEvent): Promise<void> {
    const { client_secret: secret, ...client } = event.detail;
    this.message = `Client ${client.client_name} created.`;
    this.cursors = [];
    await this.load(null);
    this.selected = client;
    if (secret !== null) {
      await this.renderRoot.querySelector<M2mSecretDialog>('m2m-secret-dialog')!.show({
        title: 'Client created',
        clientId: client.client_id,
        secret,
        note: 'Store it where the caller reads its credentials (a secret manager, an environment variable).',
      });
    }
  }

  private changed(event: CustomEvent<Client>): void {
    const client = event.detail;
    this.selected = client;
    this.clients = this.clients.map((c) => (c.client_id === client.client_id ? client : c));
  }

  private async deleted(event: CustomEvent<string>): Promise<void> {
    const name = this.selected?.client_name ?? event.detail;
    this.selected = null;
    this.message = `Client ${name} deleted.`;
    await this.load(this.currentCursor);
    this.renderRoot.querySelector<HTMLElement>('#clients-title')?.focus();
  }

  private renderFilters() {
    const scopes = this.grantable.scopes;
    return html`<form
      role="search"
      aria-label="Filter clients"
      class="filters"
      @submit=${(e: Event) => e.preventDefault()}
    >
      <div class="field">
        <label for="search">Search by name</label>
        <input id="search" type="search" autocomplete="off" @input=${this.search} />
      </div>
      <div class="field">
        <label for="status">Status</label>
        <select
          id="status"
          @change=${(e: Event) =>
            this.filter({
              status: ((e.target as HTMLSelectElement).value ||
                undefined) as ClientFilters['status'],
            })}
        >
          <option value="">Any</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </select>
      </div>
      <div class="field">
        <label for="scope-filter">With scope</label>
        <select
          id="scope-filter"
          @change=${(e: Event) => this.filter({ scope: (e.target as HTMLSelectElement).value || undefined })}
        >
          <option value="">Any</option>
          ${scopes.map((scope) => html`<option value=${scope}>${scope}</option>`)}
        </select>
      </div>
      ${
        this.client.source === 'admin'
          ? html`<div class="field">
              <label for="owner-filter">Owner</label>
              <input
                id="owner-filter"
                type="text"
                autocomplete="off"
                @change=${(e: Event) =>
                  this.filter({
                    owner_id: (e.target as HTMLInputElement).value.trim() || undefined,
                  })}
              />
            </div>`
          : nothing
      }
      <div class="field inline">
        <input
          id="expiring"
          type="checkbox"
          @change=${(e: Event) =>
            this.filter({
              expires_within_days: (e.target as HTMLInputElement).checked
                ? EXPIRING_SOON_DAYS
                : undefined,
            })}
        />
        <label for="expiring">Expiring soon (within ${EXPIRING_SOON_DAYS} days)</label>
      </div>
    </form>`;
  }

  private renderTable() {
    return html`<table aria-busy=${this.loading ? 'true' : 'false'}>
        <caption class="visually-hidden">
          Clients
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Client ID</th>
            <th scope="col">Scopes</th>
            <th scope="col">Status</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          ${
            this.clients.length === 0
              ? html`<tr>
                  <td colspan="7">${this.loading ? 'Loading…' : 'No clients match.'}</td>
                </tr>`
              : this.clients.map(
                  (client) =>
                    html`<tr>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-current=${this.selected?.client_id === client.client_id ? 'true' : 'false'}
                          @click=${() => this.open(client)}
                        >
                          ${client.client_name}
                        </button>
                      </td>
                      <td><code>${client.client_id}</code></td>
                      <td>${client.scopes.join(' ')}</td>
                      <td>
                        <span class="badge ${client.status}">
                          ${client.status === 'active' ? 'Active' : 'Disabled'}
                        </span>
                      </td>
                      <td>${lastUsed(client)}</td>
                      <td>${when(client.expires_at)}</td>
                      <td>${when(client.created_at)}</td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
      <nav class="actions" aria-label="Pages">
        <button
          type="button"
          class="secondary"
          ?disabled=${this.cursors.length === 0 || this.loading}
          @click=${this.previousPage}
        >
          Previous page
        </button>
        <button
          type="button"
          class="secondary"
          ?disabled=${this.nextCursor === null || this.loading}
          @click=${this.nextPage}
        >
          Next page
        </button>
      </nav>`;
  }

  override render() {
    return html`<section aria-labelledby="clients-title">
        <h2 id="clients-title" tabindex="-1">Clients</h2>
        ${this.error === '' ? nothing : html`<p class="alert" role="alert">${this.error}</p>`}
        <p class="status-message" role="status">${this.message}</p>
        <div class="actions">
          <button type="button" @click=${this.openCreate}>Create client</button>
        </div>
        ${this.renderFilters()} ${this.renderTable()}
      </section>
      ${
        this.selected === null
          ? nothing
          : html`<m2m-client-detail
              .api=${this.client}
              .client=${this.selected}
              .grantable=${this.grantable}
              @m2m-client-changed=${this.changed}
              @m2m-client-deleted=${this.deleted}
            ></m2m-client-detail>`
      }
      <m2m-client-form-dialog
        .api=${this.client}
        .grantable=${this.grantable}
        @m2m-client-created=${this.created}
      ></m2m-client-form-dialog>
      <m2m-secret-dialog></m2m-secret-dialog>`;
  }
}
