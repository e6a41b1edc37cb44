// A fetch for the gateway client built on Node's http/https/tls, because Node's own fetch cannot
// take a proxy or extra certificates without the `undici` package. Plain-http targets go to an
// http proxy as absolute-URI requests; https targets through an HTTP CONNECT tunnel, with TLS to
// the gateway inside it. Node parses HTTP; this only wires sockets and turns the answer into a
// standard Response, so streamChat and listModels work unchanged (they take it as `fetchImpl`).
//
// Requests are made with `new http.ClientRequest`, not http.request: inside VS Code the extension
// host patches http.request to apply its own proxy resolution, which would send our CONNECT and
// tunnelled requests through the proxy a second time. tls.connect is left as it is, so VS Code
// still adds the system's certificates where this code passes none of its own.

import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import * as zlib from 'node:zlib';

export interface NodeFetchOptions {
  /** The proxy for a target URL, or undefined to connect directly (see chooseProxy). */
  proxyFor: (target: URL) => URL | undefined;
  /** Certificates trusted besides Node's bundled roots, e.g. the system's (PEM). */
  extraCa?: readonly string[];
  /** False only when the user turned `http.proxyStrictSSL` off. */
  rejectUnauthorized: boolean;
  /**
   * Sends the requests that need no proxy. Default: this module's own direct connection. The
   * extension passes the global fetch, which VS Code extends with the system's proxy
   * configuration (PAC, OS settings) and certificates.
   */
  direct?: typeof fetch;
}

/** What a socket to the gateway needs besides the target: the same for fetch and the TLS probe. */
export interface SocketOptions {
  proxy: URL | undefined;
  ca: readonly string[] | undefined;
  rejectUnauthorized: boolean;
  signal?: AbortSignal;
}

/** The proxy refused or failed the tunnel; its status says why (407: it wants credentials). */
export class ProxyTunnelError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyTunnelError';
  }
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createNodeFetch(options: NodeFetchOptions): typeof fetch {
  // `ca` replaces Node's roots rather than adding to them, so the bundled ones go first.
  const ca = options.extraCa && options.extraCa.length > 0 ? [...tls.rootCertificates, ...options.extraCa] : undefined;
  const direct = new https.Agent({ keepAlive: true, ca, rejectUnauthorized: options.rejectUnauthorized });
  const plain = new http.Agent({ keepAlive: true });

  return async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('nodeFetch takes a URL, not a Request');
    const target = new URL(input);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);
    const proxy = options.proxyFor(target);
    if (!proxy && options.direct) return options.direct(target.href, init);
    const headers = headerRecord(init.headers);
    const body = bodyBytes(init.body);
    if (body) headers['content-length'] = String(body.byteLength);
    const method = init.method ?? 'GET';
    const path = `${target.pathname}${target.search}`;

    let request: http.ClientRequest;
    try {
      if (target.protocol === 'https:' && proxy) {
        const socket = await openSocket(target, { proxy, ca, rejectUnauthorized: options.rejectUnauthorized, signal });
        request = new http.ClientRequest({ method, path, headers: { host: target.host, ...headers }, signal, createConnection: () => socket });
      } else if (target.protocol === 'https:') {
        request = new http.ClientRequest({ ...endpoint(target), method, path, headers, signal, agent: direct });
      } else if (proxy) {
        // A forward proxy takes the whole URL as the path and relays plain http itself.
        request = new http.ClientRequest({
          host: proxy.hostname,
          port: proxy.port || 80,
          method,
          path: target.href,
          headers: { host: target.host, ...proxyAuthorization(proxy), ...headers },
          signal,
          agent: plain,
        });
      } else {
        request = new http.ClientRequest({ ...endpoint(target), method, path, headers, signal, agent: plain });
      }
    } catch (error) {
      throw failure(error, signal);
    }

    return new Promise<Response>((resolve, reject) => {
      request.once('error', (error) => reject(failure(error, signal)));
      request.once('response', (incoming) => {
        try {
          resolve(toResponse(incoming, method));
        } catch (error) {
          incoming.destroy();
          reject(failure(error, signal));
        }
      });
      request.end(body);
    });
  };
}

/**
 * A connected socket to the target's host and port: through a CONNECT tunnel when `proxy` is
 * set, TLS on top for https (verified against Node's roots plus `ca`). Also what Test
 * Connection's TLS row inspects.
 */
export async function openSocket(target: URL, options: SocketOptions): Promise<net.Socket> {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const { signal } = options;
  let raw: net.Socket | undefined;
  if (options.proxy) raw = await connectTunnel(options.proxy, host, port, options);
  if (target.protocol !== 'https:') {
    if (raw) return raw;
    return settleSocket(net.connect({ host, port }), 'connect', signal);
  }
  const secure = tls.connect({
    ...(raw ? { socket: raw } : { host, port }),
    servername: tlsServername(target),
    ca: options.ca ? [...options.ca] : undefined,
    rejectUnauthorized: options.rejectUnauthorized,
    ALPNProtocols: ['http/1.1'],
  });
  return settleSocket(secure, 'secureConnect', signal);
}

function connectTunnel(proxy: URL, host: string, port: number, options: SocketOptions): Promise<net.Socket> {
  const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const requestOptions: http.RequestOptions = {
    host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: authority,
    headers: { host: authority, ...proxyAuthorization(proxy) },
    signal: options.signal,
  };
  const connect =
    proxy.protocol === 'https:'
      ? new http.ClientRequest({
          ...requestOptions,
          protocol: 'https:',
          agent: new https.Agent({ ca: options.ca ? [...options.ca] : undefined, rejectUnauthorized: options.rejectUnauthorized }),
        })
      : new http.ClientRequest({ ...requestOptions, agent: false });
  return new Promise<net.Socket>((resolve, reject) => {
    connect.once('error', reject);
    connect.once('connect', (response, socket, head) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new ProxyTunnelError(response.statusCode, `The proxy ${proxy.host} answered ${response.statusCode} ${response.statusMessage ?? ''} to CONNECT ${authority}`.trim()));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    connect.end();
  });
}

function settleSocket(socket: net.Socket, ready: 'connect' | 'secureConnect', signal: AbortSignal | undefined): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const onAbort = (): void => {
      socket.destroy();
      if (signal) reject(abortReason(signal));
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.once(ready, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(socket);
    });
  });
}

function endpoint(target: URL): { protocol: string; host: string; port: string | number } {
  return { protocol: target.protocol, host: target.hostname.replace(/^\[(.*)\]$/, '$1'), port: target.port || (target.protocol === 'https:' ? 443 : 80) };
}

function toResponse(incoming: http.IncomingMessage, method: string): Response {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  if (NULL_BODY_STATUSES.has(status) || method === 'HEAD') {
    incoming.resume();
    return new Response(null, { status, statusText: incoming.statusMessage, headers });
  }
  const decoded = decode(incoming, headers.get('content-encoding'));
  if (decoded !== incoming) {
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  const body = Readable.toWeb(decoded) as ReadableStream<Uint8Array>;
  return new Response(body, { status, statusText: incoming.statusMessage, headers });
}

/** Nothing asks for compression, but a gateway or proxy may compress anyway. */
function decode(incoming: http.IncomingMessage, encoding: string | null): Readable {
  const name = (encoding ?? '').trim().toLowerCase();
  const inflater = name === 'gzip' || name === 'x-gzip' ? zlib.createGunzip() : name === 'deflate' ? zlib.createInflate() : name === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!inflater) return incoming;
  incoming.on('error', (error) => inflater.destroy(error));
  inflater.on('close', () => incoming.destroy());
  return incoming.pipe(inflater);
}

function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(init).forEach((value, name) => {
    record[name] = value;
  });
  return record;
}

function bodyBytes(body: BodyInit | null | undefined): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  throw new TypeError('nodeFetch sends string or byte bodies only');
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === '' && proxy.password === '') return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'proxy-authorization': `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
}

/** SNI takes host names only, never an IP address. */
function tlsServername(target: URL): string | undefined {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
}

/** Rejections shaped like Node's fetch: the caller's abort reason, else "fetch failed" with the cause. */
function failure(error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return abortReason(signal);
  return new TypeError('fetch failed', { cause: error });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
