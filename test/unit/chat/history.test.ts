import { strict as assert } from 'node:assert';
import { ChatSession } from '../../../src/chat/chatSession';
import {
  conversationTitle,
  imageFile,
  parsePersistedConversations,
  parseStoredConversations,
  persistConversation,
  referencedImageFiles,
  resolveConversation,
  upsertConversation,
  type StoredConversation,
  type StoredImageRef,
} from '../../../src/chat/history';
import type { ImageContext } from '../../../src/chat/prompts';
import { streamOf } from '../../fixtures/asyncStream';

const connection = { baseUrl: 'http://gateway.test/v1', apiKey: 'k', model: 'm' };

function sessionAnswering(text: string): ChatSession {
  return new ChatSession(() => streamOf([{ type: 'text' as const, text }]));
}

describe('history', () => {
  it('titles a conversation by its first question, shortened', () => {
    assert.equal(conversationTitle([]), '');
    const long = 'x'.repeat(100);
    const title = conversationTitle([{ id: 'm1', role: 'user', text: `  What is\n${long}`, context: [] }]);
    assert.equal(title.length, 60);
    assert.ok(title.startsWith('What is x'));
    assert.ok(title.endsWith('…'));
  });

  it('drops malformed entries and turns an answer cut off by a reload into a stopped one', () => {
    const parsed = parseStoredConversations([
      null,
      { id: 'broken' },
      {
        id: 'c1',
        title: 'Hello',
        createdAt: 1,
        updatedAt: 2,
        turns: [
          { id: 'm1', role: 'user', text: 'Hello', context: [] },
          { id: 'm2', role: 'assistant', text: 'Hi the', state: 'streaming', model: 'm' },
          { id: 'm3', role: 'robot', text: '?' },
        ],
      },
    ]);
    assert.equal(parsed.length, 1);
    assert.deepEqual(
      parsed[0]?.turns.map((turn) => [turn.id, turn.role === 'assistant' ? turn.state : 'user']),
      [
        ['m1', 'user'],
        ['m2', 'stopped'],
      ],
    );
    assert.deepEqual(parseStoredConversations('nonsense'), []);
  });

  it('keeps the newest first, replaces an older copy and honours the limit', () => {
    const entry = (id: string, updatedAt: number): StoredConversation => ({ id, title: id, createdAt: 0, updatedAt, turns: [] });
    let list: StoredConversation[] = [];
    list = upsertConversation(list, entry('a', 1), 2);
    list = upsertConversation(list, entry('b', 2), 2);
    list = upsertConversation(list, entry('a', 3), 2);
    assert.deepEqual(list.map((item) => [item.id, item.updatedAt]), [['a', 3], ['b', 2]]);
    list = upsertConversation(list, entry('c', 4), 2);
    assert.deepEqual(list.map((item) => item.id), ['c', 'a']);
  });

  it('a session snapshot reopens in another session with the same turns, and new ids do not collide', async () => {
    const first = sessionAnswering('Answer one');
    assert.equal(first.snapshot(), undefined, 'an empty conversation is not stored');
    await first.send('Question one', [], connection);
    const stored = JSON.parse(JSON.stringify(first.snapshot())) as StoredConversation;
    assert.equal(stored.title, 'Question one');

    const second = sessionAnswering('Answer two');
    let cleared = 0;
    second.subscribe({ cleared: () => cleared++ });
    second.load(stored);
    assert.equal(cleared, 1, 'the panel is told to re-render');
    assert.equal(second.id, stored.id);
    assert.deepEqual(second.turns.map((turn) => turn.text), ['Question one', 'Answer one']);
    await second.send('Question two', [], connection);
    const ids = second.turns.map((turn) => turn.id);
    assert.equal(new Set(ids).size, ids.length, `ids collide: ${ids.join()}`);

    second.clear();
    assert.notEqual(second.id, stored.id, 'New Chat starts a new conversation');
    assert.equal(second.turns.length, 0);
  });

  describe('images by reference', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const screenshot: ImageContext = { kind: 'image', name: 'shot.png', mimeType: 'image/png', dataUrl: `data:image/png;base64,${png.toString('base64')}` };
    const selection = { kind: 'selection' as const, fileName: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 1, text: 'x' };
    const conversation: StoredConversation = {
      id: 'c1',
      title: 'Look',
      createdAt: 1,
      updatedAt: 2,
      turns: [
        { id: 'm1', role: 'user', text: 'Look', context: [selection, screenshot] },
        { id: 'm2', role: 'assistant', text: 'A dot.', state: 'done', model: 'm' },
      ],
    };
    const refFor = (image: ImageContext): StoredImageRef | undefined => {
      const stored = imageFile(image);
      return stored && { kind: 'image', name: image.name, mimeType: stored.mimeType, file: stored.file };
    };

    it('names an image file by the SHA-256 of its bytes, and refuses what is not a supported image', () => {
      assert.match(imageFile(screenshot)?.file ?? '', /^[0-9a-f]{64}\.png$/);
      const renamed: ImageContext = { ...screenshot, name: 'other name' };
      assert.equal(imageFile(renamed)?.file, imageFile(screenshot)?.file, 'same bytes, same file');
      assert.deepEqual(imageFile(screenshot)?.bytes, png);
      assert.equal(imageFile({ mimeType: 'image/svg+xml', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }), undefined);
    });

    it('stores images as references and resolves them back to the same data: URL', async () => {
      const persisted = persistConversation(conversation, refFor);
      const text = JSON.stringify([persisted]);
      assert.doesNotMatch(text, /base64/);
      const file = imageFile(screenshot)?.file ?? '';
      assert.deepEqual(referencedImageFiles([persisted]), new Set([file]));

      const parsed = parsePersistedConversations(JSON.parse(text), () => assert.fail('no inline image to move'));
      assert.deepEqual(parsed, [persisted]);
      const reads: string[] = [];
      const resolved = await resolveConversation(parsed[0] as (typeof parsed)[number], (ref) => {
        reads.push(ref.file);
        return Promise.resolve(png);
      });
      assert.deepEqual(reads, [file]);
      assert.deepEqual(resolved, conversation);
    });

    it('leaves out an image whose file is gone, keeping the rest of the question', async () => {
      const [persisted] = parsePersistedConversations(JSON.parse(JSON.stringify([persistConversation(conversation, refFor)])), refFor);
      const resolved = await resolveConversation(persisted as NonNullable<typeof persisted>, () => Promise.resolve(undefined));
      const question = resolved.turns[0];
      assert.deepEqual(question?.role === 'user' ? question.context : undefined, [selection]);
    });

    it('reads an older history with inline data: URLs, handing each image over to be moved to a file', () => {
      const moved: string[] = [];
      const parsed = parsePersistedConversations(JSON.parse(JSON.stringify([conversation])), (image) => {
        moved.push(image.name);
        return refFor(image);
      });
      assert.deepEqual(moved, ['shot.png']);
      assert.deepEqual(parsed, [persistConversation(conversation, refFor)]);
    });

    it('drops context entries it cannot use: unknown kinds, foreign file names, unsupported types', () => {
      const [parsed] = parsePersistedConversations(
        [
          {
            id: 'c1',
            turns: [
              {
                id: 'm1',
                role: 'user',
                text: 'x',
                context: [
                  { kind: 'image', name: 'a', mimeType: 'image/png', file: '../../etc/passwd' },
                  { kind: 'image', name: 'b', mimeType: 'image/svg+xml', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' },
                  { kind: 'video', name: 'c' },
                  null,
                  selection,
                ],
              },
            ],
          },
        ],
        refFor,
      );
      const question = parsed?.turns[0];
      assert.deepEqual(question?.role === 'user' ? question.context : undefined, [selection]);
    });
  });

  it('edit-and-resend replaces the last question and its answer, keeping the question\'s context', async () => {
    const session = sessionAnswering('ok');
    const selection = { kind: 'selection' as const, fileName: 'a.ts', languageId: 'typescript', startLine: 1, endLine: 2, text: 'x' };
    await session.send('Frist question', [selection], connection);
    const removed: string[] = [];
    session.subscribe({ turnRemoved: (turn) => removed.push(turn.id) });
    await session.editLast('First question', connection);
    assert.deepEqual(removed, ['m1', 'm2']);
    assert.deepEqual(session.turns.map((turn) => turn.text), ['First question', 'ok']);
    const question = session.turns[0];
    assert.deepEqual(question?.role === 'user' ? question.context : undefined, [selection]);
  });
});
