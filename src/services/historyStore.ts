import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import {
  imageFile,
  parsePersistedConversations,
  persistConversation,
  referencedImageFiles,
  resolveConversation,
  upsertConversation,
  type PersistedConversation,
  type StoredImageRef,
} from '../chat/history';
import type { ImageContext } from '../chat/prompts';

const MAX_CONVERSATIONS = 50;
const SAVE_DELAY_MS = 300;

/** The file operations the store uses: asynchronous ones while the window runs, synchronous ones only for the last save at shutdown. */
export interface HistoryFileSystem {
  readFile(file: string): Promise<Uint8Array>;
  readdir(folder: string): Promise<string[]>;
  mkdir(folder: string): Promise<void>;
  writeFile(file: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdirSync(folder: string): void;
  writeFileSync(file: string, data: string | Uint8Array): void;
  renameSync(from: string, to: string): void;
}

export const nodeHistoryFileSystem: HistoryFileSystem = {
  readFile: (file) => fs.promises.readFile(file),
  readdir: (folder) => fs.promises.readdir(folder),
  mkdir: async (folder) => void (await fs.promises.mkdir(folder, { recursive: true })),
  writeFile: (file, data) => fs.promises.writeFile(file, data),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (file) => fs.promises.unlink(file),
  mkdirSync: (folder) => void fs.mkdirSync(folder, { recursive: true }),
  writeFileSync: (file, data) => fs.writeFileSync(file, data),
  renameSync: (from, to) => fs.renameSync(from, to),
};

type Log = Pick<vscode.LogOutputChannel, 'warn' | 'error'>;

/**
 * Keeps the session's conversations in the workspace's own storage folder, saved as each question
 * is asked and each answer ends, and reopens the latest one after a window reload.
 *
 * The list lives in memory, read once at startup; saves are debounced and written asynchronously
 * (temp file + rename, one write at a time, the latest state wins), so a question never waits for
 * the disk. Images are stored once each in `images/<sha256>.<ext>` and referenced by name.
 * A file rather than workspaceState: a Memento is flushed some time later, so an answer that
 * ended just before a reload was lost.
 */
export class HistoryStore implements vscode.Disposable {
  private readonly subscription: { dispose(): void };
  private readonly file: string;
  private readonly imageFolder: string;
  private conversations: PersistedConversation[] = [];
  private readonly loading: Promise<void>;
  private loaded = false;
  /** Image files known to be on disk. */
  private readonly imagesOnDisk = new Set<string>();
  /** Images to write with the next save, by file name. */
  private readonly imagesToWrite = new Map<string, Uint8Array>();
  /** Image files no conversation refers to any more, deleted once the list without them is written. */
  private readonly imagesToDelete = new Set<string>();
  /** An image's file, so a conversation saved again does not hash its images again. */
  private readonly refs = new WeakMap<ImageContext, StoredImageRef>();
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private disposed = false;

  constructor(
    storageFolder: Pick<vscode.Uri, 'fsPath'>,
    private readonly session: ChatSession,
    private readonly log: Log,
    private readonly files: HistoryFileSystem = nodeHistoryFileSystem,
    private readonly saveDelayMs = SAVE_DELAY_MS,
  ) {
    this.file = path.join(storageFolder.fsPath, 'chat-history.json');
    this.imageFolder = path.join(storageFolder.fsPath, 'images');
    this.subscription = session.subscribe({
      turnAdded: (turn) => {
        if (turn.role === 'user') {
          this.save();
        }
      },
      turnFinished: () => this.save(),
      turnRemoved: () => this.save(),
    });
    this.loading = this.load();
  }

  private async load(): Promise<void> {
    try {
      for (const name of await this.files.readdir(this.imageFolder)) this.imagesOnDisk.add(name);
    } catch {
      // no images yet
    }
    let loaded: PersistedConversation[] = [];
    let text: string | undefined;
    try {
      text = Buffer.from(await this.files.readFile(this.file)).toString('utf8');
    } catch {
      // no history yet
    }
    if (text !== undefined) {
      try {
        const movedImages: unknown[] = [];
        loaded = parsePersistedConversations(JSON.parse(text), (image) => {
          movedImages.push(image);
          return this.refFor(image);
        });
        // An older history kept images inline: write it again with them moved to files.
        if (movedImages.length > 0) this.dirty = true;
      } catch (error) {
        this.log.warn(`Chat history in ${this.file} is unreadable and was ignored: ${String(error)}`);
      }
    }
    // Conversations saved while the file was still being read come first.
    const saved = new Set(this.conversations.map((conversation) => conversation.id));
    this.conversations = [...this.conversations, ...loaded.filter((conversation) => !saved.has(conversation.id))];
    this.loaded = true;
    this.trim();
    if (this.dirty) this.schedule();
  }

  /** Resolves once the stored conversations are in memory. */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  list(): readonly PersistedConversation[] {
    return this.conversations;
  }

  /** Nothing has been asked since the window opened, and the store is still in use. */
  private mayRestore(): boolean {
    return this.session.turns.length === 0 && !this.disposed;
  }

  /** Reopens the conversation the user had before the window reloaded, unless a new one has begun since. */
  async restoreLatest(): Promise<void> {
    await this.loading;
    const [latest] = this.conversations;
    if (latest && this.mayRestore()) {
      const resolved = await this.resolve(latest);
      // Asked again: a question may have been asked (or the window closed) while the images loaded.
      if (this.mayRestore()) {
        this.session.load(resolved);
      }
    }
  }

  async open(id: string): Promise<boolean> {
    await this.loading;
    const stored = this.conversations.find((conversation) => conversation.id === id);
    if (!stored) {
      return false;
    }
    this.save();
    this.session.load(await this.resolve(stored));
    return true;
  }

  delete(id: string): void {
    this.conversations = this.conversations.filter((conversation) => conversation.id !== id);
    this.forgetUnreferencedImages();
    this.schedule();
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
    if (!snapshot) {
      return;
    }
    this.conversations = upsertConversation(this.conversations, persistConversation(snapshot, (image) => this.refFor(image)), Number.POSITIVE_INFINITY);
    if (this.loaded) {
      this.trim();
    }
    this.schedule();
  }

  /** The file an image goes to; its bytes are queued for writing unless that file exists. */
  private refFor(image: ImageContext): StoredImageRef | undefined {
    const known = this.refs.get(image);
    if (known) {
      return known;
    }
    const stored = imageFile(image);
    if (!stored) {
      return undefined;
    }
    const ref: StoredImageRef = { kind: 'image', name: image.name, mimeType: stored.mimeType, file: stored.file };
    this.refs.set(image, ref);
    this.imagesToDelete.delete(stored.file);
    if (!this.imagesOnDisk.has(stored.file)) {
      this.imagesToWrite.set(stored.file, stored.bytes);
    }
    return ref;
  }

  private resolve(conversation: PersistedConversation): ReturnType<typeof resolveConversation> {
    return resolveConversation(
      conversation,
      async (ref) => {
        const pending = this.imagesToWrite.get(ref.file);
        if (pending) return pending;
        try {
          return await this.files.readFile(path.join(this.imageFolder, ref.file));
        } catch {
          this.log.warn(`Image ${ref.file} of a stored conversation is missing; the conversation reopens without it`);
          return undefined;
        }
      },
      // Saving the reopened conversation again must not hash its images again.
      (image, ref) => this.refs.set(image, ref),
    );
  }

  private trim(): void {
    if (this.conversations.length > MAX_CONVERSATIONS) {
      this.conversations = this.conversations.slice(0, MAX_CONVERSATIONS);
    }
    this.forgetUnreferencedImages();
  }

  private forgetUnreferencedImages(): void {
    if (!this.loaded) {
      return; // the list is not complete yet
    }
    const referenced = referencedImageFiles(this.conversations);
    for (const file of [...this.imagesOnDisk, ...this.imagesToWrite.keys()]) {
      if (!referenced.has(file)) {
        this.imagesToWrite.delete(file);
        if (this.imagesOnDisk.delete(file)) this.imagesToDelete.add(file);
      }
    }
  }

  private schedule(): void {
    this.dirty = true;
    if (this.disposed) {
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.saveDelayMs);
  }

  /** Writes what changed, asynchronously; one write at a time, and a change during a write is written after it. */
  flush(): Promise<void> {
    this.writing ??= (async () => {
      await this.loading;
      while (this.dirty && !this.disposed) {
        this.dirty = false;
        await this.writeOnce();
      }
    })().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeOnce(): Promise<void> {
    const images = [...this.imagesToWrite];
    const text = JSON.stringify(this.conversations);
    try {
      if (images.length > 0) await this.files.mkdir(this.imageFolder);
      for (const [file, bytes] of images) {
        const temporary = path.join(this.imageFolder, `${file}.${process.pid}.tmp`);
        await this.files.writeFile(temporary, bytes);
        await this.files.rename(temporary, path.join(this.imageFolder, file));
        this.imagesOnDisk.add(file);
        if (this.imagesToWrite.get(file) === bytes) this.imagesToWrite.delete(file);
      }
      await this.files.mkdir(path.dirname(this.file));
      const temporary = `${this.file}.${process.pid}.tmp`;
      await this.files.writeFile(temporary, text);
      // The window is shutting down: the synchronous final save has written a newer list.
      if (this.disposed) return;
      await this.files.rename(temporary, this.file);
    } catch (error) {
      this.log.error(`Could not save the chat history to ${this.file}: ${String(error)}`);
      return;
    }
    await this.deleteUnreferencedImages();
  }

  /** Only once the list without them is on disk, so a crash never leaves a reference to a deleted file. */
  private async deleteUnreferencedImages(): Promise<void> {
    for (const file of [...this.imagesToDelete]) {
      this.imagesToDelete.delete(file);
      try {
        await this.files.unlink(path.join(this.imageFolder, file));
      } catch {
        // already gone
      }
    }
  }

  /**
   * Synchronous on purpose: dispose runs as the extension host shuts down (window reload), which
   * does not wait for promises from disposables, so an answer that ended a moment before would be
   * lost. Only what has not been written yet is written, once.
   */
  private flushNow(): void {
    if (!this.loaded || (!this.dirty && this.writing === undefined)) {
      return;
    }
    try {
      if (this.imagesToWrite.size > 0) this.files.mkdirSync(this.imageFolder);
      for (const [file, bytes] of this.imagesToWrite) {
        const temporary = path.join(this.imageFolder, `${file}.${process.pid}.final.tmp`);
        this.files.writeFileSync(temporary, bytes);
        this.files.renameSync(temporary, path.join(this.imageFolder, file));
      }
      this.files.mkdirSync(path.dirname(this.file));
      const temporary = `${this.file}.${process.pid}.final.tmp`;
      this.files.writeFileSync(temporary, JSON.stringify(this.conversations));
      this.files.renameSync(temporary, this.file);
      this.dirty = false;
    } catch (error) {
      this.log.error(`Could not save the chat history to ${this.file}: ${String(error)}`);
    }
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.disposed = true;
    this.flushNow();
  }
}
