// vscode-free: where a stored API key may go. A key is bound to the origin it was stored for; a
// workspace (a cloned repository's .vscode/settings.json) must not be able to redirect it silently.

/**
 * `scheme://host[:port]` of a URL as the WHATWG URL parser normalises it (lower-case host,
 * default port dropped, IPv6 in brackets, user info and path left out); undefined when it is not
 * an http(s) URL.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.origin;
}

/** The host of an origin as written in it (IPv6 with brackets), or undefined. */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

/** This machine: 127.0.0.0/8, ::1 and localhost (also *.localhost, which resolves to it). */
export function isLoopback(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped IPv6 as the URL parser writes it: ::ffff:7f00:1 is 127.0.0.1.
  const mapped = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare);
  if (mapped) return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255) && octets[1] === '127';
}

/** Plain http to another machine: the key would cross the network readable by anyone on the way. */
export function isPlainHttpToRemote(origin: string): boolean {
  const host = hostOf(origin);
  return origin.startsWith('http:') && host !== undefined && !isLoopback(host);
}

/** What the user already allowed, for the destination in question. */
export interface OriginAllowances {
  /** The key may go to this (other) origin. */
  otherOrigin: boolean;
  /** The key may go over plain http to this origin. */
  plainHttp: boolean;
}

export type CredentialDecision =
  | { action: 'send' }
  /**
   * The key would go somewhere it was not stored for. `source` says who chose the destination:
   * the workspace's settings, or the user's own (then the user most likely changed it or made a typo).
   */
  | { action: 'ask'; origin: string; keyOrigin: string; source: 'workspace' | 'user' }
  | { action: 'warnPlainHttp'; origin: string };

export interface CredentialRoute {
  /** Where the request goes (from the effective settings, workspace included). */
  origin: string;
  /** Where the key was stored for. */
  keyOrigin: string;
  /** Where the user's own settings (no workspace values) send requests of this profile. */
  userOrigin: string;
  allowed: OriginAllowances;
}

/**
 * Whether the key (and the profile's secret headers) may go with a request. A different origin
 * is asked about first; plain http to another machine is warned about even for the key's own origin.
 */
export function decideCredentialRoute(route: CredentialRoute): CredentialDecision {
  const { origin, keyOrigin, userOrigin, allowed } = route;
  if (origin !== keyOrigin && !allowed.otherOrigin) {
    return { action: 'ask', origin, keyOrigin, source: origin === userOrigin ? 'user' : 'workspace' };
  }
  if (isPlainHttpToRemote(origin) && !allowed.plainHttp) {
    return { action: 'warnPlainHttp', origin };
  }
  return { action: 'send' };
}
