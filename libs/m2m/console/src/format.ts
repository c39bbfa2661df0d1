import { html, type TemplateResult } from 'lit';

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
