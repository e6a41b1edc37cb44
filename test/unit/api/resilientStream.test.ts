import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { install } from '@sinonjs/fake-timers';
import { streamWithRecovery } from '../../../src/api/resilientStream';
import type { StreamWithRecoveryOptions } from '../../../src/api/resilientStream';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatRequest, ChatStreamEvent, RecoveryEvent } from '../../../src/api/types';
import { MOCK_ANSWER, STALL_TEXT, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { textOf } from '../../fixtures/streamEvents';

type Retrying = Extract<RecoveryEvent, { type: 'retrying' }>;

const retriesOf = (events: ChatStreamEvent[]): Retrying[] => events.filter((e): e is Retrying => e.type === 'retrying');
const errorOf = (events: ChatStreamEvent[]) => {
  const last = events.at(-1);
  assert.ok(last?.type === 'error', `expected the stream to end with an error, got ${JSON.stringify(last)}`);
  return last.error;
};

/** Real I/O (the mock gateway keeps real timers) settles while a fake clock stands still. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('streamWithRecovery', () => {
  let gateway: MockGateway;
  /** Delays the recovery asked for; the fake sleep returns at once so tests do not wait. */
  let slept: number[];
  const fakeSleep = (ms: number): Promise<void> => {
    slept.push(ms);
    return Promise.resolve();
  };

  before(async () => {
    gateway = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(() => gateway.close());
  beforeEach(() => {
    gateway.requests.length = 0;
    slept = [];
  });

  const chatModels = (): string[] =>
    gateway.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => String((r.body as { model: unknown }).model));

  async function run(text: string, extra: Partial<StreamWithRecoveryOptions> = {}, events: ChatStreamEvent[] = []): Promise<ChatStreamEvent[]> {
    const options: StreamWithRecoveryOptions = {
      baseUrl: gateway.baseUrl,
      apiKey: gateway.apiKey,
      request: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: `${text} #${Math.random()}` }] },
      policy: {},
      sleep: fakeSleep,
      random: () => 0.5,
      streamOptionsSupport: new StreamOptionsSupport(),
      ...extra,
    };
    for await (const event of streamWithRecovery(options)) events.push(event);
    return events;
  }

  it('passes a healthy stream through unchanged', async () => {
    const events = await run('Hi');
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(
      events.filter((e) => e.type !== 'text').map((e) => e.type),
      ['finish', 'usage'],
    );
    assert.equal(gateway.requests.length, 1);
  });

  it('[flaky:2]: two 503s are retried with growing, jittered delays, then the answer streams', async () => {
    const events = await run('[flaky:2]');
    assert.equal(textOf(events), MOCK_ANSWER);
    const retries = retriesOf(events);
    assert.deepEqual(
      retries.map((r) => [r.attempt, r.maxAttempts, r.delayMs, r.error.kind, r.error.status]),
      [
        [2, 3, 750, 'server', 503],
        [3, 3, 1500, 'server', 503],
      ],
    );
    assert.deepEqual(slept, [750, 1500]);
    assert.equal(gateway.requests.length, 3);
    assert.ok(!events.some((e) => e.type === 'error'));
  });

  it('[flaky:3]: when the retries run out, the last error is reported', async () => {
    const events = await run('[flaky:3]');
    assert.equal(retriesOf(events).length, 2);
    assert.equal(gateway.requests.length, 3);
    assert.deepEqual(errorOf(events), { kind: 'server', status: 503, message: 'Flaky failure 3 of 3' });
    assert.equal(textOf(events), '');
  });

  it('maxRetries from the policy is honoured (0: no retry at all)', async () => {
    const events = await run('[flaky:1]', { policy: { maxRetries: 0 } });
    assert.equal(errorOf(events).status, 503);
    assert.equal(gateway.requests.length, 1);
    assert.deepEqual(retriesOf(events), []);
  });

  it('[flaky:1:429]: waits exactly the Retry-After, then answers', async () => {
    const events = await run('[flaky:1:429]');
    assert.deepEqual(
      retriesOf(events).map((r) => [r.delayMs, r.error.kind, r.error.retryAfterSeconds]),
      [[1000, 'rateLimited', 1]],
    );
    assert.equal(textOf(events), MOCK_ANSWER);
  });

  it('[ratelimit] with a Retry-After beyond maxRetryAfterSeconds is reported at once', async () => {
    const events = await run('[ratelimit]', { policy: { maxRetryAfterSeconds: 1 } });
    assert.deepEqual(events.map((e) => e.type), ['error']);
    assert.equal(errorOf(events).retryAfterSeconds, 2);
    assert.equal(gateway.requests.length, 1);
    assert.deepEqual(slept, []);
  });

  it('401 is never retried', async () => {
    const events = await run('Hi', { apiKey: 'sk-wrong-key-00000000' });
    assert.deepEqual(events.map((e) => e.type), ['error']);
    assert.equal(errorOf(events).kind, 'auth');
    assert.equal(gateway.requests.length, 1);
  });

  it('400 is never retried, not even when the next try would work', async () => {
    const events = await run('[flaky:1:400]');
    assert.equal(errorOf(events).status, 400);
    assert.equal(gateway.requests.length, 1);
  });

  const unknownModel: ChatRequest = { model: 'nope/model', messages: [{ role: 'user', content: '[unknown-model]' }] };

  it('404 moves straight on to the next fallback model, which is named', async () => {
    const events = await run('[unknown-model]', { request: unknownModel, fallbackModels: ['gpt-4o-mini'] });
    assert.deepEqual(retriesOf(events), []);
    assert.deepEqual(events[0], { type: 'model', model: 'gpt-4o-mini' });
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(chatModels(), ['nope/model', 'gpt-4o-mini']);
  });

  it('404 without a fallback model is reported, not retried', async () => {
    const events = await run('[unknown-model]', { request: unknownModel });
    assert.deepEqual(events.map((e) => e.type), ['error']);
    assert.equal(errorOf(events).kind, 'notFound');
    assert.equal(gateway.requests.length, 1);
  });

  it('[down:…]: after its retries the primary model gives way to the first fallback that answers', async () => {
    const events = await run('[down:openai/gpt-4o] [down:anthropic/claude-sonnet-4.5]', {
      fallbackModels: ['anthropic/claude-sonnet-4.5', 'gpt-4o-mini', 'openai/gpt-4o'],
    });
    assert.deepEqual(chatModels(), [
      'openai/gpt-4o',
      'openai/gpt-4o',
      'openai/gpt-4o',
      'anthropic/claude-sonnet-4.5',
      'anthropic/claude-sonnet-4.5',
      'anthropic/claude-sonnet-4.5',
      'gpt-4o-mini',
    ]);
    assert.deepEqual(
      events.filter((e) => e.type === 'model' || e.type === 'retrying').map((e) => (e.type === 'model' ? e.model : e.attempt)),
      [2, 3, 'anthropic/claude-sonnet-4.5', 2, 3, 'gpt-4o-mini'],
    );
    assert.equal(textOf(events), MOCK_ANSWER);
  });

  it('when every model fails, the last model’s error ends the stream', async () => {
    const events = await run('[down:openai/gpt-4o] [down:gpt-4o-mini]', { fallbackModels: ['gpt-4o-mini'], policy: { maxRetries: 1 } });
    assert.equal(gateway.requests.length, 4);
    assert.equal(errorOf(events).message, 'The model gpt-4o-mini is overloaded');
  });

  it('[midstream-error]: an error after the first token is final; the partial text stays', async () => {
    const events = await run('[midstream-error]', { fallbackModels: ['gpt-4o-mini'] });
    assert.equal(textOf(events), 'The quick brown ');
    assert.equal(errorOf(events).kind, 'stream');
    assert.equal(gateway.requests.length, 1);
    assert.deepEqual(retriesOf(events), []);
  });

  describe('idle timeouts (fake clock: the test moves time past the timeout once the gateway went quiet)', () => {
    let clock: ReturnType<typeof install>;
    // shouldClearNativeTimers: fetch (undici) clears timers it set before the clock was installed.
    beforeEach(() => {
      clock = install({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
    });
    afterEach(() => clock.uninstall());

    it('[stall]: a timeout after the first token is final too', async () => {
      const events: ChatStreamEvent[] = [];
      const done = run('[stall]', { policy: { idleTimeoutMs: 200 } }, events);
      await until(() => textOf(events) === STALL_TEXT);
      await clock.tickAsync(200);
      await done;
      assert.equal(textOf(events), STALL_TEXT);
      assert.equal(errorOf(events).kind, 'timeout');
      assert.equal(gateway.requests.length, 1);
    });

    it('[hang]: a timeout before the first token is retried (idle timeout from the policy or the options)', async () => {
      const fromPolicyRun = run('[hang]', { policy: { idleTimeoutMs: 150, maxRetries: 1 } });
      for (const seen of [1, 2]) {
        await until(() => gateway.requests.length === seen);
        await clock.tickAsync(150);
      }
      const fromPolicy = await fromPolicyRun;
      assert.deepEqual(
        retriesOf(fromPolicy).map((r) => r.error.kind),
        ['timeout'],
      );
      assert.equal(errorOf(fromPolicy).kind, 'timeout');
      assert.equal(gateway.requests.length, 2);
      const fromOptionsRun = run('[hang]', { idleTimeoutMs: 150, policy: { maxRetries: 0 } });
      await until(() => gateway.requests.length === 3);
      await clock.tickAsync(150);
      const fromOptions = await fromOptionsRun;
      assert.equal(errorOf(fromOptions).kind, 'timeout');
    });
  });

  it('network errors are retried, then reported', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const events = await run('Hi', { baseUrl: `http://127.0.0.1:${port}/v1` });
    assert.deepEqual(
      retriesOf(events).map((r) => r.error.kind),
      ['network', 'network'],
    );
    assert.equal(errorOf(events).kind, 'network');
  });

  describe('the wait (real timers)', () => {
    const slowPolicy = { baseDelayMs: 20_000, maxDelayMs: 20_000 };

    it('retryNow() during the wait retries at once', async () => {
      const started = Date.now();
      const events: ChatStreamEvent[] = [];
      const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: `[flaky:1] now #${Math.random()}` }] };
      for await (const event of streamWithRecovery({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, policy: slowPolicy })) {
        events.push(event);
        if (event.type === 'retrying') setTimeout(event.retryNow, 50);
      }
      assert.equal(textOf(events), MOCK_ANSWER);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    });

    it('retryNow() right in the handler skips the wait', async () => {
      const started = Date.now();
      const events: ChatStreamEvent[] = [];
      const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: `[flaky:1] sync #${Math.random()}` }] };
      for await (const event of streamWithRecovery({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, policy: slowPolicy })) {
        events.push(event);
        if (event.type === 'retrying') event.retryNow();
      }
      assert.equal(textOf(events), MOCK_ANSWER);
      assert.ok(Date.now() - started < 3000);
    });

    it('Stop during the wait ends the stream quietly, with no further request', async () => {
      const controller = new AbortController();
      const started = Date.now();
      const events: ChatStreamEvent[] = [];
      const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: `[flaky:1] stop #${Math.random()}` }] };
      const options = { baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, policy: slowPolicy, signal: controller.signal };
      for await (const event of streamWithRecovery(options)) {
        events.push(event);
        if (event.type === 'retrying') setTimeout(() => controller.abort(), 50);
      }
      assert.deepEqual(events.map((e) => e.type), ['retrying']);
      assert.ok(Date.now() - started < 3000);
      assert.equal(gateway.requests.length, 1);
    });
  });
});
