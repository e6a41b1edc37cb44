import { redactSecret } from '../api/redact';
import type { RecoveryPolicy } from '../api/retryPolicy';
import type { ChatRequest, ChatStreamEvent, GatewayErrorInfo, ImageDetail } from '../api/types';
import { Conversation, type AssistantTurn, type RetryStatus, type Turn, type UserTurn } from './conversation';
import { conversationTitle, type StoredConversation } from './history';
import { SYSTEM_PROMPT, type ChatContext } from './prompts';

/** Request fields that come from settings rather than from the conversation. */
export type RequestParameters = Omit<ChatRequest, 'model' | 'messages' | 'stream' | 'stream_options'>;

/** Where, as whom and how a request goes; resolved by the host just before sending. */
export interface Connection {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  headers?: Record<string, string>;
  parameters?: RequestParameters;
  extraBody?: Record<string, unknown>;
  fallbackModels?: string[];
  policy?: RecoveryPolicy;
  imageDetail?: ImageDetail;
}

export interface StreamRequest {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  headers?: Record<string, string>;
  extraBody?: Record<string, unknown>;
  fallbackModels?: string[];
  policy: RecoveryPolicy;
  signal: AbortSignal;
}

export type StreamFn = (options: StreamRequest) => AsyncIterable<ChatStreamEvent>;

export interface ChatSessionListener {
  turnAdded(turn: Turn): void;
  textDelta(turn: AssistantTurn, text: string): void;
  reasoningDelta(turn: AssistantTurn, text: string): void;
  /** A retry wait started (status set) or the answer started flowing again (status undefined). */
  retryStatusChanged(turn: AssistantTurn): void;
  /** A fallback model took over. */
  modelChanged(turn: AssistantTurn): void;
  turnFinished(turn: AssistantTurn): void;
  turnRemoved(turn: Turn): void;
  streamingChanged(streaming: boolean): void;
  cleared(): void;
  pendingContextChanged(context: readonly ChatContext[]): void;
}

export interface RequestLogger {
  request(url: string, request: ChatRequest): void;
  failure(error: GatewayErrorInfo): void;
  info(message: string): void;
}

/** The last request as sent, for "Copy Last Request as cURL". */
export type LastRequest = Pick<StreamRequest, 'baseUrl' | 'apiKey' | 'request' | 'headers' | 'extraBody'>;

/**
 * Runs one conversation against the gateway: one answer at a time, stoppable at any point,
 * partial text kept on stop or failure. Knows nothing of VS Code.
 */
export class ChatSession {
  private readonly conversation = new Conversation();
  private active: { controller: AbortController; turn: AssistantTurn; retryNow?: () => void } | undefined;
  private readonly listeners = new Set<Partial<ChatSessionListener>>();
  private pending: ChatContext[] = [];
  private last: LastRequest | undefined;
  private conversationId: string;
  private createdAt: number;

  constructor(
    private readonly stream: StreamFn,
    private readonly logger?: RequestLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.conversationId = this.newConversationId();
    this.createdAt = now();
  }

  /** The conversation as stored in history; undefined while it has no turns. */
  snapshot(): StoredConversation | undefined {
    const turns = this.conversation.turns;
    if (turns.length === 0) {
      return undefined;
    }
    return {
      id: this.conversationId,
      title: conversationTitle(turns),
      createdAt: this.createdAt,
      updatedAt: this.now(),
      turns: turns.map((turn) => ({ ...turn })),
    };
  }

  get id(): string {
    return this.conversationId;
  }

  /** Reopens a stored conversation in place of the current one. */
  load(stored: StoredConversation): void {
    this.stop();
    this.conversation.replaceTurns(stored.turns.map((turn) => ({ ...turn })));
    this.conversationId = stored.id;
    this.createdAt = stored.createdAt;
    this.emit('cleared');
  }

  private newConversationId(): string {
    return `c${this.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  }

  get turns(): readonly Turn[] {
    return this.conversation.turns;
  }

  get streaming(): boolean {
    return this.active !== undefined;
  }

  get lastRequest(): LastRequest | undefined {
    return this.last;
  }

  subscribe(listener: Partial<ChatSessionListener>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Context attached for the next question (the composer's chips). */
  get pendingContext(): readonly ChatContext[] {
    return this.pending;
  }

  attach(context: ChatContext): void {
    this.pending = [...this.pending, context];
    this.emit('pendingContextChanged', this.pending);
  }

  detach(index: number): void {
    if (index >= 0 && index < this.pending.length) {
      this.pending = this.pending.filter((_, position) => position !== index);
      this.emit('pendingContextChanged', this.pending);
    }
  }

  /**
   * Sends a question with the attached context plus `context`, and streams the answer; resolves
   * when the answer has finished, stopped or failed.
   */
  async send(text: string, context: ChatContext[], connection: Connection): Promise<AssistantTurn> {
    this.stop();
    const attached = this.pending;
    if (attached.length > 0) {
      this.pending = [];
      this.emit('pendingContextChanged', this.pending);
    }
    const userTurn: UserTurn = this.conversation.addUser(text, [...attached, ...context]);
    this.emit('turnAdded', userTurn);
    return this.answer(connection);
  }

  /** Asks again for the last answer (after an error or a stop), replacing it. */
  async retry(connection: Connection): Promise<AssistantTurn | undefined> {
    this.stop();
    const removed = this.conversation.removeLastAssistant();
    if (!removed) {
      return undefined;
    }
    this.emit('turnRemoved', removed);
    return this.answer(connection);
  }

  /** Asks `text` in place of the last question (edit and resend), keeping that question's context. */
  async editLast(text: string, connection: Connection): Promise<AssistantTurn | undefined> {
    this.stop();
    const removed = this.conversation.removeLastExchange();
    const question = removed[0];
    if (question?.role !== 'user') {
      return undefined;
    }
    for (const turn of removed) {
      this.emit('turnRemoved', turn);
    }
    const userTurn = this.conversation.addUser(text, question.context);
    this.emit('turnAdded', userTurn);
    return this.answer(connection);
  }

  /** Cuts a retry wait short ("Retry now"). */
  retryNow(): void {
    this.active?.retryNow?.();
  }

  /** Aborts the request under way (or its retry wait); its partial answer stays. */
  stop(): void {
    this.active?.controller.abort();
  }

  /** Starts a new, empty conversation (the old one stays in history). */
  clear(): void {
    this.stop();
    this.conversation.clear();
    this.conversationId = this.newConversationId();
    this.createdAt = this.now();
    this.emit('cleared');
  }

  private async answer(connection: Connection): Promise<AssistantTurn> {
    const request: ChatRequest = {
      ...connection.parameters,
      model: connection.model,
      messages: this.conversation.toRequestMessages(SYSTEM_PROMPT, connection.imageDetail),
      stream: true,
    };
    const turn = this.conversation.addAssistant(connection.model);
    const controller = new AbortController();
    const active: NonNullable<ChatSession['active']> = { controller, turn };
    this.active = active;
    this.emit('turnAdded', turn);
    this.emit('streamingChanged', true);

    const { baseUrl, apiKey, headers, extraBody } = connection;
    this.last = { baseUrl, apiKey, request, headers, extraBody };
    this.logger?.request(`${baseUrl}/chat/completions`, request);
    const startedAt = this.now();
    try {
      const events = this.stream({
        baseUrl,
        apiKey,
        request,
        headers,
        extraBody,
        fallbackModels: connection.fallbackModels,
        policy: connection.policy ?? {},
        signal: controller.signal,
      });
      for await (const event of events) {
        if (turn.firstTokenMs === undefined && (event.type === 'text' || event.type === 'reasoning')) {
          turn.firstTokenMs = this.now() - startedAt;
        }
        this.apply(active, event, apiKey);
        if (turn.state === 'error') {
          break;
        }
      }
      if (turn.state === 'streaming') {
        turn.state = controller.signal.aborted ? 'stopped' : 'done';
      }
    } catch (error) {
      // The client reports gateway failures as events; anything thrown here is unexpected.
      turn.state = 'error';
      const message = error instanceof Error ? error.message : String(error);
      turn.error = { kind: 'network', message: redactSecret(message, apiKey) };
      this.logger?.failure(turn.error);
    } finally {
      if (this.active === active) {
        this.active = undefined;
      }
    }
    turn.retry = undefined;
    this.emit('turnFinished', turn);
    if (!this.active) {
      this.emit('streamingChanged', false);
    }
    return turn;
  }

  private apply(active: NonNullable<ChatSession['active']>, event: ChatStreamEvent, apiKey: string | undefined): void {
    const { turn } = active;
    if (turn.retry && event.type !== 'retrying') {
      turn.retry = undefined;
      active.retryNow = undefined;
      this.emit('retryStatusChanged', turn);
    }
    switch (event.type) {
      case 'text':
        turn.text += event.text;
        this.emit('textDelta', turn, event.text);
        break;
      case 'reasoning':
        turn.reasoning = (turn.reasoning ?? '') + event.text;
        this.emit('reasoningDelta', turn, event.text);
        break;
      case 'finish':
        turn.finishReason = event.reason;
        break;
      case 'usage':
        turn.usage = event.usage;
        break;
      case 'toolCalls':
        turn.toolCalls = event.calls;
        break;
      case 'toolCallDelta':
        break;
      case 'retrying': {
        const error = { ...event.error, message: redactSecret(event.error.message, apiKey) };
        const status: RetryStatus = { attempt: event.attempt, maxAttempts: event.maxAttempts, delayMs: event.delayMs, error };
        turn.retry = status;
        active.retryNow = event.retryNow;
        this.logger?.info(`retrying (attempt ${event.attempt} of ${event.maxAttempts}) in ${event.delayMs} ms after ${error.kind}: ${error.message}`);
        this.emit('retryStatusChanged', turn);
        break;
      }
      case 'model':
        turn.model = event.model;
        turn.fallback = true;
        this.logger?.info(`falling back to model ${event.model}`);
        this.emit('modelChanged', turn);
        break;
      case 'error':
        turn.state = 'error';
        // Gateways sometimes echo the rejected key in their message.
        turn.error = { ...event.error, message: redactSecret(event.error.message, apiKey) };
        this.logger?.failure(turn.error);
        break;
    }
  }

  private emit<K extends keyof ChatSessionListener>(name: K, ...args: Parameters<ChatSessionListener[K]>): void {
    for (const listener of this.listeners) {
      (listener[name] as ((...a: Parameters<ChatSessionListener[K]>) => void) | undefined)?.(...args);
    }
  }
}
