// vscode-free: conversations as they are stored between window reloads.
import { createHash } from 'node:crypto';
import { isRecord } from '../isRecord';
import { CANCELLED_RESULT, type Turn, type UserTurn } from './conversation';
import { IMAGE_MIME_TYPES, type ImageMimeType } from './images';
import type { AttachmentContext, ImageContext, SelectionContext } from './prompts';

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
export function upsertConversation<T extends { id: string }>(list: readonly T[], conversation: T, limit: number): T[] {
  return [conversation, ...list.filter((entry) => entry.id !== conversation.id)].slice(0, limit);
}

/**
 * An attached image as the history file keeps it: its bytes live once in `images/<file>`, named by
 * their SHA-256, so a screenshot is neither re-serialised on every save nor stored twice.
 */
export interface StoredImageRef {
  kind: 'image';
  name: string;
  mimeType: ImageMimeType;
  /** `<sha256>.<ext>`, relative to the images folder next to the history file. */
  file: string;
}

export type PersistedUserTurn = Omit<UserTurn, 'context'> & { context: Array<SelectionContext | AttachmentContext | StoredImageRef> };
export type PersistedTurn = PersistedUserTurn | Exclude<Turn, UserTurn>;
/** A conversation as written to disk (and held in memory between saves): images by reference only. */
export type PersistedConversation = Omit<StoredConversation, 'turns'> & { turns: PersistedTurn[] };

const EXTENSIONS: Record<ImageMimeType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
const IMAGE_FILE = /^[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/;

/** An image's content-addressed file name and its bytes; undefined for a data: URL that is not a supported image. */
export function imageFile(image: Pick<ImageContext, 'mimeType' | 'dataUrl'>): { file: string; mimeType: ImageMimeType; bytes: Buffer } | undefined {
  const match = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/s.exec(image.dataUrl);
  const mimeType = IMAGE_MIME_TYPES.find((type) => type === match?.[1]);
  if (!match || mimeType === undefined) {
    return undefined;
  }
  const bytes = Buffer.from(match[2] ?? '', 'base64');
  return { file: `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSIONS[mimeType]}`, mimeType, bytes };
}

/** What a stored image file holds, back as the data: URL a request carries. */
export function imageDataUrl(ref: StoredImageRef, bytes: Uint8Array): string {
  return `data:${ref.mimeType};base64,${Buffer.from(bytes).toString('base64')}`;
}

/** Turns a conversation's images into references; `refFor` names (and arranges to write) each one's file. */
export function persistConversation(conversation: StoredConversation, refFor: (image: ImageContext) => StoredImageRef | undefined): PersistedConversation {
  return {
    ...conversation,
    turns: conversation.turns.map((turn): PersistedTurn => {
      if (turn.role !== 'user') return turn;
      const context = turn.context.map((entry) => (entry.kind === 'image' ? refFor(entry) : entry));
      return { ...turn, context: context.filter((entry) => entry !== undefined) };
    }),
  };
}

function isSelection(value: Record<string, unknown>): boolean {
  return value.kind === 'selection' && typeof value.fileName === 'string' && typeof value.text === 'string' && typeof value.startLine === 'number' && typeof value.endLine === 'number';
}

const ATTACHMENT_SOURCES: ReadonlySet<unknown> = new Set(['file', 'problems', 'diff', 'terminal']);

function isAttachment(value: Record<string, unknown>): boolean {
  return (
    value.kind === 'attachment' &&
    ATTACHMENT_SOURCES.has(value.source) &&
    typeof value.label === 'string' &&
    typeof value.heading === 'string' &&
    typeof value.languageId === 'string' &&
    typeof value.text === 'string'
  );
}

/**
 * Reads a history file: the current format (images by file) and the earlier one (images inline as
 * data: URLs, handed to `refFor` so they move to files). Malformed entries are dropped as before.
 */
export function parsePersistedConversations(value: unknown, refFor: (image: ImageContext) => StoredImageRef | undefined): PersistedConversation[] {
  return parseStoredConversations(value).map((conversation) => ({
    ...conversation,
    turns: conversation.turns.map((turn): PersistedTurn => {
      if (turn.role !== 'user') return turn;
      const context = (turn.context as unknown[]).flatMap((entry): Array<SelectionContext | AttachmentContext | StoredImageRef> => {
        if (!isRecord(entry)) return [];
        if (isSelection(entry)) return [entry as unknown as SelectionContext];
        if (isAttachment(entry)) return [entry as unknown as AttachmentContext];
        if (entry.kind !== 'image' || typeof entry.name !== 'string') return [];
        const mimeType = IMAGE_MIME_TYPES.find((type) => type === entry.mimeType);
        if (typeof entry.file === 'string' && IMAGE_FILE.test(entry.file) && mimeType !== undefined) {
          return [{ kind: 'image', name: entry.name, mimeType, file: entry.file }];
        }
        if (typeof entry.dataUrl === 'string' && mimeType !== undefined) {
          const ref = refFor({ kind: 'image', name: entry.name, mimeType, dataUrl: entry.dataUrl });
          return ref === undefined ? [] : [ref];
        }
        return [];
      });
      return { ...turn, context };
    }),
  }));
}

/** The conversation with its images read back; an image whose file is gone is left out. */
export async function resolveConversation(
  conversation: PersistedConversation,
  read: (ref: StoredImageRef) => Promise<Uint8Array | undefined>,
  resolved?: (image: ImageContext, ref: StoredImageRef) => void,
): Promise<StoredConversation> {
  const turns = await Promise.all(
    conversation.turns.map(async (turn): Promise<Turn> => {
      if (turn.role !== 'user') return turn;
      const context = await Promise.all(
        turn.context.map(async (entry) => {
          if (entry.kind !== 'image') return entry;
          const bytes = await read(entry);
          if (bytes === undefined) return undefined;
          const image: ImageContext = { kind: 'image', name: entry.name, mimeType: entry.mimeType, dataUrl: imageDataUrl(entry, bytes) };
          resolved?.(image, entry);
          return image;
        }),
      );
      return { ...turn, context: context.filter((entry) => entry !== undefined) };
    }),
  );
  return { ...conversation, turns };
}

/** Every image file the conversations still refer to. */
export function referencedImageFiles(conversations: readonly PersistedConversation[]): Set<string> {
  const files = new Set<string>();
  for (const conversation of conversations) {
    for (const turn of conversation.turns) {
      if (turn.role === 'user') {
        for (const context of turn.context) if (context.kind === 'image') files.add(context.file);
      }
    }
  }
  return files;
}
