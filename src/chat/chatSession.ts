import { redactSecret } from '../api/redact';
import type { ChatRequest, GatewayErrorInfo, StreamEvent } from '../api/types';
import { Conversation, type AssistantTurn, type Turn, type UserTurn } from './conversation';
import { SYSTEM_PROMPT, type SelectionContext } from './prompts';

/** Where and as whom a request goes; resolved by the host just before sending. */
export interface Connection {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
}

export type StreamFn = (options: {
  baseUrl: string;
  apiKey: string | undefined;
  request: ChatRequest;
  signal: AbortSignal;
}) => AsyncIterable<StreamEvent>;

export interface ChatSessionListener {
  turnAdded(turn: Turn): void;
  textDelta(turn: AssistantTurn, text: string): void;
  turnFinished(turn: AssistantTurn): void;
  turnRemoved(turn: Turn): void;
  streamingChanged(streaming: boolean): void;
  cleared(): void;
}

export interface RequestLogger {
  request(url: string, request: ChatRequest): void;
  failure(error: GatewayErrorInfo): void;
}

/**
 * Runs one conversation against the gateway: one answer at a time, stoppable at any point,
 * partial text kept on stop or failure. Knows nothing of VS Code.
 */
export class ChatSession {
  private readonly conversation = new Conversation();
  private active: { controller: AbortController; turn: AssistantTurn } | undefined;
  private readonly listeners = new Set<Partial<ChatSessionListener>>();

  constructor(
    private readonly stream: StreamFn,
    private readonly logger?: RequestLogger,
  ) {}

  get turns(): readonly Turn[] {
    return this.conversation.turns;
  }

  get streaming(): boolean {
    return this.active !== undefined;
  }

  subscribe(listener: Partial<ChatSessionListener>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Sends a question and streams the answer; resolves when the answer has finished, stopped or failed. */
  async send(text: string, context: SelectionContext[], connection: Connection): Promise<AssistantTurn> {
    this.stop();
    const userTurn: UserTurn = this.conversation.addUser(text, context);
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

  private async answer(connection: Connection): Promise<AssistantTurn> {
    const request: ChatRequest = {
      model: connection.model,
      messages: this.conversation.toRequestMessages(SYSTEM_PROMPT),
      stream: true,
    };
    const turn = this.conversation.addAssistant(connection.model);
    const controller = new AbortController();
    this.active = { controller, turn };
    this.emit('turnAdded', turn);
    this.emit('streamingChanged', true);

    this.logger?.request(`${connection.baseUrl}/chat/completions`, request);
    try {
      const events = this.stream({ baseUrl: connection.baseUrl, apiKey: connection.apiKey, request, signal: controller.signal });
      for await (const event of events) {
        this.apply(turn, event, connection.apiKey);
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
      turn.error = { kind: 'network', message: redactSecret(message, connection.apiKey) };
      this.logger?.failure(turn.error);
    } finally {
      if (this.active?.turn === turn) {
        this.active = undefined;
      }
    }
    this.emit('turnFinished', turn);
    if (!this.active) {
      this.emit('streamingChanged', false);
    }
    return turn;
  }

  /** Aborts the request under way; its partial answer stays. */
  stop(): void {
    this.active?.controller.abort();
  }

  clear(): void {
    this.stop();
    this.conversation.clear();
    this.emit('cleared');
  }

  private apply(turn: AssistantTurn, event: StreamEvent, apiKey: string | undefined): void {
    switch (event.type) {
      case 'text':
        turn.text += event.text;
        this.emit('textDelta', turn, event.text);
        break;
      case 'finish':
        turn.finishReason = event.reason;
        break;
      case 'usage':
        turn.usage = event.usage;
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
