// "Copy Last Request as cURL": the request exactly as streamChat sends it, as a POSIX shell
// command someone can paste into a terminal or a bug report, with every secret masked.

import { endpoint, requestHeaders } from './headers';
import { redactKey, redactSecret } from './redact';
import { buildStreamBody } from './requestBody';
import { defaultStreamOptionsSupport } from './streamOptions';
import type { StreamOptionsSupport } from './streamOptions';
import type { ChatRequest } from './types';

export interface CurlOptions {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  /** The profile's extra headers, as passed to streamChat. */
  headers?: Record<string, string>;
  /** Credential headers as passed to streamChat (masked in the output once toCurl prints them). */
  secretHeaders?: Record<string, string>;
  /** As passed to streamChat, so stream_options is in the body exactly when streamChat sends it. */
  includeUsage?: boolean;
  extraBody?: Readonly<Record<string, unknown>>;
  streamOptionsSupport?: StreamOptionsSupport;
}

/** Header names whose values are credentials whatever they hold. */
const SECRET_HEADER = /authorization|api[-_]?key|token|secret|password|cookie/i;

export function toCurl(options: CurlOptions): string {
  const { apiKey } = options;
  const support = options.streamOptionsSupport ?? defaultStreamOptionsSupport;
  const withStreamOptions = options.includeUsage !== false && !support.isRejected(options.baseUrl);
  const body = JSON.stringify(buildStreamBody(options.request, withStreamOptions, options.extraBody));

  const lines = [`curl -N -X POST ${shellQuote(endpoint(options.baseUrl, 'chat/completions'))}`];
  for (const [name, value] of requestHeaders(apiKey, 'text/event-stream', options.headers, true)) {
    lines.push(`-H ${shellQuote(`${name}: ${SECRET_HEADER.test(name) ? maskCredential(value) : value}`)}`);
  }
  lines.push(`--data-raw ${shellQuote(body)}`);
  // The key may also hide in the URL (?key=) or a message; nothing leaves here unmasked.
  return redactSecret(lines.join(' \\\n  '), apiKey);
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
