// The conversation as the host describes it: messages added, updated, finished and removed in the
// transcript element, kept scrolled to the end while the reader is there.
import type { AssistantMessageView, MessageView, RetryView, ToolMessageView } from '../../protocol';
import type { Post } from '../host';
import type { Announcer } from '../announcer';
import type { L10n } from '../l10n';
import { createDeferredRenders } from '../render/deferredRender';
import type { FrameScheduler } from '../render/inputFirstFrames';
import { interceptLinks } from '../render/links';
import type { Sanitize } from '../render/sanitizer';
import { createAnswerViews } from './answerViews';
import { createMessageViews } from './messageView';
import { setPreparing, setPreparingName } from './preparingLine';
import { createRetryCountdowns, type IntervalClock } from './retryCountdown';
import { createToolCards } from './toolCard';

export interface TranscriptElements {
  readonly transcript: HTMLElement;
  readonly emptyState: HTMLElement;
}

export interface TranscriptOptions {
  readonly post: Post;
  readonly l10n: L10n;
  /** Every piece of model output reaches the DOM through this. */
  readonly sanitize: Sanitize;
  readonly clock: IntervalClock;
  /** The Edit button of the last question. */
  readonly editQuestion: (text: string) => void;
  /** Reads finished answers out to screen readers. */
  readonly announcer?: Announcer;
  /** When streamed answers render; animation frames when absent. */
  readonly frames?: FrameScheduler;
}

export interface Transcript {
  applyStrings(): void;
  /** Rebuilds the transcript from a state re-send (call showEnd once the rest of the panel is updated). */
  replaceMessages(messages: readonly MessageView[]): void;
  /** Shows the empty state or the end of the conversation. */
  showEnd(): void;
  add(message: MessageView): void;
  remove(messageId: string): void;
  appendDelta(messageId: string, text: string): void;
  appendReasoning(messageId: string, text: string): void;
  setPreparingName(messageId: string, index: number, name: string): void;
  setRetry(messageId: string, retry: RetryView | undefined): void;
  setModel(messageId: string, model: string, fallback: boolean): void;
  finish(message: AssistantMessageView): void;
  updateTool(message: ToolMessageView): void;
}

/**
 * A state re-send renders the Markdown of this many last messages at once; earlier answers when they
 * near the viewport (a 200-message conversation opened in 3 s of main thread when all were rendered).
 */
const EAGER_MESSAGES = 2;

export function createTranscript(elements: TranscriptElements, options: TranscriptOptions): Transcript {
  const { transcript, emptyState } = elements;
  const { post, l10n, sanitize, clock, editQuestion, announcer, frames } = options;
  const { t } = l10n;

  /**
   * Set while replaceMessages rebuilds the transcript, which ends at its end (showEnd): asking for the
   * scroll position in between forced a layout of the whole half-built transcript (bench/render.ts).
   */
  let rebuilding = false;

  function isNearEnd(): boolean {
    return rebuilding || transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
  }

  function scrollToEnd(): void {
    if (!rebuilding) {
      transcript.scrollTop = transcript.scrollHeight;
    }
  }

  function updateEmptyState(): void {
    emptyState.hidden = transcript.childElementCount > 0;
  }

  function findMessage(id: string): HTMLElement | null {
    return transcript.querySelector(`.message[data-id="${CSS.escape(id)}"]`);
  }

  /** Regenerate belongs to the last answer and Edit to the last question only. */
  function updateLastActions(): void {
    const messages = Array.from(transcript.querySelectorAll<HTMLElement>('.message'));
    const lastAnswer = messages.filter((element) => element.dataset.role === 'assistant').pop();
    const lastQuestion = messages.filter((element) => element.dataset.role === 'user').pop();
    for (const element of messages) {
      const regenerate = element.querySelector<HTMLElement>('[data-action="regenerate"]');
      if (regenerate) {
        regenerate.hidden = element !== lastAnswer;
      }
      const edit = element.querySelector<HTMLElement>('[data-action="edit"]');
      if (edit) {
        edit.hidden = element !== lastQuestion;
      }
    }
  }

  const answers = createAnswerViews({ sanitize, post, l10n, scroll: { isNearEnd, scrollToEnd }, frames });
  const countdowns = createRetryCountdowns({ post, t, clock });
  const toolCards = createToolCards({ post, l10n, transcript });
  const views = createMessageViews({ post, l10n, answers, countdowns, toolCards, editQuestion });

  const deferred = createDeferredRenders(transcript);

  interceptLinks(transcript, (href, text) => post({ type: 'openLink', href, text }));

  return {
    applyStrings() {
      transcript.setAttribute('aria-label', t('transcriptLabel'));
    },
    replaceMessages(messages) {
      countdowns.clearAll();
      deferred.clear();
      answers.disposeAll();
      transcript.replaceChildren();
      const eagerFrom = messages.length - EAGER_MESSAGES;
      rebuilding = true;
      try {
        messages.forEach((message, index) => transcript.append(views.render(message, index < eagerFrom ? deferred : undefined)));
      } finally {
        rebuilding = false;
      }
      updateLastActions();
    },
    showEnd() {
      updateEmptyState();
      scrollToEnd();
    },
    add(message) {
      const follow = isNearEnd();
      const element = views.render(message);
      transcript.append(element);
      updateLastActions();
      updateEmptyState();
      if (follow || message.role === 'user') {
        scrollToEnd();
      }
      if (message.role === 'tool' && message.state === 'awaitingApproval') {
        toolCards.focusApproval(element);
      }
    },
    remove(messageId) {
      answers.dispose(messageId);
      toolCards.forget(messageId);
      findMessage(messageId)?.remove();
      updateEmptyState();
      updateLastActions();
    },
    appendDelta(messageId, text) {
      answers.get(messageId)?.append(text);
    },
    appendReasoning(messageId, text) {
      const element = findMessage(messageId);
      if (element) {
        views.setReasoning(element, text, true);
      }
    },
    setPreparingName(messageId, index, name) {
      const element = findMessage(messageId);
      if (element) {
        setPreparingName(element, index, name, t);
      }
    },
    setRetry(messageId, retry) {
      const element = findMessage(messageId);
      if (element) {
        countdowns.set(element, retry);
      }
    },
    setModel(messageId, model, fallback) {
      const element = findMessage(messageId);
      if (element) {
        views.setModel(element, model, fallback);
      }
    },
    finish(message) {
      const view = answers.get(message.id);
      view?.setText(message.text);
      view?.finish();
      const element = findMessage(message.id);
      if (!element) {
        return;
      }
      countdowns.set(element, undefined);
      setPreparing(element, [], t);
      element.dataset.state = message.state;
      views.decorateFinished(element, message);
      updateLastActions();
      const spoken = message.state === 'error' ? (message.error?.message ?? '') : (element.querySelector('.message-body')?.textContent ?? message.text);
      if (spoken.trim().length > 0) {
        announcer?.answerFinished(message.model, spoken);
      }
    },
    updateTool(message) {
      const card = findMessage(message.id);
      if (!card) {
        // Dropped while hidden: the host re-sends the whole state when the panel shows again.
        return;
      }
      toolCards.update(card, message);
    },
  };
}
