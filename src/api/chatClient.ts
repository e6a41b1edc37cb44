// The gateway client: POST /chat/completions as an SSE stream of typed events, and GET /models.
// Plain Node (global fetch), no vscode import, so it runs under mocha against a local server.

import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { ChunkDecoder, DEFAULT_MAX_ANSWER_BYTES, answerTooLargeMessage, formatBytes } from './chunkDecoder';
import { isRecord } from '../isRecord';
import { GatewayError, errorFromResponse, networkError, readCapped, readErrorResponse } from './errors';
import { requestHeaders, requestSecrets } from './headers';
import type { KeyHeader } from './headers';
import { IdleTimer } from './idleTimer';
import { secretMasker } from './redact';
import type { Masker } from './redact';
import { fetchWithinOrigin } from './redirects';
import { buildStreamBody } from './requestBody';
import { classifyRejection, defaultGatewayDialects, isReportedFix } from './dialects';
import type { DialectFix, GatewayDialects } from './dialects';
import type { ChatRequest, GatewayErrorInfo, StreamEvent } from './types';

export interface StreamChatOptions {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /**
   * Headers whose values are secrets (kept in SecretStorage): sent like `headers`, after them and
   * winning on a name clash, and masked like the API key in every error, whatever their names.
   */
  secretHeaders?: Record<string, string>;
  fetchImpl?: typeof fetch;
  /** Which header carries the key (Azure OpenAI: `api-key`); default Authorization: Bearer. */
  keyHeader?: KeyHeader;
  /**
   * When no bytes arrive for this long (waiting for the response headers or between reads), the
   * request is aborted and the stream ends with a `timeout` error. Off when undefined or 0.
   */
  idleTimeoutMs?: number;
  /** Gateway-specific fields merged into the body (`foxChat.extraBody`); the request's own fields win. */
  extraBody?: Readonly<Record<string, unknown>>;
  /** Ask for the final usage chunk with `stream_options` (default true) where the gateway accepts it. */
  includeUsage?: boolean;
  /**
   * What each gateway and model was found to refuse (stream_options, max_tokens, temperature, …):
   * applied to the body, and a refusal it can fix is learned and retried once. Defaults to one
   * in-process memory. (Its old name, from when it only knew stream_options.)
   */
  streamOptionsSupport?: GatewayDialects;
  /**
   * Features whose refusal must reach the caller instead of being worked around, learned fixes for
   * them not applied either: Test Connection asks whether the gateway takes tools, images and JSON
   * mode, which a silent retry without them would hide.
   */
  probedFeatures?: readonly DialectFix[];
  /**
   * The largest answer in UTF-8 bytes, counting text, reasoning and tool-call names and arguments
   * (and the whole body of a plain JSON answer); past it the stream ends with a `stream` error and
   * what arrived so far stays. Default DEFAULT_MAX_ANSWER_BYTES (32 MB).
   */
  maxAnswerBytes?: number;
}

export interface ListModelsOptions {
  baseUrl: string;
  apiKey: string | undefined;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** As in StreamChatOptions: sent after `headers`, values masked in every error. */
  secretHeaders?: Record<string, string>;
  fetchImpl?: typeof fetch;
  keyHeader?: KeyHeader;
  /** The whole request, body included, fails with a `timeout` error after this long; default 15 s, 0 for none. */
  timeoutMs?: number;
}

/**
 * One SSE event at most this big: eventsource-parser buffers an unterminated event whole, so a
 * gateway that never ends one would otherwise grow memory without bound.
 */
export const MAX_EVENT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_LIST_MODELS_TIMEOUT_MS = 15_000;
/** A model list is a few hundred KB even on the largest gateways. */
const MAX_MODELS_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Streams one chat completion. Failures arrive as a single `error` event (never a throw) and end
 * the stream. When `signal` aborts, the stream just ends: the caller knows it asked to stop.
 */
export async function* streamChat(options: StreamChatOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal, apiKey, baseUrl } = options;
  if (signal?.aborted) return;
  const mask = secretMasker(requestSecrets(apiKey, options.secretHeaders));
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;

  // Our own controller, so an idle timeout can abort the request without the caller's signal.
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Cancelling the reader directly also ends a read whose fetchImpl does not honour the signal.
  const cancel = (): void => {
    reader?.cancel().catch(() => undefined);
  };
  controller.signal.addEventListener('abort', cancel, { once: true });
  const idle =
    options.idleTimeoutMs !== undefined && options.idleTimeoutMs > 0
      ? new IdleTimer(options.idleTimeoutMs, () => controller.abort(new Error('idle timeout')))
      : undefined;
  const stalled = (): StreamEvent => errorEvent(timeoutError(options.idleTimeoutMs ?? 0), mask);

  let ended = false; // the body was read to its end.
  try {
    const dialects = options.streamOptionsSupport ?? defaultGatewayDialects;
    const withStreamOptions = options.includeUsage !== false;
    // Each fix is tried at most once per request, so a gateway that refuses everything cannot loop.
    const tried = new Set<DialectFix>();
    let response: Response | undefined;
    for (;;) {
      const learned = dialects.fixesFor(baseUrl, options.request.model);
      const probed = options.probedFeatures ?? [];
      const fixes = probed.length === 0 ? learned : new Set([...learned].filter((fix) => !probed.includes(fix)));
      const dialect = { baseUrl, fixes };
      const requestBody = buildStreamBody(options.request, withStreamOptions, options.extraBody, dialect);
      idle?.wait();
      try {
        response = await fetchWithinOrigin(options.fetchImpl ?? fetch, baseUrl, 'chat/completions', {
          method: 'POST',
          headers: requestHeaders(apiKey, 'text/event-stream', options.headers, true, options.secretHeaders, options.keyHeader),
          body: JSON.stringify(requestBody),
          signal: controller.signal,
        });
      } catch (error) {
        if (signal?.aborted) return;
        if (idle?.timedOut) yield stalled();
        else yield errorEvent(error instanceof GatewayError ? error.info : networkError(error), mask);
        return;
      }
      if (response.ok) break;

      const failure = await readErrorResponse(response, mask);
      if (signal?.aborted) return;
      const fix = classifyRejection(failure.info, failure.body, requestBody);
      if (fix !== undefined && !tried.has(fix)) {
        // Asked once, refused: this gateway (and model) gets the fixed body from now on.
        tried.add(fix);
        dialects.learn(baseUrl, options.request.model, fix);
        if (!isReportedFix(fix) && !options.probedFeatures?.includes(fix)) continue;
      }
      yield errorEvent(failure.info, mask);
      return;
    }
    idle?.arrived();

    if (!response.body) return;
    const bodyReader = response.body.getReader();
    reader = bodyReader;
    if (controller.signal.aborted) cancel();

    // Events parsed from one network read, yielded together; reused so the hot path does not allocate.
    const events: StreamEvent[] = [];
    const decoder = new ChunkDecoder(mask, maxAnswerBytes);
    // Bytes fed since the last read that completed an event: what the parser may be holding.
    let bytesSinceEvent = 0;
    // Fields, not locals: the parser's callback sets them, which flow analysis cannot see.
    // stopped: [DONE], an error event, a malformed chunk or a cap, so nothing more to read.
    const read = { dispatched: false, stopped: false };
    const onEvent = (message: EventSourceMessage): void => {
      read.dispatched = true;
      if (!read.stopped) read.stopped = decoder.push(message.data, events, message.event);
    };
    // A gateway that ignores `stream: true` answers with one JSON document instead of SSE.
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
    const parser = isJson ? undefined : createParser({ onEvent });
    let jsonText = '';
    let jsonBytes = 0;
    const text = new TextDecoder();

    while (!read.stopped && !ended) {
      let result: Awaited<ReturnType<typeof bodyReader.read>>;
      idle?.wait();
      try {
        result = await bodyReader.read();
      } catch (error) {
        if (signal?.aborted) return;
        yield idle?.timedOut ? stalled() : errorEvent(networkError(error), mask);
        return;
      }
      idle?.arrived();
      if (signal?.aborted) return;
      // A timed-out read is cancelled, which looks like a normal end; it is not one.
      if (idle?.timedOut) {
        yield stalled();
        return;
      }

      if (result.done) {
        ended = true;
        // Trailing blank lines dispatch a last event that the gateway left unterminated.
        const rest = text.decode();
        if (parser) parser.feed(`${rest}\n\n`);
        else read.stopped = decoder.push(jsonText + rest, events);
        // Closed without [DONE]: still a clean end.
        if (!read.stopped) decoder.end(events);
      } else if (parser) {
        parser.feed(text.decode(result.value, { stream: true }));
        // Reset when an event completed in this read: the rest of the read after it goes
        // uncounted, so the parser holds at most the cap plus one read. (Whatever stopped the
        // stream in this read was an event, so a count over the cap means nothing has stopped it.)
        bytesSinceEvent = read.dispatched ? 0 : bytesSinceEvent + result.value.byteLength;
        read.dispatched = false;
        if (bytesSinceEvent > MAX_EVENT_BYTES) {
          read.stopped = true;
          events.push(
            errorEvent({ kind: 'stream', message: `The gateway sent a single event larger than ${formatBytes(MAX_EVENT_BYTES)}; the answer was stopped.` }, mask),
          );
        }
      } else {
        jsonBytes += result.value.byteLength;
        if (jsonBytes > maxAnswerBytes) {
          read.stopped = true;
          events.push(errorEvent({ kind: 'stream', message: answerTooLargeMessage(maxAnswerBytes) }, mask));
        } else {
          jsonText += text.decode(result.value, { stream: true });
        }
      }

      for (let i = 0; i < events.length; i++) {
        yield events[i] as StreamEvent;
        if (signal?.aborted) return;
      }
      events.length = 0;
    }
  } finally {
    idle?.dispose();
    signal?.removeEventListener('abort', forwardAbort);
    controller.signal.removeEventListener('abort', cancel);
    // Stopping early (Stop, [DONE] on a kept-open connection, consumer break) must free the socket.
    if (!ended) cancel();
  }
}

/**
 * Model ids from GET /models, sorted. Rejects with GatewayError (a `timeout` one after
 * `timeoutMs`), or with the abort reason when the caller's `signal` aborts.
 */
export async function listModels(options: ListModelsOptions): Promise<string[]> {
  const { signal, apiKey } = options;
  const mask = secretMasker(requestSecrets(apiKey, options.secretHeaders));
  const timeoutMs = options.timeoutMs ?? DEFAULT_LIST_MODELS_TIMEOUT_MS;
  const timeout = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs) : undefined;
  const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  /** The caller's abort wins; then our timeout; otherwise `failure` as it is. */
  const settle = (failure: unknown): unknown => {
    if (signal?.aborted) return failure;
    if (timeout.signal.aborted) return new GatewayError(listTimeoutError(timeoutMs));
    return failure;
  };

  try {
    let response: Response;
    try {
      response = await fetchWithinOrigin(options.fetchImpl ?? fetch, options.baseUrl, 'models', {
        method: 'GET',
        headers: requestHeaders(apiKey, 'application/json', options.headers, false, options.secretHeaders, options.keyHeader),
        signal: combined,
      });
    } catch (error) {
      if (signal?.aborted || timeout.signal.aborted) throw settle(error);
      throw new GatewayError(redactInfo(error instanceof GatewayError ? error.info : networkError(error), mask));
    }
    if (!response.ok) {
      const info = await errorFromResponse(response, mask);
      if (signal?.aborted || timeout.signal.aborted) throw settle(new GatewayError(info));
      throw new GatewayError(redactInfo(info, mask));
    }

    const body = await readCapped(response, MAX_MODELS_BODY_BYTES);
    if (signal?.aborted) throw signal.reason;
    if (timeout.signal.aborted) throw new GatewayError(listTimeoutError(timeoutMs));
    if (!body.complete) {
      throw new GatewayError({
        kind: 'server',
        status: response.status,
        message: `The gateway's model list is larger than ${formatBytes(MAX_MODELS_BODY_BYTES)}, so it was not read.`,
      });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.text);
    } catch {
      payload = undefined;
    }
    const data = isRecord(payload) ? payload.data : undefined;
    if (!Array.isArray(data)) {
      throw new GatewayError({ kind: 'server', status: response.status, message: 'The gateway returned no model list' });
    }
    const ids = new Set<string>();
    for (const model of data as unknown[]) {
      if (isRecord(model) && typeof model.id === 'string' && model.id !== '') ids.add(model.id);
    }
    return [...ids].sort();
  } finally {
    clearTimeout(timer);
  }
}

function listTimeoutError(timeoutMs: number): GatewayErrorInfo {
  return { kind: 'timeout', message: `The gateway did not send its model list within ${seconds(timeoutMs)}, so the request was stopped.` };
}

function seconds(ms: number): string {
  const value = Math.round(ms / 100) / 10;
  return `${value} ${value === 1 ? 'second' : 'seconds'}`;
}

function timeoutError(idleTimeoutMs: number): GatewayErrorInfo {
  return {
    kind: 'timeout',
    message: `Nothing arrived from the gateway for ${seconds(idleTimeoutMs)}, so the request was stopped.`,
  };
}

function errorEvent(info: GatewayErrorInfo, mask: Masker): StreamEvent {
  return { type: 'error', error: redactInfo(info, mask) };
}

function redactInfo(info: GatewayErrorInfo, mask: Masker): GatewayErrorInfo {
  const message = mask(info.message);
  return message === info.message ? info : { ...info, message };
}
