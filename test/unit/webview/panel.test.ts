import { strict as assert } from 'node:assert';
import type { JSDOM } from 'jsdom';
import type { AssistantMessageView, HostToWebview, MessageView, ToolMessageView, WebviewToHost } from '../../../src/protocol';
import { bundleForBrowser } from './browserBundle';
import { startPanel } from './panelDom';
import { testStrings } from './parts';

// The whole webview script (src/webview/main.ts) in jsdom, with a fake host (panelDom.ts).

function tool(overrides: Partial<ToolMessageView> = {}): ToolMessageView {
  return { id: 't1', role: 'tool', name: 'read_file', arguments: '{"path":"a.ts","startLine":1}', summary: 'a.ts, lines 1-20', state: 'running', ...overrides };
}

function answer(overrides: Partial<AssistantMessageView> = {}): AssistantMessageView {
  return { id: 'a1', role: 'assistant', text: '', state: 'done', model: 'fox-1', ...overrides };
}

describe('chat webview with a fake host (main.ts bundle in jsdom)', function () {
  this.timeout(60000);
  let bundle = '';
  let dom: JSDOM;
  let posted: WebviewToHost[];

  before(async () => {
    bundle = await bundleForBrowser(`import '../main';`, 'foxPanel');
  });

  beforeEach(() => {
    ({ dom, posted } = startPanel(bundle));
    assert.deepEqual(posted, [{ type: 'ready' }]);
    posted.length = 0;
  });

  afterEach(() => dom.window.close());

  function send(message: HostToWebview): void {
    dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
  }

  function init(messages: MessageView[]): void {
    send({ type: 'init', strings: testStrings, state: { messages, pendingContext: [], streaming: false, model: 'fox-1', gateway: 'https://gateway.example' } });
  }

  function element(id: string): HTMLElement {
    const found = dom.window.document.querySelector<HTMLElement>(`.message[data-id="${id}"]`);
    assert.ok(found, `message ${id} is rendered`);
    return found;
  }

  function details(card: HTMLElement): HTMLDetailsElement {
    const found = card.querySelector('details.tool-details');
    assert.ok(found instanceof dom.window.HTMLDetailsElement);
    return found;
  }

  function button(card: HTMLElement, action: string): HTMLButtonElement {
    const found = card.querySelector(`button[data-action="${action}"]`);
    assert.ok(found instanceof dom.window.HTMLButtonElement, `a ${action} button`);
    return found;
  }

  it('shows the gateway origin next to the model, with a title, and follows model messages', () => {
    init([]);
    const label = dom.window.document.getElementById('gateway-label');
    assert.ok(label);
    assert.equal(label.textContent, 'https://gateway.example');
    assert.equal(label.title, 'Requests go to https://gateway.example');
    assert.equal(label.hidden, false);
    send({ type: 'model', model: 'fox-2', gateway: 'http://127.0.0.1:9' });
    assert.equal(label.textContent, 'http://127.0.0.1:9');
    assert.equal(dom.window.document.getElementById('model-label')?.textContent, 'fox-2');
    send({ type: 'model', model: 'fox-2', gateway: '' });
    assert.equal(label.hidden, true, 'no origin while the settings are unusable');
  });

  it('renders a tool call as a folded card in conversation order, found by its data attributes', () => {
    init([{ id: 'u1', role: 'user', text: 'Read a.ts', context: [] }, answer(), tool(), answer({ id: 'a2', text: 'It exports one function.' })]);
    const roles = Array.from(dom.window.document.querySelectorAll<HTMLElement>('#transcript > .message'), (message) => message.dataset.role);
    assert.deepEqual(roles, ['user', 'assistant', 'tool', 'assistant']);

    const card = element('t1');
    assert.equal(dom.window.document.querySelector('[data-role="tool"][data-tool="read_file"][data-state="running"]'), card);
    assert.equal(card.getAttribute('aria-label'), 'Tool: read_file');
    assert.equal(details(card).open, false, 'collapsed unless it waits for approval');
    assert.deepEqual(
      Array.from(card.querySelectorAll('summary > span'), (part) => [part.className, part.textContent]),
      [
        ['tool-name', 'read_file'],
        ['tool-text', 'a.ts, lines 1-20'],
        ['tool-state tool-state-running', 'Running'],
      ],
    );
    assert.equal(card.querySelector('.tool-arguments')?.textContent, JSON.stringify({ path: 'a.ts', startLine: 1 }, null, 2));
    assert.equal(card.querySelector('.tool-result'), null, 'no result while running');
    assert.equal(card.querySelector('.tool-approval'), null);
  });

  it('shows reasoning and cached tokens and the cost in the meta line, and the reasoning time on its summary, only when reported', () => {
    init([
      answer({ reasoning: 'Hmm.', reasoningMs: 4200, text: 'Yes.', usage: { prompt: 120, completion: 80, total: 200, reasoning: 64, cached: 100, cost: 0.000421 } }),
      answer({ id: 'a2', reasoning: 'Hmm.', text: 'No.', usage: { prompt: 1, completion: 2, total: 3 } }),
    ]);
    const reported = element('a1');
    assert.equal(reported.querySelector('.meta-compact')?.textContent, '200 tokens · cost 0.00042');
    assert.equal(
      reported.querySelector('.meta-details')?.textContent,
      '120 prompt + 80 completion = 200 tokens · 64 reasoning tokens · 100 cached · cost 0.00042',
    );
    assert.equal(reported.querySelector('details.reasoning > summary')?.textContent, 'Reasoning (4.2 s)');
    assert.equal(reported.querySelector<HTMLDetailsElement>('details.reasoning')?.open, false, 'still collapsed');
    const plain = element('a2');
    assert.equal(plain.querySelector('.meta-compact')?.textContent, '3 tokens');
    assert.equal(plain.querySelector('.meta-details')?.textContent, '1 prompt + 2 completion = 3 tokens');
    assert.equal(plain.querySelector('details.reasoning > summary')?.textContent, testStrings.reasoning);
  });

  it('hides the empty body of an answer that only called tools but keeps its footer', () => {
    init([{ id: 'u1', role: 'user', text: 'Read a.ts', context: [] }, answer({ finishReason: 'tool_calls' }), tool(), answer({ id: 'a2', text: 'Done.' })]);
    const toolsOnly = element('a1');
    assert.equal(toolsOnly.querySelector<HTMLElement>('.message-body')?.hidden, true);
    assert.ok(toolsOnly.classList.contains('tools-only'));
    assert.equal(toolsOnly.querySelector('.message-header .message-author')?.textContent, 'fox-1');
    assert.equal(toolsOnly.querySelector('.message-footer .message-meta')?.textContent, 'finish: tool_calls', 'the model is named once, in the header');
    assert.equal(toolsOnly.querySelector('[data-action="copy"]'), null, 'nothing to copy');

    const full = element('a2');
    assert.equal(full.querySelector<HTMLElement>('.message-body')?.hidden, false);
    assert.ok(!full.classList.contains('tools-only'));

    // Streaming and failed answers keep their body: the cursor, and the error, belong there.
    send({ type: 'messageAdded', message: answer({ id: 'a3', state: 'streaming' }) });
    assert.equal(element('a3').querySelector<HTMLElement>('.message-body')?.hidden, false);
    send({ type: 'messageFinished', message: answer({ id: 'a3', state: 'error', error: { message: 'Boom', actions: [] } }) });
    assert.equal(element('a3').querySelector<HTMLElement>('.message-body')?.hidden, false);
    send({ type: 'messageAdded', message: answer({ id: 'a4', state: 'streaming' }) });
    send({ type: 'messageFinished', message: answer({ id: 'a4' }) });
    assert.equal(element('a4').querySelector<HTMLElement>('.message-body')?.hidden, true);
  });

  it('says which tools an answer is preparing while their calls stream, and drops the line when it finishes', () => {
    init([{ id: 'u1', role: 'user', text: 'Read a.ts', context: [] }]);
    send({ type: 'messageAdded', message: answer({ state: 'streaming' }) });
    send({ type: 'toolCallPreparing', messageId: 'a1', index: 0, name: 'read_file' });
    const line = (): Element | null => element('a1').querySelector('.message-preparing');
    assert.equal(line()?.textContent, 'Preparing read_file…');
    assert.equal(line()?.getAttribute('role'), 'status');
    send({ type: 'toolCallPreparing', messageId: 'a1', index: 1, name: 'search_text' });
    assert.equal(element('a1').querySelectorAll('.message-preparing').length, 1, 'one line, updated in place');
    assert.equal(line()?.textContent, 'Preparing read_file, search_text…');
    send({ type: 'messageFinished', message: answer({ finishReason: 'tool_calls' }) });
    assert.equal(line(), null);
  });

  it('updates a card in place on toolUpdated and keeps the open state the user chose', () => {
    init([tool()]);
    const card = element('t1');
    const summary = card.querySelector('summary');
    assert.ok(summary instanceof dom.window.HTMLElement);
    summary.click();
    assert.equal(details(card).open, true);

    send({ type: 'toolUpdated', message: tool({ state: 'done', resultPreview: 'export function f() {}', resultTruncated: true }) });
    assert.equal(element('t1'), card, 'the same element');
    assert.equal(card.dataset.state, 'done');
    assert.equal(card.querySelector('.tool-state')?.className, 'tool-state tool-state-done');
    assert.equal(card.querySelector('.tool-state')?.textContent, 'Done');
    assert.equal(card.querySelector('.tool-result')?.textContent, 'export function f() {}…');
    assert.ok(card.querySelector('.tool-result > .tool-truncated'));
    assert.equal(details(card).open, true, 'still open as the user left it');
    assert.equal(card.querySelectorAll('summary').length, 1);

    send({ type: 'toolUpdated', message: tool({ id: 'unknown', state: 'error' }) });
    assert.equal(card.dataset.state, 'done', 'an update for another card changes nothing here');
  });

  it('shows Allow / Deny while awaiting approval, posts toolApproval once and disables both', () => {
    init([]);
    send({ type: 'messageAdded', message: tool({ id: 't2', name: 'write_file', state: 'awaitingApproval', arguments: 'not json' }) });
    const card = element('t2');
    assert.equal(details(card).open, true, 'open so the arguments can be read before answering');
    assert.equal(card.querySelector('.tool-arguments')?.textContent, 'not json', 'raw when not JSON');
    const allow = button(card, 'allow');
    const deny = button(card, 'deny');
    assert.equal(allow.textContent, 'Allow');
    assert.equal(deny.textContent, 'Deny');
    assert.equal(dom.window.document.activeElement, allow, 'focus was nowhere in particular, so Allow takes it');

    allow.click();
    allow.click();
    deny.click();
    assert.deepEqual(posted, [{ type: 'toolApproval', messageId: 't2', approved: true }]);
    assert.ok(allow.disabled && deny.disabled);
    assert.equal(dom.window.document.activeElement, card.querySelector('summary'), 'focus stays on the card');

    // A re-send while the host has not answered yet must not offer the choice again.
    send({ type: 'toolUpdated', message: tool({ id: 't2', name: 'write_file', state: 'awaitingApproval' }) });
    assert.ok(button(card, 'allow').disabled);

    send({ type: 'toolUpdated', message: tool({ id: 't2', name: 'write_file', state: 'running' }) });
    assert.equal(card.querySelector('.tool-approval'), null, 'the buttons go once answered');
    assert.equal(details(card).open, false, 'back to folded: the user never chose');
    assert.equal(posted.length, 1);
  });

  it('Deny posts approved: false, and a card never takes focus from the composer', () => {
    init([]);
    const input = dom.window.document.getElementById('composer-input');
    assert.ok(input instanceof dom.window.HTMLTextAreaElement);
    input.focus();
    send({ type: 'messageAdded', message: tool({ id: 't3', name: 'write_file', state: 'awaitingApproval' }) });
    assert.equal(dom.window.document.activeElement, input);
    button(element('t3'), 'deny').click();
    assert.deepEqual(posted, [{ type: 'toolApproval', messageId: 't3', approved: false }]);
  });

  it('keeps tool output as text', () => {
    const payload = '<img src=x onerror=alert(1)>';
    init([tool({ name: payload, summary: payload, arguments: JSON.stringify({ html: payload }), state: 'done', resultPreview: payload })]);
    const card = element('t1');
    assert.equal(card.querySelector('img'), null);
    assert.equal(card.dataset.tool, payload);
    assert.equal(card.querySelector('.tool-name')?.textContent, payload);
    assert.equal(card.querySelector('.tool-result')?.textContent, payload);
  });

  it('swaps a finished JSON answer to a tree, with the notes its json flags ask for', () => {
    init([]);
    send({ type: 'messageAdded', message: answer({ state: 'streaming', json: {} }) });
    send({ type: 'delta', messageId: 'a1', text: '```json\n{"name": "fox", "tags": ["a", "b"]}\n```' });
    const message = element('a1');
    assert.equal(message.querySelector('[data-json-tree]'), null, 'Markdown while streaming');

    const text = '```json\n{"name": "fox", "tags": ["a", "b"]}\n```';
    send({ type: 'messageFinished', message: answer({ text, json: { valid: false, problem: '/tags: too short', viaPrompt: true } }) });
    const tree = message.querySelector('.message-body > [data-json-tree]');
    assert.ok(tree, 'the tree replaces the Markdown');
    assert.equal(message.querySelector('.message-body .code-block'), null);
    assert.deepEqual(
      Array.from(tree.querySelectorAll('summary'), (summary) => summary.textContent),
      ['{…}2 keys', 'tags: […]2 items'],
    );
    assert.equal(message.querySelector('.json-invalid')?.textContent, 'Not the JSON asked for: /tags: too short');
    assert.equal(message.querySelector('.json-via-prompt')?.textContent, 'JSON asked for in the prompt.');
    assert.ok(message.querySelector('[data-action="copy"]'), 'Copy copies the answer text');

    // A state re-send renders the finished answer as a tree straight away.
    init([answer({ text, json: { valid: true } })]);
    assert.ok(element('a1').querySelector('[data-json-tree]'));
    assert.equal(element('a1').querySelector('.json-note'), null);
  });

  it('keeps the Markdown of a JSON answer that does not parse, with the warning', () => {
    init([answer({ text: 'Sorry, **no** JSON today.', json: { valid: false, problem: 'Unexpected token S' } })]);
    const message = element('a1');
    assert.equal(message.querySelector('[data-json-tree]'), null);
    assert.ok(message.querySelector('.message-body strong'));
    assert.equal(message.querySelector('.json-invalid')?.textContent, 'Not the JSON asked for: Unexpected token S');
  });
});
