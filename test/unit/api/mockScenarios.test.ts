// Every wire quirk of product.md §1, served by the mock gateway and read by streamChat. Each case
// first checks that the mock really sends the quirk, so a tidied-up mock cannot hide a broken client.

import assert from 'node:assert/strict';
import { streamChat } from '../../../src/api/chatClient';
import { StreamOptionsSupport } from '../../../src/api/streamOptions';
import type { ChatRequest, StreamEvent, ToolCallDelta } from '../../../src/api/types';
import { MOCK_ANSWER, MOCK_REASONING, MOCK_TOOL_CALLS } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { collect, textOf, useMockGateway } from '../../fixtures/streamEvents';

const reasoningOf = (events: StreamEvent[]): string => events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('');
const typesOf = (events: StreamEvent[]): string[] => events.map((e) => e.type);

describe('mock gateway scenarios through streamChat', () => {
  let gateway: MockGateway;
  useMockGateway({ chunkDelayMs: 1 }, (started) => (gateway = started));

  const request = (text: string): ChatRequest => ({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: text }] });
  const stream = (chat: ChatRequest): AsyncGenerator<StreamEvent> =>
    streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request: chat, streamOptionsSupport: new StreamOptionsSupport() });

  /** The bytes the mock sends for `marker`, read without any SSE parsing. */
  async function rawBody(marker: string): Promise<string> {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${gateway.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...request(marker), stream: true, stream_options: { include_usage: true } }),
    });
    return response.text();
  }

  const quirks: Array<{ marker: string; proof: RegExp }> = [
    { marker: '[keepalive]', proof: /^: keep-alive\n\n:\n\ndata: \{/ },
    { marker: '[nospace]', proof: /^data:\{"id"/ },
    { marker: '[crlf]', proof: /^data: \{[^\n]*\}\r\n\r\n/ },
    { marker: '[multiline]', proof: /^data: \{\ndata: {2}"id": "chatcmpl-mock",\n/ },
  ];
  for (const { marker, proof } of quirks) {
    it(`${marker}: the whole answer, then finish and usage, no error`, async () => {
      assert.match(await rawBody(marker), proof);
      const events = await collect(stream(request(`Hi ${marker}`)));
      assert.equal(textOf(events), MOCK_ANSWER);
      assert.deepEqual(typesOf(events).slice(-2), ['finish', 'usage']);
      assert.deepEqual(events.at(-2), { type: 'finish', reason: 'stop' });
      assert.ok(!typesOf(events).includes('error'));
    });
  }

  it('the usage chunk with `choices: []` becomes one usage event with the counts', async () => {
    const raw = await rawBody('Hi');
    const usageLine = raw.split('\n\n').find((event) => event.includes('"choices":[]'));
    assert.ok(usageLine, 'the mock sends a usage chunk with choices: []');
    const expected = (JSON.parse(usageLine.slice('data: '.length)) as { usage: unknown }).usage;
    const events = await collect(stream(request('Hi')));
    assert.deepEqual(events.filter((e) => e.type === 'usage'), [{ type: 'usage', usage: expected }]);
  });

  describe('[tools]', () => {
    it('streams interleaved tool-call deltas: id and name first, arguments in many pieces', async () => {
      const events = await collect(stream(request('What is the weather? [tools]')));
      const deltas = events.filter((e): e is ToolCallDelta => e.type === 'toolCallDelta');
      assert.ok(deltas.length >= 10, `expected many pieces, got ${deltas.length}`);
      // Interleaved: the index goes back and forth, not one call after the other.
      const switches = deltas.filter((d, i) => i > 0 && d.index !== deltas[i - 1]?.index).length;
      assert.ok(switches >= 4, `expected interleaved calls, got ${switches} switches`);
      MOCK_TOOL_CALLS.forEach((call, index) => {
        const own = deltas.filter((d) => d.index === index);
        assert.deepEqual(own[0], { type: 'toolCallDelta', index, id: call.id, name: call.function.name });
        assert.ok(own.slice(1).every((d) => d.id === undefined && d.name === undefined));
        assert.equal(own.map((d) => d.argumentsDelta ?? '').join(''), call.function.arguments);
        assert.ok(own.length > 3, 'arguments spread over several chunks');
      });
      assert.equal(textOf(events), '');
    });

    it('emits the complete calls once, in index order, just before finish "tool_calls"', async () => {
      const events = await collect(stream(request('[tools]')));
      const complete = events.filter((e) => e.type === 'toolCalls');
      assert.equal(complete.length, 1);
      assert.deepEqual(complete[0], { type: 'toolCalls', calls: MOCK_TOOL_CALLS });
      assert.deepEqual(typesOf(events).slice(-3), ['toolCalls', 'finish', 'usage']);
      assert.deepEqual(events.at(-2), { type: 'finish', reason: 'tool_calls' });
      for (const call of MOCK_TOOL_CALLS) assert.doesNotThrow(() => JSON.parse(call.function.arguments));
    });

    it('answers in text once the tool results come back', async () => {
      const chat: ChatRequest = {
        model: 'openai/gpt-4o',
        messages: [
          { role: 'user', content: 'What is the weather? [tools]' },
          { role: 'assistant', content: null, tool_calls: [...MOCK_TOOL_CALLS] },
          { role: 'tool', tool_call_id: 'call_weather_paris', content: '21 °C' },
          { role: 'tool', tool_call_id: 'call_read_file', content: 'export function activate() {}' },
        ],
      };
      const events = await collect(stream(chat));
      assert.equal(textOf(events), 'The tools answered: call_weather_paris=21 °C; call_read_file=export function activate() {}');
      assert.ok(!typesOf(events).includes('toolCalls'));
    });
  });

  for (const marker of ['[reasoning]', '[reasoning-field]']) {
    it(`${marker}: reasoning events first, then the answer as text, never mixed`, async () => {
      const raw = await rawBody(marker);
      assert.ok(raw.includes(marker === '[reasoning]' ? '"reasoning_content":' : '"reasoning":'));
      const events = await collect(stream(request(`Why? ${marker}`)));
      assert.equal(reasoningOf(events), MOCK_REASONING);
      assert.equal(textOf(events), MOCK_ANSWER);
      const lastReasoning = typesOf(events).lastIndexOf('reasoning');
      const firstText = typesOf(events).indexOf('text');
      assert.ok(lastReasoning < firstText);
    });
  }

  it('[midstream-error]: the text so far, then the gateway’s error, and no tool calls or finish', async () => {
    const events = await collect(stream(request('[midstream-error]')));
    assert.equal(textOf(events), 'The quick brown ');
    assert.deepEqual(events.at(-1), { type: 'error', error: { kind: 'stream', message: 'Upstream model overloaded' } });
    assert.deepEqual(typesOf(events).filter((t) => t !== 'text'), ['error']);
  });

  it('[nodone]: closing without [DONE] is a clean end with the whole text', async () => {
    const raw = await rawBody('[nodone]');
    assert.ok(!raw.includes('[DONE]'));
    const events = await collect(stream(request('[nodone]')));
    assert.equal(textOf(events), MOCK_ANSWER);
    assert.ok(!typesOf(events).includes('error'));
  });
});
