// The gateway client: POST /chat/completions as an SSE stream of typed events, and GET /models.
// Plain Node (global fetch), no vscode import, so it runs under mocha against a local server.

import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { ChunkDecoder } from './chunkDecoder';
import { isRecord } from '../isRecord';
import { GatewayError, errorFromResponse, networkError, readErrorResponse } from './errors';
import { endpoint, requestHeaders } from './headers';
import { IdleTimer } from './idleTimer';
import { redactSecret } from './redact';
import { buildStreamBody } from './requestBody';
import { defaultStreamOptionsSupport, rejectsStreamOptions } from './streamOptions';
import type { StreamOptionsSupport } from './streamOptions';
import type { ChatRequest, GatewayErrorInfo, StreamEvent } from './types';

export interface StreamChatOptions {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Credential headers (from SecretStorage): sent like `headers`, never shown. */
  secretHeaders?: Record<string, string>;
  fetchImpl?: typeof fetch;
  /**
   * When no bytes arrive for this long (waiting for the response headers or between reads), the
   * request is aborted and the stream ends with a `timeout` error. Off when undefined or 0.
   */
  idleTimeoutMs?: number;
  /** Gateway-specific fields merged into the body (`foxChat.extraBody`); the request's own fields win. */
  extraBody?: Readonly<Record<string, unknown>>;
  /** Ask for the final usage chunk with `stream_options` (default true) where the gateway accepts it. */
  includeUsage?: boolean;
  /** Which gateways reject `stream_options`; defaults to one in-process memory. */
  streamOptionsSupport?: StreamOptionsSupport;
}

export interface ListModelsOptions {
  baseUrl: string;
  apiKey: string | undefined;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

/**
 * Streams one chat completion. Failures arrive as a single `error` event (never a throw) and end
 * the stream. When `signal` aborts, the stream just ends: the caller knows it asked to stop.
 */
export async function* streamChat(options: StreamChatOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal, apiKey, baseUrl } = options;
  if (signal?.aborted) return;

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
  const stalled = (): StreamEvent => errorEvent(timeoutError(options.idleTimeoutMs ?? 0), apiKey);

  let ended = false; // the body was read to its end.
  try {
    const support = options.streamOptionsSupport ?? defaultStreamOptionsSupport;
    let withStreamOptions = options.includeUsage !== false && !support.isRejected(baseUrl);
    let response: Response | undefined;
    for (;;) {
      const requestBody = buildStreamBody(options.request, withStreamOptions, options.extraBody);
      idle?.wait();
      try {
        response = await (options.fetchImpl ?? fetch)(endpoint(baseUrl, 'chat/completions'), {
          method: 'POST',
          headers: requestHeaders(apiKey, 'text/event-stream', { ...options.headers, ...options.secretHeaders }, true),
          body: JSON.stringify(requestBody),
          signal: controller.signal,
        });
      } catch (error) {
        if (signal?.aborted) return;
        yield idle?.timedOut ? stalled() : errorEvent(networkError(error), apiKey);
        return;
      }
      if (response.ok) break;

      const failure = await readErrorResponse(response, apiKey);
      if (signal?.aborted) return;
      if (withStreamOptions && rejectsStreamOptions(failure.info, failure.body)) {
        // Asked once, refused: this gateway streams without usage from now on.
        support.markRejected(baseUrl);
        withStreamOptions = false;
        continue;
      }
      yield errorEvent(failure.info, apiKey);
      return;
    }
    idle?.arrived();

    if (!response.body) return;
    const bodyReader = response.body.getReader();
    reader = bodyReader;
    if (controller.signal.aborted) cancel();

    // Events parsed from one network read, yielded together; reused so the hot path does not allocate.
    const events: StreamEvent[] = [];
    const decoder = new ChunkDecoder(apiKey);
    let stopped = false; // [DONE], an error event, or a malformed chunk: nothing more to read.
    const onEvent = (message: EventSourceMessage): void => {
      if (!stopped) stopped = decoder.push(message.data, events);
    };
    // A gateway that ignores `stream: true` answers with one JSON document instead of SSE.
    const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
    const parser = isJson ? undefined : createParser({ onEvent });
    let jsonText = '';
    const text = new TextDecoder();

    while (!stopped && !ended) {
      let result: Awaited<ReturnType<typeof bodyReader.read>>;
      idle?.wait();
      try {
        result = await bodyReader.read();
      } catch (error) {
        if (signal?.aborted) return;
        yield idle?.timedOut ? stalled() : errorEvent(networkError(error), apiKey);
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
        else stopped = decoder.push(jsonText + rest, events);
        // Closed without [DONE]: still a clean end.
        if (!stopped) decoder.end(events);
      } else if (parser) {
        parser.feed(text.decode(result.value, { stream: true }));
      } else {
        jsonText += text.decode(result.value, { stream: true });
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

/** Model ids from GET /models, sorted. Rejects with GatewayError, or with the abort reason on abort. */
export async function listModels(options: ListModelsOptions): Promise<string[]> {
  const { signal, apiKey } = options;
  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(endpoint(options.baseUrl, 'models'), {
      method: 'GET',
      headers: requestHeaders(apiKey, 'application/json', options.headers, false),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GatewayError(redactInfo(networkError(error), apiKey));
  }
  if (!response.ok) {
    throw new GatewayError(redactInfo(await errorFromResponse(response, apiKey), apiKey));
  }

  let payload: unknown;
  try {
    payload = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
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
}

function timeoutError(idleTimeoutMs: number): GatewayErrorInfo {
  const seconds = Math.round(idleTimeoutMs / 100) / 10;
  return {
    kind: 'timeout',
    message: `Nothing arrived from the gateway for ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, so the request was stopped.`,
  };
}

function errorEvent(info: GatewayErrorInfo, apiKey: string | undefined): StreamEvent {
  return { type: 'error', error: redactInfo(info, apiKey) };
}

function redactInfo(info: GatewayErrorInfo, apiKey: string | undefined): GatewayErrorInfo {
  const message = redactSecret(info.message, apiKey);
  return message === info.message ? info : { ...info, message };
}
