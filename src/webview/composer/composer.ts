// The composer: the input with Enter to send, Shift+Enter for a new line, Up to recall the last
// question and Escape to leave editing; the send, stop and attach buttons; `/` and `@` completion.
import type { ContextSource, PromptSummary } from '../../protocol';
import type { Post } from '../host';
import type { Translate } from '../l10n';
import { createCompletion, type CompletionItem, type TriggerKind } from './completion';

/** What `@` offers, in this order. */
export const CONTEXT_SOURCES: readonly ContextSource[] = ['file', 'selection', 'problems', 'diff', 'terminal'];

export interface ComposerElements {
  readonly input: HTMLTextAreaElement;
  readonly sendButton: HTMLButtonElement;
  readonly stopButton: HTMLButtonElement;
  readonly attachButton: HTMLButtonElement;
}

export interface Composer {
  applyStrings(): void;
  /** While an answer streams, Stop replaces Send and nothing can be sent. */
  setStreaming(streaming: boolean): void;
  /** The composer edits the last question (`text`) instead of asking a new one. */
  startEditing(text: string): void;
  focus(): void;
  /** The host could not send `text` (no key yet, a bad setting): give the words back unless new ones were typed. */
  restoreInput(text: string): void;
  /** The prompt library `/` offers. */
  setPrompts(prompts: readonly PromptSummary[]): void;
}

export interface ComposerOptions {
  post: Post;
  t: Translate;
  /** What each @ source attaches, shown next to it in the list (undefined before the host's strings arrive). */
  sourceDescriptions?: () => Readonly<Record<ContextSource, string>> | undefined;
}

export function createComposer(elements: ComposerElements, options: ComposerOptions): Composer {
  const { input, sendButton, stopButton, attachButton } = elements;
  const { post, t } = options;

  let prompts: readonly PromptSummary[] = [];
  const completionList = input.ownerDocument.createElement('div');
  // Above the input's row (or the input itself in a bare page), in the flow: no overlay to position.
  const row = input.parentElement;
  if (row && row !== input.ownerDocument.body) row.before(completionList);
  else input.before(completionList);
  const completion = createCompletion(input, completionList, {
    label: () => t('completionLabel'),
    items: (kind: TriggerKind): CompletionItem[] =>
      kind === '/'
        ? prompts.map((prompt) => ({ value: prompt.name, label: `/${prompt.name}`, detail: prompt.description || prompt.location }))
        : CONTEXT_SOURCES.map((source) => ({ value: source, label: `@${source}`, detail: options.sourceDescriptions?.()?.[source] })),
    choose: (kind, item) => {
      if (kind === '/') {
        post({ type: 'runPrompt', name: item.value });
        return;
      }
      const source = CONTEXT_SOURCES.find((candidate) => candidate === item.value);
      if (source) post({ type: 'attachContext', source });
    },
  });

  /** While set, the composer edits the last question instead of asking a new one. */
  let editing = false;
  /** The last question sent from here, for Up in an empty composer (as in a shell). */
  let lastPrompt = '';

  function startEditing(text: string): void {
    editing = true;
    input.value = text;
    input.classList.add('editing');
    input.focus();
  }

  function stopEditing(): void {
    editing = false;
    input.classList.remove('editing');
  }

  function submit(): void {
    const text = input.value.trim();
    if (text.length === 0 || !stopButton.hidden) {
      return;
    }
    post(editing ? { type: 'editLast', text } : { type: 'send', text });
    lastPrompt = text;
    stopEditing();
    input.value = '';
  }

  input.addEventListener('keydown', (event) => {
    if (completion.handleKey(event)) {
      return;
    }
    if (event.key === 'ArrowUp' && input.value === '' && lastPrompt !== '') {
      event.preventDefault();
      input.value = lastPrompt;
      input.setSelectionRange(input.value.length, input.value.length);
      return;
    }
    if (event.key === 'Escape' && editing) {
      event.preventDefault();
      stopEditing();
      input.value = '';
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  sendButton.addEventListener('click', submit);
  attachButton.addEventListener('click', () => post({ type: 'pickImage' }));
  stopButton.addEventListener('click', () => post({ type: 'stop' }));

  return {
    applyStrings() {
      input.placeholder = t('placeholder');
      input.setAttribute('aria-label', t('composerLabel'));
      sendButton.title = t('send');
      sendButton.setAttribute('aria-label', t('send'));
      stopButton.title = t('stop');
      attachButton.title = t('attachImage');
      attachButton.setAttribute('aria-label', t('attachImage'));
      stopButton.setAttribute('aria-label', t('stop'));
    },
    setStreaming(streaming) {
      stopButton.hidden = !streaming;
      sendButton.hidden = streaming;
    },
    startEditing,
    focus() {
      input.focus();
    },
    restoreInput(text) {
      if (input.value.trim().length === 0) {
        input.value = text;
      }
      input.focus();
    },
    setPrompts(next) {
      prompts = next;
      if (completion.isOpen) completion.update();
    },
  };
}
