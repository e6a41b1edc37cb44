import { strict as assert } from 'node:assert';
import type { Composer, ComposerElements } from '../../../src/webview/composer/composer';
import type { Translate } from '../../../src/webview/l10n';
import type { Post } from '../../../src/webview/host';
import { exportsFunctions, partLoader, type Loaded } from './parts';

interface ComposerParts {
  createComposer(elements: ComposerElements, options: { post: Post; t: Translate }): Composer;
}

const COMPOSER_HTML = `
<textarea id="composer-input"></textarea>
<button id="send-button"></button><button id="stop-button" hidden></button><button id="attach-button"></button>`;

describe('composer (composer/composer.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<ComposerParts>;
  before(async () => {
    load = await partLoader(`export { createComposer } from '../composer/composer';`, exportsFunctions<ComposerParts>('createComposer'));
  });

  function setup() {
    const loaded = load(COMPOSER_HTML);
    const document = loaded.dom.window.document;
    const byId = <T>(id: string): T => document.getElementById(id) as T;
    const elements: ComposerElements = {
      input: byId<HTMLTextAreaElement>('composer-input'),
      sendButton: byId<HTMLButtonElement>('send-button'),
      stopButton: byId<HTMLButtonElement>('stop-button'),
      attachButton: byId<HTMLButtonElement>('attach-button'),
    };
    const composer = loaded.parts.createComposer(elements, { post: loaded.post, t: (key) => key });
    /** Dispatches a keydown on the input; true when the part prevented its default. */
    const key = (keyName: string, init: { shiftKey?: boolean } = {}): boolean => {
      const event = new loaded.dom.window.KeyboardEvent('keydown', { key: keyName, cancelable: true, bubbles: true, ...init });
      elements.input.dispatchEvent(event);
      return event.defaultPrevented;
    };
    return { ...loaded, ...elements, composer, key, document };
  }

  it('Enter sends the trimmed text and empties the input; Shift+Enter and blank input send nothing', () => {
    const { input, key, posted } = setup();
    input.value = '   ';
    key('Enter');
    assert.deepEqual(posted, [], 'nothing to send');
    input.value = 'line one';
    assert.equal(key('Enter', { shiftKey: true }), false, 'Shift+Enter keeps its newline');
    assert.deepEqual(posted, []);
    input.value = '  Explain this  ';
    assert.equal(key('Enter'), true);
    assert.deepEqual(posted, [{ type: 'send', text: 'Explain this' }]);
    assert.equal(input.value, '');
  });

  it('the send button submits, and nothing is sent while an answer streams', () => {
    const { input, sendButton, stopButton, composer, key, posted } = setup();
    composer.setStreaming(true);
    assert.ok(sendButton.hidden && !stopButton.hidden);
    input.value = 'Next question';
    key('Enter');
    assert.deepEqual(posted, []);
    assert.equal(input.value, 'Next question', 'kept for later');
    stopButton.click();
    assert.deepEqual(posted, [{ type: 'stop' }]);
    composer.setStreaming(false);
    assert.deepEqual({ sendHidden: sendButton.hidden, stopHidden: stopButton.hidden }, { sendHidden: false, stopHidden: true });
    sendButton.click();
    assert.deepEqual(posted, [{ type: 'stop' }, { type: 'send', text: 'Next question' }]);
  });

  it('Up in an empty composer recalls the last question sent, with the caret at its end', () => {
    const { input, key, posted } = setup();
    assert.equal(key('ArrowUp'), false, 'nothing sent yet: Up is left alone');
    input.value = 'First';
    key('Enter');
    input.value = 'draft';
    assert.equal(key('ArrowUp'), false, 'a draft is never replaced');
    assert.equal(input.value, 'draft');
    input.value = '';
    assert.equal(key('ArrowUp'), true);
    assert.equal(input.value, 'First');
    assert.equal(input.selectionStart, 5);
    assert.equal(input.selectionEnd, 5);
    assert.deepEqual(posted, [{ type: 'send', text: 'First' }]);
  });

  it('editing the last question sends editLast, and Escape leaves editing without sending', () => {
    const { input, composer, key, posted, document } = setup();
    composer.startEditing('Old question');
    assert.equal(input.value, 'Old question');
    assert.ok(input.classList.contains('editing'));
    assert.equal(document.activeElement, input);
    assert.equal(key('Escape'), true);
    assert.equal(input.value, '');
    assert.ok(!input.classList.contains('editing'));
    assert.equal(key('Escape'), false, 'Escape outside editing is not the composer’s');

    composer.startEditing('Old question');
    input.value = 'New question';
    key('Enter');
    assert.deepEqual(posted, [{ type: 'editLast', text: 'New question' }]);
    assert.ok(!input.classList.contains('editing'));
    input.value = 'Another';
    key('Enter');
    assert.deepEqual(posted[1], { type: 'send', text: 'Another' }, 'back to asking new questions');
  });

  it('restoreInput gives the words back only to an empty composer, and focuses it', () => {
    const { input, composer, document } = setup();
    composer.restoreInput('Lost words');
    assert.equal(input.value, 'Lost words');
    assert.equal(document.activeElement, input);
    input.value = 'typed since';
    composer.restoreInput('Lost words');
    assert.equal(input.value, 'typed since');
  });

  it('the attach button asks the host for a picker; strings land on the elements', () => {
    const { attachButton, input, sendButton, composer, posted } = setup();
    attachButton.click();
    assert.deepEqual(posted, [{ type: 'pickImage' }]);
    composer.applyStrings();
    assert.equal(input.placeholder, 'placeholder');
    assert.equal(input.getAttribute('aria-label'), 'composerLabel');
    assert.equal(sendButton.getAttribute('aria-label'), 'send');
    assert.equal(attachButton.getAttribute('aria-label'), 'attachImage');
  });
});
