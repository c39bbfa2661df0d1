import { requestErrorAnswer, requestErrorKind } from './request-errors.js';

/** What {@link m2mFastifyFrameworkErrors} uses of Fastify's request and reply. */
interface FrameworkRequest {
  url: string;
}
interface FrameworkReply {
  code(status: number): FrameworkReply;
  header(name: string, value: string): FrameworkReply;
  send(payload?: unknown): unknown;
}

/**
 * Fastify's `frameworkErrors` option: Fastify's router refuses a path that is not valid
 * percent-encoding before any hook or Nest filter runs. On the module's routes this answers it
 * like the module answers the other request errors; everything else gets Fastify's own answer.
 *
 * @example
 * ```ts
 * const adapter = new FastifyAdapter({ frameworkErrors: m2mFastifyFrameworkErrors });
 * ```
 */
export function m2mFastifyFrameworkErrors(
  error: Error,
  request: FrameworkRequest,
  reply: FrameworkReply,
): void {
  const kind = requestErrorKind(error);
  const answer = kind === undefined ? undefined : requestErrorAnswer(kind, request.url);
  if (answer === undefined) {
    reply.send(error);
    return;
  }
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  reply.send(JSON.stringify(answer.body));
}
