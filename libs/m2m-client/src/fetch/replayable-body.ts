/**
 * Whether the request can be sent a second time as it was: no body, or a body held in memory.
 * A stream (or a `Request` carrying its own body) is consumed by the first attempt.
 */
export function isReplayable(
  input: Parameters<typeof fetch>[0],
  init: RequestInit | undefined,
): boolean {
  const body =
    init?.body !== undefined
      ? init.body
      : typeof Request !== 'undefined' && input instanceof Request
        ? input.body
        : null;
  return (
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  );
}
