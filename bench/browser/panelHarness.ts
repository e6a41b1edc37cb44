// Browser side of the conversation cases of bench/render.ts: the real panel (src/webview/main.ts, as
// the extension bundles it) with a stand-in for the VS Code API, host messages dispatched as the
// webview receives them, and the two measurements: opening a long conversation, and typing in the
// composer while an answer streams.
import './vscodeApiStub';
import '../../src/webview/main';
import type { HostToWebview } from '../../src/protocol';

export interface OpenResult {
  /** From dispatching the `init` message until the first frame after it has been rendered. */
  wallMs: number;
  messages: number;
  renderedChars: number;
  /** Answers whose Markdown has been rendered (the rest wait until they near the viewport). */
  renderedAnswers: number;
}

export interface TypingResult {
  /** Per key: from the keydown event's timestamp until the next frame after its input has been rendered. */
  latenciesMs: number[];
  deltasFed: number;
  frames: number;
}

function send(message: HostToWebview): void {
  // What the webview's message listener gets from the host, without a task hop in between.
  window.dispatchEvent(new MessageEvent('message', { data: message }));
}

/** Resolves after the next frame has been rendered (a task queued from a frame callback runs after it). */
function afterNextFrame(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(undefined);
    });
  });
}

export async function openConversation(init: HostToWebview): Promise<OpenResult> {
  await afterNextFrame();
  const started = performance.now();
  send(init);
  const ended = await afterNextFrame();
  // Whatever the first frame set off (answers near the viewport rendered when observed) is counted too.
  await afterNextFrame();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await afterNextFrame();
  const transcript = document.getElementById('transcript');
  return {
    wallMs: ended - started,
    messages: transcript?.querySelectorAll('.message').length ?? 0,
    renderedChars: transcript?.textContent.length ?? 0,
    renderedAnswers: transcript?.querySelectorAll('.message[data-role="assistant"] .message-body:has(> *)').length ?? 0,
  };
}

let typing: { latencies: number[]; stop: boolean; deltasFed: number; frames: number; done: Promise<void> } | undefined;

/**
 * Streams `deltas` into the answer `messageId` (already in the transcript, state streaming),
 * `deltasPerFrame` per animation frame, and records the latency of every key typed meanwhile
 * (the keys themselves come from the benchmark, as real input events).
 */
export function startStreamingWhileTyping(messageId: string, deltas: readonly string[], deltasPerFrame: number): void {
  const latencies: number[] = [];
  const input = document.getElementById('composer-input') as HTMLTextAreaElement;
  input.focus();
  let keyAt: number | undefined;
  window.addEventListener('keydown', (event) => {
    keyAt ??= event.timeStamp;
  }, { capture: true });
  window.addEventListener('input', () => {
    const at = keyAt;
    keyAt = undefined;
    if (at !== undefined) {
      void afterNextFrame().then((end) => latencies.push(end - at));
    }
  });
  const state = { latencies, stop: false, deltasFed: 0, frames: 0, done: Promise.resolve() };
  state.done = new Promise<void>((resolve) => {
    let next = 0;
    const feed = (): void => {
      state.frames += 1;
      if (state.stop || next >= deltas.length) {
        resolve();
        return;
      }
      const end = Math.min(deltas.length, next + deltasPerFrame);
      for (; next < end; next += 1) {
        send({ type: 'delta', messageId, text: deltas[next] ?? '' });
      }
      state.deltasFed = next;
      requestAnimationFrame(feed);
    };
    requestAnimationFrame(feed);
  });
  typing = state;
}

export async function stopStreaming(): Promise<TypingResult> {
  if (typing === undefined) {
    throw new Error('not streaming');
  }
  typing.stop = true;
  await typing.done;
  await afterNextFrame();
  return { latenciesMs: typing.latencies, deltasFed: typing.deltasFed, frames: typing.frames };
}
