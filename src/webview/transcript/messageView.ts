// One message of the transcript as an element: the user's question (plain text, chips, Edit) or an
// answer (streamed Markdown, reasoning, model, retry wait, footer, status); tool calls go to the tool card.
import type { AssistantMessageView, ErrorView, MessageView } from '../../protocol';
import { renderChip } from '../composer/contextChips';
import type { Post } from '../host';
import type { L10n } from '../l10n';
import type { DeferredRenders } from '../render/deferredRender';
import type { AnswerViews } from './answerViews';
import { icon, iconButton } from '../icons';
import { decorateBody } from './jsonDecoration';
import { metaFieldsOf, renderMetaLine } from './metaLine';
import type { RetryCountdowns } from './retryCountdown';
import type { ToolCards } from './toolCard';

export interface MessageViews {
  /** With `deferred`, a finished answer's Markdown is rendered once it nears the viewport. */
  render(message: MessageView, deferred?: DeferredRenders): HTMLElement;
  /** Reasoning streams into a collapsed section above the answer; created on its first text. */
  setReasoning(element: HTMLElement, text: string, append?: boolean): void;
  /** The model that answers, with a note when it is the fallback. */
  setModel(element: HTMLElement, model: string, fallback: boolean): void;
  /** Footer, body decoration and stopped / error status of an answer that is (re)rendered or finished. */
  decorateFinished(element: HTMLElement, message: AssistantMessageView): void;
}

export interface MessageViewParts {
  readonly post: Post;
  readonly l10n: L10n;
  readonly answers: AnswerViews;
  readonly countdowns: RetryCountdowns;
  readonly toolCards: ToolCards;
  /** The Edit button of a question: the composer takes its text. */
  readonly editQuestion: (text: string) => void;
}

/** Questions longer than this (characters or lines) are shown folded. */
const LONG_QUESTION_CHARS = 600;
const LONG_QUESTION_LINES = 8;

export function isLongQuestion(text: string): boolean {
  return text.length > LONG_QUESTION_CHARS || text.split('\n').length > LONG_QUESTION_LINES;
}

/** A message's action buttons, one group (more actions append to it). */
export function actionBar(buttons: readonly HTMLButtonElement[]): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'message-actions';
  bar.append(...buttons);
  return bar;
}

let bodyCount = 0;

export function createMessageViews(parts: MessageViewParts): MessageViews {
  const { post, l10n, answers, countdowns, toolCards, editQuestion } = parts;
  const { t } = l10n;

  function setReasoning(element: HTMLElement, text: string, append = false): void {
    let details = element.querySelector<HTMLDetailsElement>('details.reasoning');
    if (!details) {
      if (text.length === 0) {
        return;
      }
      details = document.createElement('details');
      details.className = 'reasoning';
      const summary = document.createElement('summary');
      summary.textContent = t('reasoning');
      const body = document.createElement('div');
      body.className = 'reasoning-body';
      details.append(summary, body);
      element.querySelector('.message-header')?.after(details);
    }
    const body = details.querySelector('.reasoning-body') as HTMLElement;
    if (append) {
      body.append(text);
    } else {
      body.textContent = text;
    }
  }

  function setModel(element: HTMLElement, model: string, fallback: boolean): void {
    (element.querySelector('.message-author') as HTMLElement).textContent = model;
    element.querySelector('.message-fallback')?.remove();
    if (fallback) {
      const note = document.createElement('div');
      note.className = 'message-status message-fallback';
      note.textContent = t('fallbackNote', model);
      element.querySelector('.message-body')?.after(note);
    }
  }

  /** The meta line (tokens, time to first token, cost; details on hover or focus), then Copy / Regenerate. */
  function renderFooter(element: HTMLElement, message: AssistantMessageView): void {
    element.querySelector('.message-footer')?.remove();
    if (message.state === 'streaming') {
      return;
    }
    const footer = document.createElement('footer');
    footer.className = 'message-footer';
    const meta = renderMetaLine(metaFieldsOf(message), t);
    if (meta) {
      footer.append(meta);
    }
    const buttons: HTMLButtonElement[] = [];
    if (message.text.length > 0) {
      buttons.push(iconButton('copy', 'copy', t('copy'), () => post({ type: 'copyMessage', messageId: message.id })));
    }
    buttons.push(iconButton('regenerate', 'regenerate', t('regenerate'), () => post({ type: 'regenerate' })));
    footer.append(actionBar(buttons));
    element.append(footer);
  }

  /** Role icon and author (the model for an answer), each shown once. */
  function renderHeader(role: 'user' | 'assistant', author: string): HTMLElement {
    const header = document.createElement('header');
    header.className = 'message-header';
    const glyph = icon(role === 'user' ? 'person' : 'fox');
    if (role === 'assistant') {
      // The visible author is the model; the icon says who speaks.
      glyph.setAttribute('role', 'img');
      glyph.setAttribute('aria-label', t('assistant'));
      glyph.removeAttribute('aria-hidden');
    }
    const name = document.createElement('span');
    name.className = 'message-author';
    name.textContent = author;
    header.append(glyph, name);
    return header;
  }

  /** A long question is shown folded, with a control to unfold it; undefined for a short one. */
  function collapseControl(body: HTMLElement, text: string): HTMLButtonElement | undefined {
    if (!isLongQuestion(text)) {
      return undefined;
    }
    body.id = `message-body-${++bodyCount}`;
    body.classList.add('collapsible', 'collapsed');
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'expand-toggle';
    toggle.setAttribute('aria-controls', body.id);
    const show = (expanded: boolean): void => {
      body.classList.toggle('collapsed', !expanded);
      toggle.setAttribute('aria-expanded', String(expanded));
      toggle.replaceChildren(icon(expanded ? 'chevronUp' : 'chevronDown'), expanded ? t('showLess') : t('showMore'));
    };
    toggle.addEventListener('click', () => show(body.classList.contains('collapsed')));
    show(false);
    return toggle;
  }

  function renderError(error: ErrorView): HTMLElement {
    const box = document.createElement('div');
    box.className = 'message-error';
    box.setAttribute('role', 'alert');
    const text = document.createElement('p');
    text.textContent = error.message;
    box.append(text);
    for (const action of error.actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.action = action;
      button.textContent = l10n.strings?.actionLabels[action] ?? action;
      button.addEventListener('click', () => post({ type: 'errorAction', action }));
      box.append(button);
    }
    return box;
  }

  function decorateFinished(element: HTMLElement, message: AssistantMessageView): void {
    renderFooter(element, message);
    const reasoningSummary = element.querySelector('details.reasoning > summary');
    if (reasoningSummary && message.reasoningMs !== undefined) reasoningSummary.textContent = t('reasoningFor', (message.reasoningMs / 1000).toFixed(1));
    decorateBody(element, message, t, (id) => answers.dispose(id));
    element.querySelector('.message-stopped')?.remove();
    element.querySelector('.message-error')?.remove();
    if (message.state === 'stopped') {
      const status = document.createElement('div');
      status.className = 'message-status message-stopped';
      status.textContent = t('stopped');
      element.append(status);
    }
    if (message.state === 'error' && message.error) {
      element.append(renderError(message.error));
    }
  }

  function render(message: MessageView, deferred?: DeferredRenders): HTMLElement {
    if (message.role === 'tool') {
      return toolCards.render(message);
    }
    const element = document.createElement('article');
    element.className = 'message';
    element.dataset.id = message.id;
    element.dataset.role = message.role;

    element.append(renderHeader(message.role === 'user' ? 'user' : 'assistant', message.role === 'user' ? t('you') : message.model));

    if (message.role === 'user') {
      element.append(...message.context.map(renderChip));
    }

    if (message.role === 'assistant') {
      setReasoning(element, message.reasoning ?? '');
    }

    const body = document.createElement('div');
    body.className = 'message-body';
    element.append(body);
    if (message.role === 'user') {
      // The user's own words stay plain text.
      body.textContent = message.text;
      const collapse = collapseControl(body, message.text);
      const footer = document.createElement('footer');
      footer.className = 'message-footer';
      footer.append(
        actionBar([
          iconButton('edit', 'edit', t('edit'), () => editQuestion(message.text)),
          iconButton('saveAsPrompt', 'book', t('saveAsPrompt'), () => post({ type: 'saveAsPrompt', messageId: message.id })),
        ]),
      );
      element.append(...(collapse ? [collapse] : []), footer);
    }
    if (message.role === 'assistant') {
      element.dataset.state = message.state;
      const view = answers.create(message.id, body);
      const fill = (): void => {
        view.setText(message.text);
        if (message.state !== 'streaming') {
          view.finish();
        }
      };
      // A JSON answer's tree replaces its Markdown right away (decorateBody), so it is not deferred.
      if (deferred !== undefined && message.state !== 'streaming' && message.json === undefined) {
        // Until then the raw text stands in: findable, and kept out of layout by content-visibility.
        body.textContent = message.text;
        element.dataset.deferred = '';
        deferred.defer(element, () => {
          delete element.dataset.deferred;
          body.textContent = '';
          fill();
        });
      } else {
        fill();
      }
      setModel(element, message.model, message.fallback === true);
      countdowns.set(element, message.retry);
      decorateFinished(element, message);
    }
    return element;
  }

  return { render, setReasoning, setModel, decorateFinished };
}
