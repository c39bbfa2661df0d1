import type { M2mAuditEvent } from '../domain/audit-event.js';
import type { M2mClientView } from '../clients/client.model.js';
import { escapeControlCharacters } from '../common/text.js';
import type { M2mSigningKeyView } from '../keys/signing-key.model.js';

/** Where the CLI writes: stdout for results, stderr for errors and logs. */
export interface M2mCliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Writes to the process's stdout and stderr. */
export const processIo: M2mCliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Text a terminal cannot be driven by: names, descriptions and metadata come from the database
 * and could hold control characters. Human output shows each as `\xNN` (line feeds between lines
 * stay); in JSON, DEL and the C1 controls, which JSON.stringify leaves raw, become `\u00NN`.
 */
export function terminalSafe(text: string, json: boolean): string {
  if (json) {
    return text.replace(
      /[\u007f-\u009f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return text
    .split('\n')
    .map((line) => escapeControlCharacters(line))
    .join('\n');
}

/** One line per client in human output. */
export function clientLine(client: M2mClientView): string {
  const expiry =
    client.expiresAt === null ? 'never expires' : `expires ${client.expiresAt.toISOString()}`;
  const rotation = client.nextSecret === null ? '' : `  rotating → …${client.nextSecret.hint}`;
  return `${client.clientId}  ${client.status.padEnd(8)}  ${client.clientName}  [${client.scopes.join(' ')}]  …${client.secretHint}  ${expiry}${rotation}`;
}

/** One line per signing key in human output. */
export function keyLine(key: M2mSigningKeyView): string {
  const until = key.expiresAt ? `  published until ${key.expiresAt.toISOString()}` : '';
  return `${key.kid}  ${key.alg}  ${key.status.padEnd(7)}  created ${key.createdAt.toISOString()}${until}`;
}

/** One line per audit event in human output. */
export function eventLine(event: M2mAuditEvent): string {
  const actor = `${event.actor.type}${event.actor.id ? ` ${event.actor.id}` : ''}`;
  return `${event.occurredAt.toISOString()}  ${event.type.padEnd(26)}  ${event.clientId ?? '-'}  by ${actor}`;
}
