import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import { parseStoredConversations, upsertConversation, type StoredConversation } from '../chat/history';

const MAX_CONVERSATIONS = 50;

/**
 * Keeps the session's conversations in the workspace's own storage folder: saved as each question
 * is asked and each answer ends, and the latest one reopened after a window reload.
 *
 * A file written synchronously, not workspaceState: a Memento update is flushed by the window some
 * time later, so an answer that ended just before a reload was lost; conversations with images are
 * also larger than what Mementos are meant to hold.
 */
export class HistoryStore implements vscode.Disposable {
  private readonly subscription: { dispose(): void };
  private readonly file: string;

  constructor(
    storageFolder: vscode.Uri,
    private readonly session: ChatSession,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.file = path.join(storageFolder.fsPath, 'chat-history.json');
    this.subscription = session.subscribe({
      turnAdded: (turn) => {
        if (turn.role === 'user') {
          this.save();
        }
      },
      turnFinished: () => this.save(),
      turnRemoved: () => this.save(),
    });
  }

  list(): StoredConversation[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return []; // no history yet
    }
    try {
      return parseStoredConversations(JSON.parse(text));
    } catch (error) {
      this.log.warn(`Chat history in ${this.file} is unreadable and was ignored: ${String(error)}`);
      return [];
    }
  }

  /** Written to a temporary file and renamed, so a crash mid-write never leaves half a history. */
  private write(conversations: StoredConversation[]): void {
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(conversations));
      fs.renameSync(temporary, this.file);
    } catch (error) {
      this.log.error(`Could not save the chat history to ${this.file}: ${String(error)}`);
    }
  }

  /** Reopens the conversation the user had before the window reloaded. */
  restoreLatest(): void {
    const [latest] = this.list();
    if (latest) {
      this.session.load(latest);
    }
  }

  open(id: string): boolean {
    const stored = this.list().find((conversation) => conversation.id === id);
    if (!stored) {
      return false;
    }
    this.save();
    this.session.load(stored);
    return true;
  }

  delete(id: string): void {
    this.write(this.list().filter((conversation) => conversation.id !== id));
    if (this.session.id === id) {
      this.session.clear();
    }
  }

  /** Saves the current conversation, then starts a new one. */
  newChat(): void {
    this.save();
    this.session.clear();
  }

  private save(): void {
    const snapshot = this.session.snapshot();
    if (snapshot) {
      this.write(upsertConversation(this.list(), snapshot, MAX_CONVERSATIONS));
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
