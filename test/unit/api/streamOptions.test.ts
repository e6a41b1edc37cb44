import assert from 'node:assert/strict';
import { streamChat } from '../../../src/api/chatClient';
import { StreamOptionsSupport, defaultStreamOptionsSupport, rejectsStreamOptions } from '../../../src/api/streamOptions';
import type { ChatRequest } from '../../../src/api/types';
import { MOCK_ANSWER, STREAM_OPTIONS_REJECTION, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { collect, textOf, useMockGateway } from '../../fixtures/streamEvents';

const request = (text: string): ChatRequest => ({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }] });
const hasStreamOptions = (body: unknown): boolean => typeof body === 'object' && body !== null && 'stream_options' in body;

describe('StreamOptionsSupport', () => {
  it('remembers rejections per base URL, trailing slash and case aside', () => {
    const support = new StreamOptionsSupport();
    assert.equal(support.isRejected('https://a.example/v1'), false);
    support.markRejected('https://a.example/v1/');
    assert.equal(support.isRejected('https://a.example/v1'), true);
    assert.equal(support.isRejected('HTTPS://A.example/v1//'), true);
    assert.equal(support.isRejected('https://b.example/v1'), false);
  });

  it('snapshot() and restore() carry the memory across a restart; junk is ignored', () => {
    const before = new StreamOptionsSupport();
    before.markRejected('https://b.example/v1');
    before.markRejected('https://a.example/v1');
    const stored: unknown = JSON.parse(JSON.stringify(before.snapshot()));
    // What the memory learns now holds more than stream_options: one entry per gateway (and model).
    const expected = [
      { baseUrl: 'https://a.example/v1', model: '', fixes: ['noStreamOptions'] },
      { baseUrl: 'https://b.example/v1', model: '', fixes: ['noStreamOptions'] },
    ];
    assert.deepEqual(stored, expected);

    const after = new StreamOptionsSupport();
    after.restore(stored);
    assert.ok(after.isRejected('https://a.example/v1') && after.isRejected('https://b.example/v1'));
    for (const junk of [undefined, null, 'https://c.example/v1', { rejected: [] }, [42, '', null]]) after.restore(junk);
    assert.deepEqual(after.snapshot(), expected);

    // The list of base URLs stored before the memory learned more still restores.
    const legacy = new StreamOptionsSupport();
    legacy.restore(['https://b.example/v1', 'https://a.example/v1']);
    assert.deepEqual(legacy.snapshot(), expected);
  });

  describe('rejectsStreamOptions', () => {
    const table: Array<[number, string, string, boolean]> = [
      [400, STREAM_OPTIONS_REJECTION, '', true],
      [400, 'Invalid request', '{"error":{"message":"Invalid request","param":"stream_options"}}', true],
      [422, '422 Unprocessable Entity: ...', '{"detail":[{"loc":["body","stream_options","include_usage"],"msg":"extra fields not permitted"}]}', true],
      [400, 'temperature must be at most 2', '{"error":{"message":"temperature must be at most 2"}}', false],
      [500, 'stream_options crashed the server', '', false],
      [401, 'include_usage needs a paid plan', '', false],
    ];
    for (const [status, message, body, expected] of table) {
      it(`${status} ${JSON.stringify(message)} → ${expected}`, () => {
        assert.equal(rejectsStreamOptions({ kind: status === 401 ? 'auth' : 'badRequest', status, message }, body), expected);
      });
    }
  });
});

describe('streamChat and stream_options', () => {
  let gateway: MockGateway;
  useMockGateway({ chunkDelayMs: 1 }, (started) => (gateway = started));

  it('[no-stream-options]: the 400 is retried once without them, and the answer streams', async () => {
    const support = new StreamOptionsSupport();
    const events = await collect(
      streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: request('Hi [no-stream-options]'), streamOptionsSupport: support }),
    );
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.ok(!events.some((e) => e.type === 'error' || e.type === 'usage'));
    assert.deepEqual(
      gateway.requests.map((r) => hasStreamOptions(r.body)),
      [true, false],
    );
    assert.ok(support.isRejected(gateway.baseUrl));
  });

  it('remembers the rejection: the next request to that gateway goes out without them at once', async () => {
    const support = new StreamOptionsSupport();
    const options = { baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, streamOptionsSupport: support };
    await collect(streamChat({ ...options, request: request('one [no-stream-options]') }));
    gateway.requests.length = 0;
    const events = await collect(streamChat({ ...options, request: request('two [no-stream-options]') }));
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(
      gateway.requests.map((r) => hasStreamOptions(r.body)),
      [false],
    );
  });

  it('remembers per base URL: another gateway still gets stream_options and usage', async () => {
    const support = new StreamOptionsSupport();
    const strict = await startMockGateway({ chunkDelayMs: 1, rejectStreamOptions: true });
    try {
      await collect(streamChat({ baseUrl: strict.baseUrl, apiKey: strict.apiKey, request: request('Hi'), streamOptionsSupport: support }));
      assert.equal(strict.requests.length, 2);
      assert.ok(support.isRejected(strict.baseUrl));
      const events = await collect(
        streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: request('Hi'), streamOptionsSupport: support }),
      );
      assert.equal(events.at(-1)?.type, 'usage');
      assert.ok(hasStreamOptions(gateway.requests[0]?.body));
    } finally {
      await strict.close();
    }
  });

  it('uses the shared in-process memory when none is passed', async () => {
    const strict = await startMockGateway({ chunkDelayMs: 1, rejectStreamOptions: true });
    try {
      assert.equal(defaultStreamOptionsSupport.isRejected(strict.baseUrl), false);
      await collect(streamChat({ baseUrl: strict.baseUrl, apiKey: strict.apiKey, request: request('Hi') }));
      assert.ok(defaultStreamOptionsSupport.isRejected(strict.baseUrl));
    } finally {
      await strict.close();
    }
  });

  it('retries at most once, and only for a 400/422 that names the field', async () => {
    const calls: unknown[] = [];
    const respond = (status: number, message: string): typeof fetch =>
      (_input, init) => {
        // streamChat sends its request as a JSON string.
        calls.push(JSON.parse(init?.body as string));
        return Promise.resolve(new Response(JSON.stringify({ error: { message } }), { status }));
      };
    const run = (fetchImpl: typeof fetch) =>
      collect(
        streamChat({
          baseUrl: 'http://gateway.invalid/v1',
          apiKey: 'sk-test-key-1234',
          request: request('Hi'),
          fetchImpl,
          streamOptionsSupport: new StreamOptionsSupport(),
        }),
      );

    const always = await run(respond(400, 'Unknown parameter: stream_options.include_usage'));
    assert.equal(calls.length, 2, 'one retry without stream_options, then the error');
    assert.deepEqual(
      calls.map(hasStreamOptions),
      [true, false],
    );
    assert.ok(always.length === 1 && always[0]?.type === 'error' && always[0].error.status === 400);

    calls.length = 0;
    const unrelated = await run(respond(400, 'max_tokens is too large'));
    assert.equal(calls.length, 1);
    assert.ok(unrelated[0]?.type === 'error' && unrelated[0].error.message === 'max_tokens is too large');
  });

  it('includeUsage: false never sends them, so there is nothing to retry', async () => {
    const events = await collect(
      streamChat({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        request: request('[no-stream-options]'),
        includeUsage: false,
        streamOptionsSupport: new StreamOptionsSupport(),
      }),
    );
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.equal(gateway.requests.length, 1);
  });
});
