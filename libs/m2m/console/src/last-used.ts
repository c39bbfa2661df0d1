import { html, type TemplateResult } from 'lit';
import type { Client } from './api.js';
import { when } from './format.js';

/**
 * When the client last got a token, and with which credential: during a rotation, the old or
 * the next secret, so that an operator sees who has switched.
 */
export function lastUsed(client: Client): TemplateResult | string {
  if (client.last_used_at === null) return 'Never';
  if (client.token_endpoint_auth_method === 'private_key_jwt') {
    return html`${when(client.last_used_at)} (signed assertion)`;
  }
  const next = client.rotation?.next_secret_last_used_at ?? null;
  const current = client.secret_last_used_at;
  const which =
    next !== null && (current === null || next >= current)
      ? 'next secret'
      : client.rotation === null
        ? 'current secret'
        : 'old secret';
  return html`${when(client.last_used_at)} (${which})`;
}
