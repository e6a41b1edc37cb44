import assert from 'node:assert/strict';
import { streamChat } from '../../../src/api/chatClient';
import { DIALECT_FIXES, DIALECTS_STATE_KEY, GatewayDialects, LEGACY_STREAM_OPTIONS_KEY, classifyRejection } from '../../../src/api/dialects';
import type { DialectFix, DialectStorage } from '../../../src/api/dialects';
import { buildStreamBody } from '../../../src/api/requestBody';
import type { ChatMessage, ChatRequest, GatewayErrorInfo } from '../../../src/api/types';
import { DIALECT_REJECTIONS, MOCK_ANSWER } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { requestSchemaProblems } from '../../fixtures/requestSchema';
import { collect, textOf, useMockGateway } from '../../fixtures/streamEvents';

class MemoryStorage implements DialectStorage {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
    return Promise.resolve();
  }
}

const bad = (status: number, message: string): GatewayErrorInfo => ({ kind: status === 422 ? 'badRequest' : 'badRequest', status, message });
const rejection = (marker: keyof typeof DIALECT_REJECTIONS): { info: GatewayErrorInfo; body: string } => {
  const { status, body } = DIALECT_REJECTIONS[marker];
  const message = 'error' in body ? body.error.message : `${status} Unprocessable Entity`;
  return { info: bad(status, message), body: JSON.stringify(body) };
};

const TOOLS = [{ type: 'function' as const, function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
const toolCallTurn: ChatMessage[] = [
  { role: 'user', content: 'Read it' },
  {
    role: 'assistant',
    content: null,
    reasoning_content: 'The user wants the file.',
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '1 line' },
];

describe('classifyRejection', () => {
  const full: Record<string, unknown> = {
    model: 'm',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] }],
    max_tokens: 100,
    temperature: 0.3,
    provider: { order: ['a'] },
    reasoning_effort: 'high',
    tools: TOOLS,
    response_format: { type: 'json_object' },
    stream_options: { include_usage: true },
  };

  const table: Array<[string, GatewayErrorInfo, string, DialectFix | undefined]> = [
    ['OpenAI max_tokens', ...Object.values(rejection('[no-max-tokens]')), 'maxCompletionTokens'] as [string, GatewayErrorInfo, string, DialectFix],
    ['OpenAI temperature', ...Object.values(rejection('[no-temperature]')), 'noTemperature'] as [string, GatewayErrorInfo, string, DialectFix],
    ['pydantic extra provider', ...Object.values(rejection('[no-provider]')), 'noProvider'] as [string, GatewayErrorInfo, string, DialectFix],
    ['reasoning_effort unknown', ...Object.values(rejection('[no-reasoning-effort]')), 'noReasoningEffort'] as [string, GatewayErrorInfo, string, DialectFix],
    ['Groq tool_use_failed', ...Object.values(rejection('[tool-use-failed]')), undefined] as [string, GatewayErrorInfo, string, undefined],
    ['Ollama no tools', bad(400, 'registry.ollama.ai/library/gemma:2b does not support tools'), '', 'noTools'],
    ['stream_options', bad(400, 'Unrecognized request argument supplied: stream_options'), '', 'noStreamOptions'],
    ['json mode', bad(400, 'response_format is not supported for this model'), '', 'noResponseFormat'],
    ['vision', bad(400, 'The model m does not support image input'), '', 'noImages'],
    ['one image too large is not a refusal of images', bad(400, 'Image exceeds the maximum size of 20 MB'), '', undefined],
    ['OpenRouter upstream failure is not about the provider field', bad(400, 'Provider returned error'), '{"error":{"message":"Provider returned error","code":400}}', undefined],
    ['a 500 naming a field', { kind: 'server', status: 500, message: 'temperature exploded' }, '', undefined],
    ['a 401', { kind: 'auth', status: 401, message: 'max_tokens requires a paid plan' }, '', undefined],
  ];
  for (const [name, info, body, expected] of table) {
    it(`${name} → ${String(expected)}`, () => {
      assert.equal(classifyRejection(info, body, full), expected);
    });
  }

  it('names only fields the body carried: a refusal of max_tokens is nothing to fix without it', () => {
    const { info, body } = rejection('[no-max-tokens]');
    assert.equal(classifyRejection(info, body, { model: 'm', messages: [] }), undefined);
  });

  it('reasoning_content: missing → send it; refused while sent → leave it out', () => {
    const missing = rejection('[needs-reasoning-content]');
    const refused = rejection('[rejects-reasoning-content]');
    const without = { model: 'm', messages: toolCallTurn.map(({ reasoning_content: _r, ...rest }) => rest) };
    assert.equal(classifyRejection(missing.info, missing.body, without), 'sendReasoningContent');
    assert.equal(classifyRejection(refused.info, refused.body, { model: 'm', messages: toolCallTurn }), 'omitReasoningContent');
  });
});

describe('GatewayDialects (the learned memory)', () => {
  it('learns per base URL and model; stream_options for the whole gateway', () => {
    const dialects = new GatewayDialects();
    dialects.learn('https://gw.example/v1/', 'o3', 'maxCompletionTokens');
    dialects.learn('https://gw.example/v1', 'o3', 'noStreamOptions');
    assert.deepEqual([...dialects.fixesFor('HTTPS://GW.example/v1', 'o3')].sort(), ['maxCompletionTokens', 'noStreamOptions']);
    assert.deepEqual([...dialects.fixesFor('https://gw.example/v1', 'gpt-4o')], ['noStreamOptions']);
    assert.deepEqual([...dialects.fixesFor('https://other.example/v1', 'o3')], []);
  });

  it('is persisted through its storage, restored by the next instance, and reset forgets it there too', async () => {
    const storage = new MemoryStorage();
    const first = new GatewayDialects(storage);
    assert.equal(first.learn('https://gw.example/v1', 'o3', 'noTemperature'), true);
    assert.equal(first.learn('https://gw.example/v1', 'o3', 'noTemperature'), false, 'nothing new');
    first.learn('https://gw.example/v1', 'deepseek-chat', 'sendReasoningContent');
    await Promise.resolve();
    assert.deepEqual(storage.get(DIALECTS_STATE_KEY), [
      { baseUrl: 'https://gw.example/v1', model: 'deepseek-chat', fixes: ['sendReasoningContent'] },
      { baseUrl: 'https://gw.example/v1', model: 'o3', fixes: ['noTemperature'] },
    ]);

    const second = new GatewayDialects(storage);
    assert.ok(second.has('https://gw.example/v1', 'o3', 'noTemperature'));
    second.learn('https://gw.example/v1', 'deepseek-chat', 'omitReasoningContent');
    assert.deepEqual([...second.fixesFor('https://gw.example/v1', 'deepseek-chat')], ['omitReasoningContent'], 'the opposite fix is replaced');

    second.reset();
    assert.deepEqual(second.snapshot(), []);
    assert.deepEqual(storage.get(DIALECTS_STATE_KEY), []);
    assert.deepEqual(new GatewayDialects(storage).snapshot(), [], 'a new window learns from scratch');
  });

  it('reset(baseUrl) forgets one gateway only', () => {
    const dialects = new GatewayDialects(new MemoryStorage());
    dialects.learn('https://a.example/v1', 'm', 'noProvider');
    dialects.learn('https://b.example/v1', 'm', 'noProvider');
    dialects.reset('https://A.example/v1/');
    assert.deepEqual(dialects.snapshot().map((entry) => entry.baseUrl), ['https://b.example/v1']);
  });

  it('takes over the stream_options memory of older versions, and a reset forgets that as well', () => {
    const storage = new MemoryStorage();
    storage.values.set(LEGACY_STREAM_OPTIONS_KEY, ['https://old.example/v1']);
    const dialects = new GatewayDialects(storage);
    assert.ok(dialects.isRejected('https://old.example/v1'));
    dialects.reset();
    assert.equal(storage.get(LEGACY_STREAM_OPTIONS_KEY), undefined);
    assert.deepEqual(new GatewayDialects(storage).snapshot(), []);
  });
});

describe('request bodies in every dialect stay valid against OpenAI\'s schema', () => {
  const messagesVariants: ChatMessage[][] = [
    [{ role: 'user', content: 'Hi' }],
    [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA', detail: 'low' } }] }],
    [{ role: 'system', content: 'Be brief.' }, ...toolCallTurn, { role: 'assistant', content: 'Done.', reasoning_content: 'It was short.' }, { role: 'user', content: 'Thanks' }],
  ];
  const parameterVariants: Array<Partial<ChatRequest>> = [
    {},
    { temperature: 0.3, max_tokens: 1000, top_p: 0.9, frequency_penalty: 0.5, presence_penalty: -0.5 },
    { tools: TOOLS, tool_choice: 'auto' },
    { tools: TOOLS, tool_choice: { type: 'function', function: { name: 'read_file' } } },
    { response_format: { type: 'json_object' } },
    { response_format: { type: 'json_schema', json_schema: { name: 'fox_chat_response', schema: { type: 'object' } } } },
    { reasoning_effort: 'high', max_tokens: 50 },
    { provider: { order: ['openai'], allow_fallbacks: false } },
  ];
  const baseUrls = ['https://api.ofox.ai/v1', 'https://openrouter.ai/api/v1'];
  // Each fix alone, all of them together, and none.
  const fixSets: DialectFix[][] = [[], [...DIALECT_FIXES], ...DIALECT_FIXES.map((fix) => [fix])];

  it(`holds for ${messagesVariants.length * parameterVariants.length * baseUrls.length * fixSets.length * 2} combinations`, () => {
    const failures: string[] = [];
    for (const messages of messagesVariants)
      for (const parameters of parameterVariants)
        for (const baseUrl of baseUrls)
          for (const fixes of fixSets)
            for (const withStreamOptions of [true, false]) {
              const body = buildStreamBody({ model: 'o3', messages, ...parameters }, withStreamOptions, undefined, { baseUrl, fixes: new Set(fixes) });
              const problems = requestSchemaProblems(body);
              if (problems.length > 0) failures.push(`${JSON.stringify(body).slice(0, 200)} → ${problems.join('; ')}`);
            }
    assert.deepEqual(failures, []);
  });

  it('speaks each dialect: max_completion_tokens, no temperature, OpenRouter reasoning, reasoning_content only when asked', () => {
    const request: ChatRequest = { model: 'o3', messages: toolCallTurn, max_tokens: 50, temperature: 0.3, reasoning_effort: 'low', provider: { order: ['x'] } };
    const plain = buildStreamBody(request, true, undefined, { baseUrl: 'https://api.ofox.ai/v1', fixes: new Set() });
    assert.equal(plain.reasoning_effort, 'low');
    assert.ok(plain.messages.every((message) => message.reasoning_content === undefined), 'never sent unasked');

    const fixed = buildStreamBody(request, true, undefined, {
      baseUrl: 'https://openrouter.ai/api/v1',
      fixes: new Set<DialectFix>(['maxCompletionTokens', 'noTemperature', 'noProvider', 'sendReasoningContent']),
    });
    assert.equal(fixed.max_tokens, undefined);
    assert.equal(fixed.max_completion_tokens, 50);
    assert.equal(fixed.temperature, undefined);
    assert.equal(fixed.provider, undefined);
    assert.equal(fixed.reasoning_effort, undefined);
    assert.deepEqual(fixed.reasoning, { effort: 'low' });
    assert.equal(fixed.messages[1]?.reasoning_content, 'The user wants the file.');
  });

  it('a learned JSON-mode refusal asks for JSON in the system prompt instead', () => {
    const body = buildStreamBody({ model: 'm', messages: [{ role: 'user', content: 'Plan' }], response_format: { type: 'json_object' } }, false, undefined, {
      baseUrl: 'https://gw.example/v1',
      fixes: new Set<DialectFix>(['noResponseFormat']),
    });
    assert.equal(body.response_format, undefined);
    const system = body.messages[0];
    assert.ok(system !== undefined && system.role === 'system' && typeof system.content === 'string');
    assert.match(system.content, /single JSON value/);
  });
});

describe('streamChat learns each request dialect from the mock gateway', () => {
  let gateway: MockGateway;
  useMockGateway({ chunkDelayMs: 1 }, (started) => (gateway = started));

  const chatBodies = (): Record<string, unknown>[] =>
    gateway.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as Record<string, unknown>);

  const cases: Array<{ marker: keyof typeof DIALECT_REJECTIONS; request: Partial<ChatRequest>; fix: DialectFix; sent: (body: Record<string, unknown>) => boolean }> = [
    { marker: '[no-max-tokens]', request: { max_tokens: 64 }, fix: 'maxCompletionTokens', sent: (b) => b.max_tokens !== undefined && b.max_completion_tokens === undefined },
    { marker: '[no-temperature]', request: { temperature: 0.3 }, fix: 'noTemperature', sent: (b) => b.temperature !== undefined },
    { marker: '[no-provider]', request: { provider: { order: ['openai'] } }, fix: 'noProvider', sent: (b) => b.provider !== undefined },
    { marker: '[no-reasoning-effort]', request: { reasoning_effort: 'high' }, fix: 'noReasoningEffort', sent: (b) => b.reasoning_effort !== undefined },
  ];
  for (const { marker, request, fix, sent } of cases) {
    it(`${marker}: one retry that learns ${fix}; the next request is right the first time`, async () => {
      const dialects = new GatewayDialects(new MemoryStorage());
      const ask = (text: string) =>
        collect(streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: { model: 'o3', messages: [{ role: 'user', content: text }], ...request }, streamOptionsSupport: dialects }));
      const first = await ask(`Hi ${marker}`);
      assert.equal(textOf(first), MOCK_ANSWER);
      assert.deepEqual(chatBodies().map(sent), [true, false]);
      assert.deepEqual([...dialects.fixesFor(gateway.baseUrl, 'o3')], [fix]);
      assert.deepEqual([...dialects.fixesFor(gateway.baseUrl, 'gpt-4o')], [], 'another model is not assumed to share it');

      gateway.requests.length = 0;
      assert.equal(textOf(await ask(`Again ${marker}`)), MOCK_ANSWER);
      assert.deepEqual(chatBodies().map(sent), [false]);
    });
  }

  it('[no-tools]: tools are dropped and learned for that model', async () => {
    const dialects = new GatewayDialects();
    const events = await collect(
      streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: { model: 'm', messages: [{ role: 'user', content: '[no-tools] hi' }], tools: TOOLS, tool_choice: 'auto' }, streamOptionsSupport: dialects }),
    );
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.deepEqual(chatBodies().map((b) => [b.tools !== undefined, b.tool_choice !== undefined]), [[true, true], [false, false]]);
    assert.ok(dialects.has(gateway.baseUrl, 'm', 'noTools'));
  });

  it('[tool-use-failed]: one bad generation is reported, learns nothing, and tools stay on', async () => {
    const dialects = new GatewayDialects();
    const ask = () =>
      collect(
        streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: '[tool-use-failed] read it' }], tools: TOOLS }, streamOptionsSupport: dialects }),
      );
    const events = await ask();
    assert.equal(events.length, 1);
    assert.ok(events[0]?.type === 'error' && events[0].error.status === 400 && /Failed to call a function/.test(events[0].error.message));
    assert.deepEqual(dialects.snapshot(), []);
    await ask();
    assert.deepEqual(chatBodies().map((b) => b.tools !== undefined), [true, true], 'tools still offered');
  });

  it('[no-json-mode]: learned, but the refusal is passed on so the caller can ask for JSON by prompt', async () => {
    const dialects = new GatewayDialects();
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: '[no-json-mode] plan' }], response_format: { type: 'json_object' } };
    const events = await collect(streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, streamOptionsSupport: dialects }));
    assert.equal(events[0]?.type, 'error');
    assert.ok(dialects.has(gateway.baseUrl, 'm', 'noResponseFormat'));
    gateway.requests.length = 0;
    const next = await collect(streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request, streamOptionsSupport: dialects }));
    assert.ok(!next.some((event) => event.type === 'error'));
    assert.equal(chatBodies().length, 1);
    assert.equal(chatBodies()[0]?.response_format, undefined);
  });

  it('reasoning round trip: [needs-reasoning-content] learns to send it back; [rejects-reasoning-content] learns to leave it out', async () => {
    const dialects = new GatewayDialects();
    const ask = (marker: string) =>
      collect(
        streamChat({
          baseUrl: gateway.baseUrl,
          apiKey: gateway.apiKey,
          request: { model: 'kimi-k2-thinking', messages: [...toolCallTurn, { role: 'user', content: `${marker} go on` }] },
          streamOptionsSupport: dialects,
        }),
      );
    const hasReasoning = (b: Record<string, unknown>): boolean => JSON.stringify(b.messages).includes('reasoning_content');

    assert.equal(textOf(await ask('[needs-reasoning-content]')), MOCK_ANSWER);
    assert.deepEqual(chatBodies().map(hasReasoning), [false, true]);
    assert.deepEqual([...dialects.fixesFor(gateway.baseUrl, 'kimi-k2-thinking')], ['sendReasoningContent']);

    gateway.requests.length = 0;
    assert.equal(textOf(await ask('[rejects-reasoning-content]')), MOCK_ANSWER);
    assert.deepEqual(chatBodies().map(hasReasoning), [true, false]);
    assert.deepEqual([...dialects.fixesFor(gateway.baseUrl, 'kimi-k2-thinking')], ['omitReasoningContent']);
  });

  it('a gateway that refuses everything gets each fix tried once, then the error', async () => {
    const calls: Record<string, unknown>[] = [];
    const fetchImpl: typeof fetch = (_input, init) => {
      calls.push(JSON.parse(init?.body as string) as Record<string, unknown>);
      return Promise.resolve(new Response(JSON.stringify({ error: { message: "Unsupported parameter: 'max_tokens'. Unrecognized request argument supplied: stream_options" } }), { status: 400 }));
    };
    const events = await collect(
      streamChat({ baseUrl: 'http://gw.invalid/v1', apiKey: 'k', request: { model: 'o3', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 }, fetchImpl, streamOptionsSupport: new GatewayDialects() }),
    );
    assert.equal(calls.length, 3, 'first, without stream_options, with max_completion_tokens');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'error');
  });
});

describe('usage details and cost', () => {
  it('reads reasoning and cached tokens and the cost when the gateway reports them', async () => {
    const sse = [
      { choices: [{ index: 0, delta: { content: 'Hi' } }] },
      {
        choices: [],
        usage: {
          prompt_tokens: 120,
          completion_tokens: 80,
          total_tokens: 200,
          prompt_tokens_details: { cached_tokens: 100 },
          completion_tokens_details: { reasoning_tokens: 64 },
          cost: 0.00042,
        },
      },
    ]
      .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
      .join('');
    const fetchImpl: typeof fetch = () => Promise.resolve(new Response(`${sse}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } }));
    const events = await collect(streamChat({ baseUrl: 'http://gw.invalid/v1', apiKey: 'k', request: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, fetchImpl }));
    const usage = events.find((event) => event.type === 'usage');
    assert.deepEqual(usage?.type === 'usage' && usage.usage, { prompt_tokens: 120, completion_tokens: 80, total_tokens: 200, reasoning_tokens: 64, cached_tokens: 100, cost: 0.00042 });
  });
});
