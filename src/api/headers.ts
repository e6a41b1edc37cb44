// URL and headers of a gateway request, shared by the client and the cURL export so that what is
// exported is exactly what is sent.

/** `{baseUrl}/{path}`, whether or not the configured base URL ends in a slash. */
export function endpoint(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

/**
 * The request headers in the order they are sent. Profile headers come last and replace ours
 * (names compared case-insensitively) so a gateway that needs another auth scheme can have it.
 */
export function requestHeaders(
  apiKey: string | undefined,
  accept: string,
  extra: Record<string, string> | undefined,
  jsonBody: boolean,
): Array<[string, string]> {
  const headers = new Map<string, [string, string]>();
  headers.set('accept', ['Accept', accept]);
  if (jsonBody) headers.set('content-type', ['Content-Type', 'application/json']);
  if (apiKey) headers.set('authorization', ['Authorization', `Bearer ${apiKey}`]);
  if (extra) {
    for (const [name, value] of Object.entries(extra)) headers.set(name.toLowerCase(), [name, value]);
  }
  return [...headers.values()];
}
