import { requestSecrets } from '../api/headers';
import { secretMasker, type Masker } from '../api/redact';
import { ToolCallAccumulator } from '../api/toolCallAccumulator';
import type { ChatRequest, ChatStreamEvent, GatewayErrorInfo, ToolCall } from '../api/types';
import { CANCELLED_RESULT, Conversation, type AssistantTurn, type RetryStatus, type ToolTurn, type Turn, type UserTurn } from './conversation';
import { conversationTitle, type StoredConversation } from './history';
import { SYSTEM_PROMPT, type ChatContext } from './prompts';
import type { Connection, StreamFn } from './request';
import { DENIED_RESULT, type ToolResult, type ToolRunner } from './toolRunner';
import { checkJsonAnswer, rejectedFeature, wantsJson, withoutFeature, type DroppableFeature } from './structuredAnswer';

export interface ChatSessionListener {
  turnAdded(turn: Turn): void;
  textDelta(turn: AssistantTurn, text: string): void;
  reasoningDelta(turn: AssistantTurn, text: string): void;
  /** A retry wait started (status set) or the answer started flowing again (status undefined). */
  retryStatusChanged(turn: AssistantTurn): void;
  /** A fallback model took over. */
  modelChanged(turn: AssistantTurn): void;
  turnFinished(turn: AssistantTurn): void;
  /**
   * The name of one tool call an answer makes, as it streams: once per new call and per further
   * piece of its name, never for argument pieces, and never the whole list (listeners keep theirs).
   */
  toolCallPreparing(turn: AssistantTurn, index: number, name: string): void;
  /** The gateway rejected an optional feature of the request, which was then dropped (asked again without it). */
  featureRejected(feature: DroppableFeature, request: ChatRequest): void;
  /** A tool call changed state or got its result. */
  toolUpdated(turn: ToolTurn): void;
  turnRemoved(turn: Turn): void;
  streamingChanged(streaming: boolean): void;
  cleared(): void;
  pendingContextChanged(context: readonly ChatContext[]): void;
}

/** What the session logs; the request itself is logged by the pipeline that sends it. */
export interface RequestLogger {
  failure(error: GatewayErrorInfo): void;
  info(message: string): void;
}

/**
 * Runs one conversation against the gateway: one answer at a time, stoppable at any point,
 * partial text kept on stop or failure. Knows nothing of VS Code.
 */
export class ChatSession {
  private readonly conversation = new Conversation();
  private active: { controller: AbortController; retryNow?: () => void; preparing?: ToolCallAccumulator } | undefined;
  /** Tool calls waiting for Allow / Deny, by tool turn id. */
  private readonly approvals = new Map<string, (approved: boolean) => void>();
  private readonly listeners = new Set<Partial<ChatSessionListener>>();
  private pending: ChatContext[] = [];
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

  /** Asks again for the last answer (after an error or a stop), replacing it and its tool calls. */
  async retry(connection: Connection): Promise<AssistantTurn | undefined> {
    this.stop();
    const removed = this.conversation.removeLastAnswer();
    if (removed.length === 0) {
      return undefined;
    }
    for (const turn of removed) {
      this.emit('turnRemoved', turn);
    }
    return this.answer(connection);
  }

  /** The user's answer to a tool call waiting for approval. */
  resolveApproval(turnId: string, approved: boolean): void {
    const resolve = this.approvals.get(turnId);
    this.approvals.delete(turnId);
    resolve?.(approved);
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

  /**
   * Streams the answer; when the model calls tools, runs them and asks again with their results,
   * round after round until it answers in text or the round limit is reached.
   */
  private async answer(connection: Connection): Promise<AssistantTurn> {
    const controller = new AbortController();
    const active: NonNullable<ChatSession['active']> = { controller };
    this.active = active;
    this.emit('streamingChanged', true);
    const tools = connection.tools;
    let turn: AssistantTurn;
    try {
      for (let round = 0; ; round++) {
        const lastRound = tools !== undefined && round >= tools.maxRounds;
        turn = await this.answerOnce(connection, active, round, lastRound);
        const calls = turn.toolCalls ?? [];
        if (!tools || turn.state !== 'done' || calls.length === 0) break;
        if (lastRound) {
          // Told to answer without tools and it still called some: stop rather than loop forever.
          turn.toolRoundLimit = tools.maxRounds;
          turn.state = 'error';
          this.logger?.info(`tool round limit (${tools.maxRounds}) reached; the model kept calling tools`);
          break;
        }
        this.emit('turnFinished', turn);
        await this.runTools(calls, tools.runner, controller.signal);
        if (controller.signal.aborted) {
          turn = this.conversation.addAssistant(turn.model);
          turn.state = 'stopped';
          this.emit('turnAdded', turn);
          break;
        }
      }
    } finally {
      if (this.active === active) {
        this.active = undefined;
      }
    }
    this.emit('turnFinished', turn);
    if (!this.active) {
      this.emit('streamingChanged', false);
    }
    return turn;
  }

  /** One request and its streamed answer; a feature the gateway rejects is dropped and asked again. */
  private async answerOnce(connection: Connection, active: NonNullable<ChatSession['active']>, round: number, lastRound: boolean): Promise<AssistantTurn> {
    const { controller } = active;
    let request = this.buildRequest(connection, round, lastRound);
    const turn = this.conversation.addAssistant(connection.model);
    if (wantsJson(request.response_format)) turn.json = {};
    this.emit('turnAdded', turn);

    const { model: _model, parameters: _parameters, imageDetail: _imageDetail, tools: _tools, policy, ...route } = connection;
    // Gateways echo keys and header secrets in their messages; every text kept or logged is masked.
    const mask = secretMasker(requestSecrets(connection.apiKey, connection.secretHeaders));
    const dropped = new Set<DroppableFeature>();
    const startedAt = this.now();
    let reasoningSince: number | undefined;
    try {
      attempts: for (;;) {
        const events = this.stream({ ...route, request, policy: policy ?? {}, signal: controller.signal });
        let answered = false;
        for await (const event of events) {
          if (event.type === 'error' && !answered) {
            const feature = rejectedFeature(event.error, request);
            if (feature && !dropped.has(feature)) {
              dropped.add(feature);
              this.logger?.info(`the gateway rejected ${feature} (${mask(event.error.message)}); asking again without it`);
              this.emit('featureRejected', feature, request);
              request = withoutFeature(request, feature);
              if (feature === 'response_format' && turn.json) turn.json.viaPrompt = true;
              continue attempts;
            }
          }
          if (event.type === 'text' || event.type === 'reasoning' || event.type === 'toolCallDelta') answered = true;
          if (turn.firstTokenMs === undefined && (event.type === 'text' || event.type === 'reasoning')) {
            turn.firstTokenMs = this.now() - startedAt;
          }
          if (event.type === 'reasoning') reasoningSince ??= this.now();
          else if (reasoningSince !== undefined && turn.reasoningMs === undefined && (event.type === 'text' || event.type === 'toolCallDelta')) {
            turn.reasoningMs = this.now() - reasoningSince;
          }
          this.apply(active, turn, event, mask);
          if (turn.state === 'error') {
            break;
          }
        }
        break;
      }
      if (turn.state === 'streaming') {
        turn.state = controller.signal.aborted ? 'stopped' : 'done';
      }
      if (reasoningSince !== undefined) turn.reasoningMs ??= this.now() - reasoningSince;
    } catch (error) {
      // The client reports gateway failures as events; anything thrown here is unexpected.
      turn.state = 'error';
      const message = error instanceof Error ? error.message : String(error);
      turn.error = { kind: 'network', message: mask(message) };
      this.logger?.failure(turn.error);
    }
    turn.retry = undefined;
    active.retryNow = undefined;
    active.preparing = undefined;
    if (turn.json && turn.state === 'done' && !(turn.toolCalls?.length)) {
      const check = checkJsonAnswer(turn.text, connection.parameters?.response_format);
      turn.json.valid = check.valid;
      if (!check.valid) turn.json.problem = check.problem;
    }
    return turn;
  }

  private buildRequest(connection: Connection, round: number, lastRound: boolean): ChatRequest {
    const request: ChatRequest = {
      ...connection.parameters,
      model: connection.model,
      messages: this.conversation.toRequestMessages(SYSTEM_PROMPT, connection.imageDetail),
      stream: true,
    };
    const tools = connection.tools;
    if (tools && tools.definitions.length > 0) {
      request.tools = tools.definitions;
      // "required" or a named function would force a call every round; after the first they have had their effect.
      const choice = lastRound ? 'none' : round === 0 ? tools.choice : tools.choice === 'none' ? 'none' : undefined;
      if (choice !== undefined) request.tool_choice = choice;
    }
    return request;
  }

  /** Runs the calls of one answer in order, each shown as a tool turn; after Stop the rest are cancelled. */
  private async runTools(calls: readonly ToolCall[], runner: ToolRunner, signal: AbortSignal): Promise<void> {
    for (const call of calls) {
      let description: { summary: string; needsApproval: boolean };
      try {
        description = runner.describe(call);
      } catch {
        description = { summary: '', needsApproval: false };
      }
      const turn = this.conversation.addTool(call, description.summary);
      this.emit('turnAdded', turn);
      const result = signal.aborted
        ? { text: CANCELLED_RESULT, state: 'cancelled' as const }
        : await this.runTool(turn, call, runner, description.needsApproval, signal);
      turn.state = signal.aborted && result.state !== 'done' ? 'cancelled' : result.state ?? 'done';
      turn.text = turn.state === 'cancelled' ? CANCELLED_RESULT : result.text;
      this.logger?.info(`tool ${call.function.name} (${call.id}): ${turn.state}, ${turn.text.length} characters`);
      this.emit('toolUpdated', turn);
    }
  }

  private async runTool(
    turn: ToolTurn,
    call: ToolCall,
    runner: ToolRunner,
    needsApproval: boolean,
    signal: AbortSignal,
  ): Promise<ToolResult | { text: string; state: 'cancelled' }> {
    if (needsApproval) {
      turn.state = 'awaitingApproval';
      this.emit('toolUpdated', turn);
      const approved = await this.approval(turn.id, signal);
      if (signal.aborted) return { text: CANCELLED_RESULT, state: 'cancelled' };
      if (!approved) return { text: DENIED_RESULT, state: 'denied' };
      turn.state = 'running';
      this.emit('toolUpdated', turn);
    }
    try {
      return await runner.run(call, signal);
    } catch (error) {
      // A tool that throws is a bug of ours, but the model still gets an answer for its call.
      const message = error instanceof Error ? error.message : String(error);
      return { text: `The tool failed: ${message}`, state: 'error' };
    }
  }

  /** Waits for Allow / Deny; Stop counts as Deny. */
  private approval(turnId: string, signal: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => this.resolveApproval(turnId, false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.approvals.set(turnId, (approved) => {
        signal.removeEventListener('abort', onAbort);
        resolve(approved);
      });
    });
  }

  private apply(active: NonNullable<ChatSession['active']>, turn: AssistantTurn, event: ChatStreamEvent, mask: Masker): void {
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
      {
        active.preparing ??= new ToolCallAccumulator();
        const before = active.preparing.nameAt(event.index);
        active.preparing.apply(event);
        // Only a new call or more of a name changes what the panel says, not every piece of arguments.
        const name = active.preparing.nameAt(event.index);
        if (name !== before) {
          this.emit('toolCallPreparing', turn, event.index, name);
        }
        break;
      }
      case 'retrying': {
        const error = { ...event.error, message: mask(event.error.message) };
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
        turn.error = { ...event.error, message: mask(event.error.message) };
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
