// The chat panel's browser side: renders what the host sends and asks the host to act.
// It holds no conversation state of its own beyond the DOM; the host re-sends the state on `ready`.
import type {
  AssistantMessageView,
  ChatState,
  ErrorView,
  HostToWebview,
  MessageState,
  MessageView,
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

let strings: WebviewStrings | undefined;
/** Text nodes of answers still streaming: appending to one is O(delta), not O(answer). */
const streamingBodies = new Map<string, Text>();

function t(key: Exclude<keyof WebviewStrings, 'actionLabels'>): string {
  return strings?.[key] ?? '';
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
  transcript.replaceChildren();
  streamingBodies.clear();
  for (const message of state.messages) {
    transcript.append(renderMessage(message));
  }
  setStreaming(state.streaming);
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
    for (const context of message.context) {
      const chip = document.createElement('span');
      chip.className = 'context-chip';
      const range = context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
      chip.textContent = `${context.fileName}:${range}`;
      chip.title = `${context.fileName} (${context.languageId})`;
      element.append(chip);
    }
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
    decorateFinished(element, message);
  }
  return element;
}

function decorateFinished(element: HTMLElement, message: Pick<AssistantMessageView, 'state' | 'error'>): void {
  element.querySelector('.message-status')?.remove();
  element.querySelector('.message-error')?.remove();
  if (message.state === 'stopped') {
    const status = document.createElement('div');
    status.className = 'message-status';
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
    case 'messageFinished':
      finishMessage(message.messageId, message.state, message.error);
      break;
    case 'streaming':
      setStreaming(message.streaming);
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
