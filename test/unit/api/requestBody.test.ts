import assert from 'node:assert/strict';
import { buildRequestBody } from '../../../src/api/chatClient';
import { redactKey, redactSecret } from '../../../src/api/redact';
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
    ['sk-abcdefghijklmnop1234', 'sk-…1234'],
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
});
