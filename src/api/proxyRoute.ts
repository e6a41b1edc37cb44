// Which proxy (if any) a request to a URL goes through: VS Code's `http.proxy` and `http.noProxy`
// first, the conventional https_proxy / http_proxy / no_proxy environment variables as fallback.
// vscode-free so the decision is unit-tested; the host passes the settings in.

export interface ProxySettings {
  /** VS Code's `http.proxy`; empty for none. */
  proxy: string;
  /** VS Code's `http.noProxy`: host names, `.domain` / `*.domain` suffixes, `host:port`, IPs, IPv4 CIDRs, or `*`. */
  noProxy: readonly string[];
  /** VS Code's `http.proxyStrictSSL`: verify the gateway's certificate (and an https proxy's). */
  strictSSL: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ProxyChoice {
  proxy: URL;
  /** Where the address came from, for the Test Connection report. */
  source: 'setting' | 'environment';
}

/**
 * The proxy for `target`, or undefined to connect directly. Loopback targets always go direct:
 * no proxy can reach this machine's local gateways (Ollama, LM Studio, the tests' mock), and
 * Chromium bypasses them the same way.
 */
export function chooseProxy(target: URL, settings: ProxySettings, env: Environment = {}): ProxyChoice | undefined {
  if (isLoopback(hostOf(target))) return undefined;
  const fromSetting = parseProxy(settings.proxy);
  const envName = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const fromEnv = fromSetting ? undefined : parseProxy(envValue(env, envName) ?? envValue(env, 'all_proxy') ?? '');
  const proxy = fromSetting ?? fromEnv;
  if (!proxy) return undefined;
  const noProxy = [...settings.noProxy, ...splitList(envValue(env, 'no_proxy') ?? '')];
  if (bypassesProxy(target, noProxy)) return undefined;
  return { proxy, source: fromSetting ? 'setting' : 'environment' };
}

/** True when one of the `noProxy` entries names the target's host (and port, when the entry has one). */
export function bypassesProxy(target: URL, entries: readonly string[]): boolean {
  const host = hostOf(target);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return entries.some((raw) => matchesEntry(host, port, raw.trim().toLowerCase()));
}

function matchesEntry(host: string, port: string, entry: string): boolean {
  if (entry === '') return false;
  if (entry === '*') return true;
  const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
  if (cidr) return inCidr(host, cidr[1] as string, Number(cidr[2]));
  let name = entry;
  // An IPv6 address has colons of its own; only "[v6]:port" or "name:port" carry a port.
  const withPort = /^\[(.*)\]:(\d+)$/.exec(entry) ?? /^([^:]*):(\d+)$/.exec(entry);
  if (withPort) {
    if (withPort[2] !== port) return false;
    name = withPort[1] as string;
  }
  name = name.replace(/^\[(.*)\]$/, '$1');
  if (name.startsWith('*.')) name = name.slice(1);
  if (name.startsWith('.')) return host.endsWith(name) || host === name.slice(1);
  return host === name || host.endsWith(`.${name}`);
}

function inCidr(host: string, base: string, bits: number): boolean {
  const address = ipv4ToNumber(host);
  const network = ipv4ToNumber(base);
  if (address === undefined || network === undefined || bits > 32) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

function ipv4ToNumber(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** The host without IPv6 brackets, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A proxy address as users write it: with or without scheme (http assumed). Undefined when empty or unusable. */
export function parseProxy(value: string): URL | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The proxy address for a report or log: no user name or password. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

function envValue(env: Environment, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function splitList(value: string): string[] {
  return value.split(/[,\s]+/).filter((entry) => entry !== '');
}
