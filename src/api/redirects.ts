// fetch follows redirects anywhere by default, and would carry the Authorization header, the
// profile's headers and the conversation to whatever address a gateway (or whoever answers in
// its place) names. Here a redirect is followed only within the address the user configured.

import { GatewayError } from './errors';
import { endpoint } from './headers';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
export const MAX_REDIRECTS = 5;

/**
 * POSTs or GETs `{baseUrl}/{path}`, following a redirect only to the same origin (scheme, host
 * and port), with the same method, headers and body, at most MAX_REDIRECTS times. A redirect to
 * another origin, or one too many, rejects with a GatewayError before anything is sent there;
 * fetch's own rejections (network, abort) pass through unchanged.
 */
export async function fetchWithinOrigin(
  fetchImpl: typeof fetch,
  baseUrl: string,
  path: string,
  init: RequestInit,
): Promise<Response> {
  let url = endpoint(baseUrl, path);
  for (let redirects = 0; ; redirects++) {
    const response = await fetchImpl(url, { ...init, redirect: 'manual' });
    // A browser-style fetch hides the Location of a manual redirect; it cannot be checked, so it is not followed.
    if (response.type === 'opaqueredirect') {
      throw new GatewayError({
        kind: 'badRequest',
        message: 'The gateway answered with a redirect that Fox Chat cannot inspect, so it was not followed.',
      });
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
    // Not a redirect, or a 3xx without a target: an ordinary (failed) response for the caller.
    if (location === null) return response;
    discard(response);

    const current = new URL(url);
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      throw new GatewayError({
        kind: 'badRequest',
        status: response.status,
        message: `The gateway redirected to an invalid address (${location}).`,
      });
    }
    if (target.origin === 'null' || target.origin !== current.origin) {
      throw new GatewayError({ kind: 'badRequest', status: response.status, message: crossOriginMessage(target, path) });
    }
    if (redirects >= MAX_REDIRECTS) {
      throw new GatewayError({
        kind: 'badRequest',
        status: response.status,
        message: `The gateway redirected more than ${MAX_REDIRECTS} times, so the request was stopped. Check foxChat.baseUrl.`,
      });
    }
    url = target.href;
  }
}

function crossOriginMessage(target: URL, path: string): string {
  // Only the origin and path: a query or user info in the Location may hold a token of its own.
  const shown = target.origin === 'null' ? `${target.protocol}…` : `${target.origin}${target.pathname}`;
  const suffix = `/${path}`;
  const suggestion =
    target.origin !== 'null' && target.pathname.endsWith(suffix)
      ? `${target.origin}${target.pathname.slice(0, -suffix.length)}`
      : 'that address';
  return (
    `The gateway redirected to ${shown}. Fox Chat does not follow redirects to another address, because the API key ` +
    `would go along; set foxChat.baseUrl to ${suggestion} if you trust it.`
  );
}

/** The redirect's own body is never read; cancelling it frees the connection for the next hop. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}
