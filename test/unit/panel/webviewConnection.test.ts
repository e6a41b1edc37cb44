import assert from 'node:assert/strict';
import { WebviewConnection, type ConnectableView } from '../../../src/panel/webviewConnection';
import type { ChatState, HostToWebview } from '../../../src/protocol';

/** A webview view that behaves like VS Code's: hidden drops messages, disposed throws. */
class FakeView implements ConnectableView {
  visible = true;
  disposed = false;
  readonly received: HostToWebview[] = [];
  /** Messages that reached the view while disposed (VS Code would have thrown). */
  readonly postedWhileDisposed: HostToWebview[] = [];
  readonly webview = {
    postMessage: (message: HostToWebview): PromiseLike<boolean> => {
      if (this.disposed) {
        this.postedWhileDisposed.push(message);
        throw new Error('Webview is disposed');
      }
      if (this.visible) this.received.push(message);
      return Promise.resolve(this.visible);
    },
  };
  types(): string[] {
    return this.received.map((message) => message.type);
  }
}

const stateWith = (messages: number): ChatState => ({ messages: Array.from({ length: messages }, (_, index) => ({ id: `u${index}`, role: 'user', text: 'q', context: [] })), pendingContext: [], streaming: false, model: 'm', gateway: 'http://127.0.0.1:1' });

describe('WebviewConnection (when the host may post to the chat webview)', () => {
  // The host's conversation: each "session event" adds a turn and posts a delta for it.
  let turns: number;
  let connection: WebviewConnection;
  const stateMessage = (): HostToWebview => ({ type: 'state', state: stateWith(turns) });
  const sessionEvent = (): void => {
    turns += 1;
    connection.post({ type: 'delta', messageId: `a${turns}`, text: 'x' });
  };
  beforeEach(() => {
    turns = 0;
    connection = new WebviewConnection(() => [{ type: 'state', state: stateWith(turns) }, { type: 'model', model: 'm', gateway: 'http://127.0.0.1:1' }]);
  });

  it('posts nothing before ready, then the greeting with the current state, then what waited', () => {
    const view = new FakeView();
    connection.attach(view);
    sessionEvent();
    assert.equal(connection.postWhenReady({ type: 'focusComposer' }), 'queued');
    assert.deepEqual(view.received, []);
    connection.markReady();
    assert.deepEqual(view.types(), ['state', 'model', 'focusComposer']);
    assert.deepEqual(view.received[0], { type: 'state', state: stateWith(1) });
    sessionEvent();
    assert.equal(view.types().at(-1), 'delta');
  });

  it('a hidden view gets nothing; shown again it gets the whole state and what waited', () => {
    const view = new FakeView();
    connection.attach(view);
    connection.markReady();
    const before = view.received.length;
    view.visible = false;
    connection.visibilityChanged(stateMessage);
    sessionEvent();
    sessionEvent();
    assert.equal(connection.postWhenReady({ type: 'focusComposer' }), 'queued');
    assert.equal(view.received.length, before, 'nothing posted while hidden');
    view.visible = true;
    connection.visibilityChanged(stateMessage);
    assert.deepEqual(view.received.slice(before), [stateMessage(), { type: 'focusComposer' }]);
    assert.deepEqual((view.received[before] as Extract<HostToWebview, { type: 'state' }>).state.messages.length, 2);
  });

  it('nothing reaches a disposed webview; a re-resolved one gets the whole state on ready', () => {
    const first = new FakeView();
    connection.attach(first);
    connection.markReady();
    first.disposed = true;
    connection.detach(first);
    sessionEvent();
    connection.visibilityChanged(stateMessage);
    assert.equal(connection.postWhenReady({ type: 'downscaleImage', name: 'a.png', dataUrl: 'data:image/png;base64,AA==' }), 'queued');
    assert.deepEqual(first.postedWhileDisposed, []);

    const second = new FakeView();
    connection.attach(second);
    sessionEvent();
    assert.deepEqual(second.received, [], 'nothing before the new webview is ready');
    connection.markReady();
    assert.deepEqual(second.types(), ['state', 'model', 'downscaleImage']);
    assert.deepEqual(second.received[0], { type: 'state', state: stateWith(2) });
    assert.deepEqual(first.postedWhileDisposed, []);
  });

  it('a detach of an older view does not cut off the current one', () => {
    const old = new FakeView();
    const current = new FakeView();
    connection.attach(old);
    connection.attach(current);
    connection.markReady();
    connection.detach(old);
    sessionEvent();
    assert.equal(current.types().at(-1), 'delta');
  });

  it('after dispose every post is a no-op, even one that waits for ready', () => {
    const view = new FakeView();
    connection.attach(view);
    connection.markReady();
    const before = view.received.length;
    connection.dispose();
    view.disposed = true;
    sessionEvent();
    connection.visibilityChanged(stateMessage);
    connection.markReady();
    assert.equal(connection.postWhenReady({ type: 'focusComposer' }), 'dropped');
    connection.attach(new FakeView());
    connection.markReady();
    assert.equal(connection.canPost, false);
    assert.deepEqual(view.postedWhileDisposed, []);
    assert.equal(view.received.length, before);
  });

  it('a webview that refuses a message (gone in the same tick) does not break the caller', async () => {
    const view = new FakeView();
    connection.attach(view);
    connection.markReady();
    view.disposed = true; // VS Code disposed it, onDidDispose has not run yet
    assert.doesNotThrow(sessionEvent);
    const rejecting: ConnectableView = { visible: true, webview: { postMessage: () => Promise.reject(new Error('gone')) } };
    connection.attach(rejecting);
    connection.markReady();
    sessionEvent();
    await new Promise((resolve) => setImmediate(resolve)); // an unhandled rejection would fail the run
  });
});
