// Turns failed HTTP exchanges into GatewayErrorInfo: one mapping shared by streamChat and listModels.

import { STATUS_CODES } from 'node:http';
import { isRecord } from '../isRecord';
import { secretMasker } from './redact';
import type { Masker } from './redact';
import type { GatewayErrorInfo, GatewayErrorKind } from './types';

/** Error bodies beyond this are never useful to a user and may be an HTML page of megabytes. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_EXCERPT_CHARS = 200;

export class GatewayError extends Error {
  readonly info: GatewayErrorInfo;

  constructor(info: GatewayErrorInfo) {
    super(info.message);
    this.name = 'GatewayError';
    this.info = info;
  }
}

export function kindFromStatus(status: number): GatewayErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 429) return 'rateLimited';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'server';
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.ceil(Number(trimmed));
  }
  // Date.parse accepts bare numbers like "-5" as years; an HTTP-date always names a day or month.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** The secrets of a request (API key, secret header values), or a masker already built from them. */
export type SecretsToMask = string | undefined | readonly (string | undefined)[] | Masker;

/**
 * Maps a failed response to what the user is told. `secrets` (the API key and any secret header
 * values) are masked in the body before anything is cut from it, so an excerpt can never end in
 * the middle of one.
 */
export async function errorFromResponse(response: Response, secrets?: SecretsToMask): Promise<GatewayErrorInfo> {
  return (await readErrorResponse(response, secrets)).info;
}

/** errorFromResponse plus the (capped, masked) body, for callers that look for more than the message. */
export async function readErrorResponse(response: Response, secrets?: SecretsToMask): Promise<{ info: GatewayErrorInfo; body: string }> {
  const mask = toMasker(secrets);
  const body = mask((await readCapped(response, MAX_ERROR_BODY_BYTES)).text);
  const info: GatewayErrorInfo = {
    kind: kindFromStatus(response.status),
    status: response.status,
    // Masked again: the excerpt unescapes HTML, which may have hidden a secret's characters.
    message: mask(messageFromErrorBody(body) ?? statusLineWithExcerpt(response, body)),
  };
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  if (retryAfterSeconds !== undefined) {
    info.retryAfterSeconds = retryAfterSeconds;
  }
  return { info, body };
}

/** fetch() rejects with "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function networkError(error: unknown): GatewayErrorInfo {
  return { kind: 'network', message: describeCause(error) };
}

/** The gateway's own message from a JSON error body: `error.message`, `message`, or a string `error`. */
export function messageFromErrorBody(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return messageFromErrorValue(parsed);
}

export function messageFromErrorValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  // Gemini's OpenAI-compatible endpoint answers `[{"error": {...}}]`.
  if (Array.isArray(value)) return value.length > 0 ? messageFromErrorValue(value[0]) : undefined;
  if (!isRecord(value)) return undefined;
  const { error, message } = value;
  if (isRecord(error) && typeof error.message === 'string' && error.message.trim() !== '') {
    return error.message.trim();
  }
  if (typeof message === 'string' && message.trim() !== '') return message.trim();
  if (typeof error === 'string' && error.trim() !== '') return error.trim();
  return undefined;
}

/** A one-line, tag-free glimpse of a body that was not the JSON we hoped for. */
export function excerpt(body: string, maxChars: number = MAX_EXCERPT_CHARS): string {
  const text = body
    // <head> holds the <title>, which only repeats the status line.
    .replace(/<(head|script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function statusLineWithExcerpt(response: Response, body: string): string {
  const statusText = response.statusText || STATUS_CODES[response.status] || '';
  const statusLine = statusText ? `${response.status} ${statusText}` : String(response.status);
  const glimpse = excerpt(body);
  return glimpse ? `${statusLine}: ${glimpse}` : statusLine;
}

export function toMasker(secrets: SecretsToMask): Masker {
  if (typeof secrets === 'function') return secrets;
  return secretMasker(typeof secrets === 'string' || secrets === undefined ? [secrets] : secrets);
}

/**
 * At most `maxBytes` of a body as text; `complete` is false when there was more (the rest is
 * never read). A body that breaks off (or an abort) ends the text where it broke.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; complete: boolean }> {
  if (!response.body) return { text: '', complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let complete = false;
  try {
    while (bytes <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      // One byte past the cap is kept aside to tell "exactly maxBytes" from "more".
      const slice = value.byteLength > maxBytes - bytes ? value.subarray(0, maxBytes - bytes) : value;
      if (slice !== value) {
        bytes = maxBytes + 1;
      } else {
        bytes += slice.byteLength;
      }
      text += decoder.decode(slice, { stream: true });
    }
    text += decoder.decode();
  } catch {
    // A body that breaks off (or an abort) still leaves the status to report.
  } finally {
    if (!complete) {
      reader.cancel().catch(() => undefined);
    }
  }
  return { text, complete };
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const fromCause = describeError(cause);
  if (fromCause) return fromCause;
  return describeError(error) || 'Network request failed';
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError) {
    // Happy-eyeballs connects (localhost → ::1 and 127.0.0.1) fail with an empty-message AggregateError.
    const inner = error.errors.map(describeError).find((m) => m !== '');
    if (inner) return inner;
  }
  if (error instanceof Error) {
    if (error.message) return error.message;
    return 'code' in error && typeof error.code === 'string' ? error.code : '';
  }
  return typeof error === 'string' ? error : '';
}
