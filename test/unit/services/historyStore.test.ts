import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as FakeTimers from '@sinonjs/fake-timers';
import { ChatSession } from '../../../src/chat/chatSession';
import type { ImageContext } from '../../../src/chat/prompts';
import { HistoryStore, type HistoryFileSystem } from '../../../src/services/historyStore';
import { streamOf } from '../../fixtures/asyncStream';

const folder = path.join(path.sep, 'storage');
const historyFile = path.join(folder, 'chat-history.json');
const imageFolder = path.join(folder, 'images');
const connection = { baseUrl: 'http://gateway.test/v1', apiKey: 'k', model: 'm' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const image = (name: string, bytes: Buffer = PNG): ImageContext => ({ kind: 'image', name, mimeType: 'image/png', dataUrl: `data:image/png;base64,${bytes.toString('base64')}` });

/** An in-memory disk that counts what the store does to it, and fails the test on a synchronous write outside shutdown. */
class MemoryFiles implements HistoryFileSystem {
  readonly files = new Map<string, Uint8Array>();
  readonly log: string[] = [];
  syncAllowed = false;

  private record(operation: string, file: string): void {
    this.log.push(`${operation} ${path.relative(folder, file)}`);
  }
  private sync(operation: string, file: string): void {
    assert.ok(this.syncAllowed, `synchronous ${operation} of ${file} outside dispose`);
    this.record(operation, file);
  }
  text(file = historyFile): string {
    const bytes = this.files.get(file);
    return bytes === undefined ? '' : Buffer.from(bytes).toString('utf8');
  }
  readFile(file: string): Promise<Uint8Array> {
    const bytes = this.files.get(file);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`ENOENT ${file}`));
  }
  readdir(dir: string): Promise<string[]> {
    return Promise.resolve([...this.files.keys()].filter((file) => path.dirname(file) === dir).map((file) => path.basename(file)));
  }
  mkdir(): Promise<void> {
    return Promise.resolve();
  }
  async writeFile(file: string, data: string | Uint8Array): Promise<void> {
    await Promise.resolve();
    this.record('write', file);
    this.files.set(file, typeof data === 'string' ? Buffer.from(data) : data);
  }
  async rename(from: string, to: string): Promise<void> {
    await Promise.resolve();
    this.record('rename', to);
    const bytes = this.files.get(from);
    assert.ok(bytes);
    this.files.delete(from);
    this.files.set(to, bytes);
  }
  unlink(file: string): Promise<void> {
    this.record('unlink', file);
    this.files.delete(file);
    return Promise.resolve();
  }
  mkdirSync(): void {
    assert.ok(this.syncAllowed, 'synchronous mkdir outside dispose');
  }
  writeFileSync(file: string, data: string | Uint8Array): void {
    this.sync('writeSync', file);
    this.files.set(file, typeof data === 'string' ? Buffer.from(data) : data);
  }
  renameSync(from: string, to: string): void {
    this.sync('renameSync', to);
    const bytes = this.files.get(from);
    assert.ok(bytes);
    this.files.delete(from);
    this.files.set(to, bytes);
  }
}

const quietLog = { warn: (): void => undefined, error: (message: string): never => assert.fail(message) };

function answering(): ChatSession {
  return new ChatSession(() => streamOf([{ type: 'text' as const, text: 'ok' }]));
}

const historyWrites = (files: MemoryFiles): string[] => files.log.filter((entry) => entry === 'rename chat-history.json');

describe('HistoryStore', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('writes a burst of saves once per debounce window, asynchronously, and restores it in a new store', async () => {
    const files = new MemoryFiles();
    const session = answering();
    const store = new HistoryStore({ fsPath: folder }, session, quietLog, files, 300);
    await store.whenLoaded();
    for (let question = 1; question <= 5; question++) {
      await session.send(`Question ${question}`, [], connection); // a save for the question and one for the answer
    }
    assert.deepEqual(historyWrites(files), [], 'nothing written inside the window');
    await clock.tickAsync(299);
    assert.deepEqual(historyWrites(files), []);
    await clock.tickAsync(1);
    await store.flush();
    assert.equal(historyWrites(files).length, 1, 'ten saves, one write');

    await session.send('Question 6', [], connection);
    await clock.tickAsync(300);
    await store.flush();
    assert.equal(historyWrites(files).length, 2);
    store.dispose();
    assert.equal(historyWrites(files).length, 2, 'nothing left to write at shutdown');

    const reopened = answering();
    const next = new HistoryStore({ fsPath: folder }, reopened, quietLog, files, 300);
    await next.restoreLatest();
    assert.equal(reopened.id, session.id);
    assert.equal(reopened.turns.length, 12);
    next.dispose();
  });

  it('writes what is pending synchronously at dispose, so an answer that just ended survives a reload', async () => {
    const files = new MemoryFiles();
    const session = answering();
    const store = new HistoryStore({ fsPath: folder }, session, quietLog, files, 300);
    await store.whenLoaded();
    await session.send('Just before the reload', [], connection);
    files.syncAllowed = true;
    store.dispose();
    assert.deepEqual(files.log.slice(-2), ['writeSync chat-history.json.' + String(process.pid) + '.final.tmp', 'renameSync chat-history.json']);
    assert.match(files.text(), /Just before the reload/);
    await clock.tickAsync(1000);
    assert.deepEqual(historyWrites(files), [], 'the debounced write does not run after dispose');
  });

  it('stores each image once by its hash, reopens it as a data: URL, and deletes it with the last conversation using it', async () => {
    const files = new MemoryFiles();
    const session = answering();
    const store = new HistoryStore({ fsPath: folder }, session, quietLog, files, 300);
    await store.whenLoaded();
    const screenshot = image('screenshot.png');
    await session.send('First', [screenshot], connection);
    await session.send('Same image again', [image('copy.png')], connection);
    await clock.tickAsync(300);
    await store.flush();

    const imageFiles = [...files.files.keys()].filter((file) => path.dirname(file) === imageFolder);
    assert.equal(imageFiles.length, 1, 'one file for identical bytes');
    assert.match(path.basename(imageFiles[0] ?? ''), /^[0-9a-f]{64}\.png$/);
    assert.doesNotMatch(files.text(), /data:image/, 'the history refers to the image, it does not carry it');
    assert.equal(files.log.filter((entry) => entry.startsWith('write images')).length, 1);

    // A later save of the same conversation neither hashes into a new file nor writes the image again.
    await session.send('Third', [], connection);
    await clock.tickAsync(300);
    await store.flush();
    assert.equal(files.log.filter((entry) => entry.startsWith('write images')).length, 1);

    const reopened = answering();
    const next = new HistoryStore({ fsPath: folder }, reopened, quietLog, files, 300);
    await next.restoreLatest();
    const question = reopened.turns[0];
    assert.deepEqual(question?.role === 'user' ? question.context : undefined, [screenshot], 'sendable again with its image');

    next.delete(reopened.id);
    await clock.tickAsync(300);
    await next.flush();
    assert.deepEqual([...files.files.keys()].filter((file) => path.dirname(file) === imageFolder), [], 'no conversation uses it any more');
    assert.equal((JSON.parse(files.text()) as unknown[]).length, 0);
    store.dispose();
    next.dispose();
  });

  it('moves the images of an older history (inline data: URLs) to files and keeps the conversation', async () => {
    const files = new MemoryFiles();
    const screenshot = image('old.png');
    const old = [{ id: 'c1', title: 'Old', createdAt: 1, updatedAt: 2, turns: [{ id: 'm1', role: 'user', text: 'Old', context: [screenshot] }] }];
    files.files.set(historyFile, Buffer.from(JSON.stringify(old)));
    const session = answering();
    const store = new HistoryStore({ fsPath: folder }, session, quietLog, files, 300);
    await store.restoreLatest();
    const question = session.turns[0];
    assert.deepEqual(question?.role === 'user' ? question.context : undefined, [screenshot]);
    await clock.tickAsync(300);
    await store.flush();
    assert.doesNotMatch(files.text(), /data:image/);
    assert.equal([...files.files.keys()].filter((file) => path.dirname(file) === imageFolder).length, 1);
    store.dispose();
  });

  it('does not replace a conversation begun before the history finished loading', async () => {
    const files = new MemoryFiles();
    files.files.set(historyFile, Buffer.from(JSON.stringify([{ id: 'c1', title: 'Old', createdAt: 1, updatedAt: 2, turns: [{ id: 'm1', role: 'user', text: 'Old', context: [] }] }])));
    const session = answering();
    const store = new HistoryStore({ fsPath: folder }, session, quietLog, files, 300);
    const restored = store.restoreLatest();
    await session.send('New', [], connection);
    await restored;
    assert.equal(session.turns[0]?.text, 'New');
    await clock.tickAsync(300);
    await store.flush();
    assert.deepEqual(
      (JSON.parse(files.text()) as Array<{ title: string }>).map((conversation) => conversation.title),
      ['New', 'Old'],
    );
    store.dispose();
  });
});
