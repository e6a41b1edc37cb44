// URL and headers of a gateway request, shared by the client and the cURL export so that what is
// exported is exactly what is sent.

/**
 * `{baseUrl}/{path}`, whether or not the configured base URL ends in a slash. A query in the base
 * URL (Azure OpenAI's `?api-version=`) stays at the end, after the path.
 */
export function endpoint(baseUrl: string, path: string): string {
  const queryAt = baseUrl.indexOf('?');
  const base = queryAt === -1 ? baseUrl : baseUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : baseUrl.slice(queryAt);
  return `${base.replace(/\/+$/, '')}/${path}${query}`;
}

/** How the key is sent: `Authorization: Bearer <key>` (default) or Azure OpenAI's `api-key: <key>`. */
export type KeyHeader = 'authorization' | 'api-key';

/**
 * The request headers in the order they are sent. Profile headers come last and replace ours
 * (names compared case-insensitively) so a gateway that needs another auth scheme can have it;
 * secret headers (values kept in SecretStorage) come after those and win over them.
 */
export function requestHeaders(
  apiKey: string | undefined,
  accept: string,
  extra: Record<string, string> | undefined,
  jsonBody: boolean,
  secretExtra?: Record<string, string>,
  keyHeader: KeyHeader = 'authorization',
): Array<[string, string]> {
  const headers = new Map<string, [string, string]>();
  headers.set('accept', ['Accept', accept]);
  if (jsonBody) headers.set('content-type', ['Content-Type', 'application/json']);
  // Azure OpenAI takes the bare key in `api-key`; a Bearer header would be a token it cannot read.
  if (apiKey && keyHeader === 'api-key') headers.set('api-key', ['api-key', apiKey]);
  else if (apiKey) headers.set('authorization', ['Authorization', `Bearer ${apiKey}`]);
  for (const group of [extra, secretExtra]) {
    if (!group) continue;
    for (const [name, value] of Object.entries(group)) headers.set(name.toLowerCase(), [name, value]);
  }
  return [...headers.values()];
}

/**
 * Everything a request carries that must be masked wherever it could be shown: the key and each
 * secret header's value, plus the token of a `Scheme token` value, which a gateway may echo alone.
 */
export function requestSecrets(apiKey: string | undefined, secretHeaders: Record<string, string> | undefined): Array<string | undefined> {
  const secrets: Array<string | undefined> = [apiKey];
  for (const value of Object.values(secretHeaders ?? {})) {
    secrets.push(value);
    const token = /^\S+\s+(\S+)\s*$/.exec(value.trim())?.[1];
    if (token !== undefined) secrets.push(token);
  }
  return secrets;
}
