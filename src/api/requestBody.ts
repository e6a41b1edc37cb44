// The JSON body of a chat-completions request, as it goes over the wire.

import { adaptBody } from './dialects';
import type { DialectContext } from './dialects';
import type { ChatRequest } from './types';

/** The JSON body as sent: fields left undefined are omitted rather than sent as null or defaults. */
export function buildRequestBody(request: ChatRequest): ChatRequest {
  const body = omitUndefined(request);
  body.messages = request.messages.map((message) => omitUndefined(message));
  return body;
}

/**
 * The body of a streamed request. With `withStreamOptions`, asks for the final usage chunk unless
 * the caller chose its own `stream_options`; without, sends none at all (the gateway rejects them).
 * `extraBody` (gateway-specific fields from settings) passes through untouched; a field the
 * request sets itself wins over it.
 */
export function buildStreamBody(
  request: ChatRequest,
  withStreamOptions: boolean,
  extraBody?: Readonly<Record<string, unknown>>,
  dialect?: DialectContext,
): ChatRequest & Record<string, unknown> {
  const body: ChatRequest & Record<string, unknown> = { ...extraBody, ...buildRequestBody({ ...request, stream: true }) };
  if (!withStreamOptions) delete body.stream_options;
  else if (body.stream_options === undefined) body.stream_options = { include_usage: true };
  // Without a dialect, reasoning_content still never goes out unasked: most gateways refuse it.
  return adaptBody(body, dialect ?? { baseUrl: '', fixes: new Set() });
}

function omitUndefined<T extends object>(value: T): T {
  const out: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out as T;
}
