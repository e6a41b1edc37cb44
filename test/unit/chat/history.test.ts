import { strict as assert } from 'node:assert';
import { ChatSession } from '../../../src/chat/chatSession';
import { conversationTitle, parseStoredConversations, upsertConversation, type StoredConversation } from '../../../src/chat/history';

const connection = { baseUrl: 'http://gateway.test/v1', apiKey: 'k', model: 'm' };

function sessionAnswering(text: string): ChatSession {
  return new ChatSession(() =>
    (async function* () {
      yield { type: 'text' as const, text };
    })(),
  );
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
