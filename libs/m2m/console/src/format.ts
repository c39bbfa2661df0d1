import { html, type TemplateResult } from 'lit';
import { ApiError } from './api.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A timestamp as a `<time>` in the reader's locale, or `none` when there is none. */
export function when(iso: string | null | undefined, none = 'Never'): TemplateResult | string {
  if (iso === null || iso === undefined) return none;
  return html`<time datetime=${iso}>${dateTime.format(new Date(iso))}</time>`;
}

/** The first segment of a problem's JSON Pointer (`#/scopes/0` → `scopes`). */
export function fieldOf(pointer: string): string {
  return pointer.replace(/^#/, '').split('/').filter(Boolean)[0] ?? '';
}

/** The message of anything thrown, for an alert. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The message to show for a refusal. A 401 also fires `m2m-unauthorized` from `element`
 * (bubbling, composed): the session is over, and the console signs out or the host page sends
 * its user to sign in.
 */
export function refusal(element: HTMLElement, error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    element.dispatchEvent(new Event('m2m-unauthorized', { bubbles: true, composed: true }));
  }
  return messageOf(error);
}
