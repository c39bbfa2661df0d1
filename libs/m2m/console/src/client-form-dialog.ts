import { LitElement, html, nothing } from 'lit';
import {
  ApiError,
  type Client,
  type ClientChanges,
  type Grantable,
  type M2mApi,
  type NewClient,
} from './api.js';
import { fieldOf, refusal } from './format.js';
import { baseStyles } from './styles.js';

/** The form's fields, by the member of the request body each one fills. */
const FIELDS = ['client_name', 'scopes', 'audiences', 'expires_at', 'owner_id'] as const;
type Field = (typeof FIELDS)[number];

/** Fired with the created client and its secret, which the page shows once. */
export type ClientCreatedEvent = CustomEvent<Client & { client_secret: string | null }>;

/**
 * "Create client" (name, scopes from those the caller may grant, audiences, expiry, and the
 * owner for operators), or "Edit client" for an existing one. The server's field errors appear
 * under the fields they name. Fires `m2m-client-created` with the new client and its secret, or
 * `m2m-client-changed` with the edited client.
 */
export class M2mClientFormDialog extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    api: { attribute: false },
    grantable: { attribute: false },
    editing: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
    busy: { state: true },
  };

  declare api: M2mApi;
  declare grantable: Grantable;
  /** The client being edited; null when creating one. */
  declare editing: Client | null;
  declare fieldErrors: Partial<Record<Field, string>>;
  declare formError: string;
  declare busy: boolean;

  constructor() {
    super();
    this.grantable = { scopes: [], audiences: null };
    this.editing = null;
    this.fieldErrors = {};
    this.formError = '';
    this.busy = false;
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Opens the form, empty or filled with `client`'s values; focus moves to "Name". */
  async show(client: Client | null = null): Promise<void> {
    this.editing = client;
    this.fieldErrors = {};
    this.formError = '';
    await this.updateComplete;
    const form = this.renderRoot.querySelector('form')!;
    form.reset();
    if (client !== null) this.fill(form, client);
    this.dialog.showModal();
  }

  private fill(form: HTMLFormElement, client: Client): void {
    const field = <T extends Element>(name: string) => form.elements.namedItem(name) as T;
    field<HTMLInputElement>('name').value = client.client_name;
    for (const option of field<HTMLSelectElement>('scopes').options) {
      option.selected = client.scopes.includes(option.value);
    }
    const audiences = field<HTMLInputElement | HTMLSelectElement>('audiences');
    if (audiences instanceof HTMLSelectElement) {
      for (const option of audiences.options) {
        option.selected = client.audiences.includes(option.value);
      }
    } else {
      audiences.value = client.audiences.join(' ');
    }
    field<HTMLInputElement>('expires').value = client.expires_at?.slice(0, 10) ?? '';
  }

  /** What the edit changes: only the members whose value differs from the client's. */
  private changes(input: NewClient, client: Client): ClientChanges {
    const same = (a: string[], b: string[]) => [...a].sort().join(' ') === [...b].sort().join(' ');
    const audiences = input.audiences ?? [];
    const expires = input.expires_at ?? null;
    return {
      ...(input.client_name === client.client_name ? {} : { client_name: input.client_name }),
      ...(same(input.scopes, client.scopes) ? {} : { scopes: input.scopes }),
      ...(same(audiences, client.audiences) ? {} : { audiences }),
      ...(expires?.slice(0, 10) === client.expires_at?.slice(0, 10) ||
      (expires === null && client.expires_at === null)
        ? {}
        : { expires_at: expires }),
    };
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
      ...(this.api.source === 'admin' && this.editing === null && text('owner') !== ''
        ? { owner_id: text('owner') }
        : {}),
    };
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    this.busy = true;
    this.fieldErrors = {};
    this.formError = '';
    try {
      const input = this.input(form);
      const editing = this.editing;
      if (editing !== null && Object.keys(this.changes(input, editing)).length === 0) {
        // Nothing to save: no request, no audit event.
        this.dialog.close();
        return;
      }
      const [type, detail] =
        editing === null
          ? ['m2m-client-created', await this.api.createClient(input)]
          : [
              'm2m-client-changed',
              await this.api.updateClient(editing.client_id, this.changes(input, editing)),
            ];
      this.dialog.close();
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
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
        : [refusal(this, error), ...rest].join(' ');
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
        <h2 id="create-title">${this.editing === null ? 'Create client' : 'Edit client'}</h2>
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
            The client stops working at the end of this day (UTC).
            ${this.editing === null ? 'Empty: the server’s default.' : 'Empty: no end.'}
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
          <button type="submit" ?disabled=${this.busy}>
            ${this.editing === null ? 'Create' : 'Save'}
          </button>
          <button type="button" class="secondary" @click=${this.close}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }
}
