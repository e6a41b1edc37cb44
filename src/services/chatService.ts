import * as vscode from 'vscode';
import type { AssistantTurn } from '../chat/conversation';
import type { ResponseFormat } from '../api/types';
import { ChatSession } from '../chat/chatSession';
import type { Connection, StreamFn } from '../chat/request';
import type { ToolRunner } from '../chat/toolRunner';
import type { ChatContext } from '../chat/prompts';
import { ContextKeys } from '../commandIds';
import { requestLogger } from '../log';
import type { ErrorView } from '../protocol';
import type { ConnectionResolver } from './connectionResolver';
import { describeGatewayError } from './errorPresenter';
import { parametersFor, routeFor } from './gatewayStream';
import { HistoryStore } from './historyStore';
import { toolDefinitions, type ToolName } from '../tools/toolDefinitions';

/** Per-question changes to the request the settings describe (e.g. a feature that needs JSON). */
export interface AskOptions {
  responseFormat?: ResponseFormat;
  /** False: no tools for this question, whatever the settings say. */
  tools?: boolean;
  /** A model id for this question (a prompt file's `model:`); the gateway and the key stay the settings'. */
  model?: string;
}

/** Makes the runner for the tools the settings enable. */
export type ToolRunnerFactory = (enabled: readonly ToolName[]) => ToolRunner;

/**
 * The host side of chatting: resolves settings and key just before each request (asking for a
 * key when there is none), runs the session, and keeps the streaming context key true.
 */
export class ChatService implements vscode.Disposable {
  readonly session: ChatSession;
  readonly history: HistoryStore;
  private lastBaseUrl = '';
  /** The options of the last question, so Regenerate and Edit ask again the same way (e.g. as JSON). */
  private lastAsk: { conversationId: string; options: AskOptions } | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly resolver: ConnectionResolver,
    log: vscode.LogOutputChannel,
    stream: StreamFn,
    historyFolder: vscode.Uri,
    private readonly toolRunner?: ToolRunnerFactory,
  ) {
    this.session = new ChatSession(stream, requestLogger(log));
    this.history = new HistoryStore(historyFolder, this.session, log);
    void this.history.restoreLatest();
    this.subscription = this.session.subscribe({
      // A gateway that rejects tools is learned (and persisted) by the request pipeline, see api/dialects.ts.
      streamingChanged: (streaming) => void vscode.commands.executeCommand('setContext', ContextKeys.isStreaming, streaming),
    });
  }

  /**
   * Sends a question. `beforeSend` runs once the request can go (key and settings are fine), e.g.
   * to open the panel. False when nothing was sent, so the caller keeps the text.
   */
  async ask(text: string, context: ChatContext[] = [], beforeSend?: () => Promise<void>, options: AskOptions = {}): Promise<boolean> {
    const connection = await this.connection(options);
    if (!connection) {
      return false;
    }
    await beforeSend?.();
    this.lastAsk = { conversationId: this.session.id, options };
    void this.session.send(text, context, connection);
    return true;
  }

  async retry(): Promise<void> {
    const connection = await this.connection(this.lastAskOptions());
    if (connection) {
      void this.session.retry(connection);
    }
  }

  private async connection(options: AskOptions = {}): Promise<Connection | undefined> {
    const resolved = await this.resolver.resolve();
    if (!resolved) {
      return undefined;
    }
    const { profile, client, tools } = resolved.settings;
    const parameters = parametersFor(resolved);
    if (options.responseFormat) parameters.response_format = options.responseFormat;
    this.lastBaseUrl = profile.baseUrl;
    const offerTools = options.tools !== false && tools.enabled.length > 0 && this.toolRunner !== undefined;
    return {
      tools: offerTools
        ? { definitions: toolDefinitions(tools.enabled), choice: tools.choice, maxRounds: tools.maxRounds, runner: this.toolRunner(tools.enabled) }
        : undefined,
      ...routeFor(resolved),
      model: options.model ?? profile.model,
      parameters,
      imageDetail: client.imageDetail,
    };
  }

  /** Replaces the last question and its answer with `text`, keeping the question's context. */
  async editLast(text: string): Promise<void> {
    const connection = await this.connection(this.lastAskOptions());
    if (connection) {
      void this.session.editLast(text, connection);
    }
  }

  stop(): void {
    this.session.stop();
  }

  /** Only for the conversation they were given in: a reopened or new chat starts plain. */
  private lastAskOptions(): AskOptions {
    return this.lastAsk?.conversationId === this.session.id ? this.lastAsk.options : {};
  }

  newChat(): void {
    this.history.newChat();
  }

  describeError(turn: AssistantTurn): ErrorView | undefined {
    if (turn.toolRoundLimit !== undefined) {
      return {
        message: vscode.l10n.t('Stopped after {0} rounds of tool calls (foxChat.tools.maxRounds): the model kept calling tools instead of answering.', turn.toolRoundLimit),
        actions: ['retry', 'openSettings'],
      };
    }
    if (!turn.error) {
      return undefined;
    }
    const turns = this.session.turns;
    const question = turns.slice(0, turns.indexOf(turn)).reverse().find((candidate) => candidate.role === 'user');
    const hadImages = question?.role === 'user' && question.context.some((context) => context.kind === 'image');
    return describeGatewayError(turn.error, this.lastBaseUrl, { model: turn.model, hadImages });
  }

  dispose(): void {
    this.session.stop();
    this.subscription.dispose();
    this.history.dispose();
  }
}
