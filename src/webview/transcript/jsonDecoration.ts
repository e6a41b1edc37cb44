// How a finished answer's body is shown beyond its Markdown: hidden when the answer only called
// tools, and a foldable tree (with notes) for a JSON answer.
import type { AssistantMessageView } from '../../protocol';
import type { Translate } from '../l10n';
import { parseJsonAnswer, renderJsonTree } from '../render/jsonView';

/**
 * An answer that only called tools leaves no empty bubble (its header and footer stay), and a
 * finished JSON answer swaps its Markdown for a foldable tree when the text parses.
 * `disposeView` lets go of the answer's Markdown view when the tree replaces it.
 */
export function decorateBody(element: HTMLElement, message: AssistantMessageView, t: Translate, disposeView: (id: string) => void): void {
  const body = element.querySelector('.message-body') as HTMLElement;
  const toolsOnly = message.state === 'done' && !message.error && message.text.trim().length === 0;
  body.hidden = toolsOnly;
  element.classList.toggle('tools-only', toolsOnly);

  element.querySelectorAll('.json-note').forEach((note) => note.remove());
  if (!message.json || message.state === 'streaming') {
    return;
  }
  const parsed = parseJsonAnswer(message.text);
  if (parsed.ok) {
    // The answer is complete, so no delta will reach the Markdown view again.
    disposeView(message.id);
    body.classList.remove('markdown');
    body.classList.add('json-answer');
    body.replaceChildren(
      renderJsonTree(parsed.value, {
        label: t('jsonAnswer'),
        keys: (count) => t('jsonKeys', count),
        items: (count) => t('jsonItems', count),
      }),
    );
  }
  const notes: HTMLElement[] = [];
  if (message.json.valid === false) {
    const warning = document.createElement('div');
    warning.className = 'json-note json-invalid';
    warning.setAttribute('role', 'note');
    warning.textContent = t('jsonInvalid', message.json.problem ?? '');
    notes.push(warning);
  }
  if (message.json.viaPrompt === true) {
    const note = document.createElement('div');
    note.className = 'message-status json-note json-via-prompt';
    note.textContent = t('jsonViaPrompt');
    notes.push(note);
  }
  body.after(...notes);
}
