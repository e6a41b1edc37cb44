// The gateway client: POST /chat/completions as an SSE stream of typed events, and GET /models.
// Plain Node (global fetch), no vscode import, so it runs under mocha against a local server.

import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { GatewayError, errorFromResponse, excerpt, isRecord, messageFromErrorValue, networkError } from './errors';
import { redactSecret } from './redact';
import type { ChatRequest, GatewayErrorInfo, StreamEvent, Usage } from './types';

export interface StreamChatOptions {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

export interface ListModelsOptions {
  baseUrl: string;
  apiKey: string | undefined;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetchImpl?: typeof fetch;
}

/** The JSON body as sent: fields left undefined are omitted rather than sent as null or defaults. */
export function buildRequestBody(request: ChatRequest): ChatRequest {
  const body = omitUndefined(request);
  body.messages = request.messages.map((message) => omitUndefined(message));
  return body;
}

/**
 * Streams one chat completion. Failures arrive as a single `error` event (never a throw) and end
 * the stream. When `signal` aborts, the stream just ends: the caller knows it asked to stop.
 */
export async function* streamChat(options: StreamChatOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal, apiKey } = options;
  if (signal?.aborted) return;

  let response: Response;
  try {
    response = await (options.fetchImpl ?? fetch)(endpoint(options.baseUrl, 'chat/completions'), {
      method: 'POST',
      headers: buildHeaders(apiKey, 'text/event-stream', options.headers, true),
      body: JSON.stringify(buildRequestBody({ ...options.request, stream: true })),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) return;
    yield errorEvent(networkError(error), apiKey);
    return;
  }

  if (!response.ok) {
    const info = await errorFromResponse(response);
    if (signal?.aborted) return;
    yield errorEvent(info, apiKey);
    return;
  }

  const body = response.body;
  if (!body) return;
  const reader = body.getReader();
  // fetch's own abort handling does not reach a reader we hold, so a Stop cancels it directly.
  const cancel = (): void => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', cancel, { once: true });

  // Events parsed from one network read, yielded together; reused so the hot path does not allocate.
  const events: StreamEvent[] = [];
  let stopped = false; // [DONE], an error event, or a malformed chunk: nothing more to read.
  let ended = false; // the body was read to its end.
  const onEvent = (message: EventSourceMessage): void => {
    if (!stopped) stopped = pushChunk(message.data, events, apiKey);
  };
  // A gateway that ignores `stream: true` answers with one JSON document instead of SSE.
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  const parser = isJson ? undefined : createParser({ onEvent });
  let jsonText = '';
  const decoder = new TextDecoder();

  try {
    while (!stopped && !ended) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        if (signal?.aborted) return;
        yield errorEvent(networkError(error), apiKey);
        return;
      }
      if (signal?.aborted) return;

      if (result.done) {
        ended = true;
        // Trailing blank lines dispatch a last event that the gateway left unterminated.
        const rest = decoder.decode();
        if (parser) parser.feed(`${rest}\n\n`);
        else stopped = pushChunk(jsonText + rest, events, apiKey);
      } else if (parser) {
        parser.feed(decoder.decode(result.value, { stream: true }));
      } else {
        jsonText += decoder.decode(result.value, { stream: true });
      }

      for (let i = 0; i < events.length; i++) {
        yield events[i];
        if (signal?.aborted) return;
      }
      events.length = 0;
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
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
      headers: buildHeaders(apiKey, 'application/json', options.headers, false),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new GatewayError(redactInfo(networkError(error), apiKey));
  }
  if (!response.ok) {
    throw new GatewayError(redactInfo(await errorFromResponse(response), apiKey));
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

/**
 * Appends the events of one `data:` payload to `out`. Returns true when the stream is over
 * ([DONE], an error object, or something that is not a JSON chunk).
 */
function pushChunk(data: string, out: StreamEvent[], apiKey: string | undefined): boolean {
  if (data === '[DONE]') return true;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    chunk = undefined;
  }
  if (!isRecord(chunk)) {
    out.push({ type: 'error', error: { kind: 'stream', message: `Malformed stream data: ${excerpt(data, 80)}` } });
    return true;
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    const message = messageFromErrorValue(chunk) ?? `Stream error: ${excerpt(data, 120)}`;
    out.push(errorEvent({ kind: 'stream', message }, apiKey));
    return true;
  }

  const choices = chunk.choices;
  if (Array.isArray(choices) && choices.length > 0) {
    const choice: unknown = choices[0];
    if (isRecord(choice)) {
      // `delta` in stream chunks, `message` in a whole chat.completion.
      const delta = choice.delta ?? choice.message;
      if (isRecord(delta) && typeof delta.content === 'string' && delta.content !== '') {
        out.push({ type: 'text', text: delta.content });
      }
      if (typeof choice.finish_reason === 'string') {
        out.push({ type: 'finish', reason: choice.finish_reason });
      }
    }
  }
  if (isRecord(chunk.usage)) {
    out.push({ type: 'usage', usage: toUsage(chunk.usage) });
  }
  return false;
}

function toUsage(raw: Record<string, unknown>): Usage {
  const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  const prompt = count(raw.prompt_tokens);
  const completion = count(raw.completion_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof raw.total_tokens === 'number' ? count(raw.total_tokens) : prompt + completion,
  };
}

function endpoint(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

function buildHeaders(
  apiKey: string | undefined,
  accept: string,
  extra: Record<string, string> | undefined,
  jsonBody: boolean,
): Headers {
  const headers = new Headers({ Accept: accept });
  if (jsonBody) headers.set('Content-Type', 'application/json');
  if (apiKey) headers.set('Authorization', `Bearer ${apiKey}`);
  // Profile headers come last so a gateway that needs another auth scheme can replace ours.
  if (extra) {
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  }
  return headers;
}

function errorEvent(info: GatewayErrorInfo, apiKey: string | undefined): StreamEvent {
  return { type: 'error', error: redactInfo(info, apiKey) };
}

function redactInfo(info: GatewayErrorInfo, apiKey: string | undefined): GatewayErrorInfo {
  const message = redactSecret(info.message, apiKey);
  return message === info.message ? info : { ...info, message };
}

function omitUndefined<T extends object>(value: T): T {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out as T;
}
