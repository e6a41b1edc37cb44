import { strict as assert } from 'node:assert';
import { checkSettings } from '../../../src/config/requestSettings';

describe('checkSettings', () => {
  it('leaves every unset request field out', () => {
    const { request, problems } = checkSettings({ temperature: null, maxTokens: undefined, responseFormat: 'text', extraBody: {} });
    assert.deepEqual(request, {});
    assert.deepEqual(problems, []);
  });

  const accepted: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['temperature at both ends', { temperature: 0 }, { temperature: 0 }],
    ['temperature 2', { temperature: 2 }, { temperature: 2 }],
    ['max tokens', { maxTokens: 512 }, { max_tokens: 512 }],
    ['top p', { topP: 0.9 }, { top_p: 0.9 }],
    ['penalties', { frequencyPenalty: -2, presencePenalty: 1.5 }, { frequency_penalty: -2, presence_penalty: 1.5 }],
    ['JSON mode', { responseFormat: 'json_object' }, { response_format: { type: 'json_object' } }],
    [
      'JSON schema',
      { responseFormat: 'json_schema', jsonSchema: { type: 'object', properties: { a: { type: 'string' } } } },
      { response_format: { type: 'json_schema', json_schema: { name: 'fox_chat_response', schema: { type: 'object', properties: { a: { type: 'string' } } } } } },
    ],
    ['provider object', { provider: { order: ['openai'], allow_fallbacks: true } }, { provider: { order: ['openai'], allow_fallbacks: true } }],
    ['extra body', { extraBody: { seed: 7, user: 'me' } }, { extraBody: { seed: 7, user: 'me' } }],
    ['reasoning effort', { reasoningEffort: 'high' }, { reasoning_effort: 'high' }],
    ['reasoning effort left to the model', { reasoningEffort: 'default' }, {}],
  ];
  for (const [name, raw, expected] of accepted) {
    it(`accepts ${name}`, () => {
      const { request, problems } = checkSettings(raw);
      assert.deepEqual(problems, []);
      assert.deepEqual(request, expected);
    });
  }

  const rejected: [string, Record<string, unknown>, string, string][] = [
    ['temperature above 2', { temperature: 2.5 }, 'foxChat.temperature', 'number'],
    ['negative temperature', { temperature: -0.1 }, 'foxChat.temperature', 'number'],
    ['temperature as text', { temperature: 'hot' }, 'foxChat.temperature', 'number'],
    ['max tokens 0', { maxTokens: 0 }, 'foxChat.maxTokens', 'number'],
    ['fractional max tokens', { maxTokens: 10.5 }, 'foxChat.maxTokens', 'number'],
    ['top p above 1', { topP: 1.01 }, 'foxChat.topP', 'number'],
    ['frequency penalty below -2', { frequencyPenalty: -3 }, 'foxChat.frequencyPenalty', 'number'],
    ['presence penalty NaN', { presencePenalty: Number.NaN }, 'foxChat.presencePenalty', 'number'],
    ['unknown response format', { responseFormat: 'yaml' }, 'foxChat.responseFormat', 'enum'],
    ['json_schema without a schema', { responseFormat: 'json_schema' }, 'foxChat.jsonSchema', 'object'],
    ['provider as a list', { provider: ['openai'] }, 'foxChat.provider', 'object'],
    ['extra body setting the model', { extraBody: { model: 'x', seed: 1 } }, 'foxChat.extraBody', 'reservedKeys'],
    ['idle timeout too short', { idleTimeoutSeconds: 1 }, 'foxChat.idleTimeoutSeconds', 'number'],
    ['too many retries', { maxRetries: 9 }, 'foxChat.maxRetries', 'number'],
    ['unknown image detail', { imageDetail: 'ultra' }, 'foxChat.imageDetail', 'enum'],
    ['unknown reasoning effort', { reasoningEffort: 'extreme' }, 'foxChat.reasoningEffort', 'enum'],
  ];
  for (const [name, raw, setting, kind] of rejected) {
    it(`rejects ${name}, naming ${setting}`, () => {
      const { problems } = checkSettings(raw);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]?.setting, setting);
      assert.equal(problems[0].kind, kind);
    });
  }

  it('uses the client defaults when unset', () => {
    assert.deepEqual(checkSettings({}).client, { idleTimeoutMs: 60_000, maxRetries: 2, maxAnswerBytes: 32 * 1024 * 1024, imageDetail: 'auto' });
    assert.deepEqual(checkSettings({ idleTimeoutSeconds: 5, maxRetries: 0, maxAnswerMB: 1, imageDetail: 'low' }).client, {
      idleTimeoutMs: 5_000,
      maxRetries: 0,
      maxAnswerBytes: 1024 * 1024,
      imageDetail: 'low',
    });
    assert.equal(checkSettings({ maxAnswerMB: 0 }).problems[0]?.setting, 'foxChat.maxAnswerMB');
  });
});
