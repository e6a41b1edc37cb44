import { strict as assert } from 'node:assert';
import type { ChatStreamEvent } from '../../../src/api/types';
import { GatewayStream, parametersFor, routeFor, type LastRequest } from '../../../src/services/gatewayStream';
import type { ResolvedConnection } from '../../../src/services/connectionResolver';
import { MOCK_ANSWER, startMockGateway, type MockGateway } from '../../fixtures/mockGateway';
import { MemoryMemento } from '../../fixtures/memoryMemento';


function resolved(mock: MockGateway): ResolvedConnection {
  return {
    apiKey: mock.apiKey,
    secretHeaders: { 'X-Api-Key': 'secret-header-value-1234' },
    settings: {
      profile: { id: 'custom', label: 'Custom', baseUrl: mock.baseUrl, model: 'openai/gpt-4o', requiresKey: true, headers: { 'X-Title': 'Fox Chat' }, fallbackModels: ['b'] },
      request: { temperature: 0.3, response_format: { type: 'json_object' }, extraBody: { seed: 7 } },
      client: { idleTimeoutMs: 30_000, maxRetries: 1, maxAnswerBytes: 1024, imageDetail: 'auto' },
      tools: { enabled: [], choice: 'auto', maxRounds: 8 },
    },
  };
}

async function drain(events: AsyncIterable<ChatStreamEvent>): Promise<string> {
  let text = '';
  for await (const event of events) if (event.type === 'text') text += event.text;
  return text;
}

describe('GatewayStream (the one request pipeline)', () => {
  let mock: MockGateway;
  afterEach(async () => mock.close());

  it('routes every feature the same way: settings to route and parameters, extraBody apart', async () => {
    mock = await startMockGateway({ chunkDelayMs: 1 });
    const route = routeFor(resolved(mock));
    assert.deepEqual(route, {
      baseUrl: mock.baseUrl,
      apiKey: mock.apiKey,
      headers: { 'X-Title': 'Fox Chat' },
      secretHeaders: { 'X-Api-Key': 'secret-header-value-1234' },
      extraBody: { seed: 7 },
      fallbackModels: ['b'],
      policy: { maxRetries: 1, idleTimeoutMs: 30_000 },
      maxAnswerBytes: 1024,
    });
    assert.deepEqual(parametersFor(resolved(mock)), { temperature: 0.3, response_format: { type: 'json_object' } });
  });

  it('remembers the last request of whichever feature sent it, and logs it without secrets', async () => {
    mock = await startMockGateway({ chunkDelayMs: 1 });
    const logged: string[] = [];
    const gateway = new GatewayStream(new MemoryMemento(), { info: (line: string) => void logged.push(line) });
    const last = (): LastRequest | undefined => gateway.lastRequest;
    assert.equal(last(), undefined);
    const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }], stream: true };
    const text = await drain(gateway.stream({ ...routeFor(resolved(mock)), maxAnswerBytes: undefined, request, signal: new AbortController().signal }));
    assert.equal(text, MOCK_ANSWER);
    assert.equal(last()?.request, request);
    assert.deepEqual(last()?.secretHeaders, { 'X-Api-Key': 'secret-header-value-1234' });
    assert.deepEqual(logged, [`POST ${mock.baseUrl}/chat/completions model=openai/gpt-4o messages=1`]);
  });

  it('persists a gateway that rejects stream_options, so the next window asks without it at once', async () => {
    mock = await startMockGateway({ chunkDelayMs: 1, rejectStreamOptions: true });
    const state = new MemoryMemento();
    const request = { model: 'openai/gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }], stream: true };
    const first = new GatewayStream(state);
    assert.equal(await drain(first.stream({ ...routeFor(resolved(mock)), maxAnswerBytes: undefined, request, signal: new AbortController().signal })), MOCK_ANSWER);
    assert.equal(mock.requests.filter((recorded) => recorded.path.endsWith('/chat/completions')).length, 2, 'refused once, asked again');

    const next = new GatewayStream(state);
    assert.equal(await drain(next.stream({ ...routeFor(resolved(mock)), maxAnswerBytes: undefined, request, signal: new AbortController().signal })), MOCK_ANSWER);
    assert.equal(mock.requests.filter((recorded) => recorded.path.endsWith('/chat/completions')).length, 3, 'one request, no second 400');
  });
});
