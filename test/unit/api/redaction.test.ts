// The API key must not appear in any error a user or a log can see, whichever way it fails.

import assert from 'node:assert/strict';
import { listModels, streamChat } from '../../../src/api/chatClient';
import type { StreamChatOptions } from '../../../src/api/chatClient';
import { GatewayError } from '../../../src/api/errors';
import { streamWithRecovery } from '../../../src/api/resilientStream';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatStreamEvent } from '../../../src/api/types';
import { startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';

const KEY = 'sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2';

/** Not the key, and no 8 characters of it in a row (the masked form shows only 3 + 4). */
function assertNoKey(text: string, key: string = KEY): void {
  for (let i = 0; i + 8 <= key.length; i++) {
    assert.ok(!text.includes(key.slice(i, i + 8)), `key fragment ${JSON.stringify(key.slice(i, i + 8))} leaked: ${text}`);
  }
}

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const out: ChatStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function errorText(events: ChatStreamEvent[]): string {
  const errors = events.filter((e) => e.type === 'error' || e.type === 'retrying');
  assert.ok(errors.length > 0, `expected an error, got ${JSON.stringify(events)}`);
  return JSON.stringify(errors);
}

const request = (text: string): StreamChatOptions['request'] => ({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }] });
const respond = (body: string, init: ResponseInit): typeof fetch => async () => new Response(body, init);

describe('the key never appears in an error', () => {
  let gateway: MockGateway;
  before(async () => {
    gateway = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(() => gateway.close());

  const stream = (options: Partial<StreamChatOptions>): AsyncGenerator<ChatStreamEvent> =>
    streamChat({ baseUrl: gateway.baseUrl, apiKey: KEY, request: request('Hi'), streamOptionsSupport: new StreamOptionsSupport(), ...options });

  it('401 whose body echoes the key ([echo-key])', async () => {
    const events = await collect(stream({ request: request('[echo-key]') }));
    const text = errorText(events);
    assertNoKey(text);
    assert.match(text, /Incorrect API key provided: sk-…3Df2/);
  });

  it('401 echoing a key pasted with a trailing line break (fetch sends it trimmed)', async () => {
    const pasted = `${KEY}\n`;
    const events = await collect(stream({ apiKey: pasted, request: request('[echo-key]') }));
    assertNoKey(errorText(events));
  });

  it('an HTML error page with the key right where the excerpt is cut', async () => {
    const page = `<html><body><p>${'x'.repeat(180)} bad key ${KEY} rejected</p></body></html>`;
    const events = await collect(stream({ fetchImpl: respond(page, { status: 401 }) }));
    assertNoKey(errorText(events));
  });

  it('an error event mid-stream that quotes the key ([echo-key] with a valid key)', async () => {
    const events = await collect(
      streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: request('[echo-key]'), streamOptionsSupport: new StreamOptionsSupport() }),
    );
    const last = events.at(-1);
    assert.ok(last?.type === 'error' && last.error.kind === 'stream');
    assert.equal(last.error.message, `Quota exceeded for key ${'fox-mock-key'.slice(0, 3)}…${'fox-mock-key'.slice(-4)}`);
    assertNoKey(errorText(events), gateway.apiKey);
  });

  it('a malformed chunk or an odd error event that contains the key', async () => {
    const sse = (data: string): typeof fetch => respond(`data: ${data}\n\n`, { headers: { 'content-type': 'text/event-stream' } });
    for (const data of [`{"broken": "${KEY}`, `{"error": {"detail": "${KEY}"}}`, `{"error": "no quota for ${KEY}"}`]) {
      assertNoKey(errorText(await collect(stream({ fetchImpl: sse(data) }))));
    }
  });

  it('a network error whose message carries the key (an invalid header value)', async () => {
    const key = `${KEY}\u0000`;
    const events = await collect(stream({ apiKey: key, baseUrl: 'http://127.0.0.1:9/v1' }));
    const text = errorText(events);
    assert.match(text, /"kind":"network"/);
    assertNoKey(text);
  });

  it('a network error raised by fetch itself that quotes the key', async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error(`proxy refused Authorization: Bearer ${KEY}`) });
    };
    assertNoKey(errorText(await collect(stream({ fetchImpl }))));
  });

  it('listModels: echoed in a 401 and in a network error', async () => {
    for (const fetchImpl of [
      respond(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }), { status: 401 }),
      (async () => {
        throw new TypeError('fetch failed', { cause: new Error(`bad header ${KEY}`) });
      }) as typeof fetch,
    ]) {
      await assert.rejects(listModels({ baseUrl: gateway.baseUrl, apiKey: KEY, fetchImpl }), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assertNoKey(`${error.message} ${JSON.stringify(error.info)}`);
        return true;
      });
    }
  });

  it('streamWithRecovery: the retrying events and the final error', async () => {
    const fetchImpl = respond(JSON.stringify({ error: { message: `Overloaded, key ${KEY}` } }), { status: 503 });
    const events = await collect(
      streamWithRecovery({
        baseUrl: gateway.baseUrl,
        apiKey: KEY,
        request: request('Hi'),
        fetchImpl,
        policy: { maxRetries: 2 },
        sleep: async () => undefined,
      }),
    );
    assert.equal(events.filter((e) => e.type === 'retrying').length, 2);
    assertNoKey(errorText(events));
  });
});
