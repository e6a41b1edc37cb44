// "Test Connection": probes the active profile's gateway row by row (proxy, DNS, connection and
// TLS, key, /models, a streamed answer, usage, tool calling, image input, JSON mode) and says
// what was found. vscode-free: the host passes the request pipeline in and words the verdicts.

import * as dns from 'node:dns';
import type { TLSSocket } from 'node:tls';
import type { GatewayRoute, RequestParameters, StreamFn } from '../chat/request';
import { GatewayError } from './errors';
import { openSocket, ProxyTunnelError } from './nodeFetch';
import { describeProxy, hostOf, isLoopback, type ProxyChoice } from './proxyRoute';
import type { ChatRequest, FunctionTool, GatewayErrorInfo, ToolCall, Usage } from './types';

export type CheckId = 'proxy' | 'dns' | 'connection' | 'key' | 'models' | 'stream' | 'usage' | 'tools' | 'images' | 'jsonMode';
export type Verdict = 'pass' | 'warn' | 'fail' | 'skip';

/** Why a row got its verdict; the host words each one and the fix that goes with a failure. */
export type CheckFinding =
  | { id: 'proxy'; reason: 'direct' }
  | { id: 'proxy'; reason: 'viaProxy'; proxy: string; source: ProxyChoice['source'] }
  | { id: 'proxy'; reason: 'tunnelFailed'; proxy: string; status?: number; detail: string }
  | { id: 'dns'; reason: 'resolved'; addresses: string[] }
  | { id: 'dns'; reason: 'byProxy' | 'notTried' }
  | { id: 'dns'; reason: 'failed'; host: string; detail: string }
  | { id: 'connection'; reason: 'plainHttp'; loopback: boolean }
  | { id: 'connection'; reason: 'verified'; protocol: string; issuer: string; validTo: string }
  | { id: 'connection'; reason: 'unverified'; protocol: string; detail: string }
  | { id: 'connection'; reason: 'certificate'; code: string; detail: string }
  | { id: 'connection'; reason: 'unreachable'; detail: string }
  | { id: 'connection'; reason: 'notTried' }
  | { id: 'key'; reason: 'accepted' | 'notNeeded' | 'notTried' }
  | { id: 'key'; reason: 'rejected'; status: number; detail: string }
  | { id: 'models'; reason: 'listed'; count: number; model: string }
  | { id: 'models'; reason: 'modelMissing'; count: number; model: string }
  | { id: 'models'; reason: 'failed'; error: GatewayErrorInfo }
  | { id: 'models'; reason: 'notTried' }
  | { id: 'stream'; reason: 'streamed'; firstTokenMs: number; model: string }
  | { id: 'stream'; reason: 'empty'; model: string }
  | { id: 'stream'; reason: 'failed'; model: string; error: GatewayErrorInfo }
  | { id: 'stream'; reason: 'notTried' }
  | { id: 'usage'; reason: 'reported'; usage: Usage }
  | { id: 'usage'; reason: 'missing' | 'notTried' }
  | { id: 'tools' | 'images' | 'jsonMode'; reason: 'rejected' | 'failed'; error: GatewayErrorInfo }
  | { id: 'tools'; reason: 'called' | 'notCalled' | 'notTried' }
  | { id: 'images'; reason: 'accepted' | 'notTried' }
  | { id: 'jsonMode'; reason: 'valid' | 'invalid' | 'notTried' };

export type CheckRow = CheckFinding & { verdict: Verdict };

export interface ConnectionCheckOptions {
  route: GatewayRoute;
  model: string;
  /** The settings' request fields, as every feature sends them (response_format is only used by its own row). */
  parameters?: RequestParameters;
  /** Whether the profile needs a key at all (local servers do not). */
  requiresKey: boolean;
  /** The one request pipeline (GatewayStream.stream); the checks never open another. */
  stream: StreamFn;
  /** GET /models through the same fetch as the pipeline. */
  listModels: (signal: AbortSignal) => Promise<string[]>;
  /** The proxy requests to the gateway take (chooseProxy), undefined for a direct connection. */
  proxy: ProxyChoice | undefined;
  /** Node's roots plus the system's certificates, as the fetch uses them; undefined for Node's own. */
  ca: readonly string[] | undefined;
  rejectUnauthorized: boolean;
  signal: AbortSignal;
  /** Host name to addresses; dns.lookup by default. */
  lookup?: (host: string) => Promise<string[]>;
  /** Called as each row is known, for progress. */
  onRow?: (row: CheckRow) => void;
  now?: () => number;
}

/** The tool the tools row forces the model to call; it is never run. */
export const PROBE_TOOL: FunctionTool = {
  type: 'function',
  function: {
    name: 'report_connection_test',
    description: 'Reports that the connection test reached the model. Call it with ok set to true.',
    parameters: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  },
};

/** A 1×1 PNG: the smallest image a vision endpoint accepts. */
export const PROBE_IMAGE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const NOT_TRIED_AFTER_NETWORK: readonly CheckRow[] = [
  { id: 'key', reason: 'notTried', verdict: 'skip' },
  { id: 'models', reason: 'notTried', verdict: 'skip' },
  { id: 'stream', reason: 'notTried', verdict: 'skip' },
  { id: 'usage', reason: 'notTried', verdict: 'skip' },
  { id: 'tools', reason: 'notTried', verdict: 'skip' },
  { id: 'images', reason: 'notTried', verdict: 'skip' },
  { id: 'jsonMode', reason: 'notTried', verdict: 'skip' },
];

/** Runs every check in order; a row that cannot be tried (the gateway is unreachable, the key rejected) is skipped. */
export async function runConnectionChecks(options: ConnectionCheckOptions): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const add = (row: CheckRow): CheckRow => {
    rows.push(row);
    options.onRow?.(row);
    return row;
  };
  const target = new URL(options.route.baseUrl);

  // Reachability: proxy, name, socket (and TLS).
  const network = await probeNetwork(target, options);
  for (const row of network) add(row);
  if (network.some((row) => row.verdict === 'fail')) {
    for (const row of NOT_TRIED_AFTER_NETWORK) add(row);
    return rows;
  }
  if (stopped(options)) return rows;

  // The model list also answers whether the key is accepted.
  let keyRow: CheckRow | undefined;
  try {
    const models = await options.listModels(options.signal);
    const listed = models.includes(options.model);
    add(
      listed
        ? { id: 'models', reason: 'listed', count: models.length, model: options.model, verdict: 'pass' }
        : { id: 'models', reason: 'modelMissing', count: models.length, model: options.model, verdict: 'warn' },
    );
    keyRow = acceptedKey(options);
  } catch (error) {
    if (stopped(options)) return rows;
    const info = errorInfo(error);
    if (info.kind === 'auth') {
      keyRow = { id: 'key', reason: 'rejected', status: info.status ?? 401, detail: info.message, verdict: 'fail' };
      add({ id: 'models', reason: 'notTried', verdict: 'skip' });
    } else {
      // Many local servers and some gateways have no /models: not fatal, the model name is typed in.
      add({ id: 'models', reason: 'failed', error: info, verdict: info.kind === 'notFound' ? 'warn' : 'fail' });
    }
  }

  const stream = await streamOnce(options, { messages: [{ role: 'user', content: 'Reply with the single word OK.' }] });
  if (stopped(options)) return rows;
  if (!keyRow) {
    keyRow =
      stream.error?.kind === 'auth'
        ? { id: 'key', reason: 'rejected', status: stream.error.status ?? 401, detail: stream.error.message, verdict: 'fail' }
        : stream.error
          ? { id: 'key', reason: 'notTried', verdict: 'skip' }
          : acceptedKey(options);
  }
  // The key row goes before the model list in the report, whichever request told.
  rows.splice(network.length, 0, keyRow);
  options.onRow?.(keyRow);
  if (keyRow.reason === 'rejected') {
    for (const row of NOT_TRIED_AFTER_NETWORK.slice(2)) add(row);
    return rows;
  }

  if (stream.error) {
    add({ id: 'stream', reason: 'failed', model: options.model, error: stream.error, verdict: 'fail' });
    for (const row of NOT_TRIED_AFTER_NETWORK.slice(3)) add(row);
    return rows;
  }
  add(
    stream.text.trim() === ''
      ? { id: 'stream', reason: 'empty', model: options.model, verdict: 'warn' }
      : { id: 'stream', reason: 'streamed', firstTokenMs: stream.firstTokenMs ?? 0, model: options.model, verdict: 'pass' },
  );
  add(stream.usage ? { id: 'usage', reason: 'reported', usage: stream.usage, verdict: 'pass' } : { id: 'usage', reason: 'missing', verdict: 'warn' });

  const tools = await streamOnce(options, {
    messages: [{ role: 'user', content: 'Call the report_connection_test tool with ok set to true.' }],
    tools: [PROBE_TOOL],
    tool_choice: { type: 'function', function: { name: PROBE_TOOL.function.name } },
  });
  if (stopped(options)) return rows;
  add(
    tools.error
      ? featureFailure('tools', tools.error)
      : tools.calls.some((call) => call.function.name === PROBE_TOOL.function.name)
        ? { id: 'tools', reason: 'called', verdict: 'pass' }
        : { id: 'tools', reason: 'notCalled', verdict: 'warn' },
  );

  const images = await streamOnce(options, {
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What colour is this one-pixel image? Answer in one word.' },
          { type: 'image_url', image_url: { url: PROBE_IMAGE, detail: 'low' } },
        ],
      },
    ],
  });
  if (stopped(options)) return rows;
  add(images.error ? featureFailure('images', images.error) : { id: 'images', reason: 'accepted', verdict: 'pass' });

  const json = await streamOnce(options, {
    messages: [{ role: 'user', content: 'Answer with a JSON object {"ok": true} and nothing else.' }],
    response_format: { type: 'json_object' },
  });
  if (stopped(options)) return rows;
  add(
    json.error
      ? featureFailure('jsonMode', json.error)
      : isJsonObject(json.text)
        ? { id: 'jsonMode', reason: 'valid', verdict: 'pass' }
        : { id: 'jsonMode', reason: 'invalid', verdict: 'warn' },
  );
  return rows;
}

async function probeNetwork(target: URL, options: ConnectionCheckOptions): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const host = hostOf(target);
  const { proxy } = options;
  rows.push(
    proxy
      ? { id: 'proxy', reason: 'viaProxy', proxy: describeProxy(proxy.proxy), source: proxy.source, verdict: 'pass' }
      : { id: 'proxy', reason: 'direct', verdict: 'pass' },
  );
  if (proxy) {
    rows.push({ id: 'dns', reason: 'byProxy', verdict: 'skip' });
  } else {
    try {
      const addresses = await (options.lookup ?? lookupAll)(host);
      rows.push({ id: 'dns', reason: 'resolved', addresses, verdict: 'pass' });
    } catch (error) {
      rows.push({ id: 'dns', reason: 'failed', host, detail: describe(error), verdict: 'fail' });
      rows.push({ id: 'connection', reason: 'notTried', verdict: 'skip' });
      return rows;
    }
  }

  let socket;
  try {
    const socketOptions = { ca: options.ca, rejectUnauthorized: options.rejectUnauthorized, signal: options.signal };
    // Plain http goes to the proxy as a forward request (no tunnel), so reaching the proxy is what counts.
    socket =
      proxy && target.protocol !== 'https:'
        ? await openSocket(proxy.proxy, { ...socketOptions, proxy: undefined })
        : await openSocket(target, { ...socketOptions, proxy: proxy?.proxy });
  } catch (error) {
    if (error instanceof ProxyTunnelError || (proxy && isConnectFailureToProxy(error))) {
      rows[0] = { id: 'proxy', reason: 'tunnelFailed', proxy: describeProxy(proxy?.proxy ?? target), status: error instanceof ProxyTunnelError ? error.status : undefined, detail: describe(error), verdict: 'fail' };
      rows.push({ id: 'connection', reason: 'notTried', verdict: 'skip' });
      return rows;
    }
    const code = errorCode(error);
    rows.push(
      code && CERTIFICATE_CODE.test(code)
        ? { id: 'connection', reason: 'certificate', code, detail: describe(error), verdict: 'fail' }
        : { id: 'connection', reason: 'unreachable', detail: describe(error), verdict: 'fail' },
    );
    return rows;
  }
  try {
    if (target.protocol !== 'https:') {
      rows.push({ id: 'connection', reason: 'plainHttp', loopback: isLoopback(host), verdict: isLoopback(host) ? 'pass' : 'warn' });
    } else {
      const secure = socket as TLSSocket;
      const protocol = secure.getProtocol() ?? 'TLS';
      if (!secure.authorized) {
        rows.push({ id: 'connection', reason: 'unverified', protocol, detail: String(secure.authorizationError), verdict: 'warn' });
      } else {
        const certificate = secure.getPeerCertificate();
        const issuer = certificate.issuer as Record<string, string | string[] | undefined> | undefined;
        const issuerName = [issuer?.O, issuer?.CN].flat().filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
        rows.push({ id: 'connection', reason: 'verified', protocol, issuer: issuerName, validTo: certificate.valid_to, verdict: 'pass' });
      }
    }
  } finally {
    socket.destroy();
  }
  return rows;
}

interface StreamOutcome {
  text: string;
  calls: ToolCall[];
  usage?: Usage;
  error?: GatewayErrorInfo;
  firstTokenMs?: number;
}

async function streamOnce(options: ConnectionCheckOptions, body: Pick<ChatRequest, 'messages' | 'tools' | 'tool_choice' | 'response_format'>): Promise<StreamOutcome> {
  const { response_format: _settingsFormat, ...parameters } = options.parameters ?? {};
  const request: ChatRequest = { ...parameters, model: options.model, stream: true, ...body, messages: body.messages };
  const now = options.now ?? Date.now;
  const started = now();
  const outcome: StreamOutcome = { text: '', calls: [] };
  try {
    for await (const event of options.stream({
      ...options.route,
      // One attempt on the model under test: a retry or a fallback model would hide what failed.
      fallbackModels: [],
      policy: { ...options.route.policy, maxRetries: 0 },
      // What the rows ask about must not be answered by a request that quietly left it out.
      probedFeatures: ['noTools', 'noImages', 'noResponseFormat'],
      request,
      signal: options.signal,
    })) {
      switch (event.type) {
        case 'text':
          outcome.firstTokenMs ??= now() - started;
          outcome.text += event.text;
          break;
        case 'toolCalls':
          outcome.calls.push(...event.calls);
          break;
        case 'usage':
          outcome.usage = event.usage;
          break;
        case 'error':
          outcome.error = event.error;
          break;
        default:
          break;
      }
    }
  } catch (error) {
    outcome.error = errorInfo(error);
  }
  return outcome;
}

/** A function, not a property read, so the check is not narrowed away after the first one. */
function stopped(options: ConnectionCheckOptions): boolean {
  return options.signal.aborted;
}

function featureFailure(id: 'tools' | 'images' | 'jsonMode', error: GatewayErrorInfo): CheckRow {
  // A 400 (or 422) names something in the body the gateway does not take; anything else is not about the feature.
  return { id, reason: error.kind === 'badRequest' ? 'rejected' : 'failed', error, verdict: 'fail' };
}

function acceptedKey(options: ConnectionCheckOptions): CheckRow {
  const sent = options.route.apiKey !== undefined && options.route.apiKey !== '';
  return sent || options.requiresKey ? { id: 'key', reason: 'accepted', verdict: 'pass' } : { id: 'key', reason: 'notNeeded', verdict: 'pass' };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

async function lookupAll(host: string): Promise<string[]> {
  const found = await dns.promises.lookup(host, { all: true });
  return found.map((entry) => entry.address);
}

const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO/;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A socket error while no tunnel existed yet: the proxy itself is unreachable. */
function isConnectFailureToProxy(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'ECONNRESET';
}

function errorInfo(error: unknown): GatewayErrorInfo {
  if (error instanceof GatewayError) return error.info;
  return { kind: 'network', message: describe(error) };
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return cause.message || errorCode(cause) || cause.name;
  return String(cause);
}
