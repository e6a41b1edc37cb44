import assert from 'node:assert/strict';
import type { RecordedRequest } from '../../fixtures/mockGateway';
import { requestObservers } from '../../fixtures/mockGateway';
import { requestSchemaProblems } from '../../fixtures/requestSchema';

// Root-level hooks (outside any describe): they wrap the whole unit run, so every chat body any
// unit test sends to a mock gateway is held against OpenAI's CreateChatCompletionRequest schema.
const invalid: string[] = [];
let checked = 0;
const observe = (recorded: RecordedRequest): void => {
  if (recorded.method !== 'POST' || !recorded.path.endsWith('/chat/completions')) return;
  checked++;
  const problems = requestSchemaProblems(recorded.body);
  if (problems.length > 0) invalid.push(`${recorded.rawBody.slice(0, 300)}\n  → ${problems.slice(0, 5).join('; ')}`);
};

before(() => {
  requestObservers.add(observe);
});

after(() => {
  requestObservers.delete(observe);
  // Only meaningful when the suite ran the tests that talk to the mock (not a single unrelated file).
  if (checked === 0) return;
  assert.deepEqual(invalid, [], `${invalid.length} of ${checked} request bodies break OpenAI's schema`);
});

describe('the request schema check itself', () => {
  it('accepts a plain streamed request and rejects what OpenAI would', () => {
    assert.deepEqual(requestSchemaProblems({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }), []);
    assert.notDeepEqual(requestSchemaProblems({ model: 'm', messages: [] }), []);
    assert.notDeepEqual(requestSchemaProblems({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 'many' }), []);
    assert.notDeepEqual(requestSchemaProblems({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], temperature: 3 }), []);
    assert.notDeepEqual(requestSchemaProblems({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'extreme' }), []);
    assert.notDeepEqual(requestSchemaProblems({ model: 'm', messages: [{ role: 'robot', content: 'Hi' }] }), []);
  });
});
