// The one message contract between the extension host and the chat webview. Both sides import it.

export type MessageState = 'streaming' | 'done' | 'stopped' | 'error';

/** Context attached to a user message, shown as a chip. */
export interface SelectionContextView {
  kind: 'selection';
  fileName: string;
  languageId: string;
  startLine: number;
  endLine: number;
}

export type ContextView = SelectionContextView;

export interface UserMessageView {
  id: string;
  role: 'user';
  text: string;
  context: ContextView[];
}

/** A wait before the next attempt: the webview counts `seconds` down and offers Retry now / Cancel. */
export interface RetryView {
  reason: string;
  seconds: number;
  attempt: number;
  maxAttempts: number;
}

export interface AssistantMessageView {
  id: string;
  role: 'assistant';
  text: string;
  state: MessageState;
  model: string;
  /** True when a fallback model answered instead of the configured one. */
  fallback?: boolean;
  reasoning?: string;
  retry?: RetryView;
  finishReason?: string;
  error?: ErrorView;
}

export type MessageView = UserMessageView | AssistantMessageView;

/** An error as shown to the user, with the actions the webview offers as buttons. */
export interface ErrorView {
  message: string;
  actions: ErrorAction[];
}

export type ErrorAction = 'setApiKey' | 'selectModel' | 'openSettings' | 'retry' | 'showLog';

/** Every string the webview shows, localised by the host (the webview has no l10n API). */
export interface WebviewStrings {
  placeholder: string;
  send: string;
  stop: string;
  you: string;
  stopped: string;
  emptyTitle: string;
  emptyHint: string;
  transcriptLabel: string;
  composerLabel: string;
  /** "Remove {0}": the chip's label is filled in by the webview. */
  removeContext: string;
  reasoning: string;
  /** "{0} Retrying in {1} s (attempt {2} of {3})." */
  retrying: string;
  retryNow: string;
  cancel: string;
  /** "Answered by the fallback model {0}." */
  fallbackNote: string;
  actionLabels: Record<ErrorAction, string>;
}

export interface ChatState {
  messages: MessageView[];
  /** Context attached in the composer, sent with the next message unless removed. */
  pendingContext: ContextView[];
  streaming: boolean;
  model: string;
}

export type HostToWebview =
  | { type: 'init'; strings: WebviewStrings; state: ChatState }
  | { type: 'state'; state: ChatState }
  | { type: 'messageAdded'; message: MessageView }
  | { type: 'delta'; messageId: string; text: string }
  | { type: 'reasoningDelta'; messageId: string; text: string }
  | { type: 'retryStatus'; messageId: string; retry?: RetryView }
  | { type: 'messageModel'; messageId: string; model: string; fallback: boolean }
  | { type: 'messageFinished'; messageId: string; state: MessageState; finishReason?: string; error?: ErrorView }
  | { type: 'messageRemoved'; messageId: string }
  | { type: 'streaming'; streaming: boolean }
  | { type: 'model'; model: string }
  | { type: 'pendingContext'; context: ContextView[] }
  | { type: 'focusComposer' }
  | { type: 'restoreInput'; text: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'removeContext'; index: number }
  | { type: 'retryNow' }
  | { type: 'errorAction'; action: ErrorAction };
