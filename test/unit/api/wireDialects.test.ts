// The response dialects of issue 13, one case each: where the corpus (test/fixtures/wire) holds a
// recording of it, the case replays that file; otherwise it replays a small stream written here
// in the shape the provider documents (marked "constructed").

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamWithRecovery } from '../../../src/api/resilientStream';
import type { ChatRequest } from '../../../src/api/types';
import { ChatSession } from '../../../src/chat/chatSession';
import type { ToolTurn } from '../../../src/chat/conversation';
import type { StreamFn } from '../../../src/chat/request';
import type { ToolRunner } from '../../../src/chat/toolRunner';
import { parseToolCall } from '../../../src/tools/toolArguments';
import { toolDefinitions } from '../../../src/tools/toolDefinitions';
import { replay } from './wireReplay';
import type { ReplayedAnswer } from './wireReplay';

const WIRE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'wire');

/** A corpus file as the gateway sent it (chunks files framed as the SSE events their lines were). */
function recorded(file: string): Buffer {
  const bytes = readFileSync(join(WIRE, file));
  if (!file.endsWith('.chunks.txt')) return bytes;
  const lines = bytes.toString('utf8').split('\n').filter((line) => line.trim() !== '');
  return Buffer.from(lines.map((line) => `data: ${line}\n\n`).join(''), 'utf8');
}

function replayFile(file: string, status = 200, contentType = 'text/event-stream'): Promise<ReplayedAnswer> {
  return replay({ status, contentType, pieces: [recorded(file)] });
}

/** Constructed: an SSE body from raw lines (each string is one event, framing included as given). */
function replaySse(...events: string[]): Promise<ReplayedAnswer> {
  return replay({ status: 200, contentType: 'text/event-stream', pieces: [Buffer.from(events.join(''), 'utf8')] });
}

const data = (payload: unknown): string => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
const delta = (fields: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): unknown => ({
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: fields, finish_reason: finish, ...extra }],
});

describe('wire dialects', () => {
  describe('comment lines', () => {
    it('recorded: OpenRouter sends ": OPENROUTER PROCESSING" comments before the first event', async () => {
      const answer = await replayFile('openrouter-stream-error.sse');
      assert.equal(answer.reasoning, 'We need to respond to a greeting. The user');
    });

    it('constructed: comments between events and between the lines of one event change nothing', async () => {
      const answer = await replaySse(
        ': keep-alive\n\n',
        data(delta({ content: 'Hel' })),
        `: ping\n${data(delta({ content: 'lo' }))}`,
        `data: ${JSON.stringify(delta({}, 'stop'))}\n: trailing comment\n\n`,
        data('[DONE]'),
      );
      assert.equal(answer.text, 'Hello');
      assert.equal(answer.finishReason, 'stop');
      assert.equal(answer.error, undefined);
    });
  });

  describe('errors inside a 200 stream', () => {
    it('recorded: Groq ends with an `event: error` frame (tool_use_failed) after the reasoning', async () => {
      const answer = await replayFile('groq-tool-use-failed.sse');
      assert.equal(answer.error?.kind, 'stream');
      assert.match(answer.error.message, /^Tool call validation failed/);
      assert.ok(answer.reasoning.length > 0, 'the reasoning so far stays');
    });

    it('constructed: an `event: error` frame whose data is not JSON still ends the answer with its text', async () => {
      const answer = await replaySse(data(delta({ content: 'Hi' })), 'event: error\ndata: upstream overloaded\n\n', data(delta({ content: ' never' })));
      assert.equal(answer.text, 'Hi');
      assert.deepEqual(answer.error, { kind: 'stream', message: 'upstream overloaded' });
      assert.equal(answer.events.at(-1)?.type, 'error');
    });

    it('constructed: a bare {"error": …} chunk', async () => {
      const answer = await replaySse(data(delta({ content: 'Par' })), data({ error: { message: 'Internal server error', code: 502 } }));
      assert.equal(answer.text, 'Par');
      assert.deepEqual(answer.error, { kind: 'stream', message: 'Internal server error' });
    });

    it('recorded: OpenRouter puts `error` next to `choices` (and usage) after finish_reason "length"', async () => {
      const answer = await replayFile('openrouter-stream-error.sse');
      assert.equal(answer.finishReason, 'length');
      assert.deepEqual(answer.error, { kind: 'stream', message: 'Token limit reached' });
    });

    it('constructed: an error chunk that is a JSON array (Gemini wraps errors in one)', async () => {
      const answer = await replaySse(data([{ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }]));
      assert.deepEqual(answer.error, { kind: 'stream', message: 'Resource has been exhausted' });
    });
  });

  describe('choices: [] chunks', () => {
    it('recorded: Azure prompt_filter_results first, usage last, both without choices', async () => {
      const answer = await replayFile('azure-openai-model-router.chunks.txt');
      assert.equal(answer.text, 'Capital of Denmark.');
      assert.deepEqual(answer.usage, { prompt_tokens: 15, completion_tokens: 78, total_tokens: 93, reasoning_tokens: 64, cached_tokens: 0 });
    });

    it('recorded: OpenAI moderation after the usage chunk, with usage null, keeps the usage', async () => {
      const answer = await replayFile('openai-moderation.sse');
      assert.equal(answer.text, 'Paris.');
      assert.deepEqual(answer.usage, { prompt_tokens: 13, completion_tokens: 11, total_tokens: 24, reasoning_tokens: 0, cached_tokens: 0 });
    });
  });

  describe('Azure content filter', () => {
    const safe = { hate: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };

    it('constructed: a verdict after finish_reason tells the user the answer was filtered; the text so far stays', async () => {
      const answer = await replaySse(
        data(delta({ content: 'Step one: ' }, null, { content_filter_results: safe })),
        data(delta({}, 'stop', { content_filter_results: {} })),
        data({
          choices: [{ index: 0, delta: {}, finish_reason: null, content_filter_results: { ...safe, violence: { filtered: true, severity: 'medium' } }, content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 10 } }],
        }),
        data('[DONE]'),
      );
      assert.equal(answer.text, 'Step one: ');
      assert.deepEqual(answer.error, { kind: 'contentFilter', message: 'violence' });
      assert.equal(answer.events.at(-1)?.type, 'error');
    });

    it('constructed: finish_reason "content_filter" with the categories on the same choice', async () => {
      const answer = await replaySse(
        data(delta({ content: 'Sure' })),
        data(delta({}, 'content_filter', { content_filter_results: { hate: { filtered: true, severity: 'high' }, sexual: { filtered: true, severity: 'medium' } } })),
      );
      assert.equal(answer.finishReason, 'content_filter');
      assert.deepEqual(answer.error, { kind: 'contentFilter', message: 'hate, sexual' });
    });

    it('constructed: a filtered prompt in a choices: [] chunk', async () => {
      const answer = await replaySse(data({ choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: { jailbreak: { filtered: true, detected: true } } }] }));
      assert.deepEqual(answer.error, { kind: 'contentFilter', message: 'jailbreak' });
    });

    it('a contentFilter error is not retried (the same question would be filtered again)', async () => {
      const body = data(delta({}, 'content_filter'));
      let requests = 0;
      const fetchImpl: typeof fetch = () => {
        requests++;
        return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
      };
      const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi' }] };
      const events = [];
      for await (const event of streamWithRecovery({ baseUrl: 'https://gateway.test/v1', apiKey: 'k', request, fetchImpl, policy: {}, sleep: () => Promise.resolve() })) {
        events.push(event);
      }
      assert.equal(requests, 1);
      assert.equal(events.filter((event) => event.type === 'retrying').length, 0);
    });
  });

  describe('finish_reason', () => {
    it('recorded: repeated (OpenRouter sends "length" twice) — the answer finishes once as "length"', async () => {
      const answer = await replayFile('openrouter-stream-error.sse');
      assert.deepEqual(answer.events.flatMap((event) => (event.type === 'finish' ? [event.reason] : [])), ['length', 'length']);
      assert.equal(answer.finishReason, 'length');
    });

    it('constructed: repeated after tool calls, the calls are delivered whole, not forgotten by the second finish', async () => {
      const answer = await replaySse(
        data(delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }] })),
        data(delta({}, 'tool_calls')),
        data(delta({}, 'tool_calls')),
      );
      assert.deepEqual(answer.toolCalls, [{ id: 'call_a', name: 'read_file', arguments: '{"path":"a"}' }]);
    });

    it('constructed: missing — a stream that closes without finish_reason or [DONE] still completes its tool calls', async () => {
      const answer = await replaySse(data(delta({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'list_files', arguments: '' } }] })));
      assert.equal(answer.finishReason, undefined);
      assert.deepEqual(answer.toolCalls, [{ id: 'call_a', name: 'list_files', arguments: '{}' }]);
    });

    it('constructed: "stop" after a forced tool call still hands over the call', async () => {
      const answer = await replaySse(
        data(delta({ tool_calls: [{ index: 0, id: 'call_f', type: 'function', function: { name: 'search_text', arguments: '{"query":"x"}' } }] })),
        data(delta({}, 'stop')),
        data('[DONE]'),
      );
      assert.equal(answer.finishReason, 'stop');
      assert.deepEqual(answer.toolCalls, [{ id: 'call_f', name: 'search_text', arguments: '{"query":"x"}' }]);
    });
  });

  it('recorded: text and a tool call in one answer (Anthropic compatibility endpoint)', async () => {
    const answer = await replayFile('anthropic-compat-tool-call.sse');
    assert.equal(answer.text, 'Reading it.');
    assert.deepEqual(answer.toolCalls?.map((call) => call.name), ['read_file']);
  });

  it('recorded: content as an array of parts, Mistral thinking parts as reasoning', async () => {
    const answer = await replayFile('mistral-reasoning.chunks.txt');
    assert.equal(answer.reasoning, 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.');
    assert.equal(answer.text, '2 + 2 = 4');
  });

  describe('reasoning field names', () => {
    it('recorded: reasoning_content (DeepSeek), reasoning (Groq), reasoning + reasoning_details (OpenRouter) without duplicates', async () => {
      assert.match((await replayFile('deepseek-reasoning.chunks.txt')).reasoning, /^We need to count/);
      assert.match((await replayFile('groq-tool-use-failed.sse')).reasoning, /^We need to call the tool/);
      assert.equal((await replayFile('openrouter-streaming-reasoning.sse')).reasoning, 'This is a simple arithmetic question. 2+2 equals 4.');
    });

    it('constructed: all three names in one chunk count once; reasoning_details alone counts', async () => {
      const answer = await replaySse(
        data(delta({ reasoning_content: 'A', reasoning: 'A', reasoning_details: [{ type: 'reasoning.text', text: 'A' }] })),
        data(delta({ reasoning_details: [{ type: 'reasoning.summary', summary: 'B' }, { type: 'reasoning.encrypted', data: 'xyz' }] })),
        data(delta({ content: 'C' }, 'stop')),
      );
      assert.equal(answer.reasoning, 'AB');
      assert.equal(answer.text, 'C');
    });
  });

  describe('tool call pieces', () => {
    it('recorded: without index (Mistral), indices from 1 (Anthropic), "id": "" (Qwen), "name": "" (Mistral), whole in one chunk (Groq), empty fragments (Qwen)', async () => {
      assert.deepEqual((await replayFile('mistral-tool-call.chunks.txt')).toolCalls, [{ id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
      assert.deepEqual((await replayFile('anthropic-compat-tool-call.sse')).toolCalls?.map((call) => call.arguments), ['{"path": "a.txt"}']);
      const qwen = await replayFile('alibaba-tool-call.chunks.txt');
      assert.deepEqual(qwen.toolCalls, [{ id: 'call_eee11723464a4b9eb8cee71d', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
      assert.equal(qwen.events.filter((event) => event.type === 'toolCallDelta').length, 3, 'the empty closing fragment is no piece');
      assert.deepEqual((await replayFile('mistral-incremental-tool-call.chunks.txt')).toolCalls?.map((call) => call.name), ['webSearchTool']);
      assert.deepEqual((await replayFile('groq-tool-call.chunks.txt')).toolCalls, [{ id: 'tk85n1k4m', name: 'weather', arguments: '{}' }]);
    });

    it('constructed: two calls without index, told apart by their ids, continuations without id', async () => {
      const answer = await replaySse(
        data(delta({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }] })),
        data(delta({ tool_calls: [{ function: { arguments: '"a"}' } }] })),
        data(delta({ tool_calls: [{ id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b"}' } }] })),
        data(delta({}, 'tool_calls')),
      );
      assert.deepEqual(answer.toolCalls, [
        { id: 'c1', name: 'read_file', arguments: '{"path":"a"}' },
        { id: 'c2', name: 'read_file', arguments: '{"path":"b"}' },
      ]);
    });

    it('constructed: two calls that share an id get ids of their own', async () => {
      const answer = await replaySse(
        data(delta({ tool_calls: [{ index: 0, id: 'dup', function: { name: 'a', arguments: '{}' } }, { index: 1, id: 'dup', function: { name: 'b', arguments: '{}' } }] }, 'tool_calls')),
      );
      assert.deepEqual(answer.toolCalls?.map((call) => call.id), ['dup', 'dup_1']);
    });
  });

  describe('usage', () => {
    it('recorded: on every chunk (Perplexity) — the last one counts', async () => {
      const answer = await replayFile('perplexity-text.chunks.txt');
      assert.ok(answer.events.filter((event) => event.type === 'usage').length > 1);
      assert.deepEqual(answer.usage, { prompt_tokens: 11, completion_tokens: 434, total_tokens: 445 });
    });

    it('constructed: twice, on the finishing chunk and in a choices: [] chunk — the last one counts', async () => {
      const answer = await replaySse(
        data({ ...(delta({ content: 'x' }, 'stop') as object), usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }),
        data({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }),
      );
      assert.deepEqual(answer.usage, { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    });

    it('recorded: total_tokens that is not the sum is kept as sent (Gemini counts thinking, xAI reasoning)', async () => {
      const gemini = await replayFile('gemini-compat-tool-call.json', 200, 'application/json');
      assert.deepEqual(gemini.usage, { prompt_tokens: 35, completion_tokens: 12, total_tokens: 109 });
      assert.deepEqual((await replayFile('xai-text.chunks.txt')).usage, { prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, reasoning_tokens: 290, cached_tokens: 11 });
    });
  });

  describe('bodies that are not a stream', () => {
    it('constructed: an HTTP error body that is a JSON array (Gemini) gives its message', async () => {
      const body = JSON.stringify([{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }]);
      const answer = await replay({ status: 400, contentType: 'application/json', pieces: [Buffer.from(body)] });
      assert.deepEqual(answer.error, { kind: 'badRequest', status: 400, message: 'API key not valid. Please pass a valid API key.' });
    });

    it('recorded: a 200 application/json chat.completion answers a streamed request (Ollama)', async () => {
      const answer = await replayFile('ollama-cloud-reasoning.json', 200, 'application/json');
      assert.equal(answer.text, 'Paris.');
      assert.match(answer.reasoning, /^We need to answer question/);
      assert.equal(answer.finishReason, 'stop');
    });

    it('constructed: a 200 application/json error body ends the answer with its message', async () => {
      const answer = await replay({ status: 200, contentType: 'application/json', pieces: [Buffer.from('{"error":{"message":"model is loading"}}')] });
      assert.deepEqual(answer.error, { kind: 'stream', message: 'model is loading' });
    });
  });
});

describe('wire dialects: every tool call gets exactly one tool message', () => {
  it('recorded calls with "id": "" in two rounds, to a tool that does not exist: each answer keeps its own result', async () => {
    // Gemini's recorded answer calls get_current_time (not one of ours) with an empty id, twice.
    const bodies = ['gemini-compat-tool-call.json', 'gemini-compat-tool-call.json', 'mistral-text.chunks.txt'].map((file) => new Uint8Array(recorded(file)));
    const types = ['application/json', 'application/json', 'text/event-stream'];
    const requests: ChatRequest[] = [];
    const stream: StreamFn = (options) => {
      requests.push(JSON.parse(JSON.stringify(options.request)) as ChatRequest);
      const n = requests.length - 1;
      const fetchImpl: typeof fetch = () =>
        Promise.resolve(new Response(bodies[Math.min(n, 2)] ?? null, { status: 200, headers: { 'content-type': types[n] ?? 'text/event-stream' } }));
      return streamWithRecovery({ ...options, fetchImpl });
    };
    let run = 0;
    const runner: ToolRunner = {
      describe: (call) => ({ summary: call.function.name, needsApproval: false }),
      run: (call) => {
        run++;
        const parsed = parseToolCall(call.function.name, call.function.arguments, ['read_file']);
        return Promise.resolve(parsed.ok ? { text: 'ran' } : { text: `${parsed.error} (run ${run})`, state: 'error' });
      },
    };
    const session = new ChatSession(stream);
    const final = await session.send('What time is it?', [], {
      baseUrl: 'https://gateway.test/v1',
      apiKey: 'k',
      model: 'gemini-2.5-pro',
      tools: { definitions: toolDefinitions(['read_file']), choice: 'auto', maxRounds: 4, runner },
    });

    assert.equal(final.text, 'Hello, world! This is a test response.');
    assert.equal(requests.length, 3);
    const messages = requests[2]?.messages ?? [];
    const calls = messages.flatMap((message) => message.tool_calls ?? []);
    const results = messages.filter((message) => message.role === 'tool');
    assert.deepEqual(calls.map((call) => call.id), ['call_0', 'call_0']);
    assert.deepEqual(results.map((message) => message.tool_call_id), ['call_0', 'call_0']);
    // Each result follows its own call, and it is the result of that round's run.
    assert.deepEqual(
      messages.filter((message) => message.role === 'assistant' || message.role === 'tool').map((message) => message.role),
      ['assistant', 'tool', 'assistant', 'tool'],
    );
    const texts = results.map((message) => (typeof message.content === 'string' ? message.content : ''));
    assert.match(texts[0] ?? '', /^Unknown tool "get_current_time".*\(run 1\)$/);
    assert.match(texts[1] ?? '', /\(run 2\)$/);
    const toolTurns = session.turns.filter((turn): turn is ToolTurn => turn.role === 'tool');
    assert.deepEqual(toolTurns.map((turn) => turn.state), ['error', 'error']);
  });
});
