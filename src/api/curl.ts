// "Copy Last Request as cURL": the request exactly as streamChat sends it, as a POSIX shell
// command someone can paste into a terminal or a bug report, with every secret masked.

import { endpoint, requestHeaders, requestSecrets } from './headers';
import type { KeyHeader } from './headers';
import { redactKey, redactSecrets } from './redact';
import { buildStreamBody } from './requestBody';
import { defaultGatewayDialects } from './dialects';
import type { GatewayDialects } from './dialects';
import type { ChatRequest } from './types';

export interface CurlOptions {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  /** The profile's extra headers, as passed to streamChat. */
  headers?: Record<string, string>;
  /** The profile's secret headers, as passed to streamChat: their values are masked whatever their names. */
  secretHeaders?: Record<string, string>;
  /** As passed to streamChat, so stream_options is in the body exactly when streamChat sends it. */
  includeUsage?: boolean;
  extraBody?: Readonly<Record<string, unknown>>;
  keyHeader?: KeyHeader;
  /** As passed to streamChat, so the body is in the dialect streamChat would send. */
  streamOptionsSupport?: GatewayDialects;
}

/** Header names whose values are credentials whatever they hold. */
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

export function toCurl(options: CurlOptions): string {
  const { apiKey } = options;
  const dialects = options.streamOptionsSupport ?? defaultGatewayDialects;
  const dialect = { baseUrl: options.baseUrl, fixes: dialects.fixesFor(options.baseUrl, options.request.model) };
  const body = JSON.stringify(buildStreamBody(options.request, options.includeUsage !== false, options.extraBody, dialect));

  const secretNames = new Set(Object.keys(options.secretHeaders ?? {}).map((name) => name.toLowerCase()));
  const isSecret = (name: string): boolean => SECRET_HEADER.test(name) || secretNames.has(name.toLowerCase());
  const lines = [`curl -N -X POST ${shellQuote(endpoint(options.baseUrl, 'chat/completions'))}`];
  for (const [name, value] of requestHeaders(apiKey, 'text/event-stream', options.headers, true, options.secretHeaders, options.keyHeader)) {
    lines.push(`-H ${shellQuote(`${name}: ${isSecret(name) ? maskCredential(value) : value}`)}`);
  }
  lines.push(`--data-raw ${shellQuote(body)}`);
  // A secret may also hide in the URL (?key=), another header or a message; nothing leaves here unmasked.
  return redactSecrets(lines.join(' \\\n  '), requestSecrets(apiKey, options.secretHeaders));
}

/**
 * One POSIX shell word: single quotes keep everything literal (newlines, $, `, \, !), and a
 * single quote itself is closed, escaped and reopened: ' becomes '\''.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `Bearer sk-…abcd` for a scheme and token, `sk-…abcd` for a bare value. */
function maskCredential(value: string): string {
  const match = /^(\S+)\s+(\S.*)$/.exec(value);
  return match?.[1] !== undefined && match[2] !== undefined ? `${match[1]} ${redactKey(match[2])}` : redactKey(value);
}
