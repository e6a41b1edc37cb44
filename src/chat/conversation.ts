import type { ChatMessage, GatewayErrorInfo, ImageDetail, ToolCall, Usage } from '../api/types';
import { formatUserContent, type ChatContext } from './prompts';

export type TurnState = 'streaming' | 'done' | 'stopped' | 'error';

/**
 * running: the tool is at work; awaitingApproval: a tool that writes waits for Allow / Deny;
 * done / error: its result went back to the model; denied: the user said no; cancelled: Stop.
 */
export type ToolCallState = 'running' | 'awaitingApproval' | 'done' | 'error' | 'denied' | 'cancelled';

/** How an answer asked for as JSON turned out. */
export interface JsonAnswerCheck {
  /** False when the finished answer is not the JSON that was asked for; `problem` says why. */
  valid?: boolean;
  problem?: string;
  /** True when the gateway rejected `response_format` and the prompt asked for JSON instead. */
  viaPrompt?: boolean;
}

export interface UserTurn {
  id: string;
  role: 'user';
  text: string;
  context: ChatContext[];
}

/** A wait before the next attempt, shown with a countdown. */
export interface RetryStatus {
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  error: GatewayErrorInfo;
}

export interface AssistantTurn {
  id: string;
  role: 'assistant';
  text: string;
  state: TurnState;
  /** The model that answered (a fallback model once one took over). */
  model: string;
  fallback?: boolean;
  reasoning?: string;
  toolCalls?: ToolCall[];
  finishReason?: string;
  usage?: Usage;
  firstTokenMs?: number;
  /** From the first reasoning to the first answer text or tool call (or the end). */
  reasoningMs?: number;
  retry?: RetryStatus;
  error?: GatewayErrorInfo;
  /** Set when the model kept calling tools after the last round allowed (the limit). */
  toolRoundLimit?: number;
  /** Asked for as JSON; `valid` is set once the answer is complete. */
  json?: JsonAnswerCheck;
}

/** The result sent for a call that never ran because the user pressed Stop. */
export const CANCELLED_RESULT = 'Cancelled: the user stopped the answer before this tool ran.';

/** One tool call of an answer and its result; `text` is exactly what went back to the model. */
export interface ToolTurn {
  id: string;
  role: 'tool';
  callId: string;
  name: string;
  arguments: string;
  summary: string;
  state: ToolCallState;
  text: string;
}

export type Turn = UserTurn | AssistantTurn | ToolTurn;

/** One conversation: the turns in order, and how they go on the wire. */
export class Conversation {
  private readonly turnList: Turn[] = [];
  private nextId = 1;

  get turns(): readonly Turn[] {
    return this.turnList;
  }

  addUser(text: string, context: ChatContext[] = []): UserTurn {
    const turn: UserTurn = { id: this.newId(), role: 'user', text, context };
    this.turnList.push(turn);
    return turn;
  }

  addAssistant(model: string): AssistantTurn {
    const turn: AssistantTurn = { id: this.newId(), role: 'assistant', text: '', state: 'streaming', model };
    this.turnList.push(turn);
    return turn;
  }

  addTool(call: ToolCall, summary: string): ToolTurn {
    const turn: ToolTurn = {
      id: this.newId(),
      role: 'tool',
      callId: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      summary,
      state: 'running',
      text: '',
    };
    this.turnList.push(turn);
    return turn;
  }

  /**
   * Drops the last answer (with its tool calls and their results) so it can be asked for again;
   * returns what was dropped, oldest first: nothing when the last turn is a question.
   */
  removeLastAnswer(): Turn[] {
    const index = this.turnList.map((turn) => turn.role).lastIndexOf('user');
    return this.turnList.splice(index + 1);
  }

  /** Drops the last question and everything after it; returns what was dropped, oldest first. */
  removeLastExchange(): Turn[] {
    const index = this.turnList.map((turn) => turn.role).lastIndexOf('user');
    return index < 0 ? [] : this.turnList.splice(index);
  }

  clear(): void {
    this.turnList.length = 0;
  }

  /** Replaces every turn (a conversation reopened from history); new ids continue after theirs. */
  replaceTurns(turns: readonly Turn[]): void {
    this.turnList.splice(0, this.turnList.length, ...turns);
    const highest = Math.max(0, ...turns.map((turn) => Number(turn.id.replace(/^m/, '')) || 0));
    this.nextId = highest + 1;
  }

  /**
   * The messages for the next request. Answers with no text (failed, or stopped before the first
   * token) are left out so the model sees no empty assistant turns; partial answers stay, as the
   * user saw them. An answer's tool calls go with it only together with their results: gateways
   * reject a call that no `tool` message answers.
   */
  toRequestMessages(systemPrompt: string, imageDetail?: ImageDetail): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
    const turns = this.turnList;
    for (let i = 0; i < turns.length; i++) {
      const turn = turns[i] as Turn;
      if (turn.role === 'user') {
        messages.push({ role: 'user', content: formatUserContent(turn.text, turn.context, imageDetail) });
      } else if (turn.role === 'assistant') {
        // A call is answered by the tool turns right after its answer: ids repeat across answers
        // (gateways that send none get call_0 each time), so a result must not answer another round.
        const answered = new Map<string, ToolTurn>();
        for (let j = i + 1; j < turns.length; j++) {
          const next = turns[j] as Turn;
          if (next.role !== 'tool') break;
          if (isSettled(next) && !answered.has(next.callId)) answered.set(next.callId, next);
        }
        const calls = (turn.toolCalls ?? []).filter((call) => answered.has(call.id));
        // Kept for the gateways that want it back (DeepSeek and Kimi thinking with tools); the client strips it for the rest.
        const reasoning = turn.reasoning ? { reasoning_content: turn.reasoning } : {};
        if (calls.length > 0) {
          messages.push({ role: 'assistant', content: turn.text.length > 0 ? turn.text : null, tool_calls: calls, ...reasoning });
          for (const call of calls) {
            messages.push({ role: 'tool', tool_call_id: call.id, content: answered.get(call.id)?.text ?? '' });
          }
        } else if (turn.text.length > 0) {
          messages.push({ role: 'assistant', content: turn.text, ...reasoning });
        }
      }
    }
    return messages;
  }

  private newId(): string {
    return `m${this.nextId++}`;
  }
}

function isSettled(turn: ToolTurn): boolean {
  return turn.state !== 'running' && turn.state !== 'awaitingApproval';
}
