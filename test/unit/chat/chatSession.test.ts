import { strict as assert } from 'node:assert';
import type { ChatRequest, ChatStreamEvent } from '../../../src/api/types';
import { ChatSession } from '../../../src/chat/chatSession';
import type { Connection, StreamFn } from '../../../src/chat/request';
import type { AssistantTurn } from '../../../src/chat/conversation';

const connection: Connection = { baseUrl: 'http://gateway.test/v1', apiKey: 'sk-test-secret-1234', model: 'openai/gpt-4o' };

/** A stream the test drives by hand: push events, end, and see whether the session aborted. */
class ScriptedStream {
  readonly requests: ChatRequest[] = [];
  signal: AbortSignal | undefined;
  private queue: ChatStreamEvent[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  readonly fn: StreamFn = (options) => {
    this.requests.push(options.request);
    this.signal = options.signal;
    this.ended = false;
    options.signal.addEventListener('abort', () => this.wake?.());
    return this.events(options.signal);
  };

  push(...events: ChatStreamEvent[]): void {
    this.queue.push(...events);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  private async *events(signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    for (;;) {
      if (signal.aborted) {
        return; // the real client ends quietly on abort
      }
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) {
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

describe('ChatSession', () => {
  it('streams deltas in order into one assistant turn and records finish and usage', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const deltas: string[] = [];
    session.subscribe({ textDelta: (_turn, text) => deltas.push(text) });
    const done = session.send('Hello?', [], connection);
    stream.push({ type: 'text', text: 'Hel' }, { type: 'text', text: 'lo!' }, { type: 'finish', reason: 'stop' });
    stream.push({ type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
    stream.end();
    const turn = await done;
    assert.deepEqual(deltas, ['Hel', 'lo!']);
    assert.equal(turn.text, 'Hello!');
    assert.equal(turn.state, 'done');
    assert.equal(turn.finishReason, 'stop');
    assert.equal(turn.usage?.total_tokens, 5);
    assert.equal(session.streaming, false);
  });

  it('sends the system prompt, history and the new question, with stream true', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const first = session.send('First', [], connection);
    stream.push({ type: 'text', text: 'One' });
    stream.end();
    await first;
    const next = session.send('Second', [], connection);
    stream.end();
    await next;
    assert.equal(stream.requests.length, 2);
    const request = stream.requests[1]!;
    assert.equal(request.model, 'openai/gpt-4o');
    assert.equal(request.stream, true);
    assert.deepEqual(
      request.messages.map((message) => [message.role, message.content]),
      [
        ['system', request.messages[0]!.content],
        ['user', 'First'],
        ['assistant', 'One'],
        ['user', 'Second'],
      ],
    );
  });

  it('stop aborts the request and keeps the partial answer as stopped', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const streamingStates: boolean[] = [];
    session.subscribe({ streamingChanged: (streaming) => streamingStates.push(streaming) });
    const done = session.send('Tell me a long story', [], connection);
    stream.push({ type: 'text', text: 'Once upon' });
    await new Promise((resolve) => setImmediate(resolve));
    session.stop();
    const turn = await done;
    assert.equal(stream.signal?.aborted, true);
    assert.equal(turn.state, 'stopped');
    assert.equal(turn.text, 'Once upon');
    assert.deepEqual(streamingStates, [true, false]);
  });

  it('an error event keeps the partial text, marks the turn and redacts the key from the message', async () => {
    const stream = new ScriptedStream();
    const logged: string[] = [];
    const session = new ChatSession(stream.fn, { info: () => undefined, failure: (error) => logged.push(error.message) });
    const done = session.send('Hi', [], connection);
    stream.push(
      { type: 'text', text: 'Partial' },
      { type: 'error', error: { kind: 'auth', status: 401, message: `Incorrect API key provided: ${connection.apiKey}` } },
    );
    const turn = await done;
    assert.equal(turn.state, 'error');
    assert.equal(turn.text, 'Partial');
    assert.equal(turn.error?.kind, 'auth');
    assert.ok(!turn.error.message.includes(connection.apiKey!), turn.error.message);
    assert.match(turn.error.message, /sk-…1234/);
    assert.ok(logged.every((line) => !line.includes(connection.apiKey!)));
  });

  it('retry replaces the failed answer and asks again with the same question', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const removed: string[] = [];
    session.subscribe({ turnRemoved: (turn) => removed.push(turn.id) });
    const failed = session.send('Again?', [], connection);
    stream.push({ type: 'error', error: { kind: 'server', status: 502, message: 'Bad gateway' } });
    const failedTurn = await failed;
    const retried = session.retry(connection);
    stream.push({ type: 'text', text: 'Yes' });
    stream.end();
    const turn = (await retried) as AssistantTurn;
    assert.deepEqual(removed, [failedTurn.id]);
    assert.equal(turn.text, 'Yes');
    assert.deepEqual(
      session.turns.map((t) => t.role),
      ['user', 'assistant'],
    );
    assert.deepEqual(
      stream.requests[1]!.messages.slice(1).map((message) => message.content),
      ['Again?'],
    );
  });

  it('a new question while streaming stops the previous answer first', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const first = session.send('one', [], connection);
    stream.push({ type: 'text', text: 'partial' });
    await new Promise((resolve) => setImmediate(resolve));
    const firstSignal = stream.signal;
    const second = session.send('two', [], connection);
    assert.equal(firstSignal?.aborted, true);
    assert.equal((await first).state, 'stopped');
    stream.end();
    assert.equal((await second).state, 'done');
  });

  it('shows a retry wait, lets "Retry now" cut it short, and clears it when the answer flows', async () => {
    const stream = new ScriptedStream();
    const session = new ChatSession(stream.fn);
    const statuses: (number | undefined)[] = [];
    session.subscribe({ retryStatusChanged: (turn) => statuses.push(turn.retry?.delayMs) });
    let retriedNow = 0;
    const done = session.send('busy?', [], connection);
    stream.push({
      type: 'retrying',
      attempt: 2,
      maxAttempts: 3,
      delayMs: 5000,
      error: { kind: 'rateLimited', status: 429, message: `slow down ${connection.apiKey}`, retryAfterSeconds: 5 },
      retryNow: () => retriedNow++,
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(session.turns[1]?.role, 'assistant');
    const waiting = session.turns[1];
    assert.equal(waiting.retry?.attempt, 2);
    assert.ok(!waiting.retry.error.message.includes(connection.apiKey!), 'the key is masked in the retry reason');
    session.retryNow();
    assert.equal(retriedNow, 1);
    stream.push({ type: 'text', text: 'Ready' });
    stream.end();
    const turn = await done;
    assert.equal(turn.retry, undefined);
    assert.deepEqual(statuses, [5000, undefined]);
    session.retryNow(); // nothing is waiting any more
    assert.equal(retriedNow, 1);
  });

  it('records which fallback model answered, the reasoning apart from the text, and time to first token', async () => {
    const stream = new ScriptedStream();
    let clock = 1000;
    const session = new ChatSession(stream.fn, undefined, () => clock);
    const models: string[] = [];
    session.subscribe({ modelChanged: (turn) => models.push(turn.model) });
    const done = session.send('who?', [], connection);
    clock = 1250;
    stream.push({ type: 'model', model: 'google/gemini-3-flash-preview' }, { type: 'reasoning', text: 'Thinking' }, { type: 'text', text: 'Me' });
    stream.end();
    const turn = await done;
    assert.deepEqual(models, ['google/gemini-3-flash-preview']);
    assert.equal(turn.model, 'google/gemini-3-flash-preview');
    assert.equal(turn.fallback, true);
    assert.equal(turn.reasoning, 'Thinking');
    assert.equal(turn.text, 'Me');
    assert.equal(turn.firstTokenMs, 250);
  });

  it('times the reasoning (first reasoning to first answer text) and keeps it for gateways that want it back', async () => {
    const stream = new ScriptedStream();
    let clock = 0;
    const session = new ChatSession(stream.fn, undefined, () => clock);
    const done = session.send('why?', [], connection);
    clock = 100;
    stream.push({ type: 'reasoning', text: 'Let me ' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock = 2600;
    stream.push({ type: 'reasoning', text: 'think.' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock = 3100;
    stream.push({ type: 'text', text: 'Because.' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    clock = 9000;
    stream.end();
    const turn = await done;
    assert.equal(turn.reasoningMs, 3000);

    const next = session.send('and?', [], connection);
    stream.end();
    await next;
    const assistant = stream.requests[1]?.messages.find((message) => message.role === 'assistant');
    assert.deepEqual(assistant, { role: 'assistant', content: 'Because.', reasoning_content: 'Let me think.' });
  });

  it('sends the request parameters, headers, extraBody and policy of the connection, and remembers the last request', async () => {
    const received: Parameters<StreamFn>[0][] = [];
    const session = new ChatSession((options) => {
      received.push(options);
      return (async function* () {})();
    });
    await session.send('params', [], {
      ...connection,
      headers: { 'X-Title': 'Fox Chat' },
      parameters: { temperature: 0.2, provider: { order: ['a'] } },
      extraBody: { seed: 1 },
      fallbackModels: ['b'],
      policy: { maxRetries: 1 },
    });
    const [options] = received;
    assert.equal(options?.request.temperature, 0.2);
    assert.deepEqual(options.request.provider, { order: ['a'] });
    assert.equal(options.request.model, 'openai/gpt-4o');
    assert.deepEqual(options.extraBody, { seed: 1 });
    assert.deepEqual(options.headers, { 'X-Title': 'Fox Chat' });
    assert.deepEqual(options.fallbackModels, ['b']);
    assert.deepEqual(options.policy, { maxRetries: 1 });
  });
});
