import { strict as assert } from 'node:assert';
import type { ChatRequest, ChatStreamEvent, ToolCall } from '../../../src/api/types';
import { ChatSession } from '../../../src/chat/chatSession';
import type { Connection, StreamFn } from '../../../src/chat/request';
import { DENIED_RESULT, type ToolResult, type ToolRunner, type ToolSetup } from '../../../src/chat/toolRunner';
import { CANCELLED_RESULT, type ToolTurn } from '../../../src/chat/conversation';
import { TEST_PLAN_FORMAT } from '../../../src/chat/testPlan';
import { toolDefinitions, TOOL_NAMES } from '../../../src/tools/toolDefinitions';
import { streamOf } from '../../fixtures/asyncStream';

const call = (id: string, name: string, args: Record<string, unknown> | string): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
});
const toolCallsAnswer = (...calls: ToolCall[]): ChatStreamEvent[] => [
  { type: 'toolCalls', calls },
  { type: 'finish', reason: 'tool_calls' },
];
const textAnswer = (text: string): ChatStreamEvent[] => [
  { type: 'text', text },
  { type: 'finish', reason: 'stop' },
];

/** A gateway that answers each request with the next scripted answer (the last one repeats). */
function scriptedGateway(answers: Array<ChatStreamEvent[] | ((request: ChatRequest) => ChatStreamEvent[])>): { fn: StreamFn; requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  const fn: StreamFn = (options) => {
    // A deep copy: the session builds later requests from the same conversation.
    requests.push(JSON.parse(JSON.stringify(options.request)) as ChatRequest);
    const next = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    const events = typeof next === 'function' ? next(options.request) : next;
    return streamOf(events, options.signal);
  };
  return { fn, requests };
}

/** A runner that records calls and answers from a table; `gate` holds a call until released. */
class FakeRunner implements ToolRunner {
  readonly ran: ToolCall[] = [];
  gate: Promise<void> | undefined;
  /** Called as each call starts to run. */
  onRun: (() => void) | undefined;
  constructor(
    private readonly results: Record<string, ToolResult | (() => never)> = {},
    private readonly writing = new Set<string>(['propose_edit']),
  ) {}
  describe(toolCall: ToolCall): { summary: string; needsApproval: boolean } {
    return { summary: `summary of ${toolCall.function.name}`, needsApproval: this.writing.has(toolCall.function.name) };
  }
  async run(toolCall: ToolCall, signal: AbortSignal): Promise<ToolResult> {
    this.ran.push(toolCall);
    this.onRun?.();
    if (this.gate) {
      await Promise.race([this.gate, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()))]);
    }
    const result = this.results[toolCall.function.name];
    if (typeof result === 'function') return result();
    return result ?? { text: `result of ${toolCall.id}` };
  }
}

const setup = (runner: ToolRunner, extra: Partial<ToolSetup> = {}): ToolSetup => ({
  definitions: toolDefinitions(TOOL_NAMES),
  choice: 'auto',
  maxRounds: 4,
  runner,
  ...extra,
});
const connectionWith = (tools: ToolSetup | undefined, extra: Partial<Connection> = {}): Connection => ({
  baseUrl: 'http://gateway.test/v1',
  apiKey: 'test-key',
  model: 'openai/gpt-4o',
  tools,
  ...extra,
});

/** Resolves once `predicate` holds, checked after every session event. */
function when(session: ChatSession, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const subscription = session.subscribe({
      toolUpdated: () => check(),
      turnAdded: () => check(),
    });
    const check = (): void => {
      if (predicate()) {
        subscription.dispose();
        resolve();
      }
    };
  });
}

describe('ChatSession tool loop', () => {
  it('runs the calls, sends results as tool messages with tool_call_id, and streams the final answer', async () => {
    const gateway = scriptedGateway([
      toolCallsAnswer(call('call_1', 'read_file', { path: 'a.ts' }), call('call_2', 'list_files', { glob: '**/*.ts' })),
      textAnswer('a.ts exports nothing.'),
    ]);
    const runner = new FakeRunner();
    const session = new ChatSession(gateway.fn);
    const final = await session.send('What is in a.ts?', [], connectionWith(setup(runner)));

    assert.equal(final.text, 'a.ts exports nothing.');
    assert.equal(final.state, 'done');
    assert.deepEqual(runner.ran.map((c) => c.id), ['call_1', 'call_2']);
    assert.equal(gateway.requests.length, 2);
    assert.equal(gateway.requests[0]!.tools?.length, TOOL_NAMES.length);
    assert.equal(gateway.requests[0]!.tool_choice, 'auto');
    const second = gateway.requests[1]!.messages;
    assert.deepEqual(second.slice(-3), [
      { role: 'assistant', content: null, tool_calls: [call('call_1', 'read_file', { path: 'a.ts' }), call('call_2', 'list_files', { glob: '**/*.ts' })] },
      { role: 'tool', tool_call_id: 'call_1', content: 'result of call_1' },
      { role: 'tool', tool_call_id: 'call_2', content: 'result of call_2' },
    ]);
    assert.deepEqual(session.turns.map((turn) => turn.role), ['user', 'assistant', 'tool', 'tool', 'assistant']);
    const tools = session.turns.filter((turn): turn is ToolTurn => turn.role === 'tool');
    assert.deepEqual(tools.map((turn) => [turn.name, turn.state, turn.summary]), [
      ['read_file', 'done', 'summary of read_file'],
      ['list_files', 'done', 'summary of list_files'],
    ]);
    assert.equal(session.streaming, false);
  });

  it('names the tools being prepared as their calls stream, once per new name piece, not per argument piece', async () => {
    const gateway = scriptedGateway([
      [
        { type: 'toolCallDelta', index: 0, id: 'call_1', name: 'read_' },
        { type: 'toolCallDelta', index: 0, name: 'file' },
        { type: 'toolCallDelta', index: 0, argumentsDelta: '{"path":' },
        { type: 'toolCallDelta', index: 1, id: 'call_2', name: 'list_files' },
        { type: 'toolCallDelta', index: 0, argumentsDelta: '"a.ts"}' },
        ...toolCallsAnswer(call('call_1', 'read_file', { path: 'a.ts' }), call('call_2', 'list_files', {})),
      ],
      textAnswer('ok'),
    ]);
    const session = new ChatSession(gateway.fn);
    // What the panel shows after each event: the listener keeps the list, the session sends only changes.
    const names: string[] = [];
    const announced: string[][] = [];
    session.subscribe({
      toolCallPreparing: (_turn, index, name) => {
        names[index] = name;
        announced.push([...names]);
      },
    });
    await session.send('Go', [], connectionWith(setup(new FakeRunner())));
    assert.deepEqual(announced, [['read_'], ['read_file'], ['read_file', 'list_files']]);
  });

  it('announces N streamed calls in O(N) events, each naming one call, however many pieces their arguments take', async () => {
    const count = 200;
    const deltas: ChatStreamEvent[] = [];
    const calls: ToolCall[] = [];
    for (let index = 0; index < count; index++) {
      // A name split in two pieces, then arguments in ten.
      deltas.push({ type: 'toolCallDelta', index, id: `call_${index}`, name: 'list_' }, { type: 'toolCallDelta', index, name: 'files' });
      for (let piece = 0; piece < 10; piece++) deltas.push({ type: 'toolCallDelta', index, argumentsDelta: piece === 0 ? '{"glob":"' : piece === 9 ? '"}' : 'x' });
      calls.push(call(`call_${index}`, 'list_files', { glob: 'xxxxxxxx' }));
    }
    const gateway = scriptedGateway([[...deltas, ...toolCallsAnswer(...calls)], textAnswer('ok')]);
    const session = new ChatSession(gateway.fn);
    const events: Array<{ index: number; name: string }> = [];
    session.subscribe({ toolCallPreparing: (_turn, index, name) => events.push({ index, name }) });
    await session.send('Go', [], connectionWith(setup(new FakeRunner(), { maxRounds: 1 })));

    assert.equal(events.length, 2 * count, 'one event per name piece: linear in the number of calls');
    assert.deepEqual(events.slice(0, 4), [
      { index: 0, name: 'list_' },
      { index: 0, name: 'list_files' },
      { index: 1, name: 'list_' },
      { index: 1, name: 'list_files' },
    ]);
  });

  it('stops at the round limit: the last request says tool_choice "none", and a model that still calls tools gets no more', async () => {
    let n = 0;
    const gateway = scriptedGateway([() => toolCallsAnswer(call(`call_${++n}`, 'list_files', { glob: '*' }))]);
    const runner = new FakeRunner();
    const session = new ChatSession(gateway.fn);
    const final = await session.send('Loop forever', [], connectionWith(setup(runner, { maxRounds: 3 })));

    assert.equal(gateway.requests.length, 4, 'three rounds with tools, then one that must answer');
    assert.deepEqual(gateway.requests.map((request) => request.tool_choice), ['auto', undefined, undefined, 'none']);
    assert.equal(runner.ran.length, 3);
    assert.equal(final.toolRoundLimit, 3);
    assert.equal(final.state, 'error');
    assert.equal(session.streaming, false);
  });

  it('ends the loop when the model answers in text on the last allowed round', async () => {
    const gateway = scriptedGateway([
      toolCallsAnswer(call('call_1', 'list_files', { glob: '*' })),
      (request) => (request.tool_choice === 'none' ? textAnswer('Done without tools.') : toolCallsAnswer(call('call_x', 'list_files', { glob: '*' }))),
    ]);
    const session = new ChatSession(gateway.fn);
    const final = await session.send('Go', [], connectionWith(setup(new FakeRunner(), { maxRounds: 1 })));
    assert.equal(final.text, 'Done without tools.');
    assert.equal(final.state, 'done');
    assert.equal(final.toolRoundLimit, undefined);
  });

  it('applies "required" to the first request only, so the model can finish afterwards', async () => {
    const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'get_selection', {})), textAnswer('ok')]);
    const session = new ChatSession(gateway.fn);
    await session.send('Go', [], connectionWith(setup(new FakeRunner(), { choice: 'required' })));
    assert.deepEqual(gateway.requests.map((request) => request.tool_choice), ['required', undefined]);
  });

  it('sends no tools and no tool_choice when tools are off', async () => {
    const gateway = scriptedGateway([textAnswer('plain')]);
    await new ChatSession(gateway.fn).send('Hi', [], connectionWith(undefined));
    assert.equal('tools' in gateway.requests[0]!, false);
    assert.equal('tool_choice' in gateway.requests[0]!, false);
  });

  it('turns a tool that throws into an error result for the model instead of a crash', async () => {
    const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'search_text', { query: 'x' })), textAnswer('recovered')]);
    const runner = new FakeRunner({
      search_text: () => {
        throw new Error('disk on fire');
      },
    });
    const session = new ChatSession(gateway.fn);
    const final = await session.send('Search', [], connectionWith(setup(runner)));
    assert.equal(final.text, 'recovered');
    const tool = session.turns.find((turn): turn is ToolTurn => turn.role === 'tool');
    assert.equal(tool?.state, 'error');
    assert.equal(gateway.requests[1]!.messages.at(-1)?.content, 'The tool failed: disk on fire');
  });

  it('Stop while a tool runs: that call and the rest are cancelled, no further request is made', async () => {
    const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'search_text', { query: 'x' }), call('call_2', 'read_file', { path: 'a' })), textAnswer('never')]);
    const runner = new FakeRunner();
    runner.gate = new Promise(() => undefined);
    const session = new ChatSession(gateway.fn);
    const running = new Promise<void>((resolve) => (runner.onRun = resolve));
    const done = session.send('Search', [], connectionWith(setup(runner)));
    await running;
    session.stop();
    const final = await done;

    assert.equal(gateway.requests.length, 1);
    assert.equal(final.state, 'stopped');
    const tools = session.turns.filter((turn): turn is ToolTurn => turn.role === 'tool');
    assert.deepEqual(tools.map((turn) => [turn.callId, turn.state, turn.text]), [
      ['call_1', 'cancelled', CANCELLED_RESULT],
      ['call_2', 'cancelled', CANCELLED_RESULT],
    ]);
    assert.equal(runner.ran.length, 1, 'the second call never ran');
    assert.equal(session.streaming, false);
  });

  it('asks before a writing tool runs: Deny sends a refusal, Allow runs it', async () => {
    for (const approved of [false, true]) {
      const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'propose_edit', { path: 'a.ts', start_line: 1, end_line: 1, new_text: 'x' })), textAnswer('ok')]);
      const runner = new FakeRunner({ propose_edit: { text: 'The user accepted the edit.' } });
      const session = new ChatSession(gateway.fn);
      const states: string[] = [];
      session.subscribe({ toolUpdated: (turn) => states.push(turn.state) });
      const done = session.send('Edit', [], connectionWith(setup(runner)));
      await when(session, () => states.includes('awaitingApproval'));
      assert.equal(runner.ran.length, 0, 'nothing runs before the user answers');
      const waiting = session.turns.find((turn): turn is ToolTurn => turn.role === 'tool');
      session.resolveApproval(waiting?.id ?? '', approved);
      await done;
      const sent = gateway.requests[1]!.messages.at(-1);
      if (approved) {
        assert.deepEqual(states, ['awaitingApproval', 'running', 'done']);
        assert.equal(sent?.content, 'The user accepted the edit.');
        assert.equal(runner.ran.length, 1);
      } else {
        assert.deepEqual(states, ['awaitingApproval', 'denied']);
        assert.equal(sent?.content, DENIED_RESULT);
        assert.equal(runner.ran.length, 0);
      }
    }
  });

  it('Stop while waiting for approval cancels the call', async () => {
    const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'propose_edit', { path: 'a.ts', start_line: 1, end_line: 1, new_text: 'x' })), textAnswer('never')]);
    const runner = new FakeRunner();
    const session = new ChatSession(gateway.fn);
    const done = session.send('Edit', [], connectionWith(setup(runner)));
    await when(session, () => session.turns.some((turn) => turn.role === 'tool' && turn.state === 'awaitingApproval'));
    session.stop();
    await done;
    const tool = session.turns.find((turn): turn is ToolTurn => turn.role === 'tool');
    assert.equal(tool?.state, 'cancelled');
    assert.equal(runner.ran.length, 0);
    assert.equal(gateway.requests.length, 1);
  });

  it('Regenerate drops the answer with its tool calls and results', async () => {
    const gateway = scriptedGateway([toolCallsAnswer(call('call_1', 'get_selection', {})), textAnswer('first'), textAnswer('second')]);
    const session = new ChatSession(gateway.fn);
    const connection = connectionWith(setup(new FakeRunner(), { maxRounds: 1 }));
    await session.send('Go', [], connection);
    const removed: string[] = [];
    session.subscribe({ turnRemoved: (turn) => removed.push(turn.role) });
    const again = await session.retry(connection);
    assert.deepEqual(removed, ['assistant', 'tool', 'assistant']);
    assert.equal(again?.text, 'second');
    assert.deepEqual(session.turns.map((turn) => turn.role), ['user', 'assistant']);
  });

  it('asks again without tools when the gateway rejects them', async () => {
    const gateway = scriptedGateway([
      [{ type: 'error', error: { kind: 'badRequest', status: 400, message: 'This model does not support tools' } }],
      textAnswer('plain answer'),
    ]);
    const session = new ChatSession(gateway.fn);
    const rejected: string[] = [];
    session.subscribe({ featureRejected: (feature) => rejected.push(feature) });
    const final = await session.send('Hi', [], connectionWith(setup(new FakeRunner())));
    assert.deepEqual(rejected, ['tools'], 'the host hears of it, to stop offering tools to that gateway');
    assert.equal(final.state, 'done');
    assert.equal(final.text, 'plain answer');
    assert.ok(gateway.requests[0]!.tools);
    assert.equal(gateway.requests[1]!.tools, undefined);
    assert.equal(gateway.requests[1]!.tool_choice, undefined);
  });
});

describe('ChatSession JSON answers', () => {
  const plan = JSON.stringify({ framework: 'mocha', tests: [{ name: 'a', kind: 'unit', given: 'x', expect: 'y' }] });

  it('checks a JSON answer against the schema it asked for', async () => {
    const gateway = scriptedGateway([textAnswer(plan)]);
    const final = await new ChatSession(gateway.fn).send('Plan', [], connectionWith(undefined, { parameters: { response_format: TEST_PLAN_FORMAT } }));
    assert.deepEqual(gateway.requests[0]!.response_format, TEST_PLAN_FORMAT);
    assert.deepEqual(final.json, { valid: true });
  });

  it('marks an answer that breaks the schema as invalid, saying where', async () => {
    const gateway = scriptedGateway([textAnswer('{"framework":"mocha","tests":[{"name":"a"}]}')]);
    const final = await new ChatSession(gateway.fn).send('Plan', [], connectionWith(undefined, { parameters: { response_format: TEST_PLAN_FORMAT } }));
    assert.equal(final.json?.valid, false);
    assert.match(final.json.problem ?? '', /tests\/0/);
  });

  it('falls back to a prompt instruction when the gateway rejects response_format, then validates', async () => {
    const gateway = scriptedGateway([
      [{ type: 'error', error: { kind: 'badRequest', status: 400, message: 'response_format is not supported for this model' } }],
      textAnswer('```json\n' + plan + '\n```'),
    ]);
    const final = await new ChatSession(gateway.fn).send('Plan', [], connectionWith(undefined, { parameters: { response_format: TEST_PLAN_FORMAT } }));
    assert.equal(gateway.requests.length, 2);
    assert.equal(gateway.requests[1]!.response_format, undefined);
    const system = gateway.requests[1]!.messages[0]!;
    assert.equal(system.role, 'system');
    assert.ok(typeof system.content === 'string', 'the system prompt is plain text');
    assert.match(system.content, /single JSON value[\s\S]*"framework"/);
    assert.deepEqual(final.json, { viaPrompt: true, valid: true });
    assert.equal(final.state, 'done');
  });

  it('does not retry a 400 that is about something else', async () => {
    const gateway = scriptedGateway([[{ type: 'error', error: { kind: 'badRequest', status: 400, message: 'max_tokens is too large' } }]]);
    const final = await new ChatSession(gateway.fn).send('Plan', [], connectionWith(undefined, { parameters: { response_format: TEST_PLAN_FORMAT } }));
    assert.equal(gateway.requests.length, 1);
    assert.equal(final.state, 'error');
  });
});
