// Caps against a gateway that never stops: one SSE event, one answer, tool calls per answer, the
// JSON fallback body, and a model list that never comes.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_EVENT_BYTES, listModels, streamChat } from '../../../src/api/chatClient';
import type { StreamChatOptions } from '../../../src/api/chatClient';
import { MAX_TOOL_CALLS } from '../../../src/api/chunkDecoder';
import { GatewayError } from '../../../src/api/errors';
import type { StreamEvent } from '../../../src/api/types';
import { textOf } from '../../fixtures/streamEvents';

const KEY = 'sk-limits-test-0123456789abcdef';

async function withServer<T>(handler: (res: ServerResponse) => void, run: (baseUrl: string) => Promise<T>): Promise<T> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function collect(options: Partial<StreamChatOptions> & { baseUrl: string }): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] };
  for await (const event of streamChat({ apiKey: KEY, request, includeUsage: false, ...options })) events.push(event);
  return events;
}

const sse = (body: string): typeof fetch => () => Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
const delta = (fields: Record<string, unknown>): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: fields, finish_reason: null }] })}\n\n`;

function lastError(events: StreamEvent[]): Extract<StreamEvent, { type: 'error' }>['error'] {
  const last = events.at(-1);
  assert.ok(last?.type === 'error', `expected the stream to end with an error, got ${JSON.stringify(events.slice(-3))}`);
  assert.equal(events.filter((e) => e.type === 'error').length, 1);
  return last.error;
}

describe('caps', () => {
  describe('one SSE event', function () {
    // Megabytes through a local socket: quick alone, slower on a loaded machine.
    this.timeout(30_000);

    it(`an event of 9 MB that the parser would buffer whole stops the stream (cap ${MAX_EVENT_BYTES / 1024 / 1024} MB)`, async () => {
      const events = await withServer(
        (res) => {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write(delta({ content: 'before ' }));
          res.write(`data: {"choices":[{"index":0,"delta":{"content":"${'x'.repeat(9 * 1024 * 1024)}`);
          res.end('"},"finish_reason":null}]}\n\n');
        },
        (baseUrl) => collect({ baseUrl }),
      );
      assert.equal(textOf(events), 'before ');
      const error = lastError(events);
      assert.deepEqual(error, { kind: 'stream', message: 'The gateway sent a single event larger than 8 MB; the answer was stopped.' });
    });

    it('many events that add up to more than 8 MB are fine', async () => {
      const piece = 'y'.repeat(9000);
      const events = await withServer(
        (res) => {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          for (let i = 0; i < 1000; i++) res.write(delta({ content: piece }));
          res.end('data: [DONE]\n\n');
        },
        (baseUrl) => collect({ baseUrl }),
      );
      assert.equal(events.filter((e) => e.type === 'error').length, 0);
      assert.equal(textOf(events).length, 9_000_000);
    });

    it('an unterminated event that arrives in one read is caught too', async () => {
      const events = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(`data: ${'z'.repeat(MAX_EVENT_BYTES + 10)}`) });
      assert.match(lastError(events).message, /single event larger than 8 MB/);
    });
  });

  describe('one answer (maxAnswerBytes)', () => {
    it('text past the cap ends the stream with an error; the text before it stays', async () => {
      const body = Array.from({ length: 20 }, () => delta({ content: 'abcdefghij' })).join('') + 'data: [DONE]\n\n';
      const events = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(body), maxAnswerBytes: 55 });
      assert.equal(textOf(events), 'abcdefghij'.repeat(5));
      assert.deepEqual(lastError(events), { kind: 'stream', message: 'The answer grew larger than 55 bytes; the answer was stopped.' });
    });

    it('counts reasoning and tool-call arguments with the text, in UTF-8 bytes', async () => {
      const body =
        delta({ reasoning_content: 'ünï' }) + // 5 bytes
        delta({ content: 'abc' }) + // 8
        delta({ tool_calls: [{ index: 0, id: 'c1', function: { name: 'f', arguments: '{"a"' } }] }) + // 1 + 4 = 13
        delta({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }) + // 16
        'data: [DONE]\n\n';
      const allowed = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(body), maxAnswerBytes: 16 });
      assert.equal(allowed.filter((e) => e.type === 'error').length, 0);
      assert.equal(allowed.at(-1)?.type, 'toolCalls');
      const stopped = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(body), maxAnswerBytes: 15 });
      assert.equal(lastError(stopped).message, 'The answer grew larger than 15 bytes; the answer was stopped.');
      assert.equal(stopped.filter((e) => e.type === 'toolCallDelta').length, 1);
    });

    it('the plain JSON fallback body is capped by the same limit', async () => {
      const completion = JSON.stringify({ choices: [{ index: 0, message: { content: 'w'.repeat(5000) }, finish_reason: 'stop' }] });
      const fetchImpl: typeof fetch = () => Promise.resolve(new Response(completion, { headers: { 'content-type': 'application/json' } }));
      const events = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl, maxAnswerBytes: 2048 });
      assert.deepEqual(events, [{ type: 'error', error: { kind: 'stream', message: 'The answer grew larger than 2 KB; the answer was stopped.' } }]);
      const whole = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl, maxAnswerBytes: 8192 });
      assert.equal(textOf(whole), 'w'.repeat(5000));
    });
  });

  describe('tool calls per answer', () => {
    const calls = (count: number): string =>
      Array.from({ length: count }, (_, i) => delta({ tool_calls: [{ index: i, id: `call_${i}`, function: { name: 'list_files', arguments: '{}' } }] })).join('') +
      'data: [DONE]\n\n';

    it(`${MAX_TOOL_CALLS} calls are fine`, async () => {
      const events = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(calls(MAX_TOOL_CALLS)) });
      const last = events.at(-1);
      assert.ok(last?.type === 'toolCalls');
      assert.equal(last.calls.length, 64);
    });

    it('the 65th call stops the answer', async () => {
      const events = await collect({ baseUrl: 'http://gateway.invalid/v1', fetchImpl: sse(calls(MAX_TOOL_CALLS + 1)) });
      assert.equal(events.filter((e) => e.type === 'toolCallDelta').length, 64);
      assert.deepEqual(lastError(events), {
        kind: 'stream',
        message: 'The model started more than 64 tool calls in one answer; the answer was stopped.',
      });
    });
  });

  describe('listModels timeout', () => {
    it('a gateway that never answers fails with kind timeout', async () => {
      await withServer(
        () => undefined,
        async (baseUrl) => {
          await assert.rejects(listModels({ baseUrl, apiKey: KEY, timeoutMs: 100 }), (error: unknown) => {
            assert.ok(error instanceof GatewayError);
            assert.equal(error.info.kind, 'timeout');
            assert.equal(error.message, 'The gateway did not send its model list within 0.1 seconds, so the request was stopped.');
            return true;
          });
        },
      );
    });

    it('a gateway that sends the headers and then stalls in the body fails the same way', async () => {
      await withServer(
        (res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"data":[');
        },
        async (baseUrl) => {
          await assert.rejects(listModels({ baseUrl, apiKey: KEY, timeoutMs: 100 }), (error: unknown) => {
            assert.ok(error instanceof GatewayError);
            assert.equal(error.info.kind, 'timeout');
            return true;
          });
        },
      );
    });

    it("the caller's abort still rejects with the abort reason, not a timeout", async () => {
      await withServer(
        () => undefined,
        async (baseUrl) => {
          const controller = new AbortController();
          const reason = new Error('user closed the picker');
          const pending = listModels({ baseUrl, apiKey: KEY, signal: controller.signal, timeoutMs: 60_000 });
          controller.abort(reason);
          await assert.rejects(pending, (error: unknown) => {
            assert.equal(error, reason);
            return true;
          });
        },
      );
    });
  });
});
