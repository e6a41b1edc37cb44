import { strict as assert } from 'node:assert';
import type { HostToWebview } from '../../../src/protocol';
import type { connectHost, dispatch, HostHandlers, HostMessageType } from '../../../src/webview/host';
import { exportsFunctions, partLoader, type Loaded } from './parts';

interface HostParts {
  dispatch: typeof dispatch;
  connectHost: typeof connectHost;
}

/** Every host message type; `satisfies` fails to compile when one is missing or unknown. */
const TYPES = Object.keys({
  init: true,
  state: true,
  messageAdded: true,
  delta: true,
  reasoningDelta: true,
  retryStatus: true,
  messageModel: true,
  messageFinished: true,
  toolCallPreparing: true,
  toolUpdated: true,
  messageRemoved: true,
  streaming: true,
  model: true,
  pendingContext: true,
  downscaleImage: true,
  imageLimits: true,
  focusComposer: true,
  restoreInput: true,
  prompts: true,
} satisfies Record<HostMessageType, true>) as HostMessageType[];

/** A handler map that records which handler got which message. */
function recordingHandlers(calls: [string, unknown][]): HostHandlers {
  const entries = TYPES.map((type) => [type, (message: HostToWebview) => calls.push([type, message])]);
  return Object.fromEntries(entries) as HostHandlers;
}

describe('webview host channel (host.ts)', function () {
  this.timeout(60000);
  let load: (html?: string) => Loaded<HostParts>;
  before(async () => {
    load = await partLoader(`export { dispatch, connectHost } from '../host';`, exportsFunctions<HostParts>('dispatch', 'connectHost'));
  });

  it('runs exactly the handler of the message type, with the message', () => {
    const { parts } = load();
    const calls: [string, unknown][] = [];
    const handlers = recordingHandlers(calls);
    parts.dispatch(handlers, { type: 'delta', messageId: 'a1', text: 'Hi' });
    parts.dispatch(handlers, { type: 'focusComposer' });
    assert.deepEqual(calls, [
      ['delta', { type: 'delta', messageId: 'a1', text: 'Hi' }],
      ['focusComposer', { type: 'focusComposer' }],
    ]);
  });

  it('ignores what is not a host message instead of throwing', () => {
    const { parts } = load();
    const calls: [string, unknown][] = [];
    const handlers = recordingHandlers(calls);
    for (const stray of [null, undefined, 'text', {}, { type: 'toString' }, { type: 'unknownMessage' }]) {
      parts.dispatch(handlers, stray as HostToWebview);
    }
    assert.deepEqual(calls, []);
  });

  it('connectHost dispatches window message events until disconnected', () => {
    const { dom, parts } = load();
    const calls: [string, unknown][] = [];
    const disconnect = parts.connectHost(dom.window as unknown as Window, recordingHandlers(calls));
    const send = (data: unknown): boolean => dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data }));
    send({ type: 'model', model: 'fox-2' });
    disconnect();
    send({ type: 'model', model: 'fox-3' });
    assert.deepEqual(calls, [['model', { type: 'model', model: 'fox-2' }]]);
  });
});
