import { LitElement, html, nothing } from 'lit';
import type { AuditEvent, Client, Grantable, M2mApi } from './api.js';
import type { M2mClientFormDialog } from './client-form-dialog.js';
import { refusal, when } from './format.js';
import type { M2mSecretDialog } from './secret-dialog.js';
import { lastUsed } from './last-used.js';
import { baseStyles } from './styles.js';

/**
 * One client: its details, the secret rotation, disable/enable, delete and its audit events.
 * Fires `m2m-client-changed` (detail: the client) and `m2m-client-deleted` (detail: its id).
 */
export class M2mClientDetail extends LitElement {
  static override styles = baseStyles;
  static override properties = {
    api: { attribute: false },
    client: { attribute: false },
    grantable: { attribute: false },
    events: { state: true },
    eventsCursor: { state: true },
    error: { state: true },
    message: { state: true },
    busy: { state: true },
  };

  declare api: M2mApi;
  declare client: Client;
  /** What the caller may grant, for "Edit". */
  declare grantable: Grantable;
  declare events: AuditEvent[];
  declare eventsCursor: string | null;
  declare error: string;
  declare message: string;
  declare busy: boolean;

  constructor() {
    super();
    this.grantable = { scopes: [], audiences: null };
    this.events = [];
    this.eventsCursor = null;
    this.error = '';
    this.message = '';
    this.busy = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    const previous = changed.get('client') as Client | undefined;
    if (changed.has('client') && previous?.client_id !== this.client.client_id) {
      this.error = '';
      this.message = '';
      void this.loadEvents(true);
    }
  }

  /** Moves focus to the client's heading, e.g. when it was opened from the list. */
  async focusHeading(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private async loadEvents(first: boolean): Promise<void> {
    try {
      const page = await this.api.auditEvents(
        this.client.client_id,
        first ? null : this.eventsCursor,
      );
      this.events = first ? page.data : [...this.events, ...page.data];
      this.eventsCursor = page.next_cursor;
    } catch (error) {
      this.fail(error, 'The audit events could not be loaded: ');
    }
  }

  /** Runs one change, shows its outcome, and tells the page about the new state. */
  private async act(message: string, change: () => Promise<Client>): Promise<void> {
    this.busy = true;
    this.error = '';
    this.message = '';
    try {
      const client = await change();
      this.changed(client);
      this.message = message;
      await this.loadEvents(true);
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private fail(error: unknown, prefix = ''): void {
    this.error = `${prefix}${refusal(this, error)}`;
  }

  private changed(client: Client): void {
    this.dispatchEvent(
      new CustomEvent('m2m-client-changed', { detail: client, bubbles: true, composed: true }),
    );
  }

  /** Reads the client again: last use, a rotation's progress, changes made elsewhere. */
  private async refresh(): Promise<void> {
    await this.act('', () => this.api.getClient(this.client.client_id));
  }

  private async rotate(): Promise<void> {
    this.busy = true;
    this.error = '';
    this.message = '';
    try {
      const started = await this.api.startRotation(this.client.client_id);
      const { next_client_secret: secret, ...client } = started;
      this.changed(client);
      await this.renderRoot.querySelector<M2mSecretDialog>('m2m-secret-dialog')!.show({
        title: 'Secret rotation started',
        clientId: client.client_id,
        secret,
        note: 'Both secrets work until you complete or cancel the rotation. Give this one to the caller, then complete the rotation once the old secret is no longer used.',
      });
      await this.loadEvents(true);
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** The next secret was shown: focus goes to the rotation's next step. */
  private async secretClosed(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#complete-rotation')?.focus();
  }

  private edit(): void {
    void this.renderRoot
      .querySelector<M2mClientFormDialog>('m2m-client-form-dialog')!
      .show(this.client);
  }

  /** The edit dialog's outcome: say so, and read the events again. */
  private async edited(): Promise<void> {
    this.message = 'Client saved.';
    await this.loadEvents(true);
  }

  private confirmDelete(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('#delete-dialog')!.showModal();
  }

  private async delete(): Promise<void> {
    const id = this.client.client_id;
    this.busy = true;
    try {
      await this.api.deleteClient(id);
      this.renderRoot.querySelector<HTMLDialogElement>('#delete-dialog')!.close();
      this.dispatchEvent(
        new CustomEvent('m2m-client-deleted', { detail: id, bubbles: true, composed: true }),
      );
    } catch (error) {
      this.renderRoot.querySelector<HTMLDialogElement>('#delete-dialog')!.close();
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  private cancelDelete(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('#delete-dialog')!.close();
  }

  private renderRotation(client: Client) {
    if (client.token_endpoint_auth_method === 'private_key_jwt') {
      return html`<p>
        This client signs assertions with its own key: it has no secret to rotate.
      </p>`;
    }
    const rotation = client.rotation;
    if (rotation === null) {
      return html`<p>
          Secret <code>${client.secret_hint}…</code>, created ${when(client.secret_created_at)},
          last used ${when(client.secret_last_used_at, 'never')}.
        </p>
        <div class="actions">
          <button
            type="button"
            ?disabled=${this.busy || client.status === 'disabled'}
            @click=${this.rotate}
          >
            Rotate secret
          </button>
        </div>
        ${
          client.status === 'disabled'
            ? html`<p class="hint">Enable the client to rotate its secret.</p>`
            : nothing
        }`;
    }
    const oldUsed = client.secret_last_used_at;
    const usedSinceStart = oldUsed !== null && oldUsed > rotation.started_at;
    return html`<p>Rotation in progress since ${when(rotation.started_at)}.</p>
      <dl>
        <dt>Old secret</dt>
        <dd><code>${client.secret_hint}…</code>, old secret last used ${when(oldUsed, 'never')}</dd>
        <dt>Next secret</dt>
        <dd>
          <code>${rotation.next_secret_hint}…</code>, last used
          ${when(rotation.next_secret_last_used_at, 'not yet')}
        </dd>
      </dl>
      <p class=${usedSinceStart ? 'notice' : 'hint'}>
        ${
          usedSinceStart
            ? 'The old secret was used after the rotation started: a caller still has it. Completing the rotation now locks that caller out.'
            : 'The old secret has not been used since the rotation started.'
        }
      </p>
      <div class="actions">
        <button
          id="complete-rotation"
          type="button"
          ?disabled=${this.busy}
          @click=${() =>
            this.act('Rotation completed: only the new secret works now.', () =>
              this.api.completeRotation(client.client_id),
            )}
        >
          Complete rotation
        </button>
        <button
          type="button"
          class="secondary"
          ?disabled=${this.busy}
          @click=${() =>
            this.act('Rotation cancelled: the next secret no longer works.', () =>
              this.api.cancelRotation(client.client_id),
            )}
        >
          Cancel rotation
        </button>
      </div>`;
  }

  private renderEvents() {
    return html`<table>
        <caption>
          Audit events
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">By</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          ${
            this.events.length === 0
              ? html`<tr>
                  <td colspan="4">No events yet.</td>
                </tr>`
              : this.events.map(
                  (event) =>
                    html`<tr>
                      <td>${when(event.occurred_at)}</td>
                      <td><code>${event.type}</code></td>
                      <td>
                        ${event.actor.type}${event.actor.id === null ? '' : html` <code>${event.actor.id}</code>`}
                      </td>
                      <td>
                        ${
                          event.details === null
                            ? ''
                            : Object.entries(event.details)
                                .map(
                                  ([key, value]) =>
                                    `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
                                )
                                .join(', ')
                        }
                      </td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
      ${
        this.eventsCursor === null
          ? nothing
          : html`<button type="button" class="secondary" @click=${() => this.loadEvents(false)}>
              More events
            </button>`
      }`;
  }

  override render() {
    const client = this.client;
    const active = client.status === 'active';
    return html`<section class="panel" aria-labelledby="detail-title">
      <h2 id="detail-title" tabindex="-1">${client.client_name}</h2>
      ${this.error === '' ? nothing : html`<p class="alert" role="alert">${this.error}</p>`}
      <p class="status-message" role="status">${this.message}</p>
      <dl>
        <dt>Client ID</dt>
        <dd><code>${client.client_id}</code></dd>
        <dt>Status</dt>
        <dd><span class="badge ${client.status}">${active ? 'Active' : 'Disabled'}</span></dd>
        <dt>Scopes</dt>
        <dd>${client.scopes.join(' ') || 'none'}</dd>
        <dt>Audiences</dt>
        <dd>${client.audiences.join(' ') || 'the default audience'}</dd>
        ${
          this.api.source === 'admin'
            ? html`<dt>Owner</dt>
                <dd>${client.owner_id ?? 'none'}</dd>`
            : nothing
        }
        <dt>Last used</dt>
        <dd>${lastUsed(client)}</dd>
        <dt>Expires</dt>
        <dd>${when(client.expires_at)}</dd>
        <dt>Created</dt>
        <dd>${when(client.created_at)}</dd>
      </dl>
      <div class="actions">
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.edit}>
          Edit
        </button>
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${this.refresh}>
          Refresh
        </button>
      </div>
      <h3>Secret</h3>
      ${this.renderRotation(client)}
      <h3>Access</h3>
      <div class="actions">
        ${
          active
            ? html`<button
                type="button"
                class="secondary"
                ?disabled=${this.busy}
                @click=${() =>
                  this.act(
                    'Client disabled: the token endpoint refuses it and its tokens no longer work.',
                    () => this.api.setStatus(client.client_id, 'disabled'),
                  )}
              >
                Disable
              </button>`
            : html`<button
                type="button"
                class="secondary"
                ?disabled=${this.busy}
                @click=${() =>
                  this.act('Client enabled.', () => this.api.setStatus(client.client_id, 'active'))}
              >
                Enable
              </button>`
        }
        <button type="button" class="danger" ?disabled=${this.busy} @click=${this.confirmDelete}>
          Delete
        </button>
      </div>
      ${this.renderEvents()}
      <dialog id="delete-dialog" aria-labelledby="delete-title" aria-describedby="delete-text">
        <h2 id="delete-title">Delete ${client.client_name}?</h2>
        <p id="delete-text">
          The client <code>${client.client_id}</code> can no longer get tokens, and the tokens it
          holds are revoked. This cannot be undone.
        </p>
        <div class="actions">
          <button type="button" class="danger" ?disabled=${this.busy} @click=${this.delete}>
            Delete
          </button>
          <button type="button" class="secondary" autofocus @click=${this.cancelDelete}>
            Cancel
          </button>
        </div>
      </dialog>
      <m2m-secret-dialog @m2m-secret-closed=${this.secretClosed}></m2m-secret-dialog>
      <m2m-client-form-dialog
        .api=${this.api}
        .grantable=${this.grantable}
        @m2m-client-changed=${this.edited}
      ></m2m-client-form-dialog>
    </section>`;
  }
}
