import assert from 'node:assert/strict';
import { install } from '@sinonjs/fake-timers';
import { streamChat } from '../../../src/api/chatClient';
import type { StreamChatOptions } from '../../../src/api/chatClient';
import type { StreamEvent } from '../../../src/api/types';
import { MOCK_ANSWER, STALL_TEXT, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../../fixtures/mockGateway';
import { textOf } from '../../fixtures/streamEvents';

const isChat = (r: RecordedRequest): boolean => r.path === '/v1/chat/completions';

/** Real I/O (the mock gateway keeps real timers) settles while the fake clock stands still. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

// The client's idle timer runs on a fake clock: a timeout fires exactly when the test moves time
// past it, never because the machine was slow, and no test waits out a real timeout.
describe('streamChat idle timeout', () => {
  let gateway: MockGateway;
  let clock: ReturnType<typeof install>;
  before(async () => {
    gateway = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(() => gateway.close());
  beforeEach(() => {
    gateway.requests.length = 0;
    // shouldClearNativeTimers: fetch (undici) clears timers it set before the clock was installed.
    clock = install({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldClearNativeTimers: true });
  });
  afterEach(() => clock.uninstall());

  /** Streams `text` into `events` in the background; `done` resolves with the fake time it took. */
  function start(text: string, extra: Partial<StreamChatOptions> = {}): { events: StreamEvent[]; done: Promise<number> } {
    const started = Date.now();
    const events: StreamEvent[] = [];
    const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: text }] };
    const done = (async () => {
      for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, ...extra })) events.push(event);
      return Date.now() - started;
    })();
    return { events, done };
  }

  it('[stall]: keeps the text that came, then a timeout error saying how long it waited, and drops the connection', async () => {
    const { events, done } = start('[stall]', { idleTimeoutMs: 1000 });
    await until(() => textOf(events) === STALL_TEXT);
    await clock.tickAsync(999);
    assert.ok(!events.some((e) => e.type === 'error'), 'no timeout before the idle time has passed');
    await clock.tickAsync(1);
    const ms = await done;
    assert.equal(textOf(events), STALL_TEXT);
    assert.deepEqual(events.at(-1), {
      type: 'error',
      error: { kind: 'timeout', message: 'Nothing arrived from the gateway for 1 second, so the request was stopped.' },
    });
    assert.ok(ms >= 1000 && ms < 3000, `took ${ms} ms`);
    await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 2000);
  });

  it('[hang]: a gateway that never sends headers times out too', async () => {
    const { events, done } = start('[hang]', { idleTimeoutMs: 250 });
    await gateway.waitForRequest(isChat, 2000);
    await clock.tickAsync(250);
    const ms = await done;
    assert.deepEqual(events, [
      { type: 'error', error: { kind: 'timeout', message: 'Nothing arrived from the gateway for 0.3 seconds, so the request was stopped.' } },
    ]);
    assert.ok(ms >= 250 && ms < 2000, `took ${ms} ms`);
    await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 2000);
  });

  it('every arriving chunk restarts the countdown: a slow but steady stream never times out', async () => {
    // While the client waits for each of [slow]'s ticks, 300 ms pass: far more than the 400 ms
    // timeout in all, but never 400 ms without a chunk.
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: '[slow]' }] };
    const stream = streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, signal: controller.signal, idleTimeoutMs: 400 });
    while (events.length < 8) {
      const next = stream.next();
      await clock.tickAsync(300);
      const result = await next;
      if (result.done === true) break;
      events.push(result.value);
    }
    controller.abort();
    await stream.return(undefined);
    assert.equal(events.length, 8);
    assert.ok(events.every((e) => e.type === 'text'));
  });

  it('a consumer that takes its time is not mistaken for a stalled gateway', async () => {
    const events: StreamEvent[] = [];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] };
    for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, idleTimeoutMs: 150 })) {
      events.push(event);
      if (events.length <= 2) await clock.tickAsync(400);
    }
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.ok(!events.some((e) => e.type === 'error'));
  });

  it('Stop while stalled ends quietly, without a timeout error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { events, done } = start('[stall]', { idleTimeoutMs: 5000, signal: controller.signal });
    await until(() => textOf(events) === STALL_TEXT);
    await clock.tickAsync(200);
    await done;
    assert.equal(textOf(events), STALL_TEXT);
    assert.ok(!events.some((e) => e.type === 'error'));
  });

  it('0 or no idleTimeoutMs leaves the stream alone', async () => {
    const { events, done } = start('Hi', { idleTimeoutMs: 0 });
    await done;
    assert.equal(textOf(events), MOCK_ANSWER);
  });
});
