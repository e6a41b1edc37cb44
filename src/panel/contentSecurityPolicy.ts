// vscode-free, so the unit test can read the policy the panel runs under.

/**
 * The panel's Content-Security-Policy: scripts only with the page's nonce, styles, fonts and
 * images only from the extension (and data: images), no requests of its own, no form submission
 * and no <base> that could re-point relative URLs.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}
