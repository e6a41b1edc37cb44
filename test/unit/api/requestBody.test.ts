import assert from 'node:assert/strict';
import { redactKey, redactSecret } from '../../../src/api/redact';
import { buildRequestBody, buildStreamBody } from '../../../src/api/requestBody';
import type { ChatRequest } from '../../../src/api/types';

describe('buildRequestBody', () => {
  const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Hi' }];
  const table: Array<{ name: string; request: ChatRequest; expected: Record<string, unknown> }> = [
    { name: 'minimal request', request: { model: 'm', messages }, expected: { model: 'm', messages } },
    {
      name: 'undefined fields are dropped',
      request: { model: 'm', messages, temperature: undefined, top_p: undefined, tools: undefined, max_tokens: 50 },
      expected: { model: 'm', messages, max_tokens: 50 },
    },
    {
      name: 'zero and false are kept',
      request: { model: 'm', messages, temperature: 0, presence_penalty: 0, stream: false },
      expected: { model: 'm', messages, temperature: 0, presence_penalty: 0, stream: false },
    },
    {
      name: 'undefined message fields are dropped, null content is kept',
      request: {
        model: 'm',
        messages: [
          { role: 'user', content: 'Hi', name: undefined },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', content: 'ok', tool_call_id: 'c1', name: undefined },
        ],
      },
      expected: {
        model: 'm',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', content: 'ok', tool_call_id: 'c1' },
        ],
      },
    },
    {
      name: 'provider and response_format pass through untouched',
      request: {
        model: 'm',
        messages,
        provider: { order: ['openai', 'azure'], allow_fallbacks: true, custom: { nested: [1, 2] } },
        response_format: { type: 'json_object' },
        tool_choice: 'auto',
      },
      expected: {
        model: 'm',
        messages,
        provider: { order: ['openai', 'azure'], allow_fallbacks: true, custom: { nested: [1, 2] } },
        response_format: { type: 'json_object' },
        tool_choice: 'auto',
      },
    },
  ];

  for (const { name, request, expected } of table) {
    it(name, () => {
      const body = buildRequestBody(request);
      assert.deepEqual(body, expected);
      // Own keys, not just JSON output: undefined values must not even be present.
      assert.deepEqual(Object.keys(body).sort(), Object.keys(expected).sort());
      assert.deepEqual(JSON.parse(JSON.stringify(body)), expected);
    });
  }

  it('does not mutate the caller’s request', () => {
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Hi', name: undefined }], temperature: undefined };
    buildRequestBody(request);
    assert.ok('temperature' in request);
    assert.ok('name' in (request.messages[0] ?? {}));
  });
});

describe('redactKey', () => {
  const table: Array<[string, string]> = [
    ['sk-test-abcdefgh-ijklmnop-1234', 'sk-…1234'],
    ['abcdefgh', 'abc…efgh'],
    ['abcdefg', '…'],
    ['', '…'],
  ];
  for (const [key, expected] of table) {
    it(`${JSON.stringify(key)} → ${expected}`, () => assert.equal(redactKey(key), expected));
  }

  it('redactSecret replaces every occurrence and leaves other text alone', () => {
    const key = 'sk-secret-key-9876';
    assert.equal(redactSecret(`bad ${key}, really ${key}`, key), 'bad sk-…9876, really sk-…9876');
    assert.equal(redactSecret('nothing here', key), 'nothing here');
    assert.equal(redactSecret('nothing here', undefined), 'nothing here');
    assert.equal(redactSecret('nothing here', ''), 'nothing here');
  });

  it('redactSecret also masks the trimmed form of a key pasted with a line break (what fetch sends)', () => {
    const pasted = ' sk-pasted-key-5555\n';
    assert.equal(redactSecret('Incorrect API key provided: sk-pasted-key-5555.', pasted), 'Incorrect API key provided: sk-…5555.');
    assert.ok(!redactSecret(`raw ${pasted} and trimmed ${pasted.trim()}`, pasted).includes('pasted-key'));
  });
});

describe('buildStreamBody', () => {
  const messages: ChatRequest['messages'] = [{ role: 'user', content: 'Hi' }];
  const table: Array<{ name: string; request: ChatRequest; withStreamOptions: boolean; expected: Record<string, unknown> }> = [
    {
      name: 'asks for usage by default and forces stream: true',
      request: { model: 'm', messages, stream: false },
      withStreamOptions: true,
      expected: { model: 'm', messages, stream: true, stream_options: { include_usage: true } },
    },
    {
      name: 'keeps stream_options the caller chose',
      request: { model: 'm', messages, stream_options: { include_usage: false } },
      withStreamOptions: true,
      expected: { model: 'm', messages, stream: true, stream_options: { include_usage: false } },
    },
    {
      name: 'sends no stream_options at all for a gateway that rejects them, even the caller’s',
      request: { model: 'm', messages, stream_options: { include_usage: true } },
      withStreamOptions: false,
      expected: { model: 'm', messages, stream: true },
    },
  ];
  for (const { name, request, withStreamOptions, expected } of table) {
    it(name, () => {
      const body = buildStreamBody(request, withStreamOptions);
      assert.deepEqual(body, expected);
      assert.deepEqual(Object.keys(body).sort(), Object.keys(expected).sort());
    });
  }
});

describe('buildStreamBody with extraBody', () => {
  const request: ChatRequest = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.5 };

  it('passes gateway-specific fields through untouched', () => {
    const body = buildStreamBody(request, true, { seed: 7, transforms: ['middle-out'], user: 'me' });
    assert.equal(body.seed, 7);
    assert.deepEqual(body.transforms, ['middle-out']);
    assert.equal(body.user, 'me');
    assert.equal(body.model, 'openai/gpt-4o');
    assert.equal(body.stream, true);
  });

  it('lets the request\'s own fields win over extraBody', () => {
    const body = buildStreamBody(request, true, { temperature: 1.9, model: 'other', stream: false });
    assert.equal(body.temperature, 0.5);
    assert.equal(body.model, 'openai/gpt-4o');
    assert.equal(body.stream, true);
  });

  it('drops stream_options from extraBody for a gateway that rejects them', () => {
    const body = buildStreamBody(request, false, { stream_options: { include_usage: true } });
    assert.equal('stream_options' in body, false);
  });
});
