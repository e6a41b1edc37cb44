import { strict as assert } from 'node:assert';
import type { ToolMessageView } from '../../../src/protocol';
import type { Post } from '../../../src/webview/host';
import type { L10n } from '../../../src/webview/l10n';
import type { ToolCards } from '../../../src/webview/transcript/toolCard';
import { exportsFunctions, partLoader, testStrings, type Loaded } from './parts';

interface ToolCardParts {
  createToolCards(options: { post: Post; l10n: L10n; transcript: HTMLElement }): ToolCards;
  createL10n(): L10n;
}

function tool(overrides: Partial<ToolMessageView> = {}): ToolMessageView {
  return { id: 't1', role: 'tool', name: 'propose_edit', arguments: '{"path":"a.ts"}', summary: 'a.ts', state: 'awaitingApproval', ...overrides };
}

describe('tool card (transcript/toolCard.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<ToolCardParts>;
  before(async () => {
    load = await partLoader(
      `export { createToolCards } from '../transcript/toolCard'; export { createL10n } from '../l10n';`,
      exportsFunctions<ToolCardParts>('createToolCards', 'createL10n'),
    );
  });

  function setup() {
    const loaded = load('<main id="transcript" tabindex="0"></main><textarea id="composer-input"></textarea>');
    const document = loaded.dom.window.document;
    const transcript = document.getElementById('transcript') as HTMLElement;
    const l10n = loaded.parts.createL10n();
    l10n.setStrings(testStrings);
    const cards = loaded.parts.createToolCards({ post: loaded.post, l10n, transcript });
    const show = (message: ToolMessageView): HTMLElement => {
      const card = cards.render(message);
      transcript.append(card);
      return card;
    };
    const button = (card: HTMLElement, action: string): HTMLButtonElement => {
      const found = card.querySelector(`.tool-approval button[data-action="${action}"]`);
      assert.ok(found instanceof loaded.dom.window.HTMLButtonElement, `a ${action} button`);
      return found;
    };
    return { ...loaded, document, transcript, cards, show, button };
  }

  it('answers once: the first click posts, later clicks on either button do nothing', () => {
    const { show, button, posted, document } = setup();
    const card = show(tool());
    const allow = button(card, 'allow');
    allow.focus();
    allow.click();
    allow.click();
    button(card, 'deny').click();
    assert.deepEqual(posted, [{ type: 'toolApproval', messageId: 't1', approved: true }]);
    assert.ok(allow.disabled && button(card, 'deny').disabled);
    assert.equal(document.activeElement, card.querySelector('summary'), 'focus stays on the card');
  });

  it('a card rebuilt while the answer is on its way does not ask again, until the card is forgotten', () => {
    const { show, button, posted, cards, transcript } = setup();
    const card = show(tool());
    button(card, 'deny').click();
    cards.update(card, tool());
    assert.ok(button(card, 'allow').disabled && button(card, 'deny').disabled);
    const rebuilt = show(tool());
    assert.ok(button(rebuilt, 'allow').disabled, 'a state re-send rebuilds the card: still answered');
    button(rebuilt, 'allow').click();
    assert.deepEqual(posted, [{ type: 'toolApproval', messageId: 't1', approved: false }]);

    cards.forget('t1');
    transcript.replaceChildren();
    const again = show(tool());
    button(again, 'allow').click();
    assert.deepEqual(posted[1], { type: 'toolApproval', messageId: 't1', approved: true });
  });

  it('takes focus to Allow only when focus is nowhere in particular, never from the composer', () => {
    const { show, button, cards, document, transcript } = setup();
    const first = show(tool({ id: 't1' }));
    cards.focusApproval(first);
    assert.equal(document.activeElement, button(first, 'allow'), 'from the page body');

    transcript.focus();
    const second = show(tool({ id: 't2', state: 'running' }));
    cards.update(second, tool({ id: 't2' }));
    assert.equal(document.activeElement, button(second, 'allow'), 'from the transcript, when the call starts waiting');

    const input = document.getElementById('composer-input') as HTMLTextAreaElement;
    input.focus();
    const third = show(tool({ id: 't3', state: 'running' }));
    cards.update(third, tool({ id: 't3' }));
    assert.equal(document.activeElement, input);

    const fourth = show(tool({ id: 't4' }));
    (document.activeElement as HTMLElement).blur();
    cards.update(fourth, tool({ id: 't4' }));
    assert.equal(document.activeElement, document.body, 'still waiting is not newly waiting: focus is left alone');
  });
});
