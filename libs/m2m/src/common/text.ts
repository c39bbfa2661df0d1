/* eslint-disable no-control-regex -- finding control characters is what this file is for */
/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_GLOBAL = /[\u0000-\u001f\u007f-\u009f]/g;
/** The same, but for tab and line feed, which multi-line text may hold. */
const CONTROL_BUT_TAB_AND_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Whether `value` holds a control character (with `multiline`: any but tab and line feed). */
export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_BUT_TAB_AND_LF : CONTROL).test(value);
}

/**
 * `value` with every control character written as `\xNN` (`\u0085` as `\x85`), for a log line or
 * a terminal: text that a caller chose can then neither forge a log line nor drive a terminal.
 */
export function escapeControlCharacters(value: string): string {
  return value.replace(
    CONTROL_GLOBAL,
    (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * `value` as a database column can hold it: PostgreSQL refuses U+0000 in text, so it becomes
 * U+FFFD (the replacement character). Used for what callers sent and the audit log records.
 */
export function storableText(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '\ufffd') : value;
}

/** The first line of `value`, trimmed, with control characters escaped: for one-line reports. */
export function firstLine(value: string): string {
  return escapeControlCharacters(value.split(/\r?\n/, 1)[0]!.trim());
}
