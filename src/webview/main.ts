// The chat panel's browser side: renders what the host sends and asks the host to act.
// It holds no conversation state of its own beyond the DOM; the host re-sends the state on `ready`.
import type {
  AssistantMessageView,
  ChatState,
  ContextView,
  ErrorView,
  HostToWebview,
  MessageState,
  MessageView,
  RetryView,
  WebviewStrings,
  WebviewToHost,
} from '../protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost): void => vscode.postMessage(message);

const transcript = document.getElementById('transcript') as HTMLElement;
const emptyState = document.getElementById('empty-state') as HTMLElement;
const input = document.getElementById('composer-input') as HTMLTextAreaElement;
const sendButton = document.getElementById('send-button') as HTMLButtonElement;
const stopButton = document.getElementById('stop-button') as HTMLButtonElement;
const modelLabel = document.getElementById('model-label') as HTMLElement;
const composerContext = document.getElementById('composer-context') as HTMLElement;

let strings: WebviewStrings | undefined;
/** Text nodes of answers still streaming: appending to one is O(delta), not O(answer). */
const streamingBodies = new Map<string, Text>();

function t(key: Exclude<keyof WebviewStrings, 'actionLabels'>, ...args: (string | number)[]): string {
  const template = strings?.[key] ?? '';
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match));
}

function chipLabel(context: ContextView): string {
  const range = context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
  return `${context.fileName}:${range}`;
}

function renderChip(context: ContextView): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'context-chip';
  chip.textContent = chipLabel(context);
  chip.title = `${context.fileName} (${context.languageId})`;
  return chip;
}

function renderPendingContext(context: ContextView[]): void {
  composerContext.replaceChildren(
    ...context.map((item, index) => {
      const chip = renderChip(item);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.setAttribute('aria-label', t('removeContext', chipLabel(item)));
      remove.addEventListener('click', () => post({ type: 'removeContext', index }));
      chip.append(remove);
      return chip;
    }),
  );
  composerContext.hidden = context.length === 0;
}

function applyStrings(): void {
  input.placeholder = t('placeholder');
  input.setAttribute('aria-label', t('composerLabel'));
  sendButton.title = t('send');
  sendButton.setAttribute('aria-label', t('send'));
  stopButton.title = t('stop');
  stopButton.setAttribute('aria-label', t('stop'));
  transcript.setAttribute('aria-label', t('transcriptLabel'));
  (emptyState.querySelector('.empty-title') as HTMLElement).textContent = t('emptyTitle');
  (emptyState.querySelector('.empty-hint') as HTMLElement).textContent = t('emptyHint');
}

function renderState(state: ChatState): void {
  countdowns.forEach((timer) => window.clearInterval(timer));
  countdowns.clear();
  transcript.replaceChildren();
  streamingBodies.clear();
  for (const message of state.messages) {
    transcript.append(renderMessage(message));
  }
  setStreaming(state.streaming);
  renderPendingContext(state.pendingContext);
  modelLabel.textContent = state.model;
  updateEmptyState();
  scrollToEnd();
}

function renderMessage(message: MessageView): HTMLElement {
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
  const text = document.createTextNode(message.text);
  body.append(text);
  element.append(body);

  if (message.role === 'assistant') {
    element.dataset.state = message.state;
    if (message.state === 'streaming') {
      streamingBodies.set(message.id, text);
    }
    setModel(element, message.model, message.fallback === true);
    setRetry(element, message.retry);
    decorateFinished(element, message);
  }
  return element;
}

/** Reasoning streams into a collapsed section above the answer; created on its first text. */
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

const countdowns = new Map<string, number>();

/** Shows (or clears) a retry wait with a live countdown and Retry Now / Cancel. */
function setRetry(element: HTMLElement, retry: RetryView | undefined): void {
  const id = element.dataset.id ?? '';
  window.clearInterval(countdowns.get(id));
  countdowns.delete(id);
  element.querySelector('.message-retry')?.remove();
  if (!retry) {
    return;
  }
  const box = document.createElement('div');
  box.className = 'message-retry';
  box.setAttribute('role', 'status');
  const text = document.createElement('p');
  let seconds = retry.seconds;
  const render = (): void => {
    text.textContent = t('retrying', retry.reason, seconds, retry.attempt, retry.maxAttempts);
  };
  render();
  const retryNow = document.createElement('button');
  retryNow.type = 'button';
  retryNow.dataset.action = 'retryNow';
  retryNow.textContent = t('retryNow');
  retryNow.addEventListener('click', () => post({ type: 'retryNow' }));
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.dataset.action = 'cancel';
  cancel.textContent = t('cancel');
  cancel.addEventListener('click', () => post({ type: 'stop' }));
  box.append(text, retryNow, cancel);
  element.querySelector('.message-body')?.after(box);
  countdowns.set(
    id,
    window.setInterval(() => {
      seconds = Math.max(0, seconds - 1);
      render();
    }, 1000),
  );
}

function decorateFinished(element: HTMLElement, message: Pick<AssistantMessageView, 'state' | 'error'>): void {
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
    button.textContent = strings?.actionLabels[action] ?? action;
    button.addEventListener('click', () => post({ type: 'errorAction', action }));
    box.append(button);
  }
  return box;
}

function findMessage(id: string): HTMLElement | null {
  return transcript.querySelector(`.message[data-id="${CSS.escape(id)}"]`);
}

function setStreaming(streaming: boolean): void {
  stopButton.hidden = !streaming;
  sendButton.hidden = streaming;
}

function updateEmptyState(): void {
  emptyState.hidden = transcript.childElementCount > 0;
}

function isNearEnd(): boolean {
  return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
}

function scrollToEnd(): void {
  transcript.scrollTop = transcript.scrollHeight;
}

function finishMessage(id: string, state: MessageState, error: ErrorView | undefined): void {
  streamingBodies.delete(id);
  const element = findMessage(id);
  if (!element) {
    return;
  }
  setRetry(element, undefined);
  element.dataset.state = state;
  decorateFinished(element, { state, error });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      strings = message.strings;
      applyStrings();
      renderState(message.state);
      break;
    case 'state':
      renderState(message.state);
      break;
    case 'messageAdded': {
      const follow = isNearEnd();
      transcript.append(renderMessage(message.message));
      updateEmptyState();
      if (follow || message.message.role === 'user') {
        scrollToEnd();
      }
      break;
    }
    case 'messageRemoved':
      streamingBodies.delete(message.messageId);
      findMessage(message.messageId)?.remove();
      updateEmptyState();
      break;
    case 'delta': {
      const text = streamingBodies.get(message.messageId);
      if (text) {
        const follow = isNearEnd();
        text.appendData(message.text);
        if (follow) {
          scrollToEnd();
        }
      }
      break;
    }
    case 'reasoningDelta': {
      const element = findMessage(message.messageId);
      if (element) {
        setReasoning(element, message.text, true);
      }
      break;
    }
    case 'retryStatus': {
      const element = findMessage(message.messageId);
      if (element) {
        setRetry(element, message.retry);
      }
      break;
    }
    case 'messageModel': {
      const element = findMessage(message.messageId);
      if (element) {
        setModel(element, message.model, message.fallback);
      }
      break;
    }
    case 'messageFinished':
      finishMessage(message.messageId, message.state, message.error);
      break;
    case 'streaming':
      setStreaming(message.streaming);
      break;
    case 'pendingContext':
      renderPendingContext(message.context);
      break;
    case 'model':
      modelLabel.textContent = message.model;
      break;
    case 'focusComposer':
      input.focus();
      break;
    case 'restoreInput':
      // The host could not send it (no key yet, a bad setting): give the words back.
      if (input.value.trim().length === 0) {
        input.value = message.text;
      }
      input.focus();
      break;
  }
});

function submit(): void {
  const text = input.value.trim();
  if (text.length === 0 || !stopButton.hidden) {
    return;
  }
  post({ type: 'send', text });
  input.value = '';
}

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
sendButton.addEventListener('click', submit);
stopButton.addEventListener('click', () => post({ type: 'stop' }));

post({ type: 'ready' });
