import { hasControlCharacters } from '../common/text.js';
import { ClientValidationError } from './admin.error.js';
import type { ProblemFieldError } from './problem-details.js';

/** Collects field errors, each with a JSON Pointer to the offending member. */
export class FieldErrors {
  readonly list: ProblemFieldError[] = [];

  add(field: string, detail: string): void {
    this.list.push({ pointer: `#/${field}`, detail });
  }

  /** Throws one `ClientValidationError` listing every error collected, if there is any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new ClientValidationError(this.list);
  }
}

/** A text filter of a list: control characters are refused (no stored value has one). */
export function checkFilter(errors: FieldErrors, field: string, value: string | undefined): void {
  if (value !== undefined && hasControlCharacters(value)) {
    errors.add(field, 'must not contain control characters');
  }
}
