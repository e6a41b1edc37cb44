import type { ChatMessage, GatewayErrorInfo, ImageDetail, ToolCall, Usage } from '../api/types';
import { formatUserContent, type ChatContext } from './prompts';

export type TurnState = 'streaming' | 'done' | 'stopped' | 'error';

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
  retry?: RetryStatus;
  error?: GatewayErrorInfo;
}

export type Turn = UserTurn | AssistantTurn;

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

  /** Drops the last answer so it can be asked for again; returns it, or undefined if the last turn is not an answer. */
  removeLastAssistant(): AssistantTurn | undefined {
    const last = this.turnList[this.turnList.length - 1];
    if (last?.role !== 'assistant') {
      return undefined;
    }
    this.turnList.pop();
    return last;
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
   * user saw them.
   */
  toRequestMessages(systemPrompt: string, imageDetail?: ImageDetail): ChatMessage[] {
    const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt }];
    for (const turn of this.turnList) {
      if (turn.role === 'user') {
        messages.push({ role: 'user', content: formatUserContent(turn.text, turn.context, imageDetail) });
      } else if (turn.text.length > 0) {
        messages.push({ role: 'assistant', content: turn.text });
      }
    }
    return messages;
  }

  private newId(): string {
    return `m${this.nextId++}`;
  }
}
