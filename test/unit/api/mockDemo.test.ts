// The demo mode of the mock gateway (`npm start`): questions without a marker get answers that
// show the product. Driven over HTTP by the real client, with the prompts the extension builds.

import assert from 'node:assert/strict';
import { streamChat } from '../../../src/api/chatClient';
import type { ChatMessage, StreamEvent, ToolCall } from '../../../src/api/types';
import { SYSTEM_PROMPT, formatUserContent, type SelectionContext } from '../../../src/chat/prompts';
import { buildRefactorMessages, findPreset } from '../../../src/chat/refactorPrompt';
import { toolDefinitions } from '../../../src/tools/toolDefinitions';
import { MOCK_ANSWER, MOCK_REASONING, REFACTOR_CODE, startMockGateway } from '../../fixtures/mockGateway';
import type { MockGateway } from '../../fixtures/mockGateway';
import { textOf } from '../../fixtures/streamEvents';

const reasoningOf = (events: StreamEvent[]): string => events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('');
const callsOf = (events: StreamEvent[]): ToolCall[] => events.flatMap((e) => (e.type === 'toolCalls' ? e.calls : []));

const SELECTION: SelectionContext = {
  kind: 'selection',
  fileName: 'src/count.js',
  languageId: 'javascript',
  startLine: 3,
  endLine: 8,
  text: ['function countWords(text) {', '  var counts = {};', '  for (var word of text.split(/\\s+/)) {', '    counts[word] = (counts[word] || 0) + 1;', '  }', '  return counts;', '}'].join('\n'),
};

describe('mock gateway demo mode', () => {
  let demo: MockGateway;
  let plain: MockGateway;
  before(async () => {
    demo = await startMockGateway({ chunkDelayMs: 0, demo: true });
    plain = await startMockGateway({ chunkDelayMs: 0 });
  });
  after(async () => {
    await demo.close();
    await plain.close();
  });

  async function ask(gateway: MockGateway, messages: ChatMessage[], tools = false): Promise<StreamEvent[]> {
    const request = { model: 'openai/gpt-4o', messages, ...(tools ? { tools: toolDefinitions(['read_file', 'search_text']) } : {}) };
    const events: StreamEvent[] = [];
    for await (const event of streamChat({ baseUrl: gateway.baseUrl, apiKey: gateway.apiKey, request })) events.push(event);
    assert.ok(!events.some((e) => e.type === 'error'), JSON.stringify(events.filter((e) => e.type === 'error')));
    return events;
  }
  const question = (text: string, context: SelectionContext[] = []): ChatMessage[] => [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: formatUserContent(text, context) },
  ];

  it('a plain question gets Markdown about its topic: heading, bold lead, list, table and a ts block', async () => {
    const answer = textOf(await ask(demo, question('How do I debounce input events?')));
    assert.match(answer, /^## Debounce input events\n/);
    assert.match(answer, /\*\*In short:\*\*/);
    assert.match(answer, /\n- .+\n- /);
    assert.match(answer, /\n\|---\|---\|\n/);
    assert.match(answer, /```ts\nconst topic = "Debounce input events";\n[\s\S]*\n```$/);
  });

  it('"think" streams reasoning before the answer', async () => {
    const events = await ask(demo, question('Think about caching strategies'));
    assert.match(reasoningOf(events), /^The user asks about "Caching strategies"\./);
    const firstText = events.findIndex((e) => e.type === 'text');
    assert.ok(events.findIndex((e) => e.type === 'reasoning') < firstText, 'reasoning comes first');
    assert.match(textOf(events), /^## Caching strategies/);
  });

  it('Explain Selection quotes the selected code in a fenced block and explains it', async () => {
    const answer = textOf(await ask(demo, question('Explain what this code does, step by step.', [SELECTION])));
    assert.match(answer, /^## `src\/count\.js`, lines 3-8\n/);
    assert.ok(answer.includes(`\`\`\`javascript\n${SELECTION.text}\n\`\`\``), answer);
    assert.match(answer, /defining `countWords`, `counts`/);
    assert.match(answer, /- it loops over its input\n- it returns a result to its caller/);
    assert.match(answer, /\| 3 \| `function countWords\(text\) \{` \|/);
  });

  it('Refactor Selection answers the selected code, changed: a comment on top and var made const', async () => {
    const preset = findPreset('simplify');
    assert.ok(preset);
    const answer = textOf(await ask(demo, buildRefactorMessages(SELECTION, preset.instruction)));
    const lines = answer.split('\n');
    assert.match(lines[0] ?? '', /^\/\/ Reviewed by Fox Chat \(demo gateway\): 7 lines/);
    assert.deepEqual(lines.slice(1), SELECTION.text.replace(/\bvar\b/g, 'const').split('\n'));
    assert.ok(!answer.includes('```'), 'replacement code only, no fences');
  });

  it('"read <file>" calls read_file, then answers from the result', async () => {
    const messages = question('Please read src/extension.ts and tell me what it does');
    const first = await ask(demo, messages, true);
    const calls = callsOf(first);
    assert.deepEqual(calls.map((call) => [call.function.name, call.function.arguments]), [['read_file', '{"path":"src/extension.ts"}']]);
    const call = calls[0];
    assert.ok(call);
    const second = await ask(demo, [...messages, { role: 'assistant', content: null, tool_calls: calls }, { role: 'tool', tool_call_id: call.id, content: '1: import * as vscode\n2: export function activate() {}' }], true);
    assert.equal(textOf(second), '**I read the file** through the `read_file` tool: 2 numbered lines came back. It begins:\n\n```text\n1: import * as vscode\n2: export function activate() {}\n```');
  });

  it('"search <text>" calls search_text; without tools offered it answers instead', async () => {
    const calls = callsOf(await ask(demo, question('search for wordFrequencies usages'), true));
    assert.deepEqual(calls.map((call) => [call.function.name, call.function.arguments]), [['search_text', '{"query":"wordFrequencies usages"}']]);
    const withoutTools = await ask(demo, question('search for wordFrequencies usages'));
    assert.deepEqual(callsOf(withoutTools), []);
    assert.match(textOf(withoutTools), /^## Search for wordFrequencies usages/);
  });

  it('markers still win in demo mode, and without demo mode the plain answers stay', async () => {
    assert.equal(textOf(await ask(demo, question('[refactor] please'))), REFACTOR_CODE);
    assert.equal(reasoningOf(await ask(demo, question('[reasoning] go'))), MOCK_REASONING);
    assert.equal(textOf(await ask(plain, question('How do I debounce input events?'))), MOCK_ANSWER);
    assert.equal(textOf(await ask(plain, buildRefactorMessages(SELECTION, 'Simplify'))), MOCK_ANSWER);
  });
});
