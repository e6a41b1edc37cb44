import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listModels, streamChat } from '../../../src/api/chatClient';
import { GatewayError } from '../../../src/api/errors';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatRequest, StreamEvent } from '../../../src/api/types';
import { MOCK_ANSWER, MOCK_MODELS, SPLIT_ANSWER, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../../fixtures/mockGateway';
import { isRecord } from '../../../src/isRecord';
import { collect, textOf, useMockGateway } from '../../fixtures/streamEvents';

function chatRequest(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }], ...extra };
}

function errorsOf(events: StreamEvent[]): StreamEvent[] {
  return events.filter((e) => e.type === 'error');
}

function onlyError(events: StreamEvent[]): Extract<StreamEvent, { type: 'error' }>['error'] {
  assert.equal(events.length, 1, `expected exactly one event, got ${JSON.stringify(events)}`);
  const [event] = events;
  assert.ok(event && event.type === 'error', `expected an error event, got ${JSON.stringify(event)}`);
  return event.error;
}

const isChat = (r: RecordedRequest): boolean => r.path === '/v1/chat/completions';

describe('streamChat against the mock gateway', () => {
  let gateway: MockGateway;
  useMockGateway({ chunkDelayMs: 2 }, (started) => (gateway = started));

  const stream = (
    request: ChatRequest,
    overrides: { apiKey?: string; signal?: AbortSignal; baseUrl?: string; includeUsage?: boolean } = {},
  ) =>
    streamChat({
      baseUrl: overrides.baseUrl ?? gateway.baseUrl,
      apiKey: 'apiKey' in overrides ? overrides.apiKey : gateway.apiKey,
      request,
      signal: overrides.signal,
      includeUsage: overrides.includeUsage,
      // Private, so no other test's gateway behaviour leaks in through the shared default.
      streamOptionsSupport: new StreamOptionsSupport(),
    });

  it('streams the answer word by word, in order, then finish and usage', async () => {
    const events = await collect(stream(chatRequest('Hi', { stream_options: { include_usage: true } })));
    const texts = events.filter((e) => e.type === 'text');
    assert.ok(texts.length >= 10, `expected word chunks, got ${texts.length}`);
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(errorsOf(events), []);
    const tail = events.slice(texts.length);
    assert.deepEqual(tail[0], { type: 'finish', reason: 'stop' });
    assert.equal(tail[1]?.type, 'usage');
    assert.equal(tail.length, 2);
    assert.ok(tail[1].usage.completion_tokens > 0);
    assert.equal(tail[1].usage.total_tokens, tail[1].usage.prompt_tokens + tail[1].usage.completion_tokens);
  });

  it('sends the wire request: headers, stream: true, stream_options for usage, no undefined fields', async () => {
    await collect(stream(chatRequest('Hi', { temperature: undefined, max_tokens: 64, stream: false })));
    const [recorded] = gateway.requests;
    assert.ok(recorded);
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.headers.authorization, `Bearer ${gateway.apiKey}`);
    assert.equal(recorded.headers['content-type'], 'application/json');
    assert.equal(recorded.headers.accept, 'text/event-stream');
    assert.deepEqual(recorded.body, {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('asks for usage by default: the final `choices: []` chunk becomes a usage event', async () => {
    const events = await collect(stream(chatRequest('Hi')));
    assert.deepEqual(gateway.requests[0]?.body, {
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(events.at(-1)?.type, 'usage');
  });

  it('accepts a base URL with a trailing slash', async () => {
    const events = await collect(stream(chatRequest('Hi'), { baseUrl: `${gateway.baseUrl}/` }));
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.equal(gateway.requests[0]?.path, '/v1/chat/completions');
  });

  it('includeUsage: false sends no stream_options and gets no usage', async () => {
    const events = await collect(stream(chatRequest('Hi'), { includeUsage: false }));
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.equal(events.filter((e) => e.type === 'usage').length, 0);
    assert.ok(isRecord(gateway.requests[0]?.body) && !('stream_options' in gateway.requests[0].body));
  });

  it('Stop: aborting after the first text ends the stream quietly and drops the connection', async () => {
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    const started = Date.now();
    for await (const event of stream(chatRequest('Count slowly [slow]'), { signal: controller.signal })) {
      seen.push(event);
      if (event.type === 'text') controller.abort();
    }
    assert.ok(Date.now() - started < 2000, 'the stream should end right after Stop');
    assert.deepEqual(seen, [{ type: 'text', text: 'tick 1 ' }]);
    const recorded = await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 3000);
    assert.equal(recorded.aborted, true);
  });

  it('breaking out of the loop also cancels the request', async () => {
    for await (const event of stream(chatRequest('[slow]'))) {
      if (event.type === 'text') break;
    }
    await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 3000);
  });

  it('an already aborted signal sends nothing and yields nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collect(stream(chatRequest('Hi'), { signal: controller.signal }));
    assert.deepEqual(events, []);
    assert.equal(gateway.requests.length, 0);
  });

  it('401: kind auth with the gateway message, never the key', async () => {
    const key = 'sk-wrong-key-0123456789';
    const error = onlyError(await collect(stream(chatRequest('Hi'), { apiKey: key })));
    assert.equal(error.kind, 'auth');
    assert.equal(error.status, 401);
    assert.equal(error.message, 'Invalid API key provided');
    assert.ok(!JSON.stringify(error).includes(key));
  });

  it('omits the Authorization header when there is no key', async () => {
    const error = onlyError(await collect(stream(chatRequest('Hi'), { apiKey: undefined })));
    assert.equal(error.kind, 'auth');
    assert.equal(gateway.requests[0]?.headers.authorization, undefined);
    onlyError(await collect(stream(chatRequest('Hi'), { apiKey: '' })));
    assert.equal(gateway.requests[1]?.headers.authorization, undefined);
  });

  it('500 with an HTML page: kind server, status line plus a text excerpt', async () => {
    const error = onlyError(await collect(stream(chatRequest('[html500]'))));
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 500);
    assert.match(error.message, /500/);
    assert.match(error.message, /upstream crashed/);
    assert.ok(!/<html|<\/?[a-z]+>/i.test(error.message), error.message);
    assert.equal(error.message, '500 Internal Server Error: Internal Server Error upstream crashed');
  });

  it('429: kind rateLimited with Retry-After seconds', async () => {
    const error = onlyError(await collect(stream(chatRequest('[ratelimit]'))));
    assert.equal(error.kind, 'rateLimited');
    assert.equal(error.retryAfterSeconds, 2);
    assert.equal(error.message, 'Rate limit exceeded, retry shortly');
  });

  it('[split]: a chunk split mid-JSON and mid-character decodes intact', async () => {
    const events = await collect(stream(chatRequest('[split]')));
    assert.equal(textOf(events), SPLIT_ANSWER);
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop' });
    assert.deepEqual(errorsOf(events), []);
  });

  it('[midstream-error]: text first, then one stream error, then nothing', async () => {
    const events = await collect(stream(chatRequest('[midstream-error]')));
    assert.equal(textOf(events), 'The quick brown ');
    const last = events.at(-1);
    assert.ok(last?.type === 'error');
    assert.deepEqual(last.error, { kind: 'stream', message: 'Upstream model overloaded' });
    assert.equal(errorsOf(events).length, 1);
    assert.equal(events.filter((e) => e.type === 'finish').length, 0);
  });

  it('[nodone]: a stream that just closes ends cleanly with its text', async () => {
    const events = await collect(stream(chatRequest('[nodone]')));
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(
      events.filter((e) => e.type !== 'text'),
      [],
    );
  });

  it('[echo]: echoes the last user message, including text parts', async () => {
    const request: ChatRequest = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'second [echo]' }] },
      ],
    };
    assert.equal(textOf(await collect(stream(request))), 'You said: second [echo]');
  });
});

describe('streamChat without a gateway', () => {
  it('connection refused: kind network with the cause', async () => {
    const port = await freePort();
    const error = onlyError(
      await collect(streamChat({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test-12345678', request: chatRequest('Hi') })),
    );
    assert.equal(error.kind, 'network');
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('abort before the response arrives ends quietly and closes the connection', async () => {
    let serverSawClose = false;
    const server = createServer();
    const received = new Promise<void>((resolve) => {
      server.on('request', (req) => {
        req.socket.on('close', () => {
          serverSawClose = true;
        });
        resolve(); // and never respond
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const controller = new AbortController();
      const port = (server.address() as AddressInfo).port;
      const pending = collect(
        streamChat({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k', request: chatRequest('Hi'), signal: controller.signal }),
      );
      await received;
      controller.abort();
      assert.deepEqual(await pending, []);
      await waitFor(() => serverSawClose);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  describe('Stop with a fetchImpl that ignores the signal (the client must cancel the body itself)', () => {
    const event = (text: string, field = 'content'): string =>
      `data: {"choices":[{"index":0,"delta":{"${field}":"${text}"},"finish_reason":null}]}\n\n`;
    const fetchImpl: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined });
    let server: Server;
    let baseUrl: string;

    before(async () => {
      server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        // One read, then silence. Pieces of one kind from one read are joined into one event, so the
        // middle one is reasoning: three events.
        res.write(event('one') + event('two', 'reasoning_content') + event('three'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('yields nothing more from the read in hand', async () => {
      const controller = new AbortController();
      const seen: StreamEvent[] = [];
      for await (const e of streamChat({ baseUrl, apiKey: 'k', request: chatRequest('Hi'), signal: controller.signal, fetchImpl })) {
        seen.push(e);
        controller.abort();
      }
      assert.deepEqual(seen, [{ type: 'text', text: 'one' }]);
    });

    it('ends a read that is waiting on a silent gateway', async () => {
      const controller = new AbortController();
      const seen: StreamEvent[] = [];
      for await (const e of streamChat({ baseUrl, apiKey: 'k', request: chatRequest('Hi'), signal: controller.signal, fetchImpl })) {
        seen.push(e);
        if (seen.length === 3) setTimeout(() => controller.abort(), 20);
      }
      assert.deepEqual(seen, [
        { type: 'text', text: 'one' },
        { type: 'reasoning', text: 'two' },
        { type: 'text', text: 'three' },
      ]);
    });
  });

  it('a gateway that answers with plain JSON instead of SSE still yields text, finish and usage', async () => {
    const completion = {
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Whole answer' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    };
    const fetchImpl: typeof fetch = () =>
      Promise.resolve(new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } }));
    const events = await collect(streamChat({ baseUrl: 'http://gateway.invalid/v1', apiKey: 'k', request: chatRequest('Hi'), fetchImpl }));
    assert.deepEqual(events, [
      { type: 'text', text: 'Whole answer' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ]);
  });

  it('a plain JSON answer with tool calls and reasoning_content yields them too', async () => {
    const completion = {
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            reasoning_content: 'Need the file.',
            tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    const fetchImpl: typeof fetch = () =>
      Promise.resolve(new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json; charset=utf-8' } }));
    const events = await collect(streamChat({ baseUrl: 'http://gateway.invalid/v1', apiKey: 'k', request: chatRequest('Hi'), fetchImpl }));
    assert.deepEqual(events, [
      { type: 'reasoning', text: 'Need the file.' },
      { type: 'toolCallDelta', index: 0, id: 'call_9', name: 'read_file', argumentsDelta: '{"path":"a"}' },
      { type: 'toolCalls', calls: [{ id: 'call_9', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('redacts the key when a gateway echoes it in an error', async () => {
    const key = 'sk-live-abcdefghijklmnop';
    const fetchImpl: typeof fetch = () =>
      Promise.resolve(new Response(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}` } }), { status: 401 }));
    const error = onlyError(await collect(streamChat({ baseUrl: 'http://gateway.invalid/v1', apiKey: key, request: chatRequest('Hi'), fetchImpl })));
    assert.equal(error.message, 'Incorrect API key provided: sk-…mnop');
  });
});

describe('listModels', () => {
  let gateway: MockGateway;
  before(async () => {
    gateway = await startMockGateway();
  });
  after(() => gateway.close());

  it('returns the sorted model ids', async () => {
    const ids = await listModels({ baseUrl: `${gateway.baseUrl}/`, apiKey: gateway.apiKey });
    assert.deepEqual(ids, [...MOCK_MODELS].sort());
    const recorded = gateway.requests.at(-1);
    assert.equal(recorded?.method, 'GET');
    assert.equal(recorded.path, '/v1/models');
    assert.equal(recorded.headers.authorization, `Bearer ${gateway.apiKey}`);
  });

  it('401 rejects with a GatewayError of kind auth', async () => {
    await assert.rejects(listModels({ baseUrl: gateway.baseUrl, apiKey: 'sk-nope-12345678' }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.info.kind, 'auth');
      assert.equal(error.info.status, 401);
      assert.equal(error.message, 'Invalid API key provided');
      return true;
    });
  });

  it('connection refused rejects with kind network', async () => {
    const port = await freePort();
    await assert.rejects(listModels({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: undefined }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.info.kind, 'network');
      return true;
    });
  });

  it('a body without a data array rejects instead of returning garbage', async () => {
    const fetchImpl: typeof fetch = () => Promise.resolve(new Response('<html>login</html>', { status: 200 }));
    await assert.rejects(listModels({ baseUrl: 'http://gateway.invalid/v1', apiKey: 'k', fetchImpl }), GatewayError);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
