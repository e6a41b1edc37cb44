// The chat panel's browser side: renders what the host sends and asks the host to act.
// It holds no conversation state of its own beyond the DOM; the host re-sends the state on `ready`.
import DOMPurify from 'dompurify';
import { parseJsonAnswer, renderJsonTree } from './render/jsonView';
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
  ToolMessageView,
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
const gatewayLabel = document.getElementById('gateway-label') as HTMLElement;
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

/** The keys of WebviewStrings that hold one template (not a per-action or per-state record). */
type TemplateKey = { [K in keyof WebviewStrings]: WebviewStrings[K] extends string ? K : never }[keyof WebviewStrings];

function t(key: TemplateKey, ...args: (string | number)[]): string {
  const template = strings?.[key] ?? '';
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(args[Number(index)] ?? match));
}

/** Where requests go, next to the model: a workspace that redirects them cannot do it unseen. */
function showGateway(origin: string): void {
  gatewayLabel.textContent = origin;
  gatewayLabel.title = t('gateway', origin);
  gatewayLabel.hidden = origin === '';
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
  showGateway(state.gateway);
  updateEmptyState();
  scrollToEnd();
}

function renderMessage(message: MessageView): HTMLElement {
  if (message.role === 'tool') {
    return renderToolCard(message);
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

/** Tool calls answered from here, so a card rebuilt while still waiting does not ask again. */
const approvalsSent = new Set<string>();

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A wrench drawn inline: the webview ships no codicon font, and SVG attributes are not styles for the CSP. */
function toolGlyph(): SVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  const attributes: Record<string, string> = {
    class: 'tool-glyph',
    width: '14',
    height: '14',
    viewBox: '0 0 16 16',
    'aria-hidden': 'true',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '1.3',
    'stroke-linejoin': 'round',
  };
  for (const [name, value] of Object.entries(attributes)) {
    svg.setAttribute(name, value);
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', 'M10.5 2.5a3 3 0 0 0-2.9 3.8L2.8 11.1a1.4 1.4 0 0 0 2 2l4.8-4.8a3 3 0 0 0 3.8-2.9l-1.9 1.9-1.8-.5-.5-1.8z');
  svg.append(path);
  return svg;
}

function textSpan(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** Arguments are shown pretty-printed when they are JSON, and as the model sent them when not. */
function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function toolSection(label: string, className: string, text: string, truncated: boolean): HTMLElement {
  const section = document.createElement('div');
  section.className = 'tool-section';
  const heading = document.createElement('div');
  heading.className = 'tool-section-label';
  heading.textContent = label;
  const pre = document.createElement('pre');
  pre.className = className;
  pre.textContent = text;
  if (truncated) {
    pre.append(textSpan('tool-truncated', '…'));
  }
  section.append(heading, pre);
  return section;
}

/** A tool call as a card that folds; open by default only while it waits for Allow / Deny. */
function renderToolCard(message: ToolMessageView): HTMLElement {
  const card = document.createElement('article');
  card.className = 'message tool-card';
  card.dataset.id = message.id;
  card.dataset.role = 'tool';
  const details = document.createElement('details');
  details.className = 'tool-details';
  details.open = message.state === 'awaitingApproval';
  const summary = document.createElement('summary');
  summary.className = 'tool-summary';
  // Activating the summary (a click, or Enter / Space, which the browser turns into one) is the
  // user's choice of open or closed: from then on updates leave it as it is.
  summary.addEventListener('click', () => {
    card.dataset.userToggled = 'true';
  });
  const body = document.createElement('div');
  body.className = 'tool-body';
  details.append(summary, body);
  card.append(details);
  fillToolCard(card, message);
  return card;
}

/** Fills (or refills, on toolUpdated) a card in place, so focus and the <details> element survive. */
function fillToolCard(card: HTMLElement, message: ToolMessageView): void {
  const previous = card.dataset.state;
  card.dataset.state = message.state;
  card.dataset.tool = message.name;
  card.setAttribute('aria-label', t('toolLabel', message.name));

  const details = card.querySelector('details.tool-details') as HTMLDetailsElement;
  const summary = details.querySelector('summary') as HTMLElement;
  const parts: Element[] = [toolGlyph(), textSpan('tool-name', message.name)];
  if (message.summary.length > 0) {
    parts.push(textSpan('tool-text', message.summary));
  }
  parts.push(textSpan(`tool-state tool-state-${message.state}`, strings?.toolStates[message.state] ?? message.state));
  summary.replaceChildren(...parts);

  const sections: HTMLElement[] = [];
  if (message.arguments.trim().length > 0) {
    sections.push(toolSection(t('toolArguments'), 'tool-arguments', prettyArguments(message.arguments), false));
  }
  if (message.resultPreview !== undefined) {
    sections.push(toolSection(t('toolResult'), 'tool-result', message.resultPreview, message.resultTruncated === true));
  }
  (details.querySelector('.tool-body') as HTMLElement).replaceChildren(...sections);

  if (previous !== undefined && previous !== message.state && card.dataset.userToggled !== 'true') {
    details.open = message.state === 'awaitingApproval';
  }
  renderApproval(card, message);
}

/** Allow / Deny while the call waits; each card answers once, then its buttons disable themselves. */
function renderApproval(card: HTMLElement, message: ToolMessageView): void {
  card.querySelector('.tool-approval')?.remove();
  if (message.state !== 'awaitingApproval') {
    return;
  }
  const bar = document.createElement('div');
  bar.className = 'tool-approval';
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', t('toolLabel', message.name));
  const buttons: HTMLButtonElement[] = [];
  const answer = (approved: boolean): void => {
    if (approvalsSent.has(message.id)) {
      return;
    }
    approvalsSent.add(message.id);
    // A disabled button drops focus to the page; keep keyboard users on this card instead.
    const hadFocus = bar.contains(document.activeElement);
    buttons.forEach((button) => (button.disabled = true));
    post({ type: 'toolApproval', messageId: message.id, approved });
    if (hadFocus) {
      card.querySelector<HTMLElement>('summary')?.focus();
    }
  };
  for (const [action, approved] of [['allow', true], ['deny', false]] as const) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.textContent = t(action);
    button.disabled = approvalsSent.has(message.id);
    button.addEventListener('click', () => answer(approved));
    buttons.push(button);
  }
  bar.append(...buttons);
  card.append(bar);
}

/**
 * Moves focus to a card's Allow button only when focus is nowhere in particular. Never out of the
 * composer, even an empty one: the next keystroke, meant for a message, would land on the button,
 * and Enter would allow a tool that writes. From the composer, Shift+Tab reaches the buttons.
 */
function focusApproval(card: HTMLElement): void {
  const active = document.activeElement;
  if (active === null || active === document.body || active === transcript) {
    card.querySelector<HTMLButtonElement>('.tool-approval [data-action="allow"]:not(:disabled)')?.focus();
  }
}

function updateToolCard(message: ToolMessageView): void {
  const card = findMessage(message.id);
  if (!card) {
    // Dropped while hidden: the host re-sends the whole state when the panel shows again.
    return;
  }
  const wasWaiting = card.dataset.state === 'awaitingApproval';
  fillToolCard(card, message);
  if (!wasWaiting && message.state === 'awaitingApproval') {
    focusApproval(card);
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

/** The tool names an answer is preparing, by call index: the host sends only what changed. */
const preparingNames = new WeakMap<HTMLElement, string[]>();

function setPreparingName(element: HTMLElement, index: number, name: string): void {
  const names = preparingNames.get(element) ?? [];
  preparingNames.set(element, names);
  names[index] = name;
  // Sparse when calls arrive out of order: filter skips the holes.
  setPreparing(element, names.filter((entry) => entry !== ''));
}

/** "Preparing read_file…" under an answer while its tool calls stream; gone once it finishes. */
function setPreparing(element: HTMLElement, names: readonly string[]): void {
  let line = element.querySelector<HTMLElement>('.message-preparing');
  if (names.length === 0) {
    preparingNames.delete(element);
    line?.remove();
    return;
  }
  if (!line) {
    line = document.createElement('p');
    line.className = 'message-preparing';
    line.setAttribute('role', 'status');
    element.append(line);
  }
  line.textContent = t('preparingTools', names.join(', '));
}

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
  decorateBody(element, message);
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

/**
 * An answer that only called tools leaves no empty bubble (its header and footer stay), and a
 * finished JSON answer swaps its Markdown for a foldable tree when the text parses.
 */
function decorateBody(element: HTMLElement, message: AssistantMessageView): void {
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
  setPreparing(element, []);
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
      const element = renderMessage(message.message);
      transcript.append(element);
      updateLastActions();
      updateEmptyState();
      if (follow || message.message.role === 'user') {
        scrollToEnd();
      }
      if (message.message.role === 'tool' && message.message.state === 'awaitingApproval') {
        focusApproval(element);
      }
      break;
    }
    case 'toolUpdated':
      updateToolCard(message.message);
      break;
    case 'messageRemoved':
      disposeView(message.messageId);
      approvalsSent.delete(message.messageId);
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
    case 'toolCallPreparing': {
      const element = findMessage(message.messageId);
      if (element) {
        setPreparingName(element, message.index, message.name);
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
      showGateway(message.gateway);
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

interceptLinks(transcript, (href, text) => post({ type: 'openLink', href, text }));

post({ type: 'ready' });
