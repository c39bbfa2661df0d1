import { LitElement, html, nothing } from 'lit';
import { ApiError, type Client, type Grantable, type M2mApi, type NewClient } from './api.js';
import { fieldOf, messageOf } from './format.js';
import { baseStyles } from './styles.js';

/** The form's fields, by the member of the request body each one fills. */
const FIELDS = ['client_name', 'scopes', 'audiences', 'expires_at', 'owner_id'] as const;
type Field = (typeof FIELDS)[number];

/** Fired with the created client and its secret, which the page shows once. */
export type ClientCreatedEvent = CustomEvent<Client & { client_secret: string | null }>;

/**
 * "Create client": name, scopes from those the caller may grant, audiences, expiry (and the
 * owner, for operators). The server's field errors appear under the fields they name.
 */
export class M2mCreateClientDialog extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    api: { attribute: false },
    grantable: { attribute: false },
    fieldErrors: { state: true },
    formError: { state: true },
    busy: { state: true },
  };

  declare api: M2mApi;
  declare grantable: Grantable;
  declare fieldErrors: Partial<Record<Field, string>>;
  declare formError: string;
  declare busy: boolean;

  constructor() {
    super();
    this.grantable = { scopes: [], audiences: null };
    this.fieldErrors = {};
    this.formError = '';
    this.busy = false;
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Opens an empty form; focus moves to "Name". */
  async show(): Promise<void> {
    this.fieldErrors = {};
    this.formError = '';
    await this.updateComplete;
    this.renderRoot.querySelector('form')!.reset();
    this.dialog.showModal();
  }

  private input(form: HTMLFormElement): NewClient {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const expires = text('expires');
    const audiences =
      this.grantable.audiences === null
        ? text('audiences').split(/\s+/).filter(Boolean)
        : data.getAll('audiences').map(String);
    return {
      client_name: text('name'),
      scopes: data.getAll('scopes').map(String),
      ...(audiences.length > 0 ? { audiences } : {}),
      // The end of the chosen day is the last moment the client works, in UTC.
      ...(expires === '' ? {} : { expires_at: `${expires}T23:59:59Z` }),
      ...(this.api.source === 'admin' && text('owner') !== '' ? { owner_id: text('owner') } : {}),
    };
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.busy = true;
    this.fieldErrors = {};
    this.formError = '';
    try {
      const created = await this.api.createClient(this.input(form));
      this.dialog.close();
      this.dispatchEvent(
        new CustomEvent('m2m-client-created', { detail: created, bubbles: true, composed: true }),
      );
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  private async showError(error: unknown): Promise<void> {
    const byField: Partial<Record<Field, string>> = {};
    const rest: string[] = [];
    for (const problem of error instanceof ApiError ? error.errors : []) {
      const field = fieldOf(problem.pointer) as Field;
      if ((FIELDS as readonly string[]).includes(field)) {
        byField[field] =
          byField[field] === undefined ? problem.detail : `${byField[field]} ${problem.detail}`;
      } else {
        rest.push(problem.detail);
      }
    }
    this.fieldErrors = byField;
    this.formError =
      Object.keys(byField).length > 0 && rest.length === 0
        ? 'The server refused some fields; see below.'
        : [messageOf(error), ...rest].join(' ');
    await this.updateComplete;
    // Focus goes to the first field in error, where its message is read out with it.
    const first = FIELDS.find((field) => byField[field] !== undefined);
    this.renderRoot
      .querySelector<HTMLElement>(first === undefined ? '#create-error' : `[data-field="${first}"]`)
      ?.focus();
  }

  /** aria attributes of a field, tied to its error when it has one. */
  private errorOf(field: Field, hint?: string) {
    const error = this.fieldErrors[field];
    return {
      invalid: error === undefined ? 'false' : 'true',
      describedBy:
        [error === undefined ? '' : `${field}-error`, hint ?? ''].join(' ').trim() || nothing,
      message:
        error === undefined ? nothing : html`<p id="${field}-error" class="error">${error}</p>`,
    };
  }

  private close(): void {
    this.dialog.close();
  }

  override render() {
    const name = this.errorOf('client_name');
    const scopes = this.errorOf('scopes', 'scopes-hint');
    const audiences = this.errorOf('audiences', 'audiences-hint');
    const expires = this.errorOf('expires_at', 'expires-hint');
    const owner = this.errorOf('owner_id', 'owner-hint');
    const allowedAudiences = this.grantable.audiences;
    return html`<dialog aria-labelledby="create-title">
      <form @submit=${this.submit} novalidate>
        <h2 id="create-title">Create client</h2>
        ${
          this.formError === ''
            ? nothing
            : html`<p id="create-error" class="alert" role="alert" tabindex="-1">
                ${this.formError}
              </p>`
        }
        <div class="field">
          <label for="name">Name</label>
          <input
            id="name"
            name="name"
            type="text"
            data-field="client_name"
            autocomplete="off"
            autofocus
            required
            aria-invalid=${name.invalid}
            aria-describedby=${name.describedBy}
          />
          ${name.message}
        </div>
        <div class="field">
          <label for="scopes">Scopes</label>
          <select
            id="scopes"
            name="scopes"
            data-field="scopes"
            multiple
            size=${Math.min(Math.max(this.grantable.scopes.length, 2), 8)}
            aria-invalid=${scopes.invalid}
            aria-describedby=${scopes.describedBy}
          >
            ${this.grantable.scopes.map((scope) => html`<option value=${scope}>${scope}</option>`)}
          </select>
          <p id="scopes-hint" class="hint">Hold Ctrl or ⌘ (or Shift) to choose several.</p>
          ${scopes.message}
        </div>
        <div class="field">
          <label for="audiences">Audiences</label>
          ${
            allowedAudiences === null
              ? html`<input
                  id="audiences"
                  name="audiences"
                  type="text"
                  data-field="audiences"
                  autocomplete="off"
                  aria-invalid=${audiences.invalid}
                  aria-describedby=${audiences.describedBy}
                />`
              : html`<select
                  id="audiences"
                  name="audiences"
                  data-field="audiences"
                  multiple
                  ?disabled=${allowedAudiences.length === 0}
                  aria-invalid=${audiences.invalid}
                  aria-describedby=${audiences.describedBy}
                >
                  ${allowedAudiences.map((uri) => html`<option value=${uri}>${uri}</option>`)}
                </select>`
          }
          <p id="audiences-hint" class="hint">
            ${
              allowedAudiences === null
                ? 'Resource URIs, separated by spaces. Empty: the server’s default audience.'
                : allowedAudiences.length === 0
                  ? 'Your clients get the default audience.'
                  : 'None chosen: the default audience.'
            }
          </p>
          ${audiences.message}
        </div>
        <div class="field">
          <label for="expires">Expires</label>
          <input
            id="expires"
            name="expires"
            type="date"
            data-field="expires_at"
            aria-invalid=${expires.invalid}
            aria-describedby=${expires.describedBy}
          />
          <p id="expires-hint" class="hint">
            The client stops working at the end of this day (UTC). Empty: the server’s default.
          </p>
          ${expires.message}
        </div>
        ${
          this.api?.source === 'admin'
            ? html`<div class="field">
                <label for="owner">Owner ID</label>
                <input
                  id="owner"
                  name="owner"
                  type="text"
                  data-field="owner_id"
                  autocomplete="off"
                  aria-invalid=${owner.invalid}
                  aria-describedby=${owner.describedBy}
                />
                <p id="owner-hint" class="hint">Optional: the user or tenant it belongs to.</p>
                ${owner.message}
              </div>`
            : nothing
        }
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>Create</button>
          <button type="button" class="secondary" @click=${this.close}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }
}
