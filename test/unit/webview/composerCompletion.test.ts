import { strict as assert } from 'node:assert';
import type { ContextView, PromptSummary } from '../../../src/protocol';
import type { Composer, ComposerElements, ComposerOptions } from '../../../src/webview/composer/composer';
import type { PendingContext, PendingContextOptions } from '../../../src/webview/composer/contextChips';
import type { CompletionItem, Trigger } from '../../../src/webview/composer/completion';
import { exportsFunctions, partLoader, testStrings, type Loaded } from './parts';

interface Parts {
  createComposer(elements: ComposerElements, options: ComposerOptions): Composer;
  createPendingContext(container: HTMLElement, options: PendingContextOptions): PendingContext;
  findTrigger(value: string, caret: number): Trigger | undefined;
  filterItems(items: readonly CompletionItem[], query: string): CompletionItem[];
}

const HTML = `
<div id="composer"><div id="composer-context" hidden></div>
<div id="composer-row"><button id="attach-button"></button><textarea id="composer-input"></textarea>
<button id="send-button"></button><button id="stop-button" hidden></button></div></div>`;

const PROMPTS: PromptSummary[] = [
  { name: 'explain', description: 'Explain the selection', source: 'github', location: '.github/prompts' },
  { name: 'review', description: '', source: 'foxchat', location: '.foxchat/prompts' },
  { name: 'write-tests', description: 'Tests for the selection', source: 'user', location: 'your prompts' },
];

const t = (key: string, ...args: (string | number)[]): string => {
  const template = (testStrings as unknown as Record<string, unknown>)[key];
  return typeof template === 'string' ? template.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)])) : key;
};

describe('composer completion and context chips (composer/completion.ts, contextChips.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<Parts>;
  before(async () => {
    load = await partLoader(
      `export { createComposer } from '../composer/composer';
       export { createPendingContext } from '../composer/contextChips';
       export { findTrigger, filterItems } from '../composer/completion';`,
      exportsFunctions<Parts>('createComposer', 'createPendingContext', 'findTrigger', 'filterItems'),
    );
  });

  function setup() {
    const loaded = load(HTML);
    const { document, KeyboardEvent, InputEvent } = loaded.dom.window;
    const byId = <T>(id: string): T => document.getElementById(id) as T;
    const input = byId<HTMLTextAreaElement>('composer-input');
    const composer = loaded.parts.createComposer(
      { input, sendButton: byId('send-button'), stopButton: byId('stop-button'), attachButton: byId('attach-button') },
      { post: loaded.post, t, sourceDescriptions: () => testStrings.contextSources },
    );
    const list = (): HTMLElement => document.querySelector('[role="listbox"]') as HTMLElement;
    const options = (): HTMLElement[] => Array.from(list().querySelectorAll<HTMLElement>('[role="option"]'));
    const labels = (): string[] => options().map((option) => option.querySelector('.completion-label')?.textContent ?? '');
    const activeLabel = (): string | undefined => {
      const id = input.getAttribute('aria-activedescendant');
      return id ? document.getElementById(id)?.querySelector('.completion-label')?.textContent ?? undefined : undefined;
    };
    /** Types `text` as the input's whole value, caret at the end, as a keystroke would leave it. */
    const type = (text: string): void => {
      input.value = text;
      input.setSelectionRange(text.length, text.length);
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    };
    const key = (name: string, init: { shiftKey?: boolean } = {}): boolean => {
      const event = new KeyboardEvent('keydown', { key: name, cancelable: true, bubbles: true, ...init });
      input.dispatchEvent(event);
      return event.defaultPrevented;
    };
    return { ...loaded, document, input, composer, list, options, labels, activeLabel, type, key };
  }

  it('finds `/` only at the start of the composer and `@` only at the start of a word', () => {
    const { parts: bundled } = setup();
    // Plain copies: objects from the jsdom realm have other prototypes than deepEqual's expectations.
    const parts = { ...bundled, findTrigger: (value: string, caret: number) => structuredClone(bundled.findTrigger(value, caret)) };
    assert.deepEqual(parts.findTrigger('/exp', 4), { kind: '/', query: 'exp', start: 0, end: 4 });
    assert.equal(parts.findTrigger('see /exp', 8), undefined);
    assert.equal(parts.findTrigger('/explain this', 13), undefined, 'a prompt name is one word');
    assert.deepEqual(parts.findTrigger('look at @fi', 11), { kind: '@', query: 'fi', start: 8, end: 11 });
    assert.equal(parts.findTrigger('mail me@example', 15), undefined, 'an @ inside a word is no trigger');
    assert.deepEqual(parts.findTrigger('@ and more', 1), { kind: '@', query: '', start: 0, end: 1 }, 'the caret decides, not the end');
    const items: CompletionItem[] = ['review', 'write-tests', 'explain', 'rewrite'].map((value) => ({ value, label: value }));
    assert.deepEqual(
      parts.filterItems(items, 'RE').map((item) => item.value),
      ['review', 'rewrite', 'write-tests'],
      'prefix matches first (in their order), then fuzzy ones',
    );
    assert.deepEqual(parts.filterItems(items, 'wts').map((item) => item.value), ['write-tests'], 'letters in order match fuzzily');
  });

  it('`/` lists the prompts with ARIA roles, filters as you type, moves with the arrows and sends runPrompt on Enter', () => {
    const { composer, input, list, labels, options, activeLabel, type, key, posted } = setup();
    composer.setPrompts(PROMPTS);
    type('/');
    assert.equal(list().hidden, false);
    assert.equal(list().getAttribute('aria-label'), 'Suggestions');
    assert.equal(input.getAttribute('aria-controls'), list().id);
    assert.deepEqual(labels(), ['/explain', '/review', '/write-tests']);
    assert.equal(options()[0]?.querySelector('.completion-detail')?.textContent, 'Explain the selection');
    assert.equal(options()[1]?.querySelector('.completion-detail')?.textContent, '.foxchat/prompts', 'without a description, where it comes from');
    assert.equal(activeLabel(), '/explain');
    assert.equal(options()[0]?.getAttribute('aria-selected'), 'true');

    assert.equal(key('ArrowDown'), true);
    assert.equal(activeLabel(), '/review');
    assert.equal(key('ArrowUp'), true);
    assert.equal(key('ArrowUp'), true, 'wraps around');
    assert.equal(activeLabel(), '/write-tests');

    type('/re');
    assert.deepEqual(labels(), ['/review', '/write-tests']);
    assert.equal(key('Enter'), true, 'Enter chooses instead of sending');
    assert.deepEqual(posted, [{ type: 'runPrompt', name: 'review' }]);
    assert.equal(input.value, '', 'the /name typed is gone');
    assert.equal(list().hidden, true);
    assert.equal(input.hasAttribute('aria-activedescendant'), false);
  });

  it('`@` offers the context sources; Tab chooses, leaves the rest of the text, and asks the host to attach', () => {
    const { input, labels, options, activeLabel, type, key, posted } = setup();
    type('Why does this fail? @');
    assert.deepEqual(labels(), ['@file', '@selection', '@problems', '@diff', '@terminal']);
    assert.equal(options()[3]?.querySelector('.completion-detail')?.textContent, 'Attach the diff');
    type('Why does this fail? @pro');
    assert.deepEqual(labels(), ['@problems']);
    assert.equal(activeLabel(), '@problems');
    assert.equal(key('Tab'), true);
    assert.deepEqual(posted, [{ type: 'attachContext', source: 'problems' }]);
    assert.equal(input.value, 'Why does this fail? ');
  });

  it('Escape closes the list without choosing, and Enter then sends the text as typed; no match shows no list', () => {
    const { composer, input, list, type, key, posted } = setup();
    composer.setPrompts(PROMPTS);
    type('/ex');
    assert.equal(list().hidden, false);
    assert.equal(key('Escape'), true);
    assert.equal(list().hidden, true);
    assert.deepEqual(posted, []);
    type('/zzz');
    assert.equal(list().hidden, true, 'nothing matches');
    assert.equal(key('Enter'), true);
    assert.deepEqual(posted, [{ type: 'send', text: '/zzz' }]);
    assert.equal(input.value, '');
  });

  it('moving the caret out of the trigger closes the list, and back into it reopens it', () => {
    const { input, list, labels, type, dom } = setup();
    type('ask @di now');
    assert.equal(list().hidden, true, 'the caret is at the end, past the trigger');
    input.setSelectionRange(7, 7);
    input.dispatchEvent(new dom.window.KeyboardEvent('keyup', { key: 'ArrowLeft', bubbles: true }));
    assert.equal(list().hidden, false);
    assert.deepEqual(labels(), ['@diff']);
    input.setSelectionRange(11, 11);
    input.dispatchEvent(new dom.window.MouseEvent('click', { bubbles: true }));
    assert.equal(list().hidden, true);
  });

  it('prompts that arrive while the list is open show at once; clicking an option chooses it', () => {
    const { composer, labels, options, type, posted, dom } = setup();
    type('@');
    composer.setPrompts(PROMPTS);
    type('/');
    assert.deepEqual(labels(), ['/explain', '/review', '/write-tests']);
    composer.setPrompts([...PROMPTS, { name: 'document', description: '', source: 'user', location: 'your prompts' }]);
    assert.deepEqual(labels(), ['/explain', '/review', '/write-tests', '/document']);
    options()[3]?.dispatchEvent(new dom.window.MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    assert.deepEqual(posted, [{ type: 'runPrompt', name: 'document' }]);
  });

  it('chips are focusable and removed with Delete, Backspace or their × button; focus moves on; the token estimate sums the text', () => {
    const { document, input, post, posted, parts, dom } = setup();
    const container = document.getElementById('composer-context') as HTMLElement;
    const chips = parts.createPendingContext(container, { post, t, focusInput: () => input.focus() });
    const context: ContextView[] = [
      { kind: 'attachment', source: 'file', label: 'src/app.ts', chars: 400 },
      { kind: 'selection', fileName: 'b.ts', languageId: 'typescript', startLine: 1, endLine: 2, chars: 41 },
      { kind: 'attachment', source: 'diff', label: 'Working tree diff', chars: 0 },
    ];
    chips.render(context);
    const chipElements = (): HTMLElement[] => Array.from(container.querySelectorAll<HTMLElement>('.context-chip'));
    assert.equal(container.hidden, false);
    assert.deepEqual(chipElements().map((chip) => chip.tabIndex), [0, 0, 0]);
    assert.deepEqual(chipElements().map((chip) => chip.getAttribute('aria-label')), ['src/app.ts', 'b.ts:1-2', 'Working tree diff']);
    assert.equal(chipElements()[0]?.querySelector('button')?.getAttribute('aria-label'), 'Remove src/app.ts');
    assert.equal(container.querySelector('.context-tokens')?.textContent, '≈ 111 tokens');

    const press = (element: HTMLElement, name: string): void => {
      element.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
    };
    chipElements()[1]?.focus();
    press(chipElements()[1] as HTMLElement, 'Delete');
    assert.deepEqual(posted, [{ type: 'removeContext', index: 1 }]);
    // The host answers with the new list; the chip now in that place gets focus.
    chips.render([context[0] as ContextView, context[2] as ContextView]);
    assert.equal(document.activeElement, chipElements()[1]);
    assert.equal(container.querySelector('.context-tokens')?.textContent, '≈ 100 tokens');

    press(chipElements()[1] as HTMLElement, 'Backspace');
    chips.render([context[0] as ContextView]);
    assert.equal(document.activeElement, chipElements()[0], 'the last chip removed: focus goes to the one before');

    chipElements()[0]?.querySelector('button')?.click();
    assert.deepEqual(posted.at(-1), { type: 'removeContext', index: 0 });
    chips.render([]);
    assert.equal(container.hidden, true);
    press(input, 'x');
    chips.render([{ kind: 'image', name: 'a.png', dataUrl: 'data:image/png;base64,AA==' }]);
    assert.equal((container.querySelector('.context-tokens') as HTMLElement).hidden, true, 'images count no text tokens');
  });

  it('removing the only chip from the keyboard gives focus back to the composer', () => {
    const { document, input, post, parts, dom } = setup();
    const container = document.getElementById('composer-context') as HTMLElement;
    const chips = parts.createPendingContext(container, { post, t, focusInput: () => input.focus() });
    chips.render([{ kind: 'attachment', source: 'terminal', label: 'Terminal output: npm test', chars: 10 }]);
    const chip = container.querySelector<HTMLElement>('.context-chip') as HTMLElement;
    chip.focus();
    chip.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: 'Delete', bubbles: true, cancelable: true }));
    chips.render([]);
    assert.equal(document.activeElement, input);
  });
});
