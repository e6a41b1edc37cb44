// vscode-free: conversations as they are stored between window reloads.
import { isRecord } from '../isRecord';
import { CANCELLED_RESULT, type Turn } from './conversation';

export interface StoredConversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

const TITLE_LENGTH = 60;

export function conversationTitle(turns: readonly Turn[]): string {
  const first = turns.find((turn) => turn.role === 'user');
  const text = (first?.text ?? '').replace(/\s+/g, ' ').trim();
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
}

function isTurn(value: unknown): value is Turn {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.text !== 'string') {
    return false;
  }
  if (value.role === 'user') {
    return Array.isArray(value.context);
  }
  if (value.role === 'tool') {
    return typeof value.callId === 'string' && typeof value.name === 'string' && typeof value.arguments === 'string' && typeof value.state === 'string';
  }
  return value.role === 'assistant' && typeof value.state === 'string' && typeof value.model === 'string';
}

/**
 * Reads stored conversations back, dropping anything malformed (an older or corrupt store must
 * not break the panel). An answer that was streaming when the window closed counts as stopped.
 */
export function parseStoredConversations(value: unknown): StoredConversation[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const conversations: StoredConversation[] = [];
  for (const entry of value as unknown[]) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !Array.isArray(entry.turns)) {
      continue;
    }
    const turns = (entry.turns as unknown[]).filter(isTurn).map((turn): Turn => {
      if (turn.role === 'assistant' && turn.state === 'streaming') return { ...turn, state: 'stopped', retry: undefined };
      // A tool that was running when the window closed never gave the model its result.
      if (turn.role === 'tool' && (turn.state === 'running' || turn.state === 'awaitingApproval')) return { ...turn, state: 'cancelled', text: CANCELLED_RESULT };
      return turn;
    });
    conversations.push({
      id: entry.id,
      title: typeof entry.title === 'string' ? entry.title : conversationTitle(turns),
      createdAt: typeof entry.createdAt === 'number' ? entry.createdAt : 0,
      updatedAt: typeof entry.updatedAt === 'number' ? entry.updatedAt : 0,
      turns,
    });
  }
  return conversations;
}

/** Puts `conversation` first (replacing its older copy) and keeps at most `limit`. */
export function upsertConversation(list: readonly StoredConversation[], conversation: StoredConversation, limit: number): StoredConversation[] {
  return [conversation, ...list.filter((entry) => entry.id !== conversation.id)].slice(0, limit);
}
