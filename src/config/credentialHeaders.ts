// vscode-free: header names that carry credentials. Such values belong in SecretStorage (Fox Chat:
// Set Secret Header…), not in settings, which sync, get committed and can come from a workspace.

const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|password|cookie|subscription[-_]?key/i;

export function looksLikeCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/** Names of the headers in `headers` that look like credentials. */
export function credentialHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  return Object.keys(headers).filter(looksLikeCredentialHeader);
}

/** An HTTP header name (RFC 9110 token). */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}
