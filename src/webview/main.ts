// The chat panel's browser side: renders what the host sends and asks the host to act.
// It holds no conversation state of its own beyond the DOM; the host re-sends the state on `ready`.
// This file only finds the panel's elements and wires the parts to each other and to the host.
import DOMPurify from 'dompurify';
import type { ChatState } from '../protocol';
import { createAnnouncer } from './announcer';
import { createComposer } from './composer/composer';
import { createPendingContext } from './composer/contextChips';
import { createHeader } from './header';
import { icon } from './icons';
import { connectHost, createPost, type VsCodeApi } from './host';
import { createImageIntake, dataUrlToBlob, listenForImages } from './images';
import { applyEditorAppearance } from './editorAppearance';
import { createL10n } from './l10n';
import { createInputFirstFrames } from './render/inputFirstFrames';
import { createSanitizer } from './render/sanitizer';
import { createTranscript } from './transcript/transcript';
import { createWelcome } from './welcome';

declare function acquireVsCodeApi(): VsCodeApi;

const post = createPost(acquireVsCodeApi());
const l10n = createL10n();
const { t } = l10n;
const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const input = byId<HTMLTextAreaElement>('composer-input');
const attachButton = byId<HTMLButtonElement>('attach-button');
attachButton.append(icon('attach'));
const sendButton = byId<HTMLButtonElement>('send-button');
sendButton.append(icon('send'));
const stopButton = byId<HTMLButtonElement>('stop-button');
stopButton.append(icon('stop'));
const composer = createComposer(
  { input, sendButton, stopButton, attachButton },
  { post, t, sourceDescriptions: () => l10n.strings?.contextSources },
);
const pendingContext = createPendingContext(byId('composer-context'), { post, t, focusInput: () => composer.focus() });
const header = createHeader(byId('model-label'), byId('gateway-label'), { post, t });
const welcome = createWelcome(byId('empty-state'), {
  post,
  l10n,
  fillComposer: (text) => {
    input.value = text;
    // Listeners of the composer (completion, size) see the new text as if it were typed.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.focus();
    input.setSelectionRange(text.length, text.length);
  },
});
const transcript = createTranscript(
  { transcript: byId('transcript'), emptyState: byId('empty-state') },
  {
    post,
    l10n,
    sanitize: createSanitizer(DOMPurify(window)),
    clock: window,
    editQuestion: (text) => composer.startEditing(text),
    announcer: createAnnouncer(byId('announcer'), t),
    // Typing in the composer goes first: a streamed answer skips the frame right after a key.
    frames: createInputFirstFrames(input, { requestFrame: (callback) => requestAnimationFrame(callback), cancelFrame: (handle) => cancelAnimationFrame(handle) }),
  },
);
const images = createImageIntake(post);
listenForImages(input, document, (blob, name) => void images.prepare(blob, name));

function renderState(state: ChatState): void {
  transcript.replaceMessages(state.messages);
  composer.setStreaming(state.streaming);
  pendingContext.render(state.pendingContext);
  header.setModel(state.model);
  header.setGateway(state.gateway);
  welcome.setModel(state.model);
  transcript.showEnd();
}

connectHost(window, {
  init: (message) => {
    l10n.setStrings(message.strings);
    composer.applyStrings();
    header.applyStrings();
    transcript.applyStrings();
    welcome.applyStrings();
    renderState(message.state);
  },
  state: (message) => renderState(message.state),
  messageAdded: (message) => transcript.add(message.message),
  toolUpdated: (message) => transcript.updateTool(message.message),
  messageRemoved: (message) => transcript.remove(message.messageId),
  delta: (message) => transcript.appendDelta(message.messageId, message.text),
  reasoningDelta: (message) => transcript.appendReasoning(message.messageId, message.text),
  toolCallPreparing: (message) => transcript.setPreparingName(message.messageId, message.index, message.name),
  retryStatus: (message) => transcript.setRetry(message.messageId, message.retry),
  messageModel: (message) => transcript.setModel(message.messageId, message.model, message.fallback),
  messageFinished: (message) => transcript.finish(message.message),
  streaming: (message) => composer.setStreaming(message.streaming),
  pendingContext: (message) => pendingContext.render(message.context),
  imageLimits: (message) => images.setLimits(message),
  downscaleImage: (message) => void images.prepare(dataUrlToBlob(message.dataUrl), message.name),
  model: (message) => {
    header.setModel(message.model);
    header.setGateway(message.gateway);
    welcome.setModel(message.model);
  },
  welcome: (message) => welcome.setWelcome(message.welcome),
  editorAppearance: (message) => applyEditorAppearance(document.documentElement, message.appearance),
  focusComposer: () => composer.focus(),
  restoreInput: (message) => composer.restoreInput(message.text),
  prompts: (message) => composer.setPrompts(message.prompts),
});

post({ type: 'ready' });
