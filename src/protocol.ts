// The one message contract between the extension host and the chat webview. Both sides import it.

export type MessageState = 'streaming' | 'done' | 'stopped' | 'error';

/** Context attached to a user message, shown as a chip. */
export interface SelectionContextView {
  kind: 'selection';
  fileName: string;
  languageId: string;
  startLine: number;
  endLine: number;
  /** Characters of the selected text, for the composer's token estimate. */
  chars?: number;
}

/** An attached image: the thumbnail is the image itself (a data: URL, allowed by the CSP). */
export interface ImageContextView {
  kind: 'image';
  name: string;
  dataUrl: string;
}

// --- Composer @-context and / prompts (begin) ---

/** What `@` in the composer can attach. */
export type ContextSource = 'file' | 'selection' | 'problems' | 'diff' | 'terminal';

/** Text attached with @file, @problems, @diff or @terminal: the webview sees its label and size, never its text. */
export interface AttachmentContextView {
  kind: 'attachment';
  source: Exclude<ContextSource, 'selection'>;
  /** What the chip says, e.g. "src/app.ts" or "Problems in app.ts". */
  label: string;
  /** Characters of the attached text, for the composer's token estimate. */
  chars: number;
}


// --- Composer @-context and / prompts (end) ---

export type ContextView = SelectionContextView | ImageContextView | AttachmentContextView;

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
  /** reasoning / cached tokens and cost only when the gateway reported them. */
  usage?: { prompt: number; completion: number; total: number; reasoning?: number; cached?: number; cost?: number };
  firstTokenMs?: number;
  /** How long the model reasoned: from its first reasoning to the first answer text or tool call. */
  reasoningMs?: number;
  error?: ErrorView;
  /**
   * The answer was asked for as JSON (`response_format`, or the prompt instruction that replaces it
   * on gateways that reject the field): the webview shows it as a foldable, pretty-printed tree.
   */
  json?: JsonAnswerView;
}

export interface JsonAnswerView {
  /** False when the finished answer is not the JSON that was asked for; `problem` says why. */
  valid?: boolean;
  problem?: string;
  /** True when the gateway rejected `response_format` and the prompt asked for JSON instead. */
  viaPrompt?: boolean;
}

/**
 * running: the tool is at work; awaitingApproval: a tool that writes waits for Allow / Deny;
 * done / error: its result went back to the model; denied: the user said no; cancelled: Stop.
 */
export type ToolCallState = 'running' | 'awaitingApproval' | 'done' | 'error' | 'denied' | 'cancelled';

/** One tool call of the model and what it returned, shown as a collapsible card. */
export interface ToolMessageView {
  id: string;
  role: 'tool';
  /** The function name as the model called it (may be unknown to us). */
  name: string;
  /** The arguments as the model sent them (a JSON text, possibly invalid). */
  arguments: string;
  /** One line saying what the call does, e.g. "example.ts, lines 1-20". */
  summary: string;
  state: ToolCallState;
  /** The start of the result sent back to the model. */
  resultPreview?: string;
  /** The result was longer than the preview. */
  resultTruncated?: boolean;
}

export type MessageView = UserMessageView | AssistantMessageView | ToolMessageView;

/** Where a prompt file was found: .github/prompts, .foxchat/prompts, or a user-level folder. */
export type PromptSource = 'github' | 'foxchat' | 'user';

/** A prompt of the library, as Run Prompt… and the composer's `/` list show it. */
export interface PromptSummary {
  /** What `/name` and `foxChat.runPrompt { "name": … }` run. */
  name: string;
  description: string;
  source: PromptSource;
  /** Where it comes from, ready to show (".github/prompts", or "your prompts" in the user's language). */
  location: string;
}

/** An error as shown to the user, with the actions the webview offers as buttons. */
export interface ErrorView {
  message: string;
  actions: ErrorAction[];
}

export type CodeAction = 'copy' | 'insert' | 'apply' | 'newFile';

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
  attachImage: string;
  selectModel: string;
  /** The gateway origin's tooltip in the header: "Requests and your API key go to {0}". */
  gateway: string;
  reasoning: string;
  /** "{0} Retrying in {1} s (attempt {2} of {3})." */
  retrying: string;
  retryNow: string;
  cancel: string;
  /** "Answered by the fallback model {0}." */
  fallbackNote: string;
  copy: string;
  codeActions: Record<CodeAction, string>;
  regenerate: string;
  edit: string;
  /** "finish: {0}" */
  finishReason: string;
  /** "{0} prompt + {1} completion = {2} tokens" */
  tokens: string;
  /** "first token after {0} s" */
  firstToken: string;
  /** "{0} cached" (tokens) in the meta line's details, and "Reasoning ({0} s)" on the reasoning's summary */
  cachedTokens: string;
  reasoningFor: string;
  actionLabels: Record<ErrorAction, string>;
  /** Tool cards: "Tool: {0}" is the card's accessible label, {0} the tool name. */
  toolLabel: string;
  toolArguments: string;
  toolResult: string;
  toolStates: Record<ToolCallState, string>;
  /** "Preparing {0}…" while tool calls stream; {0} the tool names. */
  preparingTools: string;
  allow: string;
  deny: string;
  /** JSON answers: the label of the tree and the note for an answer that is not valid JSON ("{0}" the reason). */
  jsonAnswer: string;
  jsonInvalid: string;
  jsonViaPrompt: string;
  /** "{0} items" / "{0} keys" shown on a folded array / object. */
  jsonItems: string;
  jsonKeys: string;
  /** Composer completion: the list's label, what each @ source attaches, and "≈ {0} tokens" attached. */
  completionLabel: string;
  contextSources: Record<ContextSource, string>;
  attachedTokens: string;
  // The panel's welcome view, message headers, meta line, code-block headers and announcements.
  /** The assistant's role, read by screen readers beside its icon ("Fox Chat"). */
  assistant: string;
  welcomeIntro: string;
  welcomeFeatures: string[];
  /** "Profile: {0}" / "Model: {0}" */
  welcomeProfile: string;
  welcomeModel: string;
  welcomeSuggestionsLabel: string;
  /** Questions a click puts into the composer. */
  welcomeSuggestions: string[];
  welcomeKeysLabel: string;
  /** The main keybindings, their keys already spelled for this platform. */
  welcomeKeys: KeybindingView[];
  welcomeGetStarted: string;
  /** "Fox Chat needs an API key for {0}." ({0} the profile) */
  welcomeNoKey: string;
  /** Compact meta line: "{0} tokens", "{0} s" (time to first token), "cost {0}", "{0} reasoning tokens". */
  metaTokens: string;
  metaSeconds: string;
  metaCost: string;
  metaReasoning: string;
  /** The meta line's accessible name: "Details". */
  metaDetails: string;
  showMore: string;
  showLess: string;
  /** A code block's header: "Code" (its language follows). */
  codeLabel: string;
  /** What a screen reader hears when an answer is complete: "{0} answered: {1}". */
  answerAnnounced: string;
  /** The button on a question that turns it into a prompt file. */
  saveAsPrompt: string;
}

export interface KeybindingView {
  label: string;
  keys: string;
}

/** What the welcome view says about the connection. */
export interface WelcomeView {
  /** The active profile's name, e.g. "OfoxAI". */
  profile: string;
  /** The profile needs a key and none is stored: the welcome view offers Set API Key. */
  needsApiKey: boolean;
}

/** The editor settings code blocks follow. */
export interface EditorAppearanceView {
  fontFamily: string;
  /** In pixels; 0 leaves the webview's default. */
  fontSize: number;
  /** `editor.wordWrap` is anything but "off". */
  wordWrap: boolean;
}

export interface ChatState {
  messages: MessageView[];
  /** Context attached in the composer, sent with the next message unless removed. */
  pendingContext: ContextView[];
  streaming: boolean;
  model: string;
  /** The origin requests go to (scheme, host, port: never a path or a key); empty when the settings are unusable. */
  gateway: string;
}

export type HostToWebview =
  | { type: 'init'; strings: WebviewStrings; state: ChatState }
  | { type: 'state'; state: ChatState }
  | { type: 'messageAdded'; message: MessageView }
  | { type: 'delta'; messageId: string; text: string }
  | { type: 'reasoningDelta'; messageId: string; text: string }
  | { type: 'retryStatus'; messageId: string; retry?: RetryView }
  | { type: 'messageModel'; messageId: string; model: string; fallback: boolean }
  | { type: 'messageFinished'; message: AssistantMessageView }
  /** The tools an answer is calling, while their arguments still stream in. */
  /** The name of the tool call at `index` so far (a new call, or more of its name); the webview keeps the list. */
  | { type: 'toolCallPreparing'; messageId: string; index: number; name: string }
  /** A tool card changed (state, result). */
  | { type: 'toolUpdated'; message: ToolMessageView }
  | { type: 'messageRemoved'; messageId: string }
  | { type: 'streaming'; streaming: boolean }
  | { type: 'model'; model: string; gateway: string }
  | { type: 'pendingContext'; context: ContextView[] }
  /** An image picked in the host that is over the limits: downscale it and send it back as attachImage. */
  | { type: 'downscaleImage'; name: string; dataUrl: string }
  /** Limits the webview applies before it sends an image. */
  | { type: 'imageLimits'; maxBytes: number; maxDimension: number; mimeTypes: readonly string[] }
  | { type: 'focusComposer' }
  | { type: 'restoreInput'; text: string }
  /** The prompt library, for `/` in the composer. */
  | { type: 'prompts'; prompts: PromptSummary[] }
  | { type: 'welcome'; welcome: WelcomeView }
  | { type: 'editorAppearance'; appearance: EditorAppearanceView };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'removeContext'; index: number }
  /** An image pasted or dropped into the composer, already downscaled to the size limits. */
  | { type: 'attachImage'; name: string; mimeType: string; dataUrl: string }
  /** The composer's attach button: the host opens a file picker. */
  | { type: 'pickImage' }
  /** The model button in the panel's header. */
  | { type: 'selectModel' }
  /** An image the webview could not take (type or size), for the host to explain. */
  | { type: 'imageRejected'; name: string; reason: 'type' | 'size' | 'decode' }
  | { type: 'retryNow' }
  /** A code block's button; `language` is the fence's tag as the model wrote it. */
  | { type: 'codeAction'; action: CodeAction; code: string; language: string }
  /** A rendered link was activated; the host checks the scheme before opening it. */
  /** `text` is what the link shows, so the host can warn when it names another host than `href`. */
  | { type: 'openLink'; href: string; text: string }
  | { type: 'copyMessage'; messageId: string }
  | { type: 'regenerate' }
  /** Replaces the last question (and its answer) with this text and asks again. */
  | { type: 'editLast'; text: string }
  | { type: 'errorAction'; action: ErrorAction }
  /** The Allow / Deny buttons of a tool that writes. */
  | { type: 'toolApproval'; messageId: string; approved: boolean }
  /** A prompt chosen with `/` in the composer. */
  | { type: 'runPrompt'; name: string }
  /** A source chosen with `@` in the composer: the host gathers it (asking which file for @file) and attaches it. */
  | { type: 'attachContext'; source: ContextSource }
  /** The welcome view's link to the Get Started walkthrough. */
  | { type: 'openWalkthrough' }
  /** "Save Question as Prompt" on a question: the host scaffolds a prompt file with its text. */
  | { type: 'saveAsPrompt'; messageId: string };
