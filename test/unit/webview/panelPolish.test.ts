import { strict as assert } from 'node:assert';
import type { JSDOM } from 'jsdom';
import type { AssistantMessageView, HostToWebview, MessageView, WebviewToHost } from '../../../src/protocol';
import { bundleForBrowser } from './browserBundle';
import { startPanel } from './panelDom';
import { exportsFunctions, partLoader, testStrings, type Loaded } from './parts';

// The welcome view, message headers and meta lines, code-block headers and announcements of the
// whole webview script (main.ts) in jsdom with a fake host, as panel.test.ts runs it.

function answer(overrides: Partial<AssistantMessageView> = {}): AssistantMessageView {
  return { id: 'a1', role: 'assistant', text: '', state: 'done', model: 'fox-1', ...overrides };
}

const CODE = Array.from({ length: 30 }, (_, line) => `const line${line} = ${line};`).join('\n');
const ANSWER_WITH_CODE = `Here is a short one:\n\n\`\`\`ts\nexport const x = 1;\n\`\`\`\n\nAnd a long one:\n\n\`\`\`js\n${CODE}\n\`\`\`\n\nDone.`;

describe('panel polish: welcome view, message header and meta, code-block header (main.ts in jsdom)', function () {
  this.timeout(60000);
  let bundle = '';
  let dom: JSDOM;
  let posted: WebviewToHost[];

  before(async () => {
    bundle = await bundleForBrowser(`import '../main';`, 'foxPanel');
  });

  beforeEach(() => {
    ({ dom, posted } = startPanel(bundle));
    posted.length = 0;
  });

  afterEach(() => dom.window.close());

  const document = (): Document => dom.window.document;

  function send(message: HostToWebview): void {
    dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
  }

  function init(messages: MessageView[]): void {
    send({ type: 'init', strings: testStrings, state: { messages, pendingContext: [], streaming: false, model: 'fox-1', gateway: 'https://gateway.example' } });
  }

  function query<T extends Element = HTMLElement>(selector: string, root: ParentNode = document()): T {
    const found = root.querySelector<T & Element>(selector);
    assert.ok(found, `${selector} is there`);
    return found;
  }

  function texts(selector: string, root: ParentNode = document()): string[] {
    return Array.from(root.querySelectorAll(selector), (element) => element.textContent);
  }

  describe('welcome view', () => {
    it('says what Fox Chat does, where it is connected, the keys and the suggestions', () => {
      init([]);
      const welcome = query('#empty-state');
      assert.equal(welcome.hidden, false);
      assert.equal(welcome.getAttribute('role'), 'region');
      assert.equal(query('.empty-title').textContent, 'Fox Chat');
      assert.equal(welcome.getAttribute('aria-labelledby'), query('.empty-title').id);
      assert.equal(query('.welcome-intro').textContent, 'Fox Chat answers questions.');
      assert.deepEqual(texts('.welcome-features li'), testStrings.welcomeFeatures);
      assert.equal(query('.welcome-connection').textContent, 'Model: fox-1', 'the profile follows with the welcome message');
      assert.deepEqual(texts('.welcome-suggestion'), testStrings.welcomeSuggestions);
      assert.deepEqual(texts('.welcome-keys dt'), ['Ask from anywhere', 'Send / new line']);
      assert.deepEqual(texts('.welcome-keys dd'), ['Ctrl+Alt+I', 'Enter / Shift+Enter']);
      assert.deepEqual(texts('.welcome-keys kbd'), ['Ctrl+Alt+I', 'Enter', 'Shift+Enter']);
      assert.equal(query('.empty-hint').textContent, 'Ask anything');
      assert.equal(query('button[data-action="openWalkthrough"]').textContent, 'Get Started');
      assert.equal(query('.welcome-key').hidden, true, 'no key problem before the host says so');

      send({ type: 'welcome', welcome: { profile: 'OfoxAI', needsApiKey: false } });
      assert.equal(query('.welcome-connection').textContent, 'Profile: OfoxAI · Model: fox-1');
      send({ type: 'model', model: 'fox-2', gateway: 'https://gateway.example' });
      assert.equal(query('.welcome-connection').textContent, 'Profile: OfoxAI · Model: fox-2');
    });

    it('a suggestion fills the composer (not sent) and takes focus there; Get Started asks the host', () => {
      init([]);
      const input = query<HTMLTextAreaElement>('#composer-input');
      const inputs: string[] = [];
      input.addEventListener('input', () => inputs.push(input.value));
      const second = document().querySelectorAll<HTMLButtonElement>('.welcome-suggestion')[1];
      assert.ok(second);
      assert.equal(second.type, 'button', 'a native button: Enter and Space click it');
      second.click();
      assert.equal(input.value, 'let or const?');
      assert.deepEqual(inputs, ['let or const?'], 'the composer hears an input event');
      assert.equal(document().activeElement, input);
      assert.deepEqual(posted, [], 'nothing is sent until the user presses Enter');

      query<HTMLButtonElement>('button[data-action="openWalkthrough"]').click();
      assert.deepEqual(posted, [{ type: 'openWalkthrough' }]);
    });

    it('a missing key shows Set API Key right there, and it goes once the key is stored', () => {
      init([]);
      send({ type: 'welcome', welcome: { profile: 'OfoxAI', needsApiKey: true } });
      const box = query('.welcome-key');
      assert.equal(box.hidden, false);
      assert.equal(query('.welcome-key-text').textContent, 'A key is needed for OfoxAI.');
      const setKey = query<HTMLButtonElement>('button[data-action="setApiKey"]', box);
      assert.equal(setKey.textContent, 'Set key');
      setKey.click();
      assert.deepEqual(posted, [{ type: 'errorAction', action: 'setApiKey' }]);

      send({ type: 'welcome', welcome: { profile: 'OfoxAI', needsApiKey: false } });
      assert.equal(box.hidden, true);
      assert.equal(box.querySelector('button'), null);
    });

    it('hides once the conversation starts, and the keyboard order runs header, welcome, transcript, composer', () => {
      init([]);
      send({ type: 'welcome', welcome: { profile: 'OfoxAI', needsApiKey: true } });
      const order = Array.from(document().querySelectorAll<HTMLElement>('button, textarea, [tabindex]'))
        .filter((element) => !element.closest('[hidden]') && element.tabIndex >= 0)
        .map((element) => element.id || element.dataset.action || element.className);
      assert.deepEqual(order, [
        'model-label',
        'setApiKey',
        'welcome-suggestion',
        'welcome-suggestion',
        'welcome-suggestion',
        'openWalkthrough',
        'transcript',
        'attach-button',
        'composer-input',
        'send-button',
      ]);
      send({ type: 'messageAdded', message: { id: 'u1', role: 'user', text: 'Hi', context: [] } });
      assert.equal(query('#empty-state').hidden, true);
    });
  });

  describe('messages', () => {
    it('an answer names its model once, beside its icon, with a compact meta line and details on hover or focus', () => {
      init([answer({ text: 'Hello.', finishReason: 'stop', usage: { prompt: 10, completion: 20, total: 30 }, firstTokenMs: 250 })]);
      const message = query('.message[data-id="a1"]');
      const header = query('.message-header', message);
      assert.equal(header.textContent, 'fox-1', 'only the model as text');
      const glyph = query('.codicon.fox-icon', header);
      assert.equal(glyph.getAttribute('role'), 'img');
      assert.equal(glyph.getAttribute('aria-label'), 'Fox Chat', 'screen readers hear the role');

      const meta = query('.message-footer .message-meta', message);
      assert.equal(query('.meta-compact', meta).textContent, '30 tokens · 0.25 s');
      const details = query('.meta-details', meta);
      assert.equal(details.textContent, 'finish: stop · 10 prompt + 20 completion = 30 tokens · first token after 0.25 s');
      assert.equal(meta.tabIndex, 0, 'keyboard focus shows the details');
      assert.equal(meta.getAttribute('aria-describedby'), details.id);
      assert.equal(details.getAttribute('role'), 'tooltip');
      assert.equal(message.textContent.split('fox-1').length, 2, 'the model appears once in the message');
    });

    it('Copy and Regenerate are icon buttons with a tooltip and an accessible name', () => {
      init([{ id: 'u1', role: 'user', text: 'Hi', context: [] }, answer({ text: 'Hello.' })]);
      const buttons = Array.from(query('.message[data-id="a1"]').querySelectorAll<HTMLButtonElement>('.message-actions button'));
      assert.deepEqual(
        buttons.map((button) => [button.dataset.action, button.title, button.getAttribute('aria-label'), button.textContent, button.querySelectorAll('.codicon[aria-hidden="true"]').length]),
        [
          ['copy', 'Copy', 'Copy', '', 1],
          ['regenerate', 'Regenerate', 'Regenerate', '', 1],
        ],
      );
      buttons[0]?.click();
      assert.deepEqual(posted, [{ type: 'copyMessage', messageId: 'a1' }]);
      const edit = query<HTMLButtonElement>('.message[data-id="u1"] .message-actions button[data-action="edit"]');
      assert.equal(edit.getAttribute('aria-label'), 'Edit');
      assert.equal(query('.message[data-id="u1"] .message-header').textContent, 'You');
      // The composer's Send, Stop and Attach are codicons too, named by their labels.
      for (const [id, name] of [['send-button', 'send'], ['stop-button', 'stop'], ['attach-button', 'attach']] as const) {
        const button = query<HTMLButtonElement>(`#${id}`);
        assert.equal(button.textContent, '', id);
        assert.equal(button.querySelectorAll(`.codicon.fox-icon-${name}[aria-hidden="true"]`).length, 1, id);
        assert.notEqual(button.getAttribute('aria-label') ?? '', '', id);
      }
    });

    it('a long question is folded with a control that unfolds it; a short one is not', () => {
      const long = Array.from({ length: 12 }, (_, line) => `line ${line}`).join('\n');
      init([
        { id: 'u1', role: 'user', text: long, context: [] },
        { id: 'u2', role: 'user', text: 'Short', context: [] },
      ]);
      const body = query('.message[data-id="u1"] .message-body');
      const toggle = query<HTMLButtonElement>('.message[data-id="u1"] button.expand-toggle');
      assert.equal(body.textContent, long, 'the whole text is there, only folded');
      assert.ok(body.classList.contains('collapsed'));
      assert.equal(toggle.getAttribute('aria-controls'), body.id);
      assert.equal(toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(toggle.textContent, 'Show more');
      toggle.click();
      assert.ok(!body.classList.contains('collapsed'));
      assert.equal(toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(toggle.textContent, 'Show less');
      assert.equal(document().querySelector('.message[data-id="u2"] button.expand-toggle'), null);
    });

    it('a finished answer is announced politely; the transcript itself does not read out every token', () => {
      init([]);
      assert.equal(query('#transcript').getAttribute('aria-live'), 'off');
      const announcer = query('#announcer');
      assert.equal(announcer.getAttribute('aria-live'), 'polite');
      assert.equal(announcer.getAttribute('role'), 'status');
      send({ type: 'messageAdded', message: answer({ state: 'streaming' }) });
      send({ type: 'delta', messageId: 'a1', text: 'The **fox** jumps.' });
      assert.equal(announcer.textContent, '', 'nothing while it streams');
      send({ type: 'messageFinished', message: answer({ text: 'The **fox** jumps.' }) });
      assert.equal(announcer.textContent, 'fox-1 answered: The fox jumps.');
    });
  });

  describe('code blocks', () => {
    function codeBlocks(): HTMLElement[] {
      return Array.from(document().querySelectorAll<HTMLElement>('.message[data-id="a1"] .code-block'));
    }

    it('get a header with the language and icon actions, first in the block; the actions post the code', () => {
      init([answer({ text: ANSWER_WITH_CODE })]);
      const [short] = codeBlocks();
      assert.ok(short);
      const header = short.firstElementChild as HTMLElement;
      assert.ok(header.classList.contains('code-header'), 'the header comes before the code');
      assert.equal(header.getAttribute('role'), 'group');
      assert.equal(header.getAttribute('aria-label'), 'Code: ts');
      assert.equal(query('.code-lang', header).textContent, 'ts');
      const buttons = Array.from(header.querySelectorAll<HTMLButtonElement>('.code-actions button'));
      assert.deepEqual(
        buttons.map((button) => [button.dataset.action, button.getAttribute('aria-label'), button.title, button.textContent]),
        [
          ['copy', 'Copy', 'Copy', ''],
          ['insert', 'Insert', 'Insert', ''],
          ['apply', 'Apply', 'Apply', ''],
          ['newFile', 'New file', 'New file', ''],
        ],
      );
      buttons[1]?.click();
      assert.deepEqual(posted, [{ type: 'codeAction', action: 'insert', code: 'export const x = 1;', language: 'ts' }]);
      assert.equal(short.querySelector('.code-expand'), null, 'a short block needs no expand control');
    });

    it('a long block is capped with an expand control', () => {
      init([answer({ text: ANSWER_WITH_CODE })]);
      const long = codeBlocks()[1];
      assert.ok(long);
      assert.ok(long.classList.contains('code-capped'));
      const toggle = query<HTMLButtonElement>('.code-expand', long);
      assert.equal(toggle.getAttribute('aria-expanded'), 'false');
      toggle.click();
      assert.ok(long.classList.contains('code-expanded'));
      assert.equal(toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(toggle.textContent, 'Show less');
    });

    it('are decorated the same whether the answer streamed in or was rendered whole', () => {
      init([answer({ text: ANSWER_WITH_CODE })]);
      const whole = query('.message[data-id="a1"] .message-body').innerHTML;

      // Frames run when the test says so: each delta is rendered before the next arrives.
      const frames: (() => void)[] = [];
      Reflect.set(dom.window, 'requestAnimationFrame', (callback: () => void) => frames.push(callback));
      init([]);
      send({ type: 'messageAdded', message: answer({ state: 'streaming' }) });
      let renders = 0;
      for (let start = 0; start < ANSWER_WITH_CODE.length; start += 7) {
        send({ type: 'delta', messageId: 'a1', text: ANSWER_WITH_CODE.slice(start, start + 7) });
        for (const frame of frames.splice(0)) {
          frame();
          renders++;
        }
      }
      assert.ok(renders > 20, `rendered incrementally (${renders} frames)`);
      send({ type: 'messageFinished', message: answer({ text: ANSWER_WITH_CODE }) });
      const streamed = query('.message[data-id="a1"] .message-body').innerHTML;
      assert.equal(streamed, whole);
      assert.equal(codeBlocks().filter((block) => block.querySelectorAll('.code-header').length === 1).length, 2);
    });

    it('follow the editor font and word wrap the host sends', () => {
      init([]);
      const root = document().documentElement;
      send({ type: 'editorAppearance', appearance: { fontFamily: "'Fira Code', monospace", fontSize: 15, wordWrap: true } });
      assert.equal(root.style.getPropertyValue('--fox-code-font-family'), "'Fira Code', monospace");
      assert.equal(root.style.getPropertyValue('--fox-code-font-size'), '15px');
      assert.ok(root.classList.contains('code-wrap'));
      send({ type: 'editorAppearance', appearance: { fontFamily: '', fontSize: 0, wordWrap: false } });
      assert.equal(root.style.getPropertyValue('--fox-code-font-family'), '');
      assert.equal(root.style.getPropertyValue('--fox-code-font-size'), '');
      assert.ok(!root.classList.contains('code-wrap'));
    });
  });
});

interface MetaParts {
  renderMetaLine(fields: object, t: (key: string, ...args: (string | number)[]) => string): HTMLElement | undefined;
}

describe('meta line (metaLine.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<MetaParts>;
  const t = (key: string, ...args: (string | number)[]): string =>
    String(Reflect.get(testStrings, key) ?? key).replace(/\{(\d+)\}/g, (_match, index: string) => String(args[Number(index)]));

  before(async () => {
    load = await partLoader(`export { renderMetaLine } from '../transcript/metaLine';`, exportsFunctions<MetaParts>('renderMetaLine'));
  });

  it('shows cost and reasoning tokens only when they are known', () => {
    const { parts } = load();
    const full = parts.renderMetaLine({ usage: { prompt: 1, completion: 2, total: 3 }, reasoningTokens: 5, cost: 0.0012 }, t);
    assert.ok(full);
    assert.equal(full.querySelector('.meta-compact')?.textContent, '3 tokens · cost 0.0012');
    assert.equal(full.querySelector('.meta-details')?.textContent, '1 prompt + 2 completion = 3 tokens · 5 reasoning tokens · cost 0.0012');
    const plain = parts.renderMetaLine({ usage: { prompt: 1, completion: 2, total: 3 } }, t);
    assert.ok(plain);
    assert.doesNotMatch(plain.textContent, /cost|reasoning/);
    assert.equal(parts.renderMetaLine({}, t), undefined, 'no line without figures');
  });
});
