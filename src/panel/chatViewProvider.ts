import * as vscode from 'vscode';
import type { AssistantTurn, ToolTurn, Turn } from '../chat/conversation';
import type { ChatContext } from '../chat/prompts';
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, MAX_IMAGE_DIMENSION, type ImageProblem } from '../chat/images';
import { CommandIds } from '../commandIds';
import { onDidChangeEditorAppearance, readEditorAppearance } from '../config/editorAppearance';
import type {
  AssistantMessageView,
  ChatState,
  ContextSource,
  ContextView,
  ErrorAction,
  RetryView,
  HostToWebview,
  MessageView,
  PromptSummary,
  ToolMessageView,
  WebviewStrings,
  WebviewToHost,
  WelcomeView,
} from '../protocol';
import type { ChatService } from '../services/chatService';
import { actionLabels, describeRetryReason } from '../services/errorPresenter';
import { openAnswerLink, runCodeAction, type ApplyInline } from './codeActions';
import { WebviewConnection } from './webviewConnection';
import { welcomeKeybindings } from './welcomeContent';
import { buildWebviewHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'foxChat.chatView';

function retryView(turn: AssistantTurn): RetryView | undefined {
  if (!turn.retry) {
    return undefined;
  }
  const { attempt, maxAttempts, delayMs, error } = turn.retry;
  return { reason: describeRetryReason(error), seconds: Math.ceil(delayMs / 1000), attempt, maxAttempts };
}

/** What the webview may know of a context: where a selection is from (never its text), or the image. */
function toContextView(context: ChatContext): ContextView {
  if (context.kind === 'image') {
    return { kind: 'image', name: context.name, dataUrl: context.dataUrl };
  }
  if (context.kind === 'attachment') {
    return { kind: 'attachment', source: context.source, label: context.label, chars: context.text.length };
  }
  const { kind, fileName, languageId, startLine, endLine } = context;
  return { kind, fileName, languageId, startLine, endLine, chars: context.text.length };
}

export interface ChatViewActions {
  errorAction(action: ErrorAction): void;
  attachImage(name: string, dataUrl: string): void;
  applyInline: ApplyInline;
  imageRejected(name: string, reason: ImageProblem): void;
  currentModel(): string;
  /** The origin of the gateway in use (see ChatState.gateway). */
  currentGateway(): string;
  /** A source chosen with @ in the composer. */
  attachContext(source: ContextSource): void;
  /** The active profile and whether it still needs a key, for the welcome view. */
  welcome(): Promise<WelcomeView>;
  /** The prompt library as the composer's `/` list shows it. */
  prompts(): PromptSummary[];
}

function webviewStrings(): WebviewStrings {
  return {
    placeholder: vscode.l10n.t('Ask Fox Chat… (Enter to send, Shift+Enter for a new line)'),
    send: vscode.l10n.t('Send'),
    stop: vscode.l10n.t('Stop Generating'),
    you: vscode.l10n.t('You'),
    stopped: vscode.l10n.t('Stopped. The partial answer is kept.'),
    emptyTitle: vscode.l10n.t('Ask anything about your code.'),
    emptyHint: vscode.l10n.t('Select code and run "Fox Chat: Explain Selection", or type a question below.'),
    transcriptLabel: vscode.l10n.t('Conversation'),
    composerLabel: vscode.l10n.t('Message to Fox Chat'),
    removeContext: vscode.l10n.t('Remove {0}'),
    attachImage: vscode.l10n.t('Attach Image'),
    selectModel: vscode.l10n.t('Select Model'),
    gateway: vscode.l10n.t('Requests and your API key go to {0}'),
    reasoning: vscode.l10n.t('Reasoning'),
    retrying: vscode.l10n.t('{0} Retrying in {1} s (attempt {2} of {3}).'),
    retryNow: vscode.l10n.t('Retry Now'),
    cancel: vscode.l10n.t('Cancel'),
    fallbackNote: vscode.l10n.t('Answered by the fallback model {0}.'),
    copy: vscode.l10n.t('Copy'),
    codeActions: {
      copy: vscode.l10n.t('Copy'),
      insert: vscode.l10n.t('Insert at Cursor'),
      apply: vscode.l10n.t('Apply to Selection'),
      newFile: vscode.l10n.t('New File'),
    },
    regenerate: vscode.l10n.t('Regenerate'),
    edit: vscode.l10n.t('Edit'),
    finishReason: vscode.l10n.t('finish: {0}'),
    tokens: vscode.l10n.t('{0} prompt + {1} completion = {2} tokens'),
    cachedTokens: vscode.l10n.t('{0} cached'),
    reasoningFor: vscode.l10n.t('Reasoning ({0} s)'),
    firstToken: vscode.l10n.t('first token after {0} s'),
    actionLabels: actionLabels(),
    toolLabel: vscode.l10n.t('Tool: {0}'),
    toolArguments: vscode.l10n.t('Arguments'),
    toolResult: vscode.l10n.t('Result'),
    toolStates: {
      running: vscode.l10n.t('running…'),
      awaitingApproval: vscode.l10n.t('waiting for your approval'),
      done: vscode.l10n.t('done'),
      error: vscode.l10n.t('failed'),
      denied: vscode.l10n.t('not allowed'),
      cancelled: vscode.l10n.t('cancelled'),
    },
    preparingTools: vscode.l10n.t('Preparing {0}…'),
    allow: vscode.l10n.t('Allow'),
    deny: vscode.l10n.t('Deny'),
    jsonAnswer: vscode.l10n.t('JSON answer'),
    jsonInvalid: vscode.l10n.t('This answer is not the JSON that was asked for: {0}'),
    jsonViaPrompt: vscode.l10n.t('The gateway does not support JSON mode, so the prompt asked for JSON instead.'),
    jsonItems: vscode.l10n.t('{0} items'),
    jsonKeys: vscode.l10n.t('{0} keys'),
    completionLabel: vscode.l10n.t('Suggestions'),
    contextSources: {
      file: vscode.l10n.t('Attach a workspace file'),
      selection: vscode.l10n.t("Attach the editor's selection"),
      problems: vscode.l10n.t('Attach the problems of the active file'),
      diff: vscode.l10n.t('Attach the working tree diff (Git)'),
      terminal: vscode.l10n.t("Attach the terminal's last command output"),
    },
    attachedTokens: vscode.l10n.t('≈ {0} tokens'),
    assistant: vscode.l10n.t('Fox Chat'),
    welcomeIntro: vscode.l10n.t('Fox Chat answers questions about your code with the model of your gateway.'),
    welcomeFeatures: [
      vscode.l10n.t('Ask anything; answers stream in as Markdown with code you can copy, insert or apply.'),
      vscode.l10n.t('Explain or refactor a selection; refactors are reviewed in the editor.'),
      vscode.l10n.t('Attach selections and images; the model can read your workspace with tools.'),
    ],
    welcomeProfile: vscode.l10n.t('Profile: {0}'),
    welcomeModel: vscode.l10n.t('Model: {0}'),
    welcomeSuggestionsLabel: vscode.l10n.t('Try asking'),
    welcomeSuggestions: [
      vscode.l10n.t('How do I debounce a function in TypeScript?'),
      vscode.l10n.t('What is the difference between let, const and var?'),
      vscode.l10n.t('Write a unit test for a function that reverses a string.'),
    ],
    welcomeKeysLabel: vscode.l10n.t('Keyboard'),
    welcomeKeys: welcomeKeybindings(),
    welcomeGetStarted: vscode.l10n.t('Open the Get Started walkthrough'),
    welcomeNoKey: vscode.l10n.t('Fox Chat needs an API key for {0}.'),
    metaTokens: vscode.l10n.t('{0} tokens'),
    metaSeconds: vscode.l10n.t('{0} s'),
    metaCost: vscode.l10n.t('cost {0}'),
    metaReasoning: vscode.l10n.t('{0} reasoning tokens'),
    metaDetails: vscode.l10n.t('Details'),
    showMore: vscode.l10n.t('Show more'),
    showLess: vscode.l10n.t('Show less'),
    codeLabel: vscode.l10n.t('Code'),
    answerAnnounced: vscode.l10n.t('{0} answered: {1}'),
    saveAsPrompt: vscode.l10n.t('Save as Prompt'),
  };
}

/** How many characters of a tool result the panel shows. */
const TOOL_PREVIEW_CHARS = 2_000;

function toToolView(turn: ToolTurn): ToolMessageView {
  return {
    id: turn.id,
    role: 'tool',
    name: turn.name,
    arguments: turn.arguments,
    summary: turn.summary,
    state: turn.state,
    resultPreview: turn.text ? turn.text.slice(0, TOOL_PREVIEW_CHARS) : undefined,
    resultTruncated: turn.text.length > TOOL_PREVIEW_CHARS || undefined,
  };
}

/**
 * The sidebar chat view. It routes protocol messages and turns session events into small
 * messages (only new text on each delta); it owns no conversation state. When a message may
 * reach the webview (after `ready`, while visible, never once disposed) is the connection's job;
 * `ready` and showing the view again are answered with the whole current state.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly connection = new WebviewConnection(() => [
    { type: 'init', strings: webviewStrings(), state: this.state() },
    { type: 'imageLimits', maxBytes: MAX_IMAGE_BYTES, maxDimension: MAX_IMAGE_DIMENSION, mimeTypes: IMAGE_MIME_TYPES },
    { type: 'editorAppearance', appearance: readEditorAppearance() },
    { type: 'prompts', prompts: this.actions.prompts() },
  ]);
  private readonly disposables: vscode.Disposable[] = [];
  /** Listeners on the current view, ended when it or the provider is disposed. */
  private viewDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly chat: ChatService,
    private readonly actions: ChatViewActions,
  ) {
    this.disposables.push(
      chat.session.subscribe({
        turnAdded: (turn) => this.post({ type: 'messageAdded', message: this.toView(turn) }),
        textDelta: (turn, text) => this.post({ type: 'delta', messageId: turn.id, text }),
        reasoningDelta: (turn, text) => this.post({ type: 'reasoningDelta', messageId: turn.id, text }),
        retryStatusChanged: (turn) => this.post({ type: 'retryStatus', messageId: turn.id, retry: retryView(turn) }),
        modelChanged: (turn) => this.post({ type: 'messageModel', messageId: turn.id, model: turn.model, fallback: turn.fallback === true }),
        turnFinished: (turn) => this.post({ type: 'messageFinished', message: this.toAssistantView(turn) }),
        toolUpdated: (turn) => this.post({ type: 'toolUpdated', message: toToolView(turn) }),
        toolCallPreparing: (turn, index, name) => this.post({ type: 'toolCallPreparing', messageId: turn.id, index, name }),
        turnRemoved: (turn) => this.post({ type: 'messageRemoved', messageId: turn.id }),
        streamingChanged: (streaming) => this.post({ type: 'streaming', streaming }),
        cleared: () => this.post({ type: 'state', state: this.state() }),
        pendingContextChanged: (context) => this.post({ type: 'pendingContext', context: context.map(toContextView) }),
      }),
      onDidChangeEditorAppearance(() => this.post({ type: 'editorAppearance', appearance: readEditorAppearance() })),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.endViewListeners();
    this.connection.attach(view);
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = buildWebviewHtml(view.webview, this.extensionUri);
    this.viewDisposables = [
      view.webview.onDidReceiveMessage((message: WebviewToHost) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        this.connection.visibilityChanged(() => ({ type: 'state', state: this.state() }));
        this.welcomeChanged();
      }),
      view.onDidDispose(() => {
        this.connection.detach(view);
        this.endViewListeners();
      }),
    ];
  }

  /** Opens the panel, resolving the view if it never was. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
  }

  /** Asks the webview to downscale an image (after it is ready, if it is still loading). */
  downscaleImage(name: string, dataUrl: string): void {
    if (this.connection.postWhenReady({ type: 'downscaleImage', name, dataUrl }) === 'queued') {
      void this.reveal();
    }
  }

  /** Focuses the composer now, or as soon as a webview that is still loading or hidden is ready. */
  focusComposer(): void {
    this.connection.postWhenReady({ type: 'focusComposer' });
  }

  /** A prompt file was added, changed or removed. */
  promptsChanged(): void {
    this.post({ type: 'prompts', prompts: this.actions.prompts() });
  }

  modelChanged(): void {
    this.post({ type: 'model', model: this.actions.currentModel(), gateway: this.actions.currentGateway() });
    this.welcomeChanged();
  }

  /** The profile or its key changed (or the webview needs the welcome view's facts again). */
  welcomeChanged(): void {
    void this.actions.welcome().then(
      (welcome) => this.post({ type: 'welcome', welcome }),
      () => undefined,
    );
  }

  private receive(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.connection.markReady();
        this.welcomeChanged();
        break;
      case 'openWalkthrough':
        void vscode.commands.executeCommand(CommandIds.openWalkthrough);
        break;
      case 'send':
        void this.chat.ask(message.text).then((sent) => {
          if (!sent) {
            this.post({ type: 'restoreInput', text: message.text });
          }
        });
        break;
      case 'stop':
        this.chat.stop();
        break;
      case 'copyMessage': {
        const turn = this.chat.session.turns.find((candidate) => candidate.id === message.messageId);
        if (turn) {
          void vscode.env.clipboard.writeText(turn.text);
        }
        break;
      }
      case 'codeAction':
        void runCodeAction(message.action, message.code, message.language, this.actions.applyInline);
        break;
      case 'openLink':
        void openAnswerLink(message.href, message.text);
        break;
      case 'regenerate':
        void this.chat.retry();
        break;
      case 'editLast':
        void this.chat.editLast(message.text);
        break;
      case 'retryNow':
        this.chat.session.retryNow();
        break;
      case 'attachImage':
        this.actions.attachImage(message.name, message.dataUrl);
        break;
      case 'selectModel':
        void vscode.commands.executeCommand(CommandIds.selectModel);
        break;
      case 'pickImage':
        void vscode.commands.executeCommand(CommandIds.attachImage);
        break;
      case 'imageRejected':
        this.actions.imageRejected(message.name, message.reason);
        break;
      case 'removeContext':
        this.chat.session.detach(message.index);
        break;
      case 'attachContext':
        this.actions.attachContext(message.source);
        break;
      case 'errorAction':
        this.actions.errorAction(message.action);
        break;
      case 'toolApproval':
        this.chat.session.resolveApproval(message.messageId, message.approved);
        break;
      case 'runPrompt':
        void vscode.commands.executeCommand(CommandIds.runPrompt, { name: message.name });
        break;
      case 'saveAsPrompt': {
        const turn = this.chat.session.turns.find((candidate) => candidate.id === message.messageId);
        if (turn?.role === 'user') void vscode.commands.executeCommand(CommandIds.newPrompt, { body: turn.text });
        break;
      }
    }
  }

  private state(): ChatState {
    return {
      messages: this.chat.session.turns.map((turn) => this.toView(turn)),
      pendingContext: this.chat.session.pendingContext.map(toContextView),
      streaming: this.chat.session.streaming,
      model: this.actions.currentModel(),
      gateway: this.actions.currentGateway(),
    };
  }

  private toView(turn: Turn): MessageView {
    if (turn.role === 'tool') {
      return toToolView(turn);
    }
    if (turn.role === 'user') {
      return {
        id: turn.id,
        role: 'user',
        text: turn.text,
        context: turn.context.map(toContextView),
      };
    }
    return this.toAssistantView(turn);
  }

  private toAssistantView(turn: AssistantTurn): AssistantMessageView {
    return {
      id: turn.id,
      role: 'assistant',
      text: turn.text,
      state: turn.state,
      model: turn.model,
      fallback: turn.fallback,
      reasoning: turn.reasoning,
      retry: retryView(turn),
      finishReason: turn.finishReason,
      usage: turn.usage && {
        prompt: turn.usage.prompt_tokens,
        completion: turn.usage.completion_tokens,
        total: turn.usage.total_tokens,
        reasoning: turn.usage.reasoning_tokens,
        cached: turn.usage.cached_tokens,
        cost: turn.usage.cost,
      },
      firstTokenMs: turn.firstTokenMs,
      reasoningMs: turn.reasoningMs,
      error: this.chat.describeError(turn),
      json: turn.json && { ...turn.json },
    };
  }

  private post(message: HostToWebview): void {
    this.connection.post(message);
  }

  private endViewListeners(): void {
    this.viewDisposables.splice(0).forEach((disposable) => {
        disposable.dispose();
      });
  }

  dispose(): void {
    this.connection.dispose();
    this.endViewListeners();
    this.disposables.forEach((disposable) => {
        disposable.dispose();
      });
  }
}
