// The request id that ties a request's log lines together. Set by the web edge (proxy.ts)
// on the request and echoed on the response; read back by the tRPC context and the
// routes. No Node imports: proxy.ts may run outside the Node runtime.

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming id may look like to be kept: a short token that is safe in a log line. */
const SAFE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** A fresh id: 16 random bytes as 32 hex digits. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `given` when it is a safe short token (a reverse proxy's id), else a new id. */
export function requestIdOf(given: string | null | undefined): string {
  return given && SAFE_ID.test(given) ? given : newRequestId();
}

/** The caller's `x-request-id` when it is a safe short token, else a new one. */
export function requestIdFrom(headers: Headers): string {
  return requestIdOf(headers.get(REQUEST_ID_HEADER));
}
