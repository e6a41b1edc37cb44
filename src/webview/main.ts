// The chat panel's browser side: renders what the host sends and asks the host to act.
// It holds no conversation state of its own beyond the DOM; the host re-sends the state on `ready`.
import DOMPurify from 'dompurify';
import { interceptLinks } from './render/links';
import { createSanitizer } from './render/sanitizer';
import { createStreamingView, type StreamingView } from './render/streamingView';
import type {
  AssistantMessageView,
  ChatState,
  ContextView,
  ErrorView,
  HostToWebview,
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
const attachButton = document.getElementById('attach-button') as HTMLButtonElement;

/** Sent by the host on ready; until then nothing is attached. */
let imageLimits: { maxBytes: number; maxDimension: number; mimeTypes: readonly string[] } | undefined;

function dataUrlToBlob(dataUrl: string): Blob {
  const [header = '', base64 = ''] = dataUrl.split(',', 2);
  const type = /^data:([^;]+)/.exec(header)?.[1] ?? '';
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) {
    bytes[index] = binary.charCodeAt(index);
  }
  return new Blob([bytes], { type });
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** Decoded size of a base64 data: URL. */
const dataUrlBytes = (dataUrl: string): number => Math.floor(((dataUrl.length - dataUrl.indexOf(',') - 1) * 3) / 4);

/**
 * Checks a pasted, dropped or picked image and downscales it with a canvas when it is larger
 * than the limits (longest side, then bytes, re-encoding as JPEG if PNG is still too big).
 */
async function prepareImage(blob: Blob, name: string): Promise<void> {
  const limits = imageLimits;
  if (!limits || !limits.mimeTypes.includes(blob.type)) {
    post({ type: 'imageRejected', name, reason: 'type' });
    return;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    post({ type: 'imageRejected', name, reason: 'decode' });
    return;
  }
  const scale = Math.min(1, limits.maxDimension / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && blob.size <= limits.maxBytes) {
    bitmap.close();
    post({ type: 'attachImage', name, mimeType: blob.type, dataUrl: await readAsDataUrl(blob) });
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  let dataUrl = canvas.toDataURL(blob.type === 'image/jpeg' ? 'image/jpeg' : 'image/png', 0.9);
  if (dataUrlBytes(dataUrl) > limits.maxBytes) {
    dataUrl = canvas.toDataURL('image/jpeg', 0.8);
  }
  if (dataUrlBytes(dataUrl) > limits.maxBytes) {
    post({ type: 'imageRejected', name, reason: 'size' });
    return;
  }
  const mimeType = /^data:([^;]+)/.exec(dataUrl)?.[1] ?? 'image/png';
  post({ type: 'attachImage', name, mimeType, dataUrl });
}

let strings: WebviewStrings | undefined;

/** Every piece of model output reaches the DOM through this. */
const sanitize = createSanitizer(DOMPurify(window));
/**
 * The markdown view of each answer: streamed text is rendered incrementally (finished blocks once,
 * only the open block again), one DOM update per animation frame.
 */
const answerViews = new Map<string, StreamingView>();
/** Whether the transcript was scrolled to the end just before the last render. */
let followOutput = true;

function disposeView(id: string): void {
  answerViews.get(id)?.dispose();
  answerViews.delete(id);
}

function createAnswerView(id: string, body: HTMLElement): StreamingView {
  const view = createStreamingView(body, sanitize, {
    beforeRender: () => {
      followOutput = isNearEnd();
    },
    afterRender: ({ codeBlocks }) => {
      codeBlocks.forEach((block) => addCodeActions(view, block));
      if (followOutput) {
        scrollToEnd();
      }
    },
  });
  answerViews.set(id, view);
  return view;
}

const CODE_ACTIONS = ['copy', 'insert', 'apply', 'newFile'] as const;

/** Copy, Insert at Cursor, Apply to Selection and New File on a rendered code block. */
function addCodeActions(view: StreamingView, block: HTMLElement): void {
  const bar = block.querySelector<HTMLElement>('.code-actions');
  if (!bar || bar.childElementCount > 0) {
    return;
  }
  const index = Number(block.dataset.codeIndex);
  const language = block.dataset.lang ?? '';
  for (const action of CODE_ACTIONS) {
    const label = strings?.codeActions[action] ?? action;
    const button = actionButton(action, label, () => {
      const code = view.codeText(index);
      if (code !== undefined) {
        post({ type: 'codeAction', action, code, language });
      }
    });
    button.setAttribute('aria-label', label);
    bar.append(button);
  }
}

function t(key: Exclude<keyof WebviewStrings, 'actionLabels' | 'codeActions'>, ...args: (string | number)[]): string {
  const template = strings?.[key] ?? '';
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match));
}

function chipLabel(context: ContextView): string {
  if (context.kind === 'image') {
    return context.name;
  }
  const range = context.startLine === context.endLine ? `${context.startLine}` : `${context.startLine}-${context.endLine}`;
  return `${context.fileName}:${range}`;
}

function renderChip(context: ContextView): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'context-chip';
  chip.dataset.kind = context.kind;
  if (context.kind === 'image') {
    const thumbnail = document.createElement('img');
    thumbnail.className = 'thumbnail';
    thumbnail.src = context.dataUrl;
    thumbnail.alt = context.name;
    chip.append(thumbnail);
    chip.title = context.name;
  } else {
    chip.title = `${context.fileName} (${context.languageId})`;
  }
  const label = document.createElement('span');
  label.className = 'chip-label';
  label.textContent = chipLabel(context);
  chip.append(label);
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
  attachButton.title = t('attachImage');
  modelLabel.title = t('selectModel');
  modelLabel.setAttribute('aria-label', t('selectModel'));
  attachButton.setAttribute('aria-label', t('attachImage'));
  stopButton.setAttribute('aria-label', t('stop'));
  transcript.setAttribute('aria-label', t('transcriptLabel'));
  (emptyState.querySelector('.empty-title') as HTMLElement).textContent = t('emptyTitle');
  (emptyState.querySelector('.empty-hint') as HTMLElement).textContent = t('emptyHint');
}

function renderState(state: ChatState): void {
  countdowns.forEach((timer) => window.clearInterval(timer));
  countdowns.clear();
  answerViews.forEach((view) => view.dispose());
  answerViews.clear();
  transcript.replaceChildren();
  for (const message of state.messages) {
    transcript.append(renderMessage(message));
  }
  updateLastActions();
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
  element.append(body);
  if (message.role === 'user') {
    // The user's own words stay plain text.
    body.textContent = message.text;
  }

  if (message.role === 'user') {
    const footer = document.createElement('footer');
    footer.className = 'message-footer';
    footer.append(actionButton('edit', t('edit'), () => startEditing(message.text)));
    element.append(footer);
  }
  if (message.role === 'assistant') {
    element.dataset.state = message.state;
    const view = createAnswerView(message.id, body);
    view.setText(message.text);
    if (message.state !== 'streaming') {
      view.finish();
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

function decorateFinished(element: HTMLElement, message: AssistantMessageView): void {
  renderFooter(element, message);
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

function finishMessage(message: AssistantMessageView): void {
  const view = answerViews.get(message.id);
  view?.setText(message.text);
  view?.finish();
  const element = findMessage(message.id);
  if (!element) {
    return;
  }
  setRetry(element, undefined);
  element.dataset.state = message.state;
  decorateFinished(element, message);
  updateLastActions();
}

function actionButton(action: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'message-action';
  button.dataset.action = action;
  button.textContent = label;
  button.addEventListener('click', onClick);
  return button;
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
  const parts = [message.model];
  if (message.finishReason) {
    parts.push(t('finishReason', message.finishReason));
  }
  if (message.usage) {
    parts.push(t('tokens', message.usage.prompt, message.usage.completion, message.usage.total));
  }
  if (message.firstTokenMs !== undefined) {
    parts.push(t('firstToken', (message.firstTokenMs / 1000).toFixed(2)));
  }
  meta.textContent = parts.join(' · ');
  footer.append(meta);
  if (message.text.length > 0) {
    footer.append(actionButton('copy', t('copy'), () => post({ type: 'copyMessage', messageId: message.id })));
  }
  footer.append(actionButton('regenerate', t('regenerate'), () => post({ type: 'regenerate' })));
  element.append(footer);
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

/** While set, the composer edits the last question instead of asking a new one. */
let editing = false;

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
      updateLastActions();
      updateEmptyState();
      if (follow || message.message.role === 'user') {
        scrollToEnd();
      }
      break;
    }
    case 'messageRemoved':
      disposeView(message.messageId);
      findMessage(message.messageId)?.remove();
      updateEmptyState();
      updateLastActions();
      break;
    case 'delta':
      answerViews.get(message.messageId)?.append(message.text);
      break;
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
      finishMessage(message.message);
      break;
    case 'streaming':
      setStreaming(message.streaming);
      break;
    case 'pendingContext':
      renderPendingContext(message.context);
      break;
    case 'imageLimits':
      imageLimits = message;
      break;
    case 'downscaleImage':
      void prepareImage(dataUrlToBlob(message.dataUrl), message.name);
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
  post(editing ? { type: 'editLast', text } : { type: 'send', text });
  lastPrompt = text;
  stopEditing();
  input.value = '';
}

/** The last question sent from here, for Up in an empty composer (as in a shell). */
let lastPrompt = '';

input.addEventListener('keydown', (event) => {
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
modelLabel.addEventListener('click', () => post({ type: 'selectModel' }));

input.addEventListener('paste', (event) => {
  const files = Array.from(event.clipboardData?.items ?? [])
    .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
  if (files.length > 0) {
    event.preventDefault();
    files.forEach((file, index) => void prepareImage(file, file.name || `pasted-image-${index + 1}.png`));
  }
});

document.addEventListener('dragover', (event) => {
  if (event.dataTransfer?.types.includes('Files')) {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
});
document.addEventListener('drop', (event) => {
  const files = Array.from(event.dataTransfer?.files ?? []);
  if (files.length > 0) {
    event.preventDefault();
    files.forEach((file) => void prepareImage(file, file.name));
  }
});
stopButton.addEventListener('click', () => post({ type: 'stop' }));

interceptLinks(transcript, (href) => post({ type: 'openLink', href }));

post({ type: 'ready' });
