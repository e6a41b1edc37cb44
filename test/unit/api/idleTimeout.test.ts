import assert from 'node:assert/strict';
import { streamChat } from '../../../src/api/chatClient';
import type { StreamChatOptions } from '../../../src/api/chatClient';
import type { StreamEvent } from '../../../src/api/types';
import { MOCK_ANSWER, STALL_TEXT, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway, RecordedRequest } from '../../fixtures/mockGateway';

const textOf = (events: StreamEvent[]): string => events.map((e) => (e.type === 'text' ? e.text : '')).join('');
const isChat = (r: RecordedRequest): boolean => r.path === '/v1/chat/completions';

describe('streamChat idle timeout', () => {
  let gateway: MockGateway;
  before(async () => {
    gateway = await startMockGateway({ chunkDelayMs: 1 });
  });
  after(() => gateway.close());
  beforeEach(() => {
    gateway.requests.length = 0;
  });

  async function run(text: string, extra: Partial<StreamChatOptions> = {}): Promise<{ events: StreamEvent[]; ms: number }> {
    const started = Date.now();
    const events: StreamEvent[] = [];
    const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: text }] };
    for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, ...extra })) events.push(event);
    return { events, ms: Date.now() - started };
  }

  it('[stall]: keeps the text that came, then a timeout error saying how long it waited, and drops the connection', async () => {
    const { events, ms } = await run('[stall]', { idleTimeoutMs: 1000 });
    assert.equal(textOf(events), STALL_TEXT);
    assert.deepEqual(events.at(-1), {
      type: 'error',
      error: { kind: 'timeout', message: 'Nothing arrived from the gateway for 1 second, so the request was stopped.' },
    });
    assert.ok(ms >= 1000 && ms < 3000, `took ${ms} ms`);
    await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 2000);
  });

  it('[hang]: a gateway that never sends headers times out too', async () => {
    const { events, ms } = await run('[hang]', { idleTimeoutMs: 250 });
    assert.deepEqual(events, [
      { type: 'error', error: { kind: 'timeout', message: 'Nothing arrived from the gateway for 0.3 seconds, so the request was stopped.' } },
    ]);
    assert.ok(ms >= 250 && ms < 2000, `took ${ms} ms`);
    await gateway.waitForRequest((r) => isChat(r) && r.aborted === true, 2000);
  });

  it('every arriving chunk restarts the countdown: a slow but steady stream never times out', async () => {
    // [slow] ticks every 150 ms, for far longer than the 400 ms timeout.
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: '[slow]' }] };
    for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, signal: controller.signal, idleTimeoutMs: 400 })) {
      events.push(event);
      if (events.length === 8) controller.abort();
    }
    assert.equal(events.length, 8);
    assert.ok(events.every((e) => e.type === 'text'));
  });

  it('a consumer that takes its time is not mistaken for a stalled gateway', async () => {
    const events: StreamEvent[] = [];
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] };
    for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, idleTimeoutMs: 150 })) {
      events.push(event);
      if (events.length <= 2) await new Promise((resolve) => setTimeout(resolve, 400));
    }
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.ok(!events.some((e) => e.type === 'error'));
  });

  it('Stop while stalled ends quietly, without a timeout error', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { events } = await run('[stall]', { idleTimeoutMs: 5000, signal: controller.signal });
    assert.equal(textOf(events), STALL_TEXT);
    assert.ok(!events.some((e) => e.type === 'error'));
  });

  it('0 or no idleTimeoutMs leaves the stream alone', async () => {
    const { events } = await run('Hi', { idleTimeoutMs: 0 });
    assert.equal(textOf(events), MOCK_ANSWER);
  });
});
