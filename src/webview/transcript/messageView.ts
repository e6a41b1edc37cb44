// One message of the transcript as an element: the user's question (plain text, chips, Edit) or an
// answer (streamed Markdown, reasoning, model, retry wait, footer, status); tool calls go to the tool card.
import type { AssistantMessageView, ErrorView, MessageView } from '../../protocol';
import { renderChip } from '../composer/contextChips';
import type { Post } from '../host';
import type { L10n } from '../l10n';
import type { AnswerViews } from './answerViews';
import { actionButton } from './elements';
import { decorateBody } from './jsonDecoration';
import type { RetryCountdowns } from './retryCountdown';
import type { ToolCards } from './toolCard';

export interface MessageViews {
  render(message: MessageView): HTMLElement;
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
    (element.querySelector('.message-header') as HTMLElement).textContent = model;
    element.querySelector('.message-fallback')?.remove();
    if (fallback) {
      const note = document.createElement('div');
      note.className = 'message-status message-fallback';
      note.textContent = t('fallbackNote', model);
      element.querySelector('.message-body')?.after(note);
    }
  }

  /** Model, finish reason, tokens and time to first token, then Copy / Regenerate. */
  function renderFooter(element: HTMLElement, message: AssistantMessageView): void {
    element.querySelector('.message-footer')?.remove();
    if (message.state === 'streaming') {
      return;
    }
    const footer = document.createElement('footer');
    footer.className = 'message-footer';
    const meta = document.createElement('span');
    meta.className = 'message-meta';
    const metaParts = [message.model];
    if (message.finishReason) {
      metaParts.push(t('finishReason', message.finishReason));
    }
    if (message.usage) {
      const { prompt, completion, total, reasoning, cached, cost } = message.usage;
      metaParts.push(t('tokens', prompt, completion, total));
      if (reasoning !== undefined) metaParts.push(t('reasoningTokens', reasoning));
      if (cached !== undefined) metaParts.push(t('cachedTokens', cached));
      // Gateways report cost in their own credits (usually US dollars); shown as reported.
      if (cost !== undefined) metaParts.push(t('cost', Number(cost.toPrecision(4))));
    }
    if (message.firstTokenMs !== undefined) {
      metaParts.push(t('firstToken', (message.firstTokenMs / 1000).toFixed(2)));
    }
    meta.textContent = metaParts.join(' · ');
    footer.append(meta);
    if (message.text.length > 0) {
      footer.append(actionButton('copy', t('copy'), () => post({ type: 'copyMessage', messageId: message.id })));
    }
    footer.append(actionButton('regenerate', t('regenerate'), () => post({ type: 'regenerate' })));
    element.append(footer);
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

  function render(message: MessageView): HTMLElement {
    if (message.role === 'tool') {
      return toolCards.render(message);
    }
    const element = document.createElement('article');
    element.className = 'message';
    element.dataset.id = message.id;
    element.dataset.role = message.role;

    const header = document.createElement('header');
    header.className = 'message-header';
    header.textContent = message.role === 'user' ? t('you') : message.model;
    element.append(header);

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
    }

    if (message.role === 'user') {
      const footer = document.createElement('footer');
      footer.className = 'message-footer';
      footer.append(actionButton('edit', t('edit'), () => editQuestion(message.text)));
      element.append(footer);
    }
    if (message.role === 'assistant') {
      element.dataset.state = message.state;
      const view = answers.create(message.id, body);
      view.setText(message.text);
      if (message.state !== 'streaming') {
        view.finish();
      }
      setModel(element, message.model, message.fallback === true);
      countdowns.set(element, message.retry);
      decorateFinished(element, message);
    }
    return element;
  }

  return { render, setReasoning, setModel, decorateFinished };
}
